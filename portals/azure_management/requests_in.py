"""Reading ARM input: JSON bodies in Microsoft.Support's shapes, ``$top``, ``$filter`` and
``$skipToken``. Everything is checked before any backend call, so bad input is a 400 naming the
property (in ARM's camelCase), changes nothing and is never a 500."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import request

from portals.backend import Refusal


def invalid(detail: str) -> Refusal:
    return Refusal("InvalidInput", detail=detail)


def body_object() -> dict[str, Any]:
    """The request's JSON object."""
    if not request.is_json:
        raise invalid("send a JSON body with Content-Type: application/json")
    body = request.get_json(silent=True)
    if body is None:
        raise invalid("the body is not valid JSON")
    if not isinstance(body, dict):
        raise invalid("the body must be a JSON object")
    return body


def fields(
    obj: Any,
    where: str,
    known: Iterable[str],
    required: Iterable[str] = (),
    ignored: Iterable[str] = (),
) -> dict[str, Any]:
    """``obj``'s known properties that are set (null counts as absent). Read-only properties
    (``ignored``) are dropped as ARM drops them; any other unknown property is refused."""
    if not isinstance(obj, dict):
        raise invalid(f"{where or 'the body'}: must be an object")
    known, ignored = tuple(known), tuple(ignored)
    prefix = f"{where}." if where else ""
    for key in obj:
        if key not in known and key not in ignored:
            raise invalid(f"{prefix}{key}: is not a known property")
    for key in required:
        if obj.get(key) is None:
            raise invalid(f"{prefix}{key}: is required")
    return {k: v for k, v in obj.items() if k in known and v is not None}


def text(value: Any, where: str, max_length: int = 10000) -> str:
    if not isinstance(value, str):
        raise invalid(f"{where}: must be a string")
    if len(value) > max_length:
        raise invalid(f"{where}: at most {max_length} characters")
    return value


def choice(value: Any, where: str, choices: Iterable[str]) -> str:
    """One of ``choices`` (case-insensitive, as ARM's enums are), in its canonical spelling."""
    options = tuple(choices)
    if isinstance(value, str):
        for option in options:
            if value.lower() == option.lower():
                return option
    raise invalid(f"{where}: must be one of {', '.join(options)}")


def boolean(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise invalid(f"{where}: must be true or false")
    return value


def texts(value: Any, where: str, max_items: int = 50) -> list[str]:
    if not isinstance(value, list) or len(value) > max_items:
        raise invalid(f"{where}: must be a list of at most {max_items} strings")
    return [text(v, f"{where}[{i}]", 200) for i, v in enumerate(value)]


def instant(value: Any, where: str) -> datetime:
    """An ISO-8601 date or date-time; without a zone it is UTC."""
    raw = text(value, where, 64)
    try:
        moment = datetime.fromisoformat(raw.strip().replace("Z", "+00:00").replace("z", "+00:00"))
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):  # the latter: a zone that moves year 1 or 9999 out of range
        raise invalid(f"{where}: must be an ISO-8601 date-time such as 2021-03-04T00:00:00Z") from None


# --- paging -------------------------------------------------------------------------------------------
def page_size(default: int, maximum: int) -> int:
    """``$top``: the page size, 1 to ``maximum``."""
    raw = request.args.get("$top")
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise invalid(f"$top: must be an integer from 1 to {maximum}")
    return int(raw)


def skip_token() -> int:
    """``$skipToken``: where the page starts, as this API's own ``nextLink`` wrote it."""
    raw = request.args.get("$skipToken") or request.args.get("$skiptoken")
    if raw is None or raw == "":
        return 0
    if not raw.isdigit() or len(raw) > 9:
        raise invalid("$skipToken: must be taken as is from a nextLink")
    return int(raw)


# --- $filter --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Clause:
    field: str  # canonical spelling, e.g. "createdDate"
    op: str  # "eq" | "ge" | "gt"
    value: str


_CLAUSE = re.compile(r"\s*([A-Za-z]+)\s+(eq|ge|gt)\s+('(?:[^']|'')*'|[^\s']+)\s*", re.IGNORECASE)
_AND = re.compile(r"and\s+", re.IGNORECASE)


def filter_clauses(allowed: dict[str, tuple[str, ...]]) -> list[Clause]:
    """``$filter``: OData comparisons joined by ``and``; ``allowed`` maps each property to its
    operators (``{"status": ("eq",), "createdDate": ("ge", "gt")}``)."""
    raw = request.args.get("$filter")
    if raw is None or not raw.strip():
        return []
    names = {name.lower(): name for name in allowed}
    clauses, position = [], 0
    while True:
        match = _CLAUSE.match(raw, position)
        if match is None:
            raise invalid(f"$filter: cannot read {raw[position:]!r}; write e.g. status eq 'Open'")
        name, op, value = match.group(1), match.group(2).lower(), match.group(3)
        field = names.get(name.lower())
        if field is None:
            raise invalid(f"$filter: {name} cannot be filtered on (use {', '.join(allowed)})")
        if op not in allowed[field]:
            raise invalid(f"$filter: {field} takes {' or '.join(allowed[field])}, not {op}")
        if value.startswith("'"):
            value = value[1:-1].replace("''", "'")
        clauses.append(Clause(field, op, value))
        position = match.end()
        if position >= len(raw):
            return clauses
        joined = _AND.match(raw, position)
        if joined is None:
            raise invalid(f"$filter: join conditions with 'and', at {raw[position:]!r}")
        position = joined.end()
