"""In-process mode: one ``responses.RequestsMock`` routes requests for the portals' host names
straight into the portals' WSGI callables. No sockets; unknown hosts raise; loopback servers
stay reachable; a user's own ``responses`` mock keeps working beside it.

The bridge is thin: one route per host (any method), and the WSGI environ is built from the
prepared request directly, as a server builds it from the wire (PEP 3333: ``PATH_INFO`` is the
percent-decoded path as latin-1 text), without werkzeug's test machinery. The answer is buffered.

The stack's mock and its portal routes keep no call history (``responses`` would keep every
request and response until the stack stops, about 9 KB a call): what a world's requests were is the
journal's job, per world and bounded. A connection a fault rule
drops is retried as urllib3 retries a live one: per the adapter's ``max_retries``.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from http.client import RemoteDisconnected
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

import requests
import responses
from urllib3.exceptions import MaxRetryError, ProtocolError

from portals.web.errors import DroppedConnection

LOOPBACK = re.compile(r"^https?://(localhost|127(?:\.\d{1,3}){3}|\[::1\])(:\d+)?(/|$)")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
#: What ``PortalRoute.method`` says: a portal's route takes every method of ``METHODS``.
ANY_METHOD = "ANY"

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
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


def wsgi_environ(request: requests.PreparedRequest) -> dict[str, Any]:
    """The WSGI environ a server would build for ``request`` (PEP 3333), from loopback."""
    url = urlsplit(str(request.url))
    body = _body_bytes(request.body)
    chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    secure = url.scheme == "https"
    path = url.path or "/"
    raw_uri = f"{path}?{url.query}" if url.query else path
    environ: dict[str, Any] = {
        "REQUEST_METHOD": str(request.method).upper(),
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": url.query,
        "REQUEST_URI": raw_uri,
        "RAW_URI": raw_uri,
        "SERVER_NAME": url.hostname or "localhost",
        "SERVER_PORT": str(url.port or (443 if secure else 80)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": url.netloc,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": url.scheme or "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if chunked:  # as servers that decode chunked bodies pass them: terminated, no length
        environ["wsgi.input_terminated"] = True
    elif body:
        environ["CONTENT_LENGTH"] = str(len(body))
    for name, value in request.headers.items():
        key = name.upper().replace("-", "_")
        if key == "CONTENT_TYPE":
            environ[key] = value
        elif key != "CONTENT_LENGTH":
            environ[f"HTTP_{key}"] = value
    return environ


def _body_bytes(body: Any) -> bytes:
    """A prepared request's body as bytes: text, bytes, a file (``data=open(…)``) or an iterable
    of chunks (a generator, which requests sends chunked)."""
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode()
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    if hasattr(body, "read"):
        data = body.read()
        return data.encode() if isinstance(data, str) else bytes(data)
    return b"".join(chunk.encode() if isinstance(chunk, str) else bytes(chunk) for chunk in body)


def wsgi_callback(app: WsgiApp) -> Callback:
    """A ``responses`` callback that runs the request through the WSGI callable ``app`` (a Flask
    app, or any WSGI app) as a server would, and buffers its answer."""

    def call(request: requests.PreparedRequest) -> tuple[int, list[tuple[str, str]], bytes]:
        started: list[Any] = []
        chunks: list[bytes] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            if exc_info is not None and started:
                raise exc_info[1].with_traceback(exc_info[2])
            started[:] = [status, headers]
            return chunks.append

        try:
            result = app(wsgi_environ(request), start_response)
            try:
                chunks.extend(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        except DroppedConnection as dropped:
            raise Dropped(f"connection dropped by a fault rule: {dropped}", request) from None
        status, headers = started
        return int(status.split(" ", 1)[0]), list(headers), b"".join(chunks)

    return call


class NoHistory(responses.CallList):
    """A ``responses`` call list that records nothing: always empty."""

    def add(self, request: requests.PreparedRequest, response: object) -> None:
        pass

    def add_call(self, call: responses.Call) -> None:
        pass


class PortalRoute(responses.CallbackResponse):
    """The route to one portal, for every method of ``METHODS``. It never counts as "not fired",
    so a user's strict mock (``assert_all_requests_are_fired=True``) does not fail because the
    portals were not called; and it keeps no calls."""

    def __init__(self, router: InProcessRouter, url: re.Pattern[str], callback: Callback) -> None:
        super().__init__(ANY_METHOD, url, callback=callback)
        self.router = router
        self.pattern = url
        self._calls = NoHistory()

    def matches(self, request: requests.PreparedRequest) -> tuple[bool, str]:
        if request.method not in METHODS:
            return False, "Method does not match"
        if not self.pattern.match(str(request.url)):
            return False, "URL does not match"
        return True, ""

    @property
    def call_count(self) -> int:
        return max(1, len(self.calls))


class InProcessRouter:
    """Owns the one RequestsMock of a stack. While it runs, any other RequestsMock that starts (a
    user's ``@responses.activate`` or ``with responses.RequestsMock()``) gets the portals' routes
    too, so two mocks never fight over ``requests`` (moto's issues #3264 and #6417)."""

    def __init__(self, routes: Mapping[str, WsgiApp]) -> None:
        self.routes = dict(routes)  # host -> WSGI app (a Flask app, or the stack's lazy one)
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
            mock.add(PortalRoute(self, self._pattern(host), wsgi_callback(app)))

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
