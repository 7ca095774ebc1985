"""How refusals are answered: one renderer per API style, chosen from the portal's spec.

- the control API (``/_harness``, on every portal): the portal JSON error;
- paths the spec's API style covers (``/api/`` for the portals; every path of the ARM and Partner
  Center REST apps): that style's renderer (``portal_json`` here, ARM's and Partner Center REST's
  in their packages' ``errors`` modules);
- any other path: an HTML page, or the portal JSON error for a client that asks for JSON only.

Statuses come from ``portals.web.errors.STATUSES``; texts from the message catalog, in the
request's language. HTML only through autoescaped templates.
"""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from portals.backend import Refusal
from portals.web.context import is_control_path, runtime
from portals.web.errors import error_body, status_of


def render_refusal(refusal: Refusal) -> ResponseReturnValue:
    """The answer to ``refusal`` for the current request, in the renderer its path calls for."""
    if is_control_path(request.path):
        return portal_json(refusal)
    app_runtime = runtime()
    if app_runtime.spec.api.covers(request.path):
        return app_runtime.render_api(refusal)
    if prefers_json():
        return portal_json(refusal)
    return html_page(refusal)


def prefers_json() -> bool:
    """The client asks for JSON and not for HTML (``Accept: application/json``)."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and not request.accept_mimetypes.accept_html


def portal_json(refusal: Refusal) -> Response:
    """The portals' and the control API's error: ``{"error": {"code", "message", "status",
    "reason", "params"}}`` with the status."""
    response = jsonify(error=error_body(refusal, _language()))
    response.status_code = status_of(refusal)
    return response


def html_page(refusal: Refusal) -> ResponseReturnValue:
    """An error page: the portal's layout (banner, account menu) when the request has a world, a
    bare page when it has none (the world itself was not found)."""
    if getattr(g, "world", None) is None:
        page = render_template("bare_error.html", error=refusal, status=status_of(refusal), lang=_language())
        return page, status_of(refusal)
    return error_page(refusal)


def error_page(refusal: Refusal, template: str = "error.html", **context: Any) -> ResponseReturnValue:
    """``template`` showing ``refusal`` (as ``error``, its status as ``status``), answered with
    the refusal's status."""
    status = status_of(refusal)
    return render_template(template, error=refusal, status=status, **context), status


def _language() -> str:
    return getattr(g, "lang", None) or "en-US"
