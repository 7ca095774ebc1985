"""What every portal app shares: world and language resolution, identity, error pages and JSON
errors, the sign-in pages, the banner and the stylesheet. Each portal's ``create_app`` starts here.

Per request:
- world: ``X-Harness-World`` header, else ``?world=`` (which also sets the cookie), else the
  ``world`` cookie, else ``default``;
- language: ``?lang=`` (sets the cookie), else the ``lang`` cookie, else ``Accept-Language``;
- account: ``Authorization: Bearer <unsigned JWT>``, else ``?login_hint=`` (sets the cookie, as
  cross-portal redirects do), else the ``account`` cookie.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, Flask, g, jsonify, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from jinja2 import ChoiceLoader, PackageLoader
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.wrappers import Request, Response

from portals.backend import DEFAULT_WORLD, LANGUAGES, Refusal, World, WorldRegistry, negotiate, translate
from portals.backend.messages import normalise_language
from portals.web.hosts import DEFAULT_URLS
from portals.web.tokens import read_token

log = logging.getLogger("portal_harness.portals")

WORLD_HEADER = "X-Harness-World"
MAX_BODY_BYTES = 64 * 1024
COOKIE_AGE = 30 * 24 * 3600

shared = Blueprint("shared", __name__, static_folder="static", static_url_path="/_static")


def create_portal_app(
    import_name: str,
    key: str,
    title: str,
    registry: WorldRegistry | None = None,
    config: dict[str, Any] | None = None,
) -> Flask:
    """A Flask app with everything portals share. ``registry`` is shared by the three portals of a
    stack (so a world is the same everywhere); ``config`` may set ``PORTAL_URLS`` for redirects."""
    app = Flask(import_name, template_folder="templates", static_folder=None)
    app.jinja_loader = ChoiceLoader([app.jinja_loader, PackageLoader("portals.web", "templates")])  # type: ignore[list-item]
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        PORTAL_KEY=key,
        PORTAL_TITLE=title,
        PORTAL_URLS=dict(DEFAULT_URLS),
        REGISTRY=registry if registry is not None else WorldRegistry(),
        JSON_SORT_KEYS=False,
    )
    app.config.update(config or {})
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.register_blueprint(shared)
    from portals.web.control import control
    from portals.web.journal import install

    app.register_blueprint(control)
    install(app)
    app.before_request(_resolve_request)
    app.after_request(_remember_choices)
    app.register_error_handler(Refusal, _refusal_response)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    app.context_processor(_template_helpers)
    return app


# --- per-request context ---------------------------------------------------------------------------
def registry() -> WorldRegistry:
    from flask import current_app

    return current_app.config["REGISTRY"]


def world() -> World:
    return g.world


def lang() -> str:
    return g.lang


def _resolve_request() -> None:
    g.lang, g.set_lang = _language()
    g.world = None
    g.set_world = None
    g.set_account = None
    g.upn = None
    if request.path == "/_harness" or request.path.startswith("/_harness/"):
        return  # the control API names its worlds in its URLs, and its token is no account's
    if request.args.get("world") and not request.headers.get(WORLD_HEADER):
        g.set_world = request.args["world"]
    g.world = registry().get(requested_world(request))
    authorization = request.headers.get("Authorization")
    if authorization:
        g.upn = read_token(authorization)["upn"]
    elif request.args.get("login_hint"):
        g.upn = g.set_account = request.args["login_hint"]
    else:
        g.upn = request.cookies.get("account") or None


def requested_world(req: Request) -> str:
    """The world a request names: ``X-Harness-World``, else ``?world=``, else the bearer token's
    ``harness_world`` claim, else the ``world`` cookie, else ``default``. The journal uses the same."""
    named = req.headers.get(WORLD_HEADER) or req.args.get("world")
    if named:
        return named
    authorization = req.headers.get("Authorization", "")
    if authorization[:7].lower() == "bearer ":
        try:
            claimed = read_token(authorization).get("harness_world")
        except Refusal:
            claimed = None
        if isinstance(claimed, str) and claimed:
            return claimed
    return req.cookies.get("world") or DEFAULT_WORLD


def _language() -> tuple[str, str | None]:
    asked = normalise_language(request.args.get("lang"))
    if asked:
        return asked, asked
    from_cookie = normalise_language(request.cookies.get("lang"))
    return (from_cookie or negotiate(request.headers.get("Accept-Language"))), None


def _remember_choices(response: Response) -> Response:
    if getattr(g, "set_world", None):
        response.set_cookie("world", g.set_world, max_age=COOKIE_AGE, samesite="Lax")
    if getattr(g, "set_lang", None):
        response.set_cookie("lang", g.set_lang, max_age=COOKIE_AGE, samesite="Lax")
    if getattr(g, "set_account", None):
        response.set_cookie("account", g.set_account, max_age=COOKIE_AGE, samesite="Lax")
    return response


def current_upn() -> str:
    """The signed-in account of this world, or AuthenticationRequired / AccountNotFound (401)."""
    if not g.upn:
        raise Refusal("AuthenticationRequired", detail="no account signed in")
    return g.world.account(g.upn).upn


def signed_in(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    """For pages: call ``view(upn, ...)`` with the signed-in account of this world, or redirect to
    this portal's sign-in page and come back afterwards."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        if g.upn and g.upn.lower() in g.world.state.accounts:
            return view(g.upn, *args, **kwargs)
        return redirect(url_for("shared.signin", next=request.full_path.rstrip("?")))

    return wrapper


