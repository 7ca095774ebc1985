"""The world dashboard: ``/_harness/`` on every portal, server-rendered HTML (autoescaped Jinja) in
en-US, es-ES and it-IT, usable without JavaScript. Modelled on moto's ``/moto-api/`` dashboard.

- ``GET /_harness/``: the worlds, and a form to create one from a seed document;
- ``GET /_harness/dashboard/<world>``: one world: clock, settings, organisations and accounts (with
  "sign in as" links into each portal), contracts with both pools, associations, bought plans, CSP
  contracts per customer, support requests, the journal (filtered by portal, status and path; each
  entry opens to its request and answer), fault rules, snapshot, restore, reset and delete;
- ``GET …/snapshot.json`` and ``…/journal.har``: downloads.

Every form posts to a dashboard route that reads it with the control API's own input models
(``portals.web.control``: ``ClockAdvance``, ``SettingsChange``, ``FaultRuleBody``, ``WorldBody``,
snapshots) and calls the same operations, then answers 303 to the page with the outcome
(Post/Redirect/Get, ``portals.web.outcome``): a notice, or the refusal naming the field and why.
A form carries its values as a browser sends them; the only conversion here is of text to the JSON
types the models take (numbers, a checkbox, JSON text, header lines), which the models then judge.

Security: every POST carries a ``csrf`` field bound to the dashboard's session cookie (HttpOnly,
SameSite=Strict), so another site cannot post these forms. When the server has a control token
(not on loopback), the dashboard asks for it once and keeps an HttpOnly cookie derived from it;
the control API accepts that cookie on the dashboard's paths only (``control.is_dashboard_path``).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import math
import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, g, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from portals.backend import LANGUAGES, Refusal, World, translate
from portals.backend.clock import format_duration
from portals.backend.inputs import load_json, parse_model
from portals.backend.messages import CATALOG
from portals.backend.model import Portal
from portals.backend.overview import CONTRACT_NAMES
from portals.web.chrome import page_portals, portal_name, product_name, start_page_url
from portals.web.context import registry
from portals.web.control import (
    ClockAdvance,
    ClockSet,
    SettingsChange,
    WorldBody,
    add_world_fault,
    advance_world_clock,
    change_world_settings,
    clear_world_faults,
    clear_world_journal,
    dashboard_cookie,
    drop_world_named,
    har_download,
    new_world,
    remove_world_fault,
    reset_world_named,
    restore_world,
    set_world_clock,
    world_snapshot,
)
from portals.web.errors import EdgeRefusal, refusal_of, status_of
from portals.web.faults import faults_of
from portals.web.journal import journal_of
from portals.web.outcome import Done, read, see_other
from portals.web.wire import (
    CONTROL_PREFIX,
    DASHBOARD_AUTH_COOKIE,
    DASHBOARD_SESSION_COOKIE,
    FAULT_HEADER,
    OUTCOME_PARAM,
    REFUSAL_HEADER,
)

dashboard = Blueprint("dashboard", __name__, url_prefix=CONTROL_PREFIX)

SCOPE = "_harness"  # the outcome tokens' scope (``portals.web.outcome``)
CSRF_FIELD = "csrf"
COOKIE_AGE = 12 * 3600
JOURNAL_PAGE = 50  # journal entries shown at once (newest first); ``?limit=`` up to JOURNAL_MAX
JOURNAL_MAX = 500
_CSRF_SECRET = secrets.token_bytes(32)
#: Where a support request was filed, as the portals' spec keys name them (for their names).
PORTAL_KEYS = {
    Portal.SUPPORT_FOR_BUSINESS: "support_for_business",
    Portal.AZURE: "azure",
    Portal.PARTNER_CENTER: "partner_center",
}
STATUS_CLASSES = ("2xx", "3xx", "4xx", "5xx")


# --- session, CSRF and the control token -------------------------------------------------------------
def _csrf(session: str) -> str:
    """The CSRF field of a session's forms: an HMAC of the session cookie with the process's secret
    (``app.config["DASHBOARD_SECRET"]`` sets another)."""
    secret = current_app.config.get("DASHBOARD_SECRET") or _CSRF_SECRET
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, session.encode(), hashlib.sha256).hexdigest()[:32]


def _here() -> str:
    """This page's path and query, without an outcome (the page to come back to)."""
    query = "&".join(
        p
        for p in request.query_string.decode("latin-1").split("&")
        if p and not p.startswith(f"{OUTCOME_PARAM}=")
    )
    return f"{request.path}?{query}" if query else request.path


