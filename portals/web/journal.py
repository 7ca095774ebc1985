"""Request journal and fault injection, installed around every portal's WSGI app.

Both live per ``World`` object (a weak-keyed table), so the three portal apps of a stack, which
share one registry, write one journal and obey one set of fault rules, and a dropped world takes
them with it. Resetting, restoring or dropping a world makes a new ``World`` object: its journal
and its fault rules start empty, so nothing leaks from one scenario into the next.

The control API (``/_harness``) and the stylesheet (``/_static``) are neither journaled nor
faulted; nor are requests naming a world that does not exist (the portal answers them 404).
"""

from __future__ import annotations

import fnmatch
import io
import itertools
import json
import random
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from weakref import WeakKeyDictionary

from flask import Flask
from werkzeug.datastructures import EnvironHeaders
from werkzeug.http import parse_cookie
from werkzeug.wrappers import Request
from werkzeug.wsgi import get_current_url

import portals
from portals.backend import Refusal, World
from portals.web.app import requested_world
from portals.web.hosts import PORTAL_HOSTS
from portals.web.requests_in import check_fields

try:  # waitress closes the connection without an answer when the app raises this
    from waitress.channel import ClientDisconnected

    _SERVER_DISCONNECT: tuple[type[Exception], ...] = (ClientDisconnected,)
except ImportError:  # pragma: no cover - waitress is a dependency
    _SERVER_DISCONNECT = ()

JOURNAL_LIMIT = 5000  # entries kept per world; the oldest go first
BODY_LIMIT = 16 * 1024  # bytes of a body kept in an entry
CAPTURE_LIMIT = 1024 * 1024  # bodies over this are not read here (the portal refuses them anyway)
MAX_LATENCY_MS = 60_000
PORTALS = tuple(PORTAL_HOSTS)  # every portal a stack can run, so a fault rule may name any of them

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
Answer = tuple[str, list[tuple[str, str]], bytes]


class DroppedConnection(ConnectionError, *_SERVER_DISCONNECT):  # type: ignore[misc]
    """A fault rule dropped the connection: no status line, no headers, nothing.

    Raised from the WSGI app. In-process, the harness's router turns it into
    ``requests.ConnectionError``. Live, werkzeug's server treats a ``ConnectionError`` as a dropped
    connection (its socket is shut down first), and waitress treats ``ClientDisconnected`` the same
    way: either closes the socket without writing a byte, so a ``requests`` client gets
    ``ConnectionError`` ("Remote end closed connection without response").
    """


# --- fault rules -----------------------------------------------------------------------------------
FAULT_FIELDS: dict[str, type | tuple[type, ...]] = {
    "portal": str,
    "method": str,
    "path": str,
    "status": int,
    "body": object,
    "headers": dict,
    "latency_ms": int,
    "drop_connection": bool,
    "times": int,
    "probability": (int, float),
}


