"""Request journal and fault injection, installed around every portal's WSGI app."""

from __future__ import annotations

from flask import Flask


def install(app: Flask) -> None:
    """Wrap ``app.wsgi_app`` so every request is journaled per world and faults can answer first."""
