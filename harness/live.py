"""Live mode: the portals on waitress, a production WSGI server, each on its own loopback port
(ephemeral unless given), started and stopped cleanly.

One event loop thread accepts and reads for every portal's socket, and two fixed pools of worker
threads run their requests: the control lane (``CONTROL_THREADS``) for the control API, the
dashboard, the shared static files and the icon (``/_harness``, ``/_static``, ``/favicon.ico``),
and the portal lane (``THREADS``, ``serve --threads``) for every other request. No thread per
connection, so a long-running ``serve`` keeps a fixed set of threads (and of glibc malloc arenas).
A fault rule's ``latency_ms`` holds a portal-lane thread while it sleeps: requests held that way
never delay the control API or the dashboard (their own lane), and other worlds' requests are
served as long as fewer than ``THREADS`` are held at once; beyond, they wait in the portal lane's
queue. A fault rule's ``drop_connection`` raises ``portals.web.errors.DroppedConnection``, which
waitress takes for ``ClientDisconnected``: it closes the connection without writing a byte.
"""

from __future__ import annotations

import errno
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.server import TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher

#: Worker threads of the portal lane, shared by a stack's portals: requests beyond these wait in its
#: queue (a fault rule's latency holds one for its duration). ``serve --threads`` sets another.
THREADS = 32
#: Worker threads of the control lane: the control API, the dashboard, static files and the icon.
CONTROL_THREADS = 2
#: Paths served by the control lane (``portals.web.wire``'s control and static prefixes, the icon).
CONTROL_LANE_PREFIXES = ("/_harness", "/_static/", "/favicon.ico")
#: Open connections across a stack's portals before waitress stops accepting more for a while.
CONNECTION_LIMIT = 1000

# no per-connection log lines in test output (a dropped connection is logged at INFO)
logging.getLogger("waitress").setLevel(logging.ERROR)

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def is_control_lane(path: str) -> bool:
    """Whether a request for ``path`` runs on the control lane (see the module's docstring)."""
    return path.startswith(CONTROL_LANE_PREFIXES)


class Lanes:
    """Two waitress task dispatchers behind the one interface a server calls (``add_task``,
    ``set_thread_count``, ``shutdown``): a task (waitress 3 queues the connection, whose first
    pending request is the one to serve) goes to the control lane when its path is the control
    API's, the dashboard's or a static file's, else to the portal lane."""

    def __init__(self, threads: int = THREADS, control_threads: int = CONTROL_THREADS) -> None:
        self.portal = ThreadedTaskDispatcher()
        self.control = ThreadedTaskDispatcher()
        self.threads = threads
        self.control_threads = control_threads

    @staticmethod
    def _path(task: Any) -> str:
        request = getattr(task, "request", None)  # an ErrorTask carries its request
        if request is None:
            pending = getattr(task, "requests", None) or ()
            request = pending[0] if pending else None
        path = getattr(request, "path", "") if request is not None else ""
        return path if isinstance(path, str) else ""

    def add_task(self, task: Any) -> None:
        lane = self.control if is_control_lane(self._path(task)) else self.portal
        lane.add_task(task)

    def set_thread_count(self, count: int) -> None:
        """``count`` portal-lane threads (the control lane keeps its own)."""
        self.portal.set_thread_count(count)

    def start(self) -> None:
        self.portal.set_thread_count(self.threads)
        self.control.set_thread_count(self.control_threads)

    def shutdown(self, cancel_pending: bool = True, timeout: int = 5) -> bool:
        control = self.control.shutdown(cancel_pending=cancel_pending, timeout=timeout)
        return self.portal.shutdown(cancel_pending=cancel_pending, timeout=timeout) and control


@dataclass(frozen=True)
class Listening:
    """Where one portal listens."""

    host: str
    port: int

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"


class LiveServers:
    """The portals ``apps`` (key -> WSGI app) on waitress, each on ``host:ports[key]`` (0 or absent:
    the system picks a free port), with ``threads`` portal-lane workers (at least 1) and
    ``CONTROL_THREADS`` control-lane ones. Raises ``OSError`` when a port cannot be bound, with
    every socket opened so far closed again, and ``ValueError`` for fewer than 1 thread."""

    def __init__(
        self,
        apps: Mapping[str, WsgiApp],
        host: str = "127.0.0.1",
        ports: Mapping[str, int] | None = None,
        threads: int = THREADS,
    ) -> None:
        if threads < 1:
            raise ValueError(f"threads must be 1 or more, not {threads}")
        self.host = host
        self._map: dict[int, Any] = {}
        self._dispatcher = Lanes(threads)
        self._servers: dict[str, TcpWSGIServer] = {}
        self._thread: threading.Thread | None = None
        try:
            for key, app in apps.items():
                self._servers[key] = self._server(app, (ports or {}).get(key, 0))
        except OSError:
            wasyncore.close_all(self._map)
            raise

    def _server(self, app: WsgiApp, port: int) -> TcpWSGIServer:
        adjustments = Adjustments(
            host=self.host,
            port=port,
            ident="portal-harness",
            connection_limit=CONNECTION_LIMIT,
            clear_untrusted_proxy_headers=False,  # the journal keeps what was sent
            asyncore_use_poll=True,
            expose_tracebacks=False,
        )
        try:
            return TcpWSGIServer(
                app,
                self._map,
                dispatcher=self._dispatcher,
                adj=adjustments,
                sockinfo=adjustments.listen[0],  # one socket per portal, even for a name of two addresses
            )
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise OSError(errno.EADDRINUSE, f"port {port} on {self.host} is already in use") from None
            raise

    def start(self) -> LiveServers:
        self._dispatcher.start()
        self._thread = threading.Thread(
            target=wasyncore.loop,
            kwargs={"timeout": 1.0, "map": self._map, "use_poll": True},
            daemon=True,
            name=f"portal-harness-live-{'-'.join(map(str, self.ports().values()))}",
        )
        self._thread.start()
        return self

    def __getitem__(self, key: str) -> Listening:
        return Listening(self.host, int(self._servers[key].effective_port))

    def ports(self) -> dict[str, int]:
        return {key: int(server.effective_port) for key, server in self._servers.items()}

    def urls(self) -> dict[str, str]:
        return {key: self[key].url for key in self._servers}

    def stop(self) -> None:
        """Close every socket (listening and open connections) in the loop's own thread, wait for
        the loop to end, then for the worker threads."""
        if self._thread is not None and self._thread.is_alive() and self._servers:
            server = next(iter(self._servers.values()))
            server.trigger.pull_trigger(lambda: wasyncore.close_all(self._map))
            self._thread.join(timeout=5)
        else:
            wasyncore.close_all(self._map)
        self._dispatcher.shutdown(cancel_pending=True, timeout=5)