@dashboard.before_request
def _session_and_guard() -> ResponseReturnValue | None:
    """The session (made on a first visit), then: the token page while the dashboard is locked
    (a server with a control token, no cookie yet), and the CSRF check of every POST."""
    g.dashboard_session = request.cookies.get(DASHBOARD_SESSION_COOKIE) or ""
    g.new_dashboard_session = not g.dashboard_session
    if g.new_dashboard_session:
        g.dashboard_session = secrets.token_urlsafe(18)
    if request.method == "POST":
        sent = request.form.get(CSRF_FIELD, "")
        if g.new_dashboard_session or not hmac.compare_digest(
            sent.encode(), _csrf(g.dashboard_session).encode()
        ):
            return _error_page(EdgeRefusal("DashboardFormExpired"))
    if getattr(g, "dashboard_locked", False) and request.endpoint != "dashboard.unlock":
        reason = _token_reason()
        return _page(
            "dashboard/token.html", 401, next=_local(_here()), outcome=read(SCOPE), token_reason=reason
        )
    return None


def _token_reason() -> str:
    """Why the dashboard asks for the control token: ``not_loopback`` when the server listens on
    another address than loopback (``app.config["LISTEN_HOST"]``, set by a live ``PortalStack``:
    ``serve --host`` makes a token then), else ``given`` (a token was set, e.g. ``--control-token``
    on loopback)."""
    host = str(current_app.config.get("LISTEN_HOST") or "")
    if not host or host == "localhost":
        return "given"
    try:
        return "given" if ipaddress.ip_address(host.strip("[]")).is_loopback else "not_loopback"
    except ValueError:  # a host name other than localhost
        return "not_loopback"


@dashboard.after_request
def _keep_session(response: Response) -> Response:
    if getattr(g, "new_dashboard_session", False):
        response.set_cookie(
            DASHBOARD_SESSION_COOKIE,
            g.dashboard_session,
            max_age=COOKIE_AGE,
            httponly=True,
            samesite="Strict",
            path=CONTROL_PREFIX,
        )
    return response


@dashboard.errorhandler(Refusal)
def _refused(refusal: Refusal) -> ResponseReturnValue:
    return _error_page(refusal)


@dashboard.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> ResponseReturnValue:
    return _error_page(refusal_of(error, request.method, request.path, request.max_content_length or 0))


def _local(target: str | None) -> str:
    """A dashboard path to go back to, else the list of worlds (never another site)."""
    if target and target.startswith(CONTROL_PREFIX + "/") and "\\" not in target and target.isprintable():
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("dashboard.index")


@dashboard.post("/dashboard/token")
def unlock() -> ResponseReturnValue:
    """The control token typed into the dashboard: right, an HttpOnly cookie derived from it; wrong,
    the token page again saying so."""
    token = str(current_app.config.get("CONTROL_TOKEN") or "")
    target = _local(request.form.get("next"))
    given = request.form.get("token", "")
    if token and not hmac.compare_digest(given.encode(), token.encode()):
        return see_other(target, SCOPE, error=EdgeRefusal("HarnessTokenWrong"))
    response = see_other(target, SCOPE)
    if token:
        response.set_cookie(
            DASHBOARD_AUTH_COOKIE,
            dashboard_cookie(token),
            max_age=COOKIE_AGE,
            httponly=True,
            samesite="Strict",
            path=CONTROL_PREFIX,
        )
    return response


@dashboard.post("/dashboard/lock")
def lock() -> ResponseReturnValue:
    """Forget the control token (the cookie): the dashboard asks for it again."""
    response = see_other(url_for("dashboard.index"), SCOPE, done=Done("locked"))
    response.delete_cookie(DASHBOARD_AUTH_COOKIE, path=CONTROL_PREFIX)
    return response


# --- rendering -----------------------------------------------------------------------------------------
def _helpers() -> dict[str, Any]:
    language = g.lang

    def done_text(done: Done) -> str:
        key = f"dash_done_{done.kind}"
        return translate(key, language, **done.values) if key in CATALOG else done.kind

    return {
        "csrf": _csrf(g.dashboard_session),
        "csrf_field": CSRF_FIELD,
        "done_text": done_text,
        "portal_name": lambda key: portal_name(key, language),
        "token_required": bool(current_app.config.get("CONTROL_TOKEN")),
        "languages": LANGUAGES,
    }


def _page(template: str, status: int = 200, **context: Any) -> ResponseReturnValue:
    return render_template(template, **_helpers(), **context), status


def _error_page(refusal: Refusal) -> ResponseReturnValue:
    return _page("dashboard/error.html", status_of(refusal), error=refusal)


