"""What every portal app shares, put together: the request context (``portals.web.context``), the
control API, the journal and fault rules around the WSGI app, errors rendered at the edge
(``portals.web.renderers``), the sign-in pages, the banner and the stylesheet. Each portal's
``create_app`` starts here with its spec.

The names portal modules use (``current_upn``, ``lang``, ``portal_url``, ``signed_in``) live in
``portals.web.context``, and ``WORLD_HEADER`` in ``portals.web.wire``; they are importable from
here too (clients import ``wire``, which loads no Flask).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from flask import (
    Blueprint,
    Flask,
    g,
    make_response,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask.typing import ResponseReturnValue
from jinja2 import ChoiceLoader, PackageLoader
from pydantic import BeforeValidator
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from portals.backend import LANGUAGES, Refusal, WorldRegistry, translate
from portals.backend.messages import CATALOG
from portals.portal_spec import PortalSpec, resolve
from portals.specs import PORTAL_SPECS, default_urls
from portals.web import faults, journal
from portals.web.chrome import page_portals, portal_name, start_page_url, upper_first
from portals.web.chrome import product_name as localised_product_name
from portals.web.context import (
    COOKIE_AGE,
    EXTENSION,
    PortalRuntime,
    current_upn,
    lang,
    page_url,
    portal_url,
    remember_choices,
    resolve_request,
    runtime,
    signed_in,
    world,
)
from portals.web.control import control
from portals.web.dashboard import dashboard
from portals.web.errors import EdgeRefusal, refusal_of
from portals.web.outcome import page_scope, posted, read, see_other
from portals.web.renderers import render_refusal
from portals.web.requests_in import Form, Query, Text, form, query
from portals.web.template_cache import bytecode_cache
from portals.web.wire import ACCOUNT_COOKIE, FAVICON_PATH, STATIC_PREFIX, WORLD_HEADER

__all__ = ["WORLD_HEADER", "create_portal_app", "current_upn", "lang", "portal_url", "signed_in", "world"]

log = logging.getLogger("portal_harness.portals")

MAX_BODY_BYTES = 64 * 1024

shared = Blueprint("shared", __name__, static_folder="static", static_url_path=STATIC_PREFIX)


def create_portal_app(
    spec: PortalSpec,
    registry: WorldRegistry | None = None,
    config: dict[str, Any] | None = None,
    import_name: str | None = None,
) -> Flask:
    """A Flask app for the portal ``spec`` with everything portals share. ``registry`` is shared by
    the portals of a stack (so a world is the same everywhere); ``config`` may set ``PORTAL_URLS``
    (``{key: base URL}``, for redirects and the health answer; default: every portal's ``.test``
    URL), ``PORTAL_SPECS`` (the stack's specs, for the portal switcher; default ``PORTAL_SPECS``),
    ``CONTROL_TOKEN`` and ``OUTCOME_SECRET`` (``portals.web.outcome``). Templates are looked up in
    ``import_name``'s ``templates`` folder (default: the package of the spec's app factory), then in
    the shared ones."""
    module = import_name or (spec.app.partition(":")[0] if isinstance(spec.app, str) else spec.app.__module__)
    app = Flask(module, template_folder="templates", static_folder=None)
    app.jinja_options = {**app.jinja_options, "bytecode_cache": bytecode_cache()}
    app.jinja_loader = ChoiceLoader([app.jinja_loader, PackageLoader("portals.web", "templates")])  # type: ignore[list-item]
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        PORTAL_URLS=default_urls(),
        PORTAL_SPECS=PORTAL_SPECS,
        JSON_SORT_KEYS=False,
    )
    app.config.update(config or {})
    app.extensions[EXTENSION] = PortalRuntime(
        spec, registry if registry is not None else WorldRegistry(), resolve(spec.api.renderer)
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.register_blueprint(shared)
    app.register_blueprint(control)
    app.register_blueprint(dashboard)
    faults.install(app)
    journal.install(app)
    app.before_request(resolve_request)
    app.after_request(remember_choices)
    app.register_error_handler(Refusal, render_refusal)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    app.context_processor(_template_helpers)
    app.add_template_filter(upper_first)
    return app


# --- errors the framework raises -------------------------------------------------------------------
def _http_error(error: HTTPException) -> ResponseReturnValue:
    limit = request.max_content_length or MAX_BODY_BYTES  # the control API's is larger
    refusal = refusal_of(error, request.method, request.path, limit)
    response = make_response(render_refusal(refusal))
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
    return response


def _unexpected_error(error: Exception) -> ResponseReturnValue:
    log.exception("unexpected error on %s %s", request.method, request.path)
    return render_refusal(EdgeRefusal("InternalError", kind=type(error).__name__))


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

    def product_name(product_id: str) -> str:
        """A product's name for people in the page's language, else its ID as given."""
        return localised_product_name(product_id, language)

    def status_name(status: str) -> str:
        key = f"request_status_{status}"
        return translate(key, language) if key in CATALOG else status

    spec = runtime().spec
    world = getattr(g, "world", None)
    switcher = []
    dashboard_url = None
    if world is not None:
        upn = getattr(g, "upn", None)
        switcher = [
            {
                "key": other.key,
                "name": portal_name(other.key, language),
                "url": start_page_url(other, login_hint=upn),
                "current": other.key == spec.key,
            }
            for other in page_portals()
        ]
        dashboard_url = url_for("dashboard.world_page", name=world.name)
    return {
        "t": t,
        "date": date,
        "lang": language,
        "languages": LANGUAGES,
        "lang_url": lang_url,
        "world": world,
        "upn": getattr(g, "upn", None),
        "portal": spec,
        "portal_url": portal_url,
        "page_url": page_url,
        "portal_name": lambda key: portal_name(key, language),
        "product_name": product_name,
        "status_name": status_name,
        "switcher": switcher,
        "dashboard_url": dashboard_url,
    }


# --- sign-in pages, the same on every portal --------------------------------------------------------
def _safe_next(target: str | None) -> str:
    """Only local paths, of printable characters: a sign-in page must not become an open redirect,
    nor put a line break into a Location header."""
    if (
        not target
        or len(target) > 2000
        or not target.startswith("/")
        or target.startswith(("//", "/\\"))
        or not target.isprintable()
    ):
        return "/"
    try:
        parts = urlsplit(target)
    except ValueError:  # "/[" and the like
        return "/"
    return "/" if parts.scheme or parts.netloc else target


#: A page to go back to after signing in or out: a local path, else ``/`` (never refused).
SafeNext = Annotated[
    str, BeforeValidator(lambda value: _safe_next(value if isinstance(value, str) else None))
]


class NextQuery(Query):
    next: SafeNext = "/"


class SignInForm(Form):
    upn: Text(320) = ""
    next: SafeNext = "/"


@shared.get(FAVICON_PATH)
def favicon() -> ResponseReturnValue:
    """The browser's icon (browsers ask for it on their own): served, never journaled or faulted."""
    return send_from_directory(shared.static_folder or "", "favicon.ico", max_age=86400)