@dataclass
class FaultRule:
    """What a matching request gets instead of (or before) the portal's answer."""

    id: str
    portal: str = "*"
    method: str = "*"
    path: str = "*"
    status: int | None = None
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    latency_ms: int = 0
    drop_connection: bool = False
    times: int | None = None
    probability: float = 1.0
    hits: int = 0
    pattern: re.Pattern[str] = field(default=re.compile(""), repr=False)

    @classmethod
    def parse(cls, rule_id: str, data: Any) -> FaultRule:
        """A rule from its JSON form, every field checked (a bad rule is a 400, never half-added)."""
        if not isinstance(data, dict):
            raise Refusal("InvalidInput", detail="a fault rule is a JSON object")
        fields = check_fields(data, {}, FAULT_FIELDS)
        rule = cls(rule_id, **fields)
        rule.method = rule.method.upper()
        rule.pattern = _path_pattern(rule.path)
        problem = rule._problem()
        if problem:
            raise Refusal("InvalidInput", detail=f"fault rule: {problem}")
        return rule

    def _problem(self) -> str | None:
        if self.portal not in (*PORTALS, "*"):
            return f"portal: must be one of {', '.join(PORTALS)} or *"
        if self.method != "*" and not self.method.isalpha():
            return "method: an HTTP method such as POST, or *"
        if self.status is not None and not 100 <= self.status <= 599:
            return "status: must be from 100 to 599"
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in self.headers.items()):
            return "headers: must map names to string values"
        if not 0 <= self.latency_ms <= MAX_LATENCY_MS:
            return f"latency_ms: must be from 0 to {MAX_LATENCY_MS}"
        if self.times is not None and self.times < 1:
            return "times: must be 1 or more (null for unlimited)"
        if not 0 <= self.probability <= 1:
            return "probability: must be from 0 to 1"
        if self.status is not None and self.drop_connection:
            return "status and drop_connection exclude each other"
        if self.status is None and (self.body is not None or self.headers):
            return "body and headers need a status"
        if self.status is None and not self.drop_connection and not self.latency_ms:
            return "give a status, latency_ms or drop_connection: the rule would do nothing"
        return None

    def matches(self, portal: str, method: str, path: str) -> bool:
        return (
            self.portal in ("*", portal)
            and self.method in ("*", method)
            and self.pattern.search(path) is not None
        )

    @property
    def spent(self) -> bool:
        return self.times is not None and self.hits >= self.times

    def answer(self) -> Answer:
        """The rule's own response: its body (JSON unless a string), or an error shaped like the
        portals' own when it gives none."""
        status = self.status or 500
        body, kind = self.body, "application/json"
        if body is None and status >= 400:
            message = f"Injected fault {self.id}: HTTP {status}"
            body = {"error": {"code": "InjectedFault", "message": message, "status": status}}
        if body is None or status in (204, 304):
            data = b""
        elif isinstance(body, str):
            data, kind = body.encode(), "text/plain; charset=utf-8"
        else:
            data = json.dumps(body).encode()
        own = {k.lower() for k in self.headers}
        headers = [("Content-Type", kind)] if data and "content-type" not in own else []
        headers += [(k, v) for k, v in self.headers.items() if k.lower() != "content-length"]
        headers += [("Content-Length", str(len(data))), ("X-Harness-Fault", self.id)]
        return f"{status} {_phrase(status)}", headers, data

    def to_dict(self) -> dict[str, Any]:
        fields = ("id", "portal", "method", "path", "status", "body", "headers", "latency_ms")
        more = ("drop_connection", "times", "probability", "hits")
        remaining = None if self.times is None else max(self.times - self.hits, 0)
        return {**{name: getattr(self, name) for name in (*fields, *more)}, "remaining": remaining}


def _path_pattern(path: str) -> re.Pattern[str]:
    """``^...`` is a regular expression (searched in the path); anything else a glob whose ``*``
    also crosses ``/`` (``/api/*`` matches ``/api/supportplans/link``)."""
    if path.startswith("^"):
        try:
            return re.compile(path)
        except re.error as error:
            raise Refusal(
                "InvalidInput", detail=f"fault rule: path: bad regular expression ({error})"
            ) from None
    if not path:
        raise Refusal("InvalidInput", detail="fault rule: path: must not be empty (use * for every path)")
    return re.compile(fnmatch.translate(path))


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


