"""Azure Resource Manager's error shape, ``{"error": {"code", "message"}}``, for every error of this
app: refusals, unknown routes, wrong methods, oversized or malformed bodies, missing tokens, a bad
api-version and failures. SDKs built for ARM (azure-core's ``ARMErrorFormat``) parse this shape, so
nothing else may leak out. The control API keeps the portals' shape: the harness's client parses it."""

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


class ArmError(Exception):
    """An error whose code exists only in ARM (``MissingApiVersionParameter``…); its localized text
    comes from a backend refusal, so it speaks the same three languages as every other error."""

    def __init__(self, code: str, refusal: Refusal, status: int = 400) -> None:
        super().__init__(refusal.message())
        self.code = code
        self.refusal = refusal
        self.status = status


def arm_status(refusal: Refusal) -> int:
    """ARM answers a request it will not carry out with 400; 422 is not in its vocabulary."""
    return 400 if refusal.status == 422 else refusal.status


def error_detail(refusal: Refusal, language: str | None = None, code: str | None = None) -> dict[str, Any]:
    """The ARM ``ErrorDetail`` of a refusal: its stable code and its localized message."""
    return {"code": code or refusal.code, "message": refusal.message(language or _language())}


def error_response(refusal: Refusal, code: str | None = None, status: int | None = None) -> Response:
    response = jsonify(error=error_detail(refusal, code=code))
    response.status_code = status or arm_status(refusal)
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="management.azure.test", error="invalid_token"'
    return response


def _language() -> str:
    return getattr(g, "lang", None) or "en-US"


def _control_api() -> bool:
    return request.path == "/_harness" or request.path.startswith("/_harness/")


def on_refusal(refusal: Refusal) -> ResponseReturnValue:
    if _control_api():
        return shared._refusal_response(refusal)
    return error_response(refusal)


def on_arm_error(error: ArmError) -> ResponseReturnValue:
    return error_response(error.refusal, code=error.code, status=error.status)


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
    body = {"code": "InternalServerError", "message": f"The emulator failed: {type(error).__name__}"}
    return jsonify(error=body), 500


def install_error_handlers(app: Flask) -> None:
    """Replace the portals' handlers (registered by ``create_portal_app``) with ARM's."""
    app.register_error_handler(Refusal, on_refusal)
    app.register_error_handler(ArmError, on_arm_error)
    app.register_error_handler(HTTPException, on_http_error)
    app.register_error_handler(Exception, on_unexpected)
