"""Fault rules: what a matching request gets instead of (or before) the portal's answer.

Rules belong to a ``World`` object (a ``WorldSideTable``), so the apps of a stack obey one set of
rules per world, and resetting, restoring or dropping a world starts it with none. Rules are tried
in the order they were added; probabilities draw from a random generator seeded with the world's
seed, so a run repeats. The journal's middleware (``portals.web.journal``) applies them.
"""

from __future__ import annotations

import json
import random
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Annotated, Any

import re2
from flask import Flask
from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator

from portals.backend import World
from portals.backend.inputs import parse_model
from portals.web.errors import DroppedConnection
from portals.web.requests_in import Body
from portals.web.side_tables import WorldSideTable
from portals.web.wire import FAULT_HEADER

__all__ = ["DroppedConnection", "FaultRule", "WorldFaults", "faults_if_any", "faults_of", "install"]

MAX_LATENCY_MS = 60_000
EXTENSION = "portal_harness.faults"

Answer = tuple[str, list[tuple[str, str]], bytes]

#: A header name (RFC 9110 5.6.2, ``token``) and value (5.5: visible ASCII, spaces and tabs, no line
#: break); the headers a server sets for the connection and the body are not a rule's to set.
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_FIELD_VALUE = re.compile(r"[\x21-\x7e]([\t\x20-\x7e]*[\x21-\x7e])?")
_SERVER_HEADERS = frozenset(
    {"content-length", "transfer-encoding", "connection", "keep-alive", "te", "trailer", "upgrade"}
)
MAX_HEADERS, MAX_HEADER_VALUE, MAX_PATH_PATTERN = 20, 1000, 200


def _header_name(name: str) -> str:
    if not _TOKEN.fullmatch(name) or len(name) > 100:
        raise ValueError("must be an HTTP header name (letters, digits and !#$%&'*+.^_`|~-, up to 100)")
    if name.lower() in _SERVER_HEADERS:
        raise ValueError("is the server's to set")
    if name.lower() == FAULT_HEADER.lower():
        raise ValueError(f"is the harness's to set ({FAULT_HEADER} names the rule that answered)")
    return name


def _header_value(value: str) -> str:
    if (value and not _FIELD_VALUE.fullmatch(value)) or len(value) > MAX_HEADER_VALUE:
        raise ValueError(
            f"must be an HTTP header value: visible ASCII, spaces and tabs (no line breaks), "
            f"up to {MAX_HEADER_VALUE} characters"
        )
    return value


class FaultRuleBody(Body):
    """A fault rule as ``POST /_harness/worlds/<name>/faults`` takes it (the README's table). The
    portal keys a rule may name come in the validation context (``{"portals": (...)}``)."""

    portal: str = "*"
    method: str = "*"
    path: str = Field("*", max_length=MAX_PATH_PATTERN)
    status: int | None = Field(None, ge=100, le=599)
    body: Any = None
    headers: dict[
        Annotated[str, AfterValidator(_header_name)], Annotated[str, AfterValidator(_header_value)]
    ] = Field(default_factory=dict, max_length=MAX_HEADERS)
    latency_ms: int = Field(0, ge=0, le=MAX_LATENCY_MS)
    drop_connection: bool = False
    times: int | None = Field(None, ge=1, le=10**9)
    probability: float = Field(1.0, ge=0, le=1)

    @field_validator("portal")
    @classmethod
    def _known_portal(cls, portal: str, info: ValidationInfo) -> str:
        portals = tuple((info.context or {}).get("portals", ()))
        if portal not in (*portals, "*"):
            raise ValueError(f"must be one of {', '.join(portals)} or *")
        return portal

    @field_validator("method")
    @classmethod
    def _a_method(cls, method: str) -> str:
        if method != "*" and not (method.isascii() and method.isalpha() and len(method) <= 20):
            raise ValueError("must be an HTTP method such as POST, or *")
        return method.upper()

    @field_validator("path")
    @classmethod
    def _a_pattern(cls, path: str) -> str:
        path_pattern(path)
        return path

    @model_validator(mode="after")
    def _does_something(self) -> FaultRuleBody:
        if self.status is not None and self.drop_connection:
            raise ValueError("status and drop_connection exclude each other")
        if self.status is None and (self.body is not None or self.headers):
            raise ValueError("body and headers need a status")
        if self.status is None and not self.drop_connection and not self.latency_ms:
            raise ValueError("give a status, latency_ms or drop_connection: the rule would do nothing")
        return self


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
    pattern: Any = field(default=None, repr=False)  # a compiled RE2 pattern

    @classmethod
    def parse(cls, rule_id: str, data: Any, portals: Iterable[str]) -> FaultRule:
        """A rule from its JSON form, every field checked; ``portals`` are the keys a rule may name.
        Raises ``Refusal`` InvalidInput naming the field (a bad rule is a 400, never half-added)."""
        given = parse_model(FaultRuleBody, data, label="fault rule", context={"portals": tuple(portals)})
        rule = cls(rule_id, **given.model_dump())
        rule.pattern = path_pattern(rule.path)
        return rule

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
        headers += list(self.headers.items())
        headers += [("Content-Length", str(len(data))), (FAULT_HEADER, self.id)]
        return f"{status} {_phrase(status)}", headers, data

    def to_dict(self) -> dict[str, Any]:
        fields = ("id", "portal", "method", "path", "status", "body", "headers", "latency_ms")
        more = ("drop_connection", "times", "probability", "hits")
        remaining = None if self.times is None else max(self.times - self.hits, 0)
        return {**{name: getattr(self, name) for name in (*fields, *more)}, "remaining": remaining}


