"""What ``serve --state-file FILE`` names: an SQLite state store (``harness/store.py``), or a JSON
state file of earlier versions (format ``portal-harness/state@1``), migrated once.

- ``FILE`` is an SQLite database: it is the store (checked whole before use).
- ``FILE`` holds a JSON state file: its worlds are copied into ``FILE`` with the suffix ``.sqlite``
  (``state.json`` -> ``state.sqlite``), which is used from then on; the JSON file is left as it
  was. When that ``.sqlite`` exists already (migrated before), it is used and the JSON not read.
- ``FILE`` does not exist, or is empty (0 bytes, as ``mktemp`` makes it): a new store is created
  there, except that a name ending in ``.json``
  gets the store beside it with the suffix ``.sqlite`` (so scripts that named a JSON file go on
  working, and no SQLite database is ever named ``.json``).
- Anything else (neither SQLite nor a JSON object), a damaged or foreign database, a store from a
  newer version, or a JSON state file that does not hold valid worlds is refused with
  ``StateFileError``, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness.store import StateFileError, StateStore, is_sqlite
from portals.backend import Refusal, World
from portals.backend.inputs import load_json
from portals.backend.registry import check_world_name

JSON_FORMAT = "portal-harness/state@1"

__all__ = ["JSON_FORMAT", "StateFileError", "open_state_file", "read_json_state"]


def open_state_file(given: str | Path, sync: str = "full", say: Callable[[str], None] = print) -> StateStore:
    """The state store ``serve --state-file given`` uses, migrating a JSON state file first;
    ``say`` is told what happened (migrated, or which file is used). Raises ``StateFileError``."""
    given = Path(given)
    if given.is_file() and given.stat().st_size == 0:  # what mktemp makes: nothing in it to lose
        if given.suffix.lower() != ".json":
            store = StateStore.open(given, sync)
            say(f"{given} was empty: it holds a new state store now")
            return store
    elif given.exists():
        if not given.is_file():
            raise StateFileError(f"{given} is not a file")
        try:
            sqlite = is_sqlite(given)
        except OSError as error:
            raise StateFileError(f"{given} cannot be read ({error.strerror})") from None
        if sqlite:
            return StateStore.open(given, sync)
        if not _looks_like_json(given):
            raise StateFileError(
                f"{given} is not a portal-harness state store (neither an SQLite database nor a JSON "
                "state file)"
            )
        target = given.with_suffix(".sqlite")
        if target == given:
            raise StateFileError(
                f"{given} holds JSON, not SQLite; to migrate a JSON state file, name it "
                f"{given.with_suffix('.json').name}"
            )
        if target.exists():
            store = StateStore.open(target, sync)
            say(f"{given} was migrated to {target} before; using {target} ({given} is not read)")
            return store
        worlds = read_json_state(given)
        store = StateStore.create(target, worlds, sync)
        say(
            f"migrated {len(worlds)} world(s) from the JSON state file {given} to {target}; "
            f"{given} is left as it was, and {target} is used from now on"
        )
        return store
    if given.suffix.lower() == ".json":
        target = given.with_suffix(".sqlite")
        say(f"state is kept in the SQLite store {target} (JSON state files are no longer written)")
        return StateStore.open(target, sync)
    return StateStore.open(given, sync)


def _looks_like_json(path: Path) -> bool:
    """Whether the file starts (after white space) like a JSON object."""
    with path.open("rb") as handle:
        start = handle.read(4096).lstrip(b" \t\r\n\xef\xbb\xbf")
    return start.startswith(b"{")


def read_json_state(path: Path) -> list[World]:
    """The worlds of a JSON state file (``{"format": "portal-harness/state@1", "worlds":
    [snapshot, …]}``), restored with their reset targets; ``StateFileError`` says what is wrong."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise StateFileError(f"{path} cannot be read ({error.strerror})") from None
    try:  # the project's one JSON loader: I-JSON (no duplicate keys, NaN, huge numbers), depth
        data: Any = load_json(raw, what="the JSON state file")
    except Refusal as refusal:
        raise StateFileError(f"{path}: {refusal.params['detail']}") from None
    if not isinstance(data, dict) or data.get("format") != JSON_FORMAT:
        raise StateFileError(f"{path} is not a portal-harness state file (format {JSON_FORMAT!r} expected)")
    if "worlds" not in data:
        raise StateFileError(f"{path}: worlds: missing (a list of world snapshots)")
    snapshots = data["worlds"]
    if not isinstance(snapshots, list):
        raise StateFileError(f"{path}: worlds: must be a list of world snapshots")
    worlds: list[World] = []
    for index, snapshot in enumerate(snapshots):
        try:
            world = World.restore(snapshot, keep_origin=True)  # reset keeps its target
            check_world_name(world.name)
        except Refusal as refusal:
            raise StateFileError(f"{path}: worlds[{index}]: {refusal.message()}") from None
        except RecursionError:
            raise StateFileError(f"{path}: worlds[{index}]: nested too deeply") from None
        worlds.append(world)
    seen: set[str] = set()
    for world in worlds:
        if world.name in seen:
            raise StateFileError(f"{path}: worlds: the world {world.name!r} is listed more than once")
        seen.add(world.name)
    return worlds
