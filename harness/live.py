"""Live mode: the portals on waitress, a production WSGI server, each on its own loopback port
(ephemeral unless given), started and stopped cleanly.

One event loop thread accepts and reads for every portal's socket, and one fixed pool of worker
threads runs their requests (``THREADS``): no thread per connection, so a long-running ``serve``
keeps a fixed set of threads (and of glibc malloc arenas). A fault rule's ``drop_connection``
raises ``portals.web.errors.DroppedConnection``, which waitress takes for ``ClientDisconnected``:
it closes the connection without writing a byte.
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

#: Worker threads shared by a stack's portals: requests beyond these wait in waitress's queue (a
#: fault rule's latency holds one for its duration).
THREADS = 8
#: Open connections across a stack's portals before waitress stops accepting more for a while.
CONNECTION_LIMIT = 1000

# no per-connection log lines in test output (a dropped connection is logged at INFO)
logging.getLogger("waitress").setLevel(logging.ERROR)

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


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
    the system picks a free port). Raises ``OSError`` when a port cannot be bound, with every
    socket opened so far closed again."""

    def __init__(
        self,
        apps: Mapping[str, WsgiApp],
        host: str = "127.0.0.1",
        ports: Mapping[str, int] | None = None,
        threads: int = THREADS,
    ) -> None:
        self.host = host
        self._map: dict[int, Any] = {}
        self._dispatcher = ThreadedTaskDispatcher()
        self._threads = threads
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
        self._dispatcher.set_thread_count(self._threads)
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
