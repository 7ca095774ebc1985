"""In-process mode: one ``responses.RequestsMock`` routes requests for the portals' host names
straight into the Flask apps' WSGI callables. No sockets; unknown hosts raise; loopback servers
stay reachable; a user's own ``responses`` mock keeps working beside it.

The stack's mock and its portal routes keep no call history (``responses`` would keep every
request and response until the stack stops, about 9 KB a call): what a world's requests were is the
journal's job, per world and bounded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import requests
import responses
from flask import Flask
from werkzeug.test import EnvironBuilder, run_wsgi_app

from portals.web.faults import DroppedConnection

LOOPBACK = re.compile(r"^https?://(localhost|127(?:\.\d{1,3}){3}|\[::1\])(:\d+)?(/|$)")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")

Callback = Callable[[requests.PreparedRequest], tuple[int, list[tuple[str, str]], bytes]]


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
            raise requests.ConnectionError(
                f"connection dropped by a fault rule: {dropped}", request=request
            ) from None
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
