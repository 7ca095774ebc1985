"""The benchmark's baseline server: a trivial Flask app (``GET /health``, ``GET /api/x``) on the
same WSGI server ``portal-harness serve`` uses (waitress), or on werkzeug's threaded server.

``python bench/trivial_app.py [--server waitress|werkzeug]`` listens on a free loopback port,
prints ``serving http://127.0.0.1:<port>`` once it accepts connections, and stops on SIGTERM.
"""

from __future__ import annotations

import argparse
import signal
import sys

from flask import Flask

app = Flask("trivial")


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/api/x")
def x() -> dict[str, bool]:
    return {"ok": True}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--server", choices=("waitress", "werkzeug"), default="waitress")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if args.server == "waitress":
        from waitress.server import create_server

        server = create_server(app, host="127.0.0.1", port=0)
        print(f"serving http://127.0.0.1:{server.effective_port}", flush=True)
        server.run()
    else:
        import logging

        from werkzeug.serving import make_server

        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        served = make_server("127.0.0.1", 0, app, threaded=True)
        print(f"serving http://127.0.0.1:{served.server_port}", flush=True)
        served.serve_forever()


if __name__ == "__main__":
    main()
