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

#: The ``source`` of every error, as Partner Center's documented errors show it.
SOURCE = "PartnerFD"
#: Partner Center's own error code by HTTP status, where its answers show one: 3000 for what cannot
#: be found (its documentation, "Get an MPN profile": 404, ``{"code": 3000, "description":
#: "Partner Organization with partner_id 9999999 could not be found", "data": [], "source":
#: "PartnerFD"}``) and 2000 for a request it will not take as sent (a missing or bad value: 400,
#: 405, 413). Other errors (401, 403, 409, 500) carry their HTTP status as their code.
PARTNER_CENTER_CODES: dict[int, int] = {400: 2000, 405: 2000, 413: 2000, 404: 3000}


def error_body(refusal: Refusal, language: str = "en-US") -> dict[str, Any]:
    """``{"code", "description", "data", "source"}``: Partner Center's code (``PARTNER_CENTER_CODES``),
    the localized message, and in ``data`` the backend's refusal code, which is what a test should
    check."""
    status = status_of(refusal)
    return {
        "code": PARTNER_CENTER_CODES.get(status, status),
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
