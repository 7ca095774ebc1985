"""The request context every portal shares: which world, language and account a request speaks
for, and the app's runtime (its spec and registry, in ``app.extensions``). A leaf of
``portals.web``: it imports no other module of the package but the wire names, tokens and errors.

Per request:
- world: ``X-Harness-World`` header, else ``?world=`` (which also sets the cookie), else the bearer
  token's ``harness_world`` claim, else the ``world`` cookie, else ``default``;
- language: ``?lang=`` (sets the cookie), else the ``lang`` cookie, else ``Accept-Language``;
- account: ``Authorization: Bearer <unsigned JWT>``, else ``?login_hint=`` (sets the cookie, as
  cross-portal redirects do, when it names an account of the world), else the ``account`` cookie.
Control API calls (``/_harness``) name their world in the URL: none of this applies to them.

A page's forms and the redirect after a form post carry the page's world and language in their
query (``page_url``, ``on_this_page``): the cookies are shared by every tab of a browser, so a tab
on another world or language must not decide where this tab's form acts.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Flask, current_app, g, redirect, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Request, Response

from portals.backend import DEFAULT_WORLD, Refusal, World, WorldRegistry, negotiate
from portals.backend.messages import normalise_language
from portals.portal_spec import PortalSpec
from portals.web.errors import EdgeRefusal
from portals.web.tokens import read_token
from portals.web.wire import (
    ACCOUNT_COOKIE,
    CONTROL_PREFIX,
    FAVICON_PATH,
    LANG_COOKIE,
    STATIC_PREFIX,
    WORLD_COOKIE,
    WORLD_HEADER,
)

COOKIE_AGE = 30 * 24 * 3600
EXTENSION = "portal_harness"
#: Where the journal's middleware leaves the world it resolved for a request (resolved once).
WORLD_ENVIRON = "portal_harness.world"


@dataclass
class PortalRuntime:
    """What one portal app runs with, in ``app.extensions["portal_harness"]``: its spec, the world
    registry it shares with the other apps of its stack, and its API's refusal renderer (from the
    spec's API style)."""

    spec: PortalSpec
    registry: WorldRegistry
    render_api: Callable[[Refusal], ResponseReturnValue]


def runtime(app: Flask | None = None) -> PortalRuntime:
    """The runtime of ``app`` (default: the current app)."""
    return (app or current_app).extensions[EXTENSION]


def registry() -> WorldRegistry:
    return runtime().registry


def world() -> World:
    """The world of this request (never None outside the control API)."""
    return g.world


def lang() -> str:
    return g.lang


# --- which paths are whose -----------------------------------------------------------------------------
def is_control_path(path: str) -> bool:
    """A control API path (``/_harness`` and below)."""
    return path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/")


def is_untracked_path(path: str) -> bool:
    """Neither journaled nor faulted: the control API (and its dashboard), the shared static files
    and the browser's icon."""
    return is_control_path(path) or path.startswith(STATIC_PREFIX + "/") or path == FAVICON_PATH


# --- world, language, account ----------------------------------------------------------------------------
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
    return req.cookies.get(WORLD_COOKIE) or DEFAULT_WORLD


def requested_world_of(environ: dict[str, Any]) -> str:
    """``requested_world`` of a WSGI environ: the header at once when a client sends it (the
    harness's clients always do), else read the request as ``requested_world`` does."""
    return environ.get("HTTP_X_HARNESS_WORLD") or requested_world(Request(environ, shallow=True))


def _query(name: str) -> str | None:
    """A query parameter of this request (the query is parsed only when there is one)."""
    return request.args.get(name) if request.environ.get("QUERY_STRING") else None


def _cookie(name: str) -> str | None:
    """A cookie of this request (the cookies are parsed only when there are some)."""
    return request.cookies.get(name) if request.environ.get("HTTP_COOKIE") else None


