"""Azure Resource Manager's error shape, ``{"error": {"code", "message"}}``, for every error of this
app: refusals, unknown routes, wrong methods, oversized or malformed bodies, missing tokens, a bad
api-version and failures. SDKs built for ARM (azure-core's ``ARMErrorFormat``) parse this shape, so
nothing else may leak out. ``error_response`` is the renderer of this app's API style (its spec's
``ARM``); the control API keeps the portals' shape: the harness's client parses it."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, g, jsonify
from werkzeug.wrappers import Response

from portals.backend import Refusal
from portals.web.errors import status_of

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
    status = status_of(refusal)
    return 400 if status == 422 else status


def error_detail(refusal: Refusal, language: str | None = None, code: str | None = None) -> dict[str, Any]:
    """The ARM ``ErrorDetail`` of a refusal: its stable code and its localized message."""
    return {"code": code or refusal.code, "message": refusal.message(language or _language())}


def error_response(refusal: Refusal, code: str | None = None, status: int | None = None) -> Response:
    """ARM's answer to ``refusal`` (``code`` and ``status`` override its own, for ``ArmError``);
    a 401 carries ``WWW-Authenticate``."""
    response = jsonify(error=error_detail(refusal, code=code))
    response.status_code = status or arm_status(refusal)
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="management.azure.test", error="invalid_token"'
    return response


def _language() -> str:
    return getattr(g, "lang", None) or "en-US"


def install_error_handlers(app: Flask) -> None:
    """ARM's own errors (``ArmError``) in its shape; refusals reach ``error_response`` through the
    spec's API style."""
    app.register_error_handler(
        ArmError, lambda error: error_response(error.refusal, error.code, error.status)
    )
