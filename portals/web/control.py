"""The control API (``/_harness/...``) on every portal: worlds, clock, settings, faults, journal,
snapshots. Modelled on moto's ``/moto-api``, WireMock's ``/__admin`` and LocalStack's
``/_localstack``.

Every portal of a stack answers it alike (they share the registry). Bodies are JSON whatever the
Content-Type says (``curl -d`` sends a form type); seed documents may also come as YAML. Bad input is
a 4xx naming the field and changes nothing. With ``CONTROL_TOKEN`` configured (a server bound to a
non-loopback address), every call must carry it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any, Literal, TypeVar

from flask import Blueprint, Response, current_app, g, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, Field

import portals
from portals.backend import Refusal, World, parse_document
from portals.backend.clock import format_duration
from portals.backend.inputs import Duration, Instant, IsoDuration, check_document_size, parse_model
from portals.backend.model import MAX_LRO_POLLS, MAX_LRO_RETRY_AFTER
from portals.backend.registry import check_world_name
from portals.web.context import is_control_path, registry, runtime
from portals.web.errors import EdgeRefusal
from portals.web.faults import FaultRule, WorldFaults, faults_of
from portals.web.har import to_har
from portals.web.journal import EXTENSION as JOURNAL_EXTENSION
from portals.web.journal import JournalStore, WorldJournal, journal_of
from portals.web.requests_in import Body, Query, Text, json_value, query
from portals.web.wire import CONTROL_PREFIX, DASHBOARD_AUTH_COOKIE, DASHBOARD_PREFIX, TOKEN_HEADER

control = Blueprint("control", __name__, url_prefix=CONTROL_PREFIX)

MAX_BODY_BYTES = 16 * 1024 * 1024  # snapshots and seed documents outgrow the portals' 64 KiB

M = TypeVar("M", bound=BaseModel)


@control.before_app_request
def _guard() -> None:
    """Registered before the shared request set-up, so it runs first, on every ``/_harness`` path
    (unrouted ones too): the token is checked before anything else looks at the request. The
    dashboard's pages (``is_dashboard_path``) also accept the dashboard's cookie, which only a
    person who typed the token has; without either, the dashboard asks for the token
    (``g.dashboard_locked``) instead of this JSON refusal."""
    g.dashboard_locked = False
    if not is_control_path(request.path):
        return
    request.max_content_length = MAX_BODY_BYTES
    token = current_app.config.get("CONTROL_TOKEN")
    if not token or _carries(str(token)):
        return
    if is_dashboard_path(request.path):
        cookie = request.cookies.get(DASHBOARD_AUTH_COOKIE, "")
        if not hmac.compare_digest(cookie.encode(), dashboard_cookie(str(token)).encode()):
            g.dashboard_locked = True
        return
    raise EdgeRefusal("HarnessTokenRequired")


def is_dashboard_path(path: str) -> bool:
    """The dashboard: ``/_harness/`` and everything under ``/_harness/dashboard``."""
    return path == CONTROL_PREFIX + "/" or path == DASHBOARD_PREFIX or path.startswith(DASHBOARD_PREFIX + "/")


def dashboard_cookie(token: str) -> str:
    """The dashboard cookie's value for a server's control token: an HMAC of it, so the cookie
    never holds the token itself (and stops working when the token changes)."""
    return hmac.new(token.encode(), b"portal-harness dashboard", hashlib.sha256).hexdigest()


@control.after_app_request
def _challenge(response: Response) -> Response:
    if response.status_code == 401 and is_control_path(request.path):
        response.headers["WWW-Authenticate"] = 'Bearer realm="portal-harness control API"'
    return response


def _carries(token: str) -> bool:
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    offered = [request.headers.get(TOKEN_HEADER, "")]
    if scheme.lower() == "bearer":
        offered.append(credentials.strip())
    return any(hmac.compare_digest(given.encode(), token.encode()) for given in offered if given)


def _world(name: str) -> World:
    return registry().get(name)


def _faults(name: str) -> WorldFaults:
    return faults_of(current_app, _world(name))


def _journal(name: str) -> WorldJournal:
    return journal_of(current_app, _world(name))


def _object() -> dict[str, Any]:
    """The body as a JSON object, whatever its Content-Type; an empty body is an empty object."""
    data = json_value(any_type=True, empty={})
    if not isinstance(data, dict):
        raise Refusal("InvalidInput", detail="the body must be a JSON object")
    return data


def _body(model: type[M]) -> M:
    """The body as ``model``, whatever its Content-Type; an empty body is an empty object."""
    return parse_model(model, _object())


class WorldBody(Body):
    """``POST /_harness/worlds``: all optional; ``document`` a seed document or its YAML text."""

    name: str | None = None
    seed: str | int | None = None
    document: dict[str, Any] | str | None = None


class WorldQuery(Query):
    """``?name=`` and ``?seed=`` of a world sent as a bare document."""

    name: Text(100) | None = None
    seed: Text(200) | None = None


class ClockAdvance(Body):
    by: IsoDuration


class ClockSet(Body):
    to: Instant


class SettingsChange(Body):
    azure_link_mode: Literal["spurious", "diagnostic"] | None = None
    activation_delay: Duration | None = None
    lro_polls: int | None = Field(None, ge=0, le=MAX_LRO_POLLS)
    lro_retry_after: int | None = Field(None, ge=1, le=MAX_LRO_RETRY_AFTER)


class JournalQuery(Query):
    """``?secrets=keep`` keeps the credentials a journal holds; by default they are redacted."""

    secrets: Literal["redact", "keep"] = "redact"


def _no_content() -> ResponseReturnValue:
    return "", 204


# --- health and worlds -----------------------------------------------------------------------------
@control.get("/health")
def health() -> ResponseReturnValue:
    """Up, which portal, and where every portal of its stack answers (so a runner pointed at one
    portal finds the others), and what the stack's journals hold against their budget: ``{"status",
    "portal", "version", "worlds", "portals": {key: URL}, "journal": {"entries", "bytes",
    "max_entries", "max_bytes", "max_entries_per_world"}}``."""
    store: JournalStore = current_app.extensions[JOURNAL_EXTENSION]
    return jsonify(
        status="ok",
        portal=runtime().spec.key,
        version=portals.__version__,
        worlds=len(registry()),
        portals=dict(current_app.config["PORTAL_URLS"]),
        journal=store.usage(),
    )


@control.post("/worlds")
def create_world() -> ResponseReturnValue:
    """Body: ``{"name", "seed", "document"}`` (all optional), or a bare seed document as YAML or
    JSON; ``?name=`` and ``?seed=`` name a world sent as a bare document."""
    asked = query(WorldQuery)
    raw = request.get_data()
    if not raw.strip():
        data: dict[str, Any] = {}
    elif request.is_json:
        data = _object()
    else:
        data = parse_document(raw)
    if data and not data.keys() & WorldBody.model_fields.keys():
        data = {"document": data}
    body = parse_model(WorldBody, data)
    world = new_world(body, asked.name, asked.seed)
    location = url_for(".world_detail", name=world.name)
    return jsonify(world.summary()), 201, {"Location": location}


def new_world(body: WorldBody, name: str | None = None, seed: str | None = None) -> World:
    """Create a world as ``body`` says (its ``name`` and ``seed`` before the ones given apart, as
    ``?name=`` and ``?seed=``); ``document`` may be YAML or JSON text. Raises ``Refusal``
    (InvalidSeed, WorldExists, InvalidInput); a document over 1 MB is InvalidSeed, as text or as an
    object (its JSON size)."""
    if isinstance(body.document, str):
        document = parse_document(body.document)
    else:
        if body.document is not None:
            check_document_size(body.document)
        document = body.document
    name = body.name if body.name is not None else name
    seed_text = body.seed if body.seed is not None else seed
    return registry().create(name, document, None if seed_text is None else str(seed_text))


@control.get("/worlds")
def list_worlds() -> ResponseReturnValue:
    return jsonify(value=[world.summary() for world in registry()])


@control.get("/worlds/<name>")
def world_detail(name: str) -> ResponseReturnValue:
    world = _world(name)
    return jsonify({**world.summary(), "state": world.snapshot()["state"]})


@control.post("/worlds/<name>/reset")
def reset_world(name: str) -> ResponseReturnValue:
    return jsonify(reset_world_named(name).summary())


def reset_world_named(name: str) -> World:
    """Back to the world's seed document, or to the snapshot last restored into it; its journal and
    fault rules start empty (a new World). Raises ``Refusal`` WorldNotFound."""
    return registry().reset(name)


@control.delete("/worlds/<name>")
def delete_world(name: str) -> ResponseReturnValue:
    drop_world_named(name)
    return _no_content()


def drop_world_named(name: str) -> bool:
    """Drop the world (``default`` is reset instead: it always exists); whether it is gone. Raises
    ``Refusal`` WorldNotFound."""
    registry().drop(name)
    return name not in registry()


class ResetBody(Body):
    """``POST /_harness/reset`` takes no fields: an empty body or ``{}``."""


@control.post("/reset")
def reset_all() -> ResponseReturnValue:
    """Every world dropped, ``default`` fresh (moto's ``/moto-api/reset``). A body other than
    none or ``{}`` (garbage, another JSON value, an unknown field) is refused before anything is
    dropped."""
    _body(ResetBody)
    registry().clear()
    return jsonify(status="ok", value=[world.summary() for world in registry()])


# --- clock and settings ----------------------------------------------------------------------------
def _clock(world: World) -> dict[str, str]:
    return {"world": world.name, "now": world.now.isoformat().replace("+00:00", "Z")}


@control.get("/worlds/<name>/clock")
def clock(name: str) -> ResponseReturnValue:
    return jsonify(_clock(_world(name)))


@control.post("/worlds/<name>/clock/advance")
def advance_clock(name: str) -> ResponseReturnValue:
    return jsonify(_clock(advance_world_clock(name, _body(ClockAdvance))))


def advance_world_clock(name: str, change: ClockAdvance) -> World:
    """Move the clock of world ``name`` forward; raises ``Refusal`` (WorldNotFound, InvalidInput)."""
    world = _world(name)
    world.advance_clock(change.by)
    return world


@control.post("/worlds/<name>/clock/set")
def set_clock(name: str) -> ResponseReturnValue:
    return jsonify(_clock(set_world_clock(name, _body(ClockSet))))


def set_world_clock(name: str, change: ClockSet) -> World:
    """Set the clock of world ``name``; raises ``Refusal`` (WorldNotFound, InvalidInput)."""
    world = _world(name)
    world.set_clock(change.to)
    return world


def _settings(world: World) -> dict[str, str | int]:
    settings = world.state.settings
    return {
        "azure_link_mode": settings.azure_link_mode.value,
        "activation_delay": format_duration(settings.activation_delay),
        "lro_polls": settings.lro_polls,
        "lro_retry_after": settings.lro_retry_after,
    }


@control.get("/worlds/<name>/settings")
def settings(name: str) -> ResponseReturnValue:
    return jsonify(_settings(_world(name)))


@control.patch("/worlds/<name>/settings")
def change_settings(name: str) -> ResponseReturnValue:
    return jsonify(_settings(change_world_settings(name, _body(SettingsChange))))


def change_world_settings(name: str, change: SettingsChange) -> World:
    """Apply a settings change to world ``name``. Every field was checked (by the model) before
    any is applied, so a bad one changes nothing. Raises ``Refusal`` WorldNotFound."""
    world = _world(name)
    if change.activation_delay is not None:
        world.set_activation_delay(change.activation_delay)
    if change.azure_link_mode is not None:
        world.set_azure_link_mode(change.azure_link_mode)
    if change.lro_polls is not None or change.lro_retry_after is not None:
        world.set_lro(change.lro_polls, change.lro_retry_after)
    return world


# --- faults ---------------------------------------------------------------------------------------
@control.post("/worlds/<name>/faults")
def add_fault(name: str) -> ResponseReturnValue:
    rule = add_world_fault(name, json_value(any_type=True))
    location = url_for(".delete_fault", name=name, fault_id=rule.id)
    return jsonify(rule.to_dict()), 201, {"Location": location}


def add_world_fault(name: str, data: Any) -> FaultRule:
    """A fault rule (its JSON form, the README's table) added to world ``name``; raises
    ``Refusal`` (WorldNotFound, InvalidInput naming the field)."""
    return _faults(name).add(data, tuple(current_app.config["PORTAL_URLS"]))


@control.get("/worlds/<name>/faults")
def list_faults(name: str) -> ResponseReturnValue:
    return jsonify(value=_faults(name).listed())


@control.delete("/worlds/<name>/faults")
def clear_faults(name: str) -> ResponseReturnValue:
    clear_world_faults(name)
    return _no_content()


def clear_world_faults(name: str) -> None:
    """Remove every fault rule of the world; raises ``Refusal`` WorldNotFound."""
    _faults(name).clear()


@control.delete("/worlds/<name>/faults/<fault_id>")
def delete_fault(name: str, fault_id: str) -> ResponseReturnValue:
    remove_world_fault(name, fault_id)
    return _no_content()


def remove_world_fault(name: str, fault_id: str) -> None:
    """Remove one fault rule; raises ``EdgeRefusal`` FaultNotFound (or ``Refusal`` WorldNotFound)."""
    if not _faults(name).remove(fault_id):
        raise EdgeRefusal("FaultNotFound", fault=fault_id, world=name)


# --- journal --------------------------------------------------------------------------------------
@control.get("/worlds/<name>/journal")
def journal(name: str) -> ResponseReturnValue:
    """The journal, its credentials redacted unless ``?secrets=keep``: ``{"world", "value": [entry,
    …], "dropped": N}``, ``dropped`` counting the older entries the journal budget let go."""
    keep = query(JournalQuery).secrets == "keep"
    found = _journal(name)
    return jsonify(world=name, value=found.entries(keep_secrets=keep), dropped=found.dropped)


@control.delete("/worlds/<name>/journal")
def clear_journal(name: str) -> ResponseReturnValue:
    clear_world_journal(name)
    return _no_content()


def clear_world_journal(name: str) -> None:
    """Empty the world's journal; raises ``Refusal`` WorldNotFound."""
    _journal(name).clear()


@control.get("/worlds/<name>/journal.har")
def journal_har(name: str) -> ResponseReturnValue:
    return har_download(name, query(JournalQuery).secrets == "keep")


def har_download(name: str, keep_secrets: bool = False) -> Response:
    """The journal of world ``name`` as HAR 1.2, an attachment ``<name>.har``; credentials
    redacted unless ``keep_secrets``."""
    found = _journal(name)
    har = to_har(found.entries(keep_secrets=True), keep_secrets=keep_secrets, dropped=found.dropped)
    disposition = f'attachment; filename="{name}.har"'
    return Response(
        json.dumps(har, indent=1), mimetype="application/json", headers={"Content-Disposition": disposition}
    )


# --- snapshots ------------------------------------------------------------------------------------
@control.get("/worlds/<name>/snapshot")
def snapshot(name: str) -> ResponseReturnValue:
    return jsonify(world_snapshot(name))


def world_snapshot(name: str) -> dict[str, Any]:
    """``World.snapshot()`` of world ``name``; raises ``Refusal`` WorldNotFound."""
    return _world(name).snapshot()


@control.put("/worlds/<name>/snapshot")
def restore(name: str) -> ResponseReturnValue:
    """Install a snapshot under ``name``, replacing any world of that name (201 when new)."""
    world, existed = restore_world(name, json_value(any_type=True, empty=None))
    return jsonify(world.summary()), 200 if existed else 201


def restore_world(name: str, data: Any) -> tuple[World, bool]:
    """The world a snapshot describes, installed under ``name`` (replacing any world of that
    name), and whether one existed; raises ``Refusal`` InvalidInput naming what is wrong."""
    check_world_name(name)
    world = World.restore(data, name)
    existed = name in registry()
    registry().put(world)
    return world, existed