def _world(name: str) -> World:
    return registry().get(name)


# --- the worlds -------------------------------------------------------------------------------------------
@dashboard.get("/")
def index() -> ResponseReturnValue:
    """The worlds, newest last, and the create form."""
    shown = read(SCOPE)
    worlds = sorted((world.summary() for world in registry()), key=lambda w: w["name"] != "default")
    return _page("dashboard/index.html", worlds=worlds, outcome=shown, form=shown.form)


@dashboard.post("/dashboard/worlds")
def create() -> ResponseReturnValue:
    """A world from the form: name, seed, and a seed document typed or uploaded (YAML or JSON)."""
    fields = _form_values()
    upload = request.files.get("document_file")
    try:
        if upload is not None and upload.filename:
            if "document" in fields:
                detail = "document, document_file: give the seed document typed or uploaded, not both"
                raise Refusal("InvalidInput", detail=detail)
            fields["document"] = upload.read().decode("utf-8", "replace")
        world = new_world(parse_model(WorldBody, fields, label="the form"))
    except Refusal as refusal:
        sent = {k: v for k, v in fields.items() if k in ("name", "seed", "document")}
        return see_other(url_for("dashboard.index"), SCOPE, error=refusal, form=sent, where="create")
    done = Done("created", {"world": world.name})
    return see_other(url_for("dashboard.world_page", name=world.name), SCOPE, done=done)


# --- one world --------------------------------------------------------------------------------------------
@dashboard.get("/dashboard/<name>")
def world_page(name: str) -> ResponseReturnValue:
    """Everything about one world (see the module's docstring)."""
    world = _world(name)
    view = world.overview()
    shown = read(SCOPE)
    language = g.lang
    plan_names = world.request_plan_names(view.requests)
    filters, entries, matching, dropped = _journal(world)
    sign_in = [(spec.key, portal_name(spec.key, language)) for spec in page_portals()]

    def sign_in_url(portal: str, upn: str) -> str:
        spec = next(s for s in page_portals() if s.key == portal)
        return start_page_url(spec, world=world.name, login_hint=upn)

    return _page(
        "dashboard/world.html",
        view=view,
        outcome=shown,
        form=shown.form,
        delay=format_duration(view.activation_delay),
        sign_in=sign_in,
        sign_in_url=sign_in_url,
        plan_names=plan_names,
        portal_of=lambda portal: portal_name(PORTAL_KEYS.get(Portal(portal), str(portal)), language),
        product_name=lambda product: product_name(product, language),
        customer_name=_customer_names(view),
        request_customer=_request_customer(view),
        organisation_name=lambda org_id: getattr(view.organisation(org_id), "name", None) or org_id,
        faults=faults_of(current_app, world).listed(),
        fault_portals=list(current_app.config["PORTAL_URLS"]),
        journal=entries,
        journal_filters=filters,
        journal_matching=matching,
        journal_dropped=dropped,
        status_classes=STATUS_CLASSES,
        refusal_header=REFUSAL_HEADER,
        fault_header=FAULT_HEADER,
        link_modes=("spurious", "diagnostic"),
        contract_names=CONTRACT_NAMES,
    )


@dashboard.app_template_filter("urlpath")
def _url_path(url: str) -> str:
    """A journal entry's URL as its path and query (the host is the portal's)."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


@dashboard.app_template_filter("pathonly")
def _path_only(url: str) -> str:
    """A journal entry's URL as its path alone (what the path filter searches)."""
    return urlsplit(url).path


def _customer_names(view: Any) -> Callable[[str, str], str]:
    def name_of(organisation: str, customer: str) -> str:
        org = view.organisation(organisation)
        found = org.customer(customer) if org is not None else None
        return found.name if found is not None else customer

    return name_of


def _request_customer(view: Any) -> Callable[[Any], str]:
    """The name of a CSP request's customer: the one of the requesting account's organisation
    (customer IDs are per partner), else its ID."""

    def name_of(item: Any) -> str:
        account = next((a for a in view.accounts if a.upn == item.upn), None)
        org = view.organisation(account.organisation) if account and account.organisation else None
        found = org.customer(item.customer) if org is not None else None
        return found.name if found is not None else str(item.customer)

    return name_of


