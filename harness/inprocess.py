"""In-process mode: one ``responses.RequestsMock`` routes requests for the portals' host names
straight into the Flask apps' WSGI callables. No sockets; unknown hosts raise; loopback servers
stay reachable; a user's own ``responses`` mock keeps working beside it.

The stack's mock and its portal routes keep no call history (``responses`` would keep every
request and response until the stack stops, about 9 KB a call): what a world's requests were is the
journal's job, per world and bounded. A connection a fault rule
drops is retried as urllib3 retries a live one: per the adapter's ``max_retries``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from http.client import RemoteDisconnected
from typing import Any
from urllib.parse import urlsplit

import requests
import responses
from flask import Flask
from urllib3.exceptions import MaxRetryError, ProtocolError
from werkzeug.test import EnvironBuilder, run_wsgi_app

from portals.web.faults import DroppedConnection

LOOPBACK = re.compile(r"^https?://(localhost|127(?:\.\d{1,3}){3}|\[::1\])(:\d+)?(/|$)")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")

Callback = Callable[[requests.PreparedRequest], tuple[int, list[tuple[str, str]], bytes]]
OnRequest = Callable[..., requests.Response]


class Dropped(requests.ConnectionError):
    """A fault rule dropped the connection of an in-process request; ``cause`` is what urllib3
    sees when a live server closes a connection without an answer."""

    def __init__(self, message: str, request: requests.PreparedRequest) -> None:
        super().__init__(message, request=request)
        self.cause = ProtocolError("Connection aborted.", RemoteDisconnected(message))


class InProcessPool:
    """What urllib3's ``MaxRetryError`` names as its pool: the portal's host, in-process."""

    def __init__(self, host: str) -> None:
        self.host = host

    def __str__(self) -> str:
        return f"in-process portal {self.host}"


def retrying(on_request: OnRequest) -> OnRequest:
    """Wrap a mock's ``_on_request`` so a dropped connection goes through the adapter's urllib3
    ``Retry`` as a live one does: ``Retry.increment`` with the connection error (a read error:
    retried for idempotent methods while ``read``/``total`` allow), then ``requests.ConnectionError``
    when the retries are used up or not allowed (requests' default, ``Retry(0, read=False)``)."""

    def call(
        adapter: requests.adapters.HTTPAdapter,
        request: requests.PreparedRequest,
        *,
        retries: Any = None,
        **kwargs: Any,
    ) -> requests.Response:
        try:
            return on_request(adapter, request, retries=retries, **kwargs)
        except Dropped as dropped:
            retry = retries or adapter.max_retries
            pool = InProcessPool(urlsplit(str(request.url)).netloc)
            try:
                retry = retry.increment(
                    method=request.method, url=request.url, error=dropped.cause, _pool=pool
                )
            except (MaxRetryError, ProtocolError) as error:
                raise requests.ConnectionError(error, request=request) from None
            retry.sleep()
            return call(adapter, request, retries=retry, **kwargs)

    return call


def wsgi_callback(app: Flask) -> Callback:
    """A ``responses`` callback that runs the request through ``app`` as a WSGI server would."""

    def call(request: requests.PreparedRequest) -> tuple[int, list[tuple[str, str]], bytes]:
        url = urlsplit(str(request.url))
        body = request.body.encode() if isinstance(request.body, str) else (request.body or b"")
        headers = [(k, v) for k, v in request.headers.items() if k.lower() != "content-length"]
        builder = EnvironBuilder(
            path=url.path or "/",
            base_url=f"{url.scheme}://{url.netloc}",
            query_string=url.query,
            method=str(request.method),
            headers=headers,
            data=body,
            environ_overrides={"REMOTE_ADDR": "127.0.0.1"},
        )
        try:
            environ = builder.get_environ()
            app_iter, status, response_headers = run_wsgi_app(app.wsgi_app, environ, buffered=True)
            content = b"".join(app_iter)
            close = getattr(app_iter, "close", None)
            if close:
                close()
        except DroppedConnection as dropped:
            raise Dropped(f"connection dropped by a fault rule: {dropped}", request) from None
        finally:
            builder.close()
        return int(status.split(" ", 1)[0]), list(response_headers.items()), content

    return call


class NoHistory(responses.CallList):
    """A ``responses`` call list that records nothing: always empty."""

    def add(self, request: requests.PreparedRequest, response: object) -> None:
        pass

    def add_call(self, call: responses.Call) -> None:
        pass


class PortalRoute(responses.CallbackResponse):
    """A route to one portal. It never counts as "not fired", so a user's strict mock
    (``assert_all_requests_are_fired=True``) does not fail because the portals were not called;
    and it keeps no calls."""

    def __init__(
        self, router: InProcessRouter, method: str, url: re.Pattern[str], callback: Callback
    ) -> None:
        super().__init__(method, url, callback=callback)
        self.router = router
        self._calls = NoHistory()

    @property
    def call_count(self) -> int:
        return max(1, len(self.calls))


class InProcessRouter:
    """Owns the one RequestsMock of a stack. While it runs, any other RequestsMock that starts (a
    user's ``@responses.activate`` or ``with responses.RequestsMock()``) gets the portals' routes
    too, so two mocks never fight over ``requests`` (moto's issues #3264 and #6417)."""

    def __init__(self, routes: dict[str, Flask]) -> None:
        self.routes = routes  # host -> app
        self.mock: responses.RequestsMock | None = None
        self._original_start: Callable[[responses.RequestsMock], None] | None = None

    @staticmethod
    def _pattern(host: str) -> re.Pattern[str]:
        return re.compile(rf"^https?://{re.escape(host)}(:\d+)?([/?#].*)?$")

    def register(self, mock: responses.RequestsMock) -> None:
        """Add the portals' routes to ``mock`` (ours, or a user's own), once."""
        if any(isinstance(r, PortalRoute) and r.router is self for r in mock.registered()):
            return
        if not getattr(mock, "_portal_harness_retrying", False):
            mock._on_request = retrying(mock._on_request)  # type: ignore[method-assign]
            mock._portal_harness_retrying = True  # type: ignore[attr-defined]
        for host, app in self.routes.items():
            callback = wsgi_callback(app)
            for method in METHODS:
                mock.add(PortalRoute(self, method, self._pattern(host), callback))

    def start(self) -> None:
        underneath = requests.adapters.HTTPAdapter.send
        mock = responses.RequestsMock(assert_all_requests_are_fired=False, real_adapter_send=underneath)
        mock._calls = NoHistory()  # the stack's own mock: nobody asked for its history
        self.register(mock)
        mock.add_passthru(LOOPBACK)
        if underneath is not responses._real_send:
            # a user's mock is already active: what is not ours goes on to it, not to the network
            mock.add_passthru(re.compile(r"^https?://"))
        mock.start()
        self.mock = mock
        self._join_other_mocks()

    def _join_other_mocks(self) -> None:
        original = responses.RequestsMock.start
        router = self

        def start(other: responses.RequestsMock) -> None:
            if other is not router.mock:
                router.register(other)
            original(other)

        self._original_start = original
        responses.RequestsMock.start = start  # type: ignore[method-assign]

    def stop(self) -> None:
        if self._original_start is not None:
            responses.RequestsMock.start = self._original_start  # type: ignore[method-assign]
            self._original_start = None
        if self.mock is not None:
            self.mock.stop(allow_assert=False)
            self.mock.reset()
            self.mock = None
