"""Partner Center's error shape, ``{"code", "description", "data", "source"}``, for every error of
this app: refusals, unknown routes, wrong methods, oversized or malformed bodies, missing tokens and
failures. Clients written for Partner Center parse this shape only, so nothing else may leak out.
``error_response`` is the renderer of this app's API style (its spec's ``PARTNER_CENTER_REST``)."""

from __future__ import annotations

import logging
from typing import Any

from flask import g, jsonify
from werkzeug.wrappers import Response

from portals.backend import Refusal
from portals.web.errors import status_of

log = logging.getLogger("portal_harness.portals")

#: The ``source`` of every error this emulator answers.
SOURCE = "PartnerCenter"


def error_body(refusal: Refusal, language: str = "en-US") -> dict[str, Any]:
    """``code`` is the HTTP status (as Partner Center's front door answers), ``data`` names the
    backend's refusal code, which is what a test should check."""
    return {
        "code": status_of(refusal),
        "description": refusal.message(language),
        "data": [refusal.code],
        "source": SOURCE,
    }


def error_response(refusal: Refusal) -> Response:
    """Partner Center's answer to ``refusal``; a 401 carries ``WWW-Authenticate``."""
    response = jsonify(error_body(refusal, getattr(g, "lang", "en-US")))
    response.status_code = status_of(refusal)
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api.partnercenter.test"'
    return response
