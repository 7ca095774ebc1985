"""Snapshots: a world's state to JSON and back, through pydantic's dataclass support (no
hand-written field lists to fall out of step with the model).

A snapshot is ``{"format", "state", "document", "origin"}``: the state; the seed document the world
was first built from; and ``origin``, the state ``reset`` returns to when the world was last built
from a snapshot (null: ``reset`` rebuilds it from ``document``). ``origin`` is a bare state, never a
snapshot, so snapshots of restored worlds do not nest.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from portals.backend.errors import Refusal
from portals.backend.model import WorldState

FORMAT = "portal-harness/world-snapshot@1"


@cache
def _adapter() -> TypeAdapter[WorldState]:
    return TypeAdapter(WorldState)


def dump_state(
    state: WorldState, document: dict[str, Any] | None, origin: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "state": state_data(state),
        "document": document,
        "origin": origin,
    }


def state_data(state: WorldState) -> dict[str, Any]:
    """A world's state as JSON-ready data (the ``state`` of a snapshot)."""
    return _adapter().dump_python(state, mode="json")


def _state(data: Any, field: str) -> WorldState:
    try:
        return _adapter().validate_python(data)
    except ValidationError as error:
        first = error.errors()[0]
        path = ".".join(str(p) for p in first["loc"])
        raise Refusal("InvalidInput", detail=f"snapshot {field}.{path}: {first['msg']}") from None


def load_state(data: Any) -> tuple[WorldState, dict[str, Any] | None, dict[str, Any] | None]:
    """``(state, document, origin)`` of a snapshot; raises ``InvalidInput`` naming the bad field.
    ``origin`` is checked as a state too, so that a later ``reset`` cannot fail on it."""
    if not isinstance(data, dict) or data.get("format") != FORMAT or "state" not in data:
        raise Refusal("InvalidInput", detail=f"a snapshot is an object with format {FORMAT!r} and a state")
    state = _state(data["state"], "state")
    document = data.get("document")
    origin = data.get("origin")
    if origin is not None:
        origin = state_data(_state(origin, "origin"))
    return state, document if isinstance(document, dict) else None, origin