def wants_json() -> bool:
    if request.path.startswith(("/api/", "/_harness/", "/v1/", "/providers/", "/subscriptions/")):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and not request.accept_mimetypes.accept_html


def portal_url(portal: str, path: str = "/", **params: str) -> str:
    """An absolute URL on another portal, carrying the world (and any extra parameters)."""
    from flask import current_app

    base = current_app.config["PORTAL_URLS"][portal].rstrip("/")
    query = {"world": g.world.name, **params} if g.world is not None else dict(params)
    return f"{base}{path}?{urlencode(query)}"


# --- errors ----------------------------------------------------------------------------------------
def error_page(refusal: Refusal, template: str = "error.html", **context: Any) -> ResponseReturnValue:
    return render_template(template, error=refusal, **context), refusal.status


def control_api_path() -> bool:
    return request.path == "/_harness" or request.path.startswith("/_harness/")


def _refusal_response(refusal: Refusal) -> ResponseReturnValue:
    """Every error of every app ends here. An app with its own error shape (ARM, Partner Center
    REST) sets ``RENDER_REFUSAL``; the control API keeps the portals' shape on every host."""
    from flask import current_app

    render = current_app.config.get("RENDER_REFUSAL")
    if render is not None and not control_api_path():
        return render(refusal)
    language = getattr(g, "lang", "en-US")
    if wants_json():
        return jsonify(error=refusal.to_dict(language)), refusal.status
    if getattr(g, "world", None) is None:  # the world itself was not found: no banner to show
        return (
            f"<!doctype html><title>{refusal.status}</title><p>{refusal.message(language)}</p>",
            refusal.status,
        )
    return error_page(refusal)


def refusal_of(error: HTTPException) -> Refusal:
    """What an HTTP-level error (unknown route, wrong method, body too large) means, as a refusal."""
    code = error.code or 400
    if code == 404:
        return Refusal("RouteNotFound", path=request.path)
    if code == 405:
        return Refusal("MethodNotAllowed", method=request.method, path=request.path)
    if code == 413:
        return Refusal("PayloadTooLarge", limit=MAX_BODY_BYTES)
    return Refusal("InvalidInput", detail=error.description or error.name)


def _http_error(error: HTTPException) -> ResponseReturnValue:
    response = make_response(_refusal_response(refusal_of(error)))
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
    return response


def _unexpected_error(error: Exception) -> ResponseReturnValue:
    log.exception("unexpected error on %s %s", request.method, request.path)
    return _refusal_response(Refusal("InternalError", kind=type(error).__name__))


# --- templates ------------------------------------------------------------------------------------
def _template_helpers() -> dict[str, Callable[..., Any] | Any]:
    language = getattr(g, "lang", "en-US")

    def t(key: str, **params: Any) -> str:
        return translate(key, language, **params)

    def date(value: datetime | None) -> str:
        return value.strftime("%Y-%m-%d") if value else ""

    def lang_url(code: str) -> str:
        args = {**request.args.to_dict(), "lang": code}
        return f"{request.path}?{urlencode(args)}"

    return {
        "t": t,
        "date": date,
        "lang": language,
        "languages": LANGUAGES,
        "lang_url": lang_url,
        "world": getattr(g, "world", None),
        "upn": getattr(g, "upn", None),
        "portal_url": portal_url,
    }


# --- sign-in pages, the same on every portal --------------------------------------------------------
def _safe_next(target: str | None) -> str:
    """Only local paths: a sign-in page must not become an open redirect."""
    if not target or urlsplit(target).netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@shared.get("/signin")
def signin() -> ResponseReturnValue:
    accounts = sorted(g.world.state.accounts.values(), key=lambda a: a.upn)
    return render_template("signin.html", accounts=accounts, next=_safe_next(request.args.get("next")))


@shared.post("/signin")
def signin_post() -> ResponseReturnValue:
    upn = request.form.get("upn", "").strip()
    target = _safe_next(request.form.get("next"))
    try:
        account = g.world.account(upn)
    except Refusal as refusal:
        accounts = sorted(g.world.state.accounts.values(), key=lambda a: a.upn)
        return error_page(refusal, "signin.html", accounts=accounts, next=target)
    response = redirect(target)
    response.set_cookie("account", account.upn, max_age=COOKIE_AGE, samesite="Lax")
    return response


@shared.get("/signout")
def signout() -> ResponseReturnValue:
    response = redirect(url_for("shared.signin", next=_safe_next(request.args.get("next"))))
    response.delete_cookie("account")
    return response