def _journal(world: World) -> tuple[dict[str, str], list[dict[str, Any]], int, int]:
    """The journal entries the page's filters select, newest first: ``?portal=`` (a portal key),
    ``?status=`` (``4xx`` or a status such as ``409``: the answer's, or the refusal's its
    ``X-Harness-Refusal`` names), ``?path=`` (a part of the path), and at most
    ``?limit=`` of them (default ``JOURNAL_PAGE``). Gives (filters, entries, how many matched,
    how many the journal budget dropped). Raises ``Refusal`` InvalidInput for a filter with a
    control character (the page would echo it)."""
    filters = {name: request.args.get(name, "").strip()[:200] for name in ("portal", "status", "path")}
    for name, value in filters.items():
        if not value.isprintable():
            raise Refusal("InvalidInput", detail=f"{name}: must not contain control characters")
    try:
        limit = min(max(int(request.args.get("limit", JOURNAL_PAGE)), 1), JOURNAL_MAX)
    except ValueError:
        limit = JOURNAL_PAGE
    journal = journal_of(current_app, world)
    matching = [entry for entry in journal.entries() if _selected(entry, filters)]
    return {**filters, "limit": str(limit)}, list(reversed(matching[-limit:])), len(matching), journal.dropped


def _statuses(entry: dict[str, Any]) -> list[str]:
    """The statuses an entry answers to: its own, and the refusal's a form post's 303 names in
    ``X-Harness-Refusal`` (``409 AccessIdAlreadyAssociated``)."""
    found = [str(entry["status"])]
    refusal_header = REFUSAL_HEADER.lower()
    for header in (entry.get("response") or {}).get("headers") or ():
        if str(header.get("name", "")).lower() == refusal_header:
            found.append(str(header.get("value", "")).split(" ", 1)[0])
    return found


def _selected(entry: dict[str, Any], filters: dict[str, str]) -> bool:
    if filters["portal"] and entry["portal"] != filters["portal"]:
        return False
    status = filters["status"].lower()
    if status:
        if status in STATUS_CLASSES:
            if not any(shown[:1] == status[:1] for shown in _statuses(entry)):
                return False
        elif status not in _statuses(entry):
            return False
    return not filters["path"] or filters["path"] in urlsplit(entry["url"]).path