_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False
_RE2_OPTIONS.max_mem = 1 << 20


def path_pattern(path: str) -> Any:
    """A rule's path as an RE2 pattern, which matches in time linear in the path (no backtracking):
    ``^...`` is a regular expression in RE2's syntax, searched in the path; anything else a glob
    (``*`` any characters, ``/`` included; ``?`` one character; ``[...]`` one of a set), matched
    against the whole path. Raises ``ValueError`` saying why a pattern is refused."""
    if not path:
        raise ValueError("must not be empty (use * for every path)")
    if len(path) > MAX_PATH_PATTERN:
        raise ValueError(f"must be at most {MAX_PATH_PATTERN} characters")
    source = path if path.startswith("^") else f"^(?s:{_glob(path)})$"
    try:
        return re2.compile(source, _RE2_OPTIONS)
    except re2.error as error:
        reason = error.args[0].decode() if error.args and isinstance(error.args[0], bytes) else str(error)
        raise ValueError(f"not a regular expression RE2 takes ({reason})") from None


def _glob(path: str) -> str:
    """A glob as RE2 source (``fnmatch``'s syntax)."""
    out, index = [], 0
    while index < len(path):
        char = path[index]
        index += 1
        if char == "*":
            out.append(".*")
        elif char == "?":
            out.append(".")
        elif char == "[":
            start = index + (path[index : index + 1] == "!")
            start += path[start : start + 1] == "]"
            end = path.find("]", start)
            if end < 0:
                out.append(re2.escape(char))
                continue
            members = path[index:end]
            negated = members.startswith("!")
            members = members[1:] if negated else members
            escaped = "".join("\\" + m if m in "\\^[]" else m for m in members)
            out.append(f"[{'^' if negated else ''}{escaped}]")
            index = end + 1
        else:
            out.append(re2.escape(char))
    return "".join(out)


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
        self._next = 1  # the number of the next rule accepted
        self._random = random.Random(seed)

    def add(self, data: Any, portals: Iterable[str]) -> FaultRule:
        """A new rule from its JSON form (ids ``f1``, ``f2``, ... in the order rules were accepted: a
        refused one takes no number); raises ``Refusal`` InvalidInput."""
        with self._lock:
            rule = FaultRule.parse(f"f{self._next}", data, portals)
            self._next += 1
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


def faults_if_any(app: Flask, world: World) -> WorldFaults | None:
    """The fault rules of ``world`` if a rule was ever added to it (None: none), made for nobody:
    the journal asks on every request, and most worlds never get a rule."""
    store: WorldSideTable[WorldFaults] = app.extensions[EXTENSION]
    return store.peek(world)