@shared.get("/signin")
def signin() -> ResponseReturnValue:
    """Pick or type an account of the world; after a refused sign-in, the refusal (an account the
    world does not have) and the name typed."""
    accounts = sorted(g.world.state.accounts.values(), key=lambda a: a.upn)
    return render_template(
        "signin.html", accounts=accounts, next=query(NextQuery).next, **read(page_scope()).context()
    )


@shared.post("/signin")
def signin_post() -> ResponseReturnValue:
    """Sign in, then 303 to the page asked for; a refusal goes back to the sign-in page."""
    try:
        given = form(SignInForm)
        account = g.world.account(given.upn)
    except Refusal as refusal:
        target = url_for("shared.signin", next=_safe_next(request.form.get("next")))
        return see_other(target, page_scope(), error=refusal, form=posted(("upn",)))
    # the form's action named the page's world and language (``page_url``), which this answer's
    # cookies now hold: the page asked for opens in them
    response = redirect(given.next, code=303)
    response.set_cookie(ACCOUNT_COOKIE, account.upn, max_age=COOKIE_AGE, samesite="Lax")
    return response


@shared.get("/signout")
def signout() -> ResponseReturnValue:
    response = redirect(url_for("shared.signin", next=query(NextQuery).next))
    response.delete_cookie(ACCOUNT_COOKIE)
    return response
