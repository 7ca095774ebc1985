"""Snapshots: a world's state to JSON and back, through pydantic's dataclass support (no
hand-written field lists to fall out of step with the model)."""

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


def dump_state(state: WorldState, document: dict[str, Any] | None) -> dict[str, Any]:
    return {"format": FORMAT, "state": _adapter().dump_python(state, mode="json"), "document": document}


def load_state(data: Any) -> tuple[WorldState, dict[str, Any] | None]:
    if not isinstance(data, dict) or data.get("format") != FORMAT or "state" not in data:
        raise Refusal("InvalidInput", detail=f"a snapshot is an object with format {FORMAT!r} and a state")
    try:
        state = _adapter().validate_python(data["state"])
    except ValidationError as error:
        first = error.errors()[0]
        path = ".".join(str(p) for p in first["loc"])
        raise Refusal("InvalidInput", detail=f"snapshot state.{path}: {first['msg']}") from None
    document = data.get("document")
    return state, document if isinstance(document, dict) else None