# --- one world's journal and rules ------------------------------------------------------------------
class WorldHarness:
    """The journal and fault rules of one world. Thread-safe; probabilities draw from a random
    generator seeded with the world's seed, so a run repeats."""

    def __init__(self, seed: str) -> None:
        self._lock = threading.Lock()
        self._entries: deque[dict[str, Any]] = deque(maxlen=JOURNAL_LIMIT)
        self._sequence = itertools.count(1)
        self._faults: list[FaultRule] = []
        self._fault_numbers = itertools.count(1)
        self._random = random.Random(seed)

    # journal
    def next_id(self) -> int:
        with self._lock:
            return next(self._sequence)

    def record(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[dict[str, Any]]:
        """In the order requests arrived (entries are stored as they finish)."""
        with self._lock:
            return sorted(self._entries, key=lambda e: e["id"])

    def clear_journal(self) -> None:
        with self._lock:
            self._entries.clear()

    # faults
    def add_fault(self, data: Any) -> FaultRule:
        with self._lock:
            rule = FaultRule.parse(f"f{next(self._fault_numbers)}", data)
            self._faults.append(rule)
            return rule

    def faults(self) -> list[dict[str, Any]]:
        with self._lock:
            return [rule.to_dict() for rule in self._faults]

    def remove_fault(self, rule_id: str) -> bool:
        with self._lock:
            kept = [rule for rule in self._faults if rule.id != rule_id]
            found = len(kept) != len(self._faults)
            self._faults = kept
            return found

    def clear_faults(self) -> None:
        with self._lock:
            self._faults = []

    def pick_fault(self, portal: str, method: str, path: str) -> FaultRule | None:
        """The first rule, in the order they were added, that matches and wins its draw."""
        with self._lock:
            for rule in self._faults:
                if rule.spent or not rule.matches(portal, method, path):
                    continue
                if rule.probability < 1 and self._random.random() >= rule.probability:
                    continue
                rule.hits += 1
                return rule
        return None


_HARNESSES: WeakKeyDictionary[World, WorldHarness] = WeakKeyDictionary()
_HARNESSES_LOCK = threading.Lock()


def for_world(world: World) -> WorldHarness:
    """The journal and fault rules of ``world`` (made on first use)."""
    with _HARNESSES_LOCK:
        harness = _HARNESSES.get(world)
        if harness is None:
            harness = _HARNESSES[world] = WorldHarness(world.state.seed)
        return harness


# --- the WSGI middleware ---------------------------------------------------------------------------
def install(app: Flask) -> None:
    """Wrap ``app.wsgi_app`` so every request is journaled per world and faults can answer first.
    Answers are buffered (portals answer small pages), so an entry holds the whole exchange and its
    ``duration_ms`` covers all of it."""
    inner: WsgiApp = app.wsgi_app

    def journaled(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        untracked = path == "/_harness" or path.startswith(("/_harness/", "/_static/"))
        world = None if untracked else _world_of(app, environ)
        if world is None:
            return inner(environ, start_response)
        status, headers, body = _serve(app, inner, world, environ)
        start_response(status, headers)
        return [body]

    app.wsgi_app = journaled  # type: ignore[method-assign]


def _world_of(app: Flask, environ: dict[str, Any]) -> World | None:
    try:
        return app.config["REGISTRY"].get(requested_world(Request(environ, shallow=True)))
    except Refusal:
        return None


def _serve(app: Flask, inner: WsgiApp, world: World, environ: dict[str, Any]) -> Answer:
    """Run one request (fault first, then the portal), journal it, and give back the buffered answer."""
    harness = for_world(world)
    entry = _request_entry(app, world, environ, harness.next_id())
    began = time.perf_counter()
    answer: Answer = ("0 ", [], b"")
    try:
        fault = harness.pick_fault(entry["portal"], entry["method"], environ.get("PATH_INFO") or "/")
        if fault is not None:
            entry["fault"] = fault.id
            if fault.latency_ms:
                time.sleep(fault.latency_ms / 1000)
            if fault.drop_connection:
                _drop(environ, fault.id)
        answer = fault.answer() if fault is not None and fault.status else _call(inner, environ)
        return answer
    except BaseException as error:
        dropped = isinstance(error, DroppedConnection)
        entry["error"] = "connection dropped by a fault rule" if dropped else repr(error)
        raise
    finally:
        entry["duration_ms"] = round((time.perf_counter() - began) * 1000, 3)
        _response_entry(entry, *answer)
        harness.record(entry)


def _call(inner: WsgiApp, environ: dict[str, Any]) -> Answer:
    captured: dict[str, Any] = {}
    chunks: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        captured.update(status=status, headers=list(headers))
        return chunks.append

    result = inner(environ, start_response)
    try:
        chunks.extend(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return captured["status"], captured["headers"], b"".join(chunks)


def _drop(environ: dict[str, Any], rule_id: str) -> None:
    """Close the connection if the server lends its socket (werkzeug's does), then raise."""
    sock = environ.get("werkzeug.socket")
    if isinstance(sock, socket.socket):
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    raise DroppedConnection(f"fault rule {rule_id} dropped the connection")


def _take_body(environ: dict[str, Any]) -> tuple[bytes, int]:
    """Read the request body (so the journal can keep it) and put it back for the portal."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length <= 0 or length > CAPTURE_LIMIT:
        return b"", max(length, 0)
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    return body, len(body)


def _request_entry(app: Flask, world: World, environ: dict[str, Any], entry_id: int) -> dict[str, Any]:
    body, size = _take_body(environ)
    return {
        "id": entry_id,
        "time": _iso(datetime.now(UTC)),
        "world_time": world.now.isoformat().replace("+00:00", "Z"),
        "portal": app.config["PORTAL_KEY"],
        "method": environ.get("REQUEST_METHOD", "GET").upper(),
        "url": get_current_url(environ),
        "request": {
            "http_version": environ.get("SERVER_PROTOCOL") or "HTTP/1.1",
            "headers": _pairs(EnvironHeaders(environ).items()),
            **_body(body, size),
        },
        "status": 0,
        "response": {},
        "duration_ms": 0.0,
        "fault": None,
    }


def _response_entry(entry: dict[str, Any], status: str, headers: list[tuple[str, str]], body: bytes) -> None:
    code, _, text = status.partition(" ")
    entry["status"] = int(code)
    entry["response"] = {"status_text": text, "headers": _pairs(headers), **_body(body, len(body))}


def _body(data: bytes, size: int) -> dict[str, Any]:
    kept = data[:BODY_LIMIT].decode("utf-8", "replace")
    return {"body": kept, "body_size": size, "body_truncated": size > len(data[:BODY_LIMIT])}


def _pairs(items: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in items]


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --- HAR 1.2 ---------------------------------------------------------------------------------------
def to_har(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """The journal as a HAR 1.2 log (browsers' dev tools and HAR viewers open it). Custom fields
    start with ``_`` as the format asks."""
    creator = {"name": "portal-harness", "version": portals.__version__}
    return {"log": {"version": "1.2", "creator": creator, "entries": [_har_entry(e) for e in entries]}}


def _har_entry(entry: dict[str, Any]) -> dict[str, Any]:
    sent, got = entry["request"], entry["response"]
    request: dict[str, Any] = {
        "method": entry["method"],
        "url": entry["url"],
        "httpVersion": sent["http_version"],
        "headers": sent["headers"],
        "queryString": _pairs(parse_qsl(urlsplit(entry["url"]).query, keep_blank_values=True)),
        "cookies": _pairs(parse_cookie(_header(sent["headers"], "Cookie")).items(multi=True)),
        "headersSize": -1,
        "bodySize": sent["body_size"],
    }
    if sent["body_size"]:
        mime = _header(sent["headers"], "Content-Type") or "application/octet-stream"
        request["postData"] = {"mimeType": mime, "text": sent["body"]}
    set_cookies = [h["value"] for h in got.get("headers", []) if h["name"].lower() == "set-cookie"]
    response = {
        "status": entry["status"],
        "statusText": got.get("status_text", ""),
        "httpVersion": sent["http_version"],
        "headers": got.get("headers", []),
        "cookies": [_set_cookie(value) for value in set_cookies],
        "content": {
            "size": got.get("body_size", 0),
            "mimeType": _header(got.get("headers", []), "Content-Type") or "x-unknown",
            "text": got.get("body", ""),
        },
        "redirectURL": _header(got.get("headers", []), "Location"),
        "headersSize": -1,
        "bodySize": got.get("body_size", 0) if entry["status"] else -1,
    }
    har: dict[str, Any] = {
        "startedDateTime": entry["time"],
        "time": entry["duration_ms"],
        "request": request,
        "response": response,
        "cache": {},
        "timings": {"send": 0, "wait": entry["duration_ms"], "receive": 0},
        "_portal": entry["portal"],
        "_worldTime": entry["world_time"],
    }
    if entry["fault"]:
        har["_fault"] = entry["fault"]
    if entry.get("error"):
        har["_error"] = entry["error"]
    return har


def _header(headers: list[dict[str, str]], name: str) -> str:
    return next((h["value"] for h in headers if h["name"].lower() == name.lower()), "")


def _set_cookie(value: str) -> dict[str, str]:
    name, _, rest = value.partition(";")[0].partition("=")
    return {"name": name.strip(), "value": rest.strip()}
