"""Live mode: each portal on a real HTTP server (werkzeug's threaded server) on an ephemeral
loopback port, started and stopped cleanly."""

from __future__ import annotations

import contextlib
import errno
import io
import logging
import threading

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no per-request log lines in test output


class LiveServer:
    """One portal app served on ``host:port`` (port 0: the system picks a free one)."""

    def __init__(self, app: Flask, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        try:  # werkzeug prints its own two lines about a taken port: the caller says it once
            with contextlib.redirect_stderr(io.StringIO()):
                self.server: BaseWSGIServer = make_server(host, port, app, threaded=True)
        except SystemExit:  # werkzeug exits when the port is taken; a library must not
            raise OSError(errno.EADDRINUSE, f"port {port} on {host} is already in use") from None
        self.server.daemon_threads = True
        self.host = host
        self.port = self.server.server_port
        self._thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
            name=f"portal-{app.import_name}-{self.port}",
        )

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> LiveServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)
