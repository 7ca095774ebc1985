"""Fault rules: what a matching request gets instead of (or before) the portal's answer.

Rules belong to a ``World`` object (a ``WorldSideTable``), so the apps of a stack obey one set of
rules per world, and resetting, restoring or dropping a world starts it with none. Rules are tried
in the order they were added; probabilities draw from a random generator seeded with the world's
seed, so a run repeats. The journal's middleware (``portals.web.journal``) applies them.
"""

from __future__ import annotations

import fnmatch
import itertools
import json
import random
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from flask import Flask

from portals.backend import Refusal, World
from portals.web.requests_in import check_fields
from portals.web.side_tables import WorldSideTable
from portals.web.wire import FAULT_HEADER

try:  # waitress closes the connection without an answer when the app raises this
    from waitress.channel import ClientDisconnected

    _SERVER_DISCONNECT: tuple[type[Exception], ...] = (ClientDisconnected,)
except ImportError:  # pragma: no cover - waitress is a dependency
    _SERVER_DISCONNECT = ()

MAX_LATENCY_MS = 60_000
EXTENSION = "portal_harness.faults"

Answer = tuple[str, list[tuple[str, str]], bytes]


class DroppedConnection(ConnectionError, *_SERVER_DISCONNECT):  # type: ignore[misc]
    """A fault rule dropped the connection: no status line, no headers, nothing.

    Raised from the WSGI app. In-process, the harness's router turns it into
    ``requests.ConnectionError``. Live, werkzeug's server treats a ``ConnectionError`` as a dropped
    connection (its socket is shut down first), and waitress treats ``ClientDisconnected`` the same
    way: either closes the socket without writing a byte, so a ``requests`` client gets
    ``ConnectionError`` ("Remote end closed connection without response").
    """


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
    """One rule, as ``POST /_harness/worlds/<name>/faults`` takes it (see the README's table)."""

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
    def parse(cls, rule_id: str, data: Any, portals: Iterable[str]) -> FaultRule:
        """A rule from its JSON form, every field checked; ``portals`` are the keys a rule may name.
        Raises ``Refusal`` InvalidInput naming the field (a bad rule is a 400, never half-added)."""
        if not isinstance(data, dict):
            raise Refusal("InvalidInput", detail="a fault rule is a JSON object")
        fields = check_fields(data, {}, FAULT_FIELDS)
        rule = cls(rule_id, **fields)
        rule.method = rule.method.upper()
        rule.pattern = _path_pattern(rule.path)
        problem = rule._problem(tuple(portals))
        if problem:
            raise Refusal("InvalidInput", detail=f"fault rule: {problem}")
        return rule

    def _problem(self, portals: tuple[str, ...]) -> str | None:
        if self.portal not in (*portals, "*"):
            return f"portal: must be one of {', '.join(portals)} or *"
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
        headers += [("Content-Length", str(len(data))), (FAULT_HEADER, self.id)]
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


class WorldFaults:
    """The fault rules of one world. Thread-safe."""

    def __init__(self, seed: str) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self._numbers = itertools.count(1)
        self._random = random.Random(seed)

    def add(self, data: Any, portals: Iterable[str]) -> FaultRule:
        """A new rule from its JSON form (ids ``f1``, ``f2``, ...); raises ``Refusal`` InvalidInput."""
        with self._lock:
            rule = FaultRule.parse(f"f{next(self._numbers)}", data, portals)
            self._rules.append(rule)
            return rule

    def listed(self) -> list[dict[str, Any]]:
        with self._lock:
            return [rule.to_dict() for rule in self._rules]

    def remove(self, rule_id: str) -> bool:
        with self._lock:
            kept = [rule for rule in self._rules if rule.id != rule_id]
            found = len(kept) != len(self._rules)
            self._rules = kept
            return found

    def clear(self) -> None:
        with self._lock:
            self._rules = []

    def pick(self, portal: str, method: str, path: str) -> FaultRule | None:
        """The first rule, in the order they were added, that matches and wins its draw."""
        with self._lock:
            for rule in self._rules:
                if rule.spent or not rule.matches(portal, method, path):
                    continue
                if rule.probability < 1 and self._random.random() >= rule.probability:
                    continue
                rule.hits += 1
                return rule
        return None


#: Fault rules per world, shared by every app (a world belongs to one registry).
FAULTS: WorldSideTable[WorldFaults] = WorldSideTable(lambda world: WorldFaults(world.state.seed))


def install(app: Flask, store: WorldSideTable[WorldFaults] = FAULTS) -> None:
    """Keep the fault store in ``app.extensions``."""
    app.extensions[EXTENSION] = store


def faults_of(app: Flask, world: World) -> WorldFaults:
    """The fault rules of ``world``, from the store of ``app``."""
    store: WorldSideTable[WorldFaults] = app.extensions[EXTENSION]
    return store(world)
