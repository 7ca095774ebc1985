"""Partner Center's error shape, ``{"code", "description", "data", "source"}``, for every error of
this app: refusals, unknown routes, wrong methods, oversized or malformed bodies, missing tokens and
failures. Clients written for Partner Center parse this shape only, so nothing else may leak out."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, g, jsonify
from werkzeug.wrappers import Response

from portals.backend import Refusal

log = logging.getLogger("portal_harness.portals")

#: The ``source`` of every error this emulator answers.
SOURCE = "PartnerCenter"


def error_body(refusal: Refusal, language: str = "en-US") -> dict[str, Any]:
    """``code`` is the HTTP status (as Partner Center's front door answers), ``data`` names the
    backend's refusal code, which is what a test should check."""
    return {
        "code": refusal.status,
        "description": refusal.message(language),
        "data": [refusal.code],
        "source": SOURCE,
    }


def error_response(refusal: Refusal) -> Response:
    response = jsonify(error_body(refusal, getattr(g, "lang", "en-US")))
    response.status_code = refusal.status
    if refusal.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api.partnercenter.test"'
    return response


def install_error_handlers(app: Flask) -> None:
    """Every error of this app in its own shape: the shared handlers turn routes, methods, sizes
    and failures into refusals, and hand each to ``error_response``."""
    app.config["RENDER_REFUSAL"] = error_response
