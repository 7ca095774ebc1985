"""Partner Center's error shape, ``{"code", "description", "data", "source"}``, for every error of
this app: refusals, unknown routes, wrong methods, oversized or malformed bodies, missing tokens and
failures. Clients written for Partner Center parse this shape only, so nothing else may leak out."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, g, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.wrappers import Response

from portals.backend import Refusal
from portals.web import app as shared

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


def _control_api() -> bool:
    """The control API keeps its own error shape on every host: the harness's client parses it."""
    return request.path == "/_harness" or request.path.startswith("/_harness/")


def on_refusal(refusal: Refusal) -> ResponseReturnValue:
    if _control_api():
        return shared._refusal_response(refusal)
    return error_response(refusal)


def on_http_error(error: HTTPException) -> ResponseReturnValue:
    if _control_api():
        return shared._http_error(error)
    code = error.code or 400
    if code == 404:
        refusal = Refusal("RouteNotFound", path=request.path)
    elif code == 405:
        refusal = Refusal("MethodNotAllowed", method=request.method, path=request.path)
    elif code == 413:
        refusal = Refusal("PayloadTooLarge", limit=shared.MAX_BODY_BYTES)
    else:
        refusal = Refusal("InvalidInput", detail=error.description or error.name)
    response = error_response(refusal)
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
    return response


def on_unexpected(error: Exception) -> ResponseReturnValue:
    if _control_api():
        return shared._unexpected_error(error)
    log.exception("unexpected error on %s %s", request.method, request.path)
    body = {
        "code": 500,
        "description": f"The emulator failed: {type(error).__name__}",
        "data": ["InternalError"],
        "source": SOURCE,
    }
    return jsonify(body), 500


def install_error_handlers(app: Flask) -> None:
    """Replace the shared JSON/HTML error handlers (registered by ``create_portal_app``)."""
    app.register_error_handler(Refusal, on_refusal)
    app.register_error_handler(HTTPException, on_http_error)
    app.register_error_handler(Exception, on_unexpected)