def resolve_request() -> None:
    """``before_request``: the language, world and account of this request into ``g``. Raises
    ``Refusal`` WorldNotFound for a world that does not exist and ``EdgeRefusal``
    AuthenticationRequired for a malformed bearer token."""
    g.lang, g.set_lang, g.lang_chosen = _language()
    g.world = None
    g.set_world = None
    g.set_account = None
    g.upn = None
    if is_untracked_path(request.path):
        return  # the control API names its worlds in its URLs (its token is no account's); static
        # files and the icon belong to no world
    g.world = request.environ.get(WORLD_ENVIRON) or registry().get(requested_world(request))
    if _query("world") and not request.headers.get(WORLD_HEADER):
        g.set_world = g.world.name
    authorization = request.headers.get("Authorization")
    login_hint = _query("login_hint")
    if authorization:
        g.upn = read_token(authorization)["upn"]
    elif login_hint:
        g.upn = login_hint
        if g.upn.strip().lower() in g.world.state.accounts:  # no cookie for an account of no world
            g.set_account = g.upn
    else:
        g.upn = _cookie(ACCOUNT_COOKIE) or None


def _language() -> tuple[str, str | None, bool]:
    """(the language, the one to keep in the cookie, whether the query or the cookie chose it
    rather than ``Accept-Language``)."""
    asked = normalise_language(_query("lang"))
    if asked:
        return asked, asked, True
    from_cookie = normalise_language(_cookie(LANG_COOKIE))
    if from_cookie:
        return from_cookie, None, True
    return _negotiated(request.headers.get("Accept-Language")), None, False


@functools.lru_cache(maxsize=256)
def _negotiated(accept_language: str | None) -> str:
    """``negotiate``, once per distinct header (clients send the same one on every call)."""
    return negotiate(accept_language)


def remember_choices(response: Response) -> Response:
    """``after_request``: the cookies for a world, language or account a request chose."""
    if getattr(g, "set_world", None):
        response.set_cookie(WORLD_COOKIE, g.set_world, max_age=COOKIE_AGE, samesite="Lax")
    if getattr(g, "set_lang", None):
        response.set_cookie(LANG_COOKIE, g.set_lang, max_age=COOKIE_AGE, samesite="Lax")
    if getattr(g, "set_account", None):
        response.set_cookie(ACCOUNT_COOKIE, g.set_account, max_age=COOKIE_AGE, samesite="Lax")
    return response


def current_upn() -> str:
    """The signed-in account of this world; raises ``EdgeRefusal`` AuthenticationRequired (no
    account) or ``Refusal`` AccountNotFound (not in the world), both 401."""
    if not g.upn:
        raise EdgeRefusal("AuthenticationRequired", detail="no account signed in")
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


def page_query() -> dict[str, str]:
    """The world and language of this page request, as query parameters, for the page's forms:
    ``world`` unless the request named it in ``X-Harness-World`` or a bearer token (a program sends
    those again), ``lang`` when the query or the cookie chose it (``Accept-Language`` is sent
    again); empty outside a world (the control API)."""
    found: dict[str, str] = {}
    if getattr(g, "world", None) is None:
        return found
    if not request.headers.get(WORLD_HEADER) and not request.headers.get("Authorization"):
        found["world"] = g.world.name
    if getattr(g, "lang_chosen", False):
        found["lang"] = g.lang
    return found


def on_this_page(target: str) -> str:
    """``target``, a local path with or without a query, with this page's world and language added
    to its query where it names neither (another site's URL, or one naming them, is left as it is):
    the redirect after a form post (Post/Redirect/Get) stays in the tab's world and language."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return target
    named = {name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
    extra = {name: value for name, value in page_query().items() if name not in named}
    if not extra:
        return target
    query = "&".join(part for part in (parts.query, urlencode(extra)) if part)
    return urlunsplit(("", "", parts.path, query, parts.fragment))


def page_url(endpoint: str, **values: Any) -> str:
    """``url_for(endpoint, **values)`` carrying this page's world and language (``page_query``):
    the action of a page's form."""
    return url_for(endpoint, **{**page_query(), **values})


def portal_url(portal: str, path: str = "/", **params: str | None) -> str:
    """An absolute URL on another portal (by its spec's key), carrying the world and the language
    (and any extra parameters; None ones are left out). The language travels in the URL because
    the portals' hosts do not share cookies in-process (``.test`` hosts), nor on a real network."""
    base = current_app.config["PORTAL_URLS"][portal].rstrip("/")
    query: dict[str, str] = {"world": g.world.name} if getattr(g, "world", None) is not None else {}
    if getattr(g, "lang", None):
        query["lang"] = g.lang
    query.update({name: value for name, value in params.items() if value is not None})
    return f"{base}{path}?{urlencode(query)}"