# --- forms of one world -------------------------------------------------------------------------------------
def _form_values(
    numbers: tuple[str, ...] = (), decimals: tuple[str, ...] = (), required: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The form's fields as the control API's JSON bodies have them: text as typed (a padded name
    is refused as the API refuses it), blank fields left out (as absent) but the ``required`` ones
    (sent as typed, so the model says what the API says of them), ``numbers`` and ``decimals`` as
    numbers when they read as finite ones (else as typed, for the model to refuse, naming the
    field), no CSRF field."""
    values: dict[str, Any] = {}
    for name, value in request.form.items():
        if name == CSRF_FIELD or (not value.strip() and name not in required):
            continue
        values[name] = _number(value, decimals=name in decimals) if name in (*numbers, *decimals) else value
    return values


def _number(text: str, decimals: bool = False) -> Any:
    try:
        number = float(text) if decimals else int(text)
    except ValueError:
        return text
    return number if math.isfinite(number) else text


def _back(name: str, where: str, **outcome: Any) -> Response:
    return see_other(url_for("dashboard.world_page", name=name), SCOPE, where=where, **outcome)


def _act(name: str, where: str, action: Callable[[], Done], fields: tuple[str, ...] = ()) -> Response:
    """Run one form's action; 303 back to the world's page (at ``where``) with what it did, or the
    refusal and the values of ``fields`` sent."""
    try:
        done = action()
    except Refusal as refusal:
        sent = {k: request.form[k] for k in fields if k in request.form}
        if name not in registry():  # no page to go back to: the list of worlds says why
            return see_other(url_for("dashboard.index"), SCOPE, error=refusal)
        return _back(name, where, error=refusal, form=sent)
    return _back(name, where, done=done)


@dashboard.post("/dashboard/<name>/clock/advance")
def advance(name: str) -> ResponseReturnValue:
    def action() -> Done:
        fields = _form_values(required=("by",))
        world = advance_world_clock(name, parse_model(ClockAdvance, fields, label="the form"))
        return Done("clock", {"now": _instant(world)})

    return _act(name, "clock", action, ("by",))


@dashboard.post("/dashboard/<name>/clock/set")
def set_clock(name: str) -> ResponseReturnValue:
    def action() -> Done:
        world = set_world_clock(name, parse_model(ClockSet, _form_values(required=("to",)), label="the form"))
        return Done("clock", {"now": _instant(world)})

    return _act(name, "clock", action, ("to",))


@dashboard.post("/dashboard/<name>/settings")
def settings(name: str) -> ResponseReturnValue:
    """Error mode and activation delay (``P3D``, or a number of days, as the JSON API takes it)."""

    def action() -> Done:
        change = parse_model(SettingsChange, _form_values(decimals=("activation_delay",)), label="the form")
        change_world_settings(name, change)
        return Done("settings")

    return _act(name, "settings", action, ("azure_link_mode", "activation_delay"))


FAULT_FIELDS = (
    "portal",
    "method",
    "path",
    "status",
    "latency_ms",
    "times",
    "probability",
    "body",
    "headers",
    "drop_connection",
)


@dashboard.post("/dashboard/<name>/faults")
def add_fault(name: str) -> ResponseReturnValue:
    """A fault rule from the form: its fields as the JSON rule has them; ``body`` is JSON when it
    reads as JSON (else text), ``headers`` one ``Name: value`` a line."""

    def action() -> Done:
        data = _form_values(numbers=("status", "latency_ms", "times"), decimals=("probability",))
        data["drop_connection"] = "drop_connection" in request.form
        if "body" in data:
            data["body"] = _json_or_text(data["body"])
        if "headers" in data:
            data["headers"] = _header_lines(data["headers"])
        rule = add_world_fault(name, data)
        return Done("fault_added", {"fault": rule.id})

    return _act(name, "faults", action, FAULT_FIELDS)


def _json_or_text(text: str) -> Any:
    try:
        return load_json(text)
    except Refusal:
        return text


def _header_lines(text: str) -> dict[str, str] | str:
    """``Name: value`` lines as a dict (the rule's ``headers``); a line without ``:`` leaves the
    text as it is, for the rule's model to refuse as no object of headers."""
    headers: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        header, colon, value = line.partition(":")
        if not colon:
            return text
        headers[header.strip()] = value.strip()
    return headers


@dashboard.post("/dashboard/<name>/faults/<fault_id>/delete")
def remove_fault(name: str, fault_id: str) -> ResponseReturnValue:
    def action() -> Done:
        remove_world_fault(name, fault_id)
        return Done("fault_removed", {"fault": fault_id})

    return _act(name, "faults", action)


@dashboard.post("/dashboard/<name>/faults/clear")
def clear_faults(name: str) -> ResponseReturnValue:
    def action() -> Done:
        clear_world_faults(name)
        return Done("faults_cleared")

    return _act(name, "faults", action)


@dashboard.post("/dashboard/<name>/journal/clear")
def clear_journal(name: str) -> ResponseReturnValue:
    def action() -> Done:
        clear_world_journal(name)
        return Done("journal_cleared")

    return _act(name, "journal", action)


@dashboard.post("/dashboard/<name>/reset")
def reset(name: str) -> ResponseReturnValue:
    def action() -> Done:
        reset_world_named(name)
        return Done("reset", {"world": name})

    return _act(name, "world", action)


@dashboard.post("/dashboard/<name>/delete")
def delete(name: str) -> ResponseReturnValue:
    """Drop the world (``default`` is reset instead: it always exists), then the list of worlds."""
    try:
        gone = drop_world_named(name)
    except Refusal as refusal:
        return see_other(url_for("dashboard.index"), SCOPE, error=refusal)
    kind = "deleted" if gone else "default_reset"
    return see_other(url_for("dashboard.index"), SCOPE, done=Done(kind, {"world": name}))


@dashboard.post("/dashboard/<name>/restore")
def restore(name: str) -> ResponseReturnValue:
    """A snapshot (uploaded, or pasted) restored under this world's name, as ``PUT …/snapshot``."""

    def action() -> Done:
        upload = request.files.get("snapshot")
        if upload is not None and upload.filename:
            raw: bytes | str = upload.read()
        else:
            raw = request.form.get("snapshot_text", "")
        if not str(raw).strip():
            raise Refusal("InvalidInput", detail="snapshot: choose a snapshot file (or paste one)")
        restore_world(name, load_json(raw, what="the snapshot"))
        return Done("restored", {"world": name})

    return _act(name, "world", action)


@dashboard.get("/dashboard/<name>/snapshot.json")
def snapshot_download(name: str) -> ResponseReturnValue:
    """The world's snapshot (``GET /_harness/worlds/<name>/snapshot``) as a file."""
    data = world_snapshot(name)
    disposition = f'attachment; filename="{name}.snapshot.json"'
    return Response(
        json.dumps(data, indent=1), mimetype="application/json", headers={"Content-Disposition": disposition}
    )


@dashboard.get("/dashboard/<name>/journal.har")
def har(name: str) -> ResponseReturnValue:
    """The journal as HAR 1.2 (``GET /_harness/worlds/<name>/journal.har``), credentials redacted."""
    return har_download(name)


def _instant(world: World) -> str:
    return world.now.isoformat().replace("+00:00", "Z")
