"""``serve --state-file``: the SQLite store (a row per world, written by the change itself), bad
files refused with exit 2 and left byte for byte as they were, JSON state files migrated once."""

from __future__ import annotations

import copy
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from cast import CAST

from harness.cli import main
from harness.state_file import open_state_file
from harness.store import StateStore, StoreClosed
from portals.backend import World, WorldRegistry


def cast(seed: str) -> dict:
    document = copy.deepcopy(CAST)
    document["world"]["seed"] = seed
    return document


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    opened = StateStore.open(tmp_path / "state.sqlite")
    yield opened
    opened.close()


def attached(store: StateStore) -> WorldRegistry:
    registry = WorldRegistry()
    store.attach(registry)
    return registry


def test_a_new_store_holds_the_default_world_and_each_change_at_once(store: StateStore) -> None:
    registry = attached(store)
    assert store.names() == ["default"]
    world = registry.create("kept", cast("kept"))
    assert store.stored("kept") == world.snapshot()
    view = world.activate_benefits("admin@contoso.com")
    world.add_contract("user@contoso.com", view.access_id, view.contract_id)
    request = world.create_support_request(
        "user@contoso.com", "sfb", product="windows-10", title="t", description="d"
    )
    stored = store.stored("kept")
    assert stored is not None and request.id in stored["state"]["requests"]
    assert stored == world.snapshot()
    world.advance_clock("P1D")
    assert store.stored("kept")["state"]["now"] == "2021-03-05T09:00:00Z"  # type: ignore[index]


def test_one_change_writes_only_its_worlds_row(store: StateStore) -> None:
    registry = attached(store)
    worlds = [registry.create(f"w{n}") for n in range(40)]
    before = store.rows_written
    worlds[7].advance_clock("PT1M")
    assert store.rows_written - before == 1
    before = store.rows_written
    worlds[7].snapshot(), worlds[8].support_requests  # reading writes nothing
    registry.get("w9").on_premises_catalog()
    assert store.rows_written == before


def test_reset_restore_drop_and_clear_reach_the_store(store: StateStore) -> None:
    registry = attached(store)
    first = registry.create("one", cast("one"))
    first.advance_clock("P2D")
    reset = registry.reset("one")
    assert store.stored("one") == reset.snapshot() and reset.now.isoformat() == "2021-03-04T09:00:00+00:00"
    store.world_changed(first)  # the replaced world reporting late is not written over its successor
    assert store.stored("one") == reset.snapshot()
    first.advance_clock("P1D")  # and its later changes reach nobody
    assert store.stored("one") == reset.snapshot()
    registry.put(World.restore(reset.snapshot(), "two"))
    assert store.names() == ["default", "one", "two"]
    registry.drop("two")
    assert store.names() == ["default", "one"] and store.stored("two") is None
    registry.create("two")
    assert store.names() == ["default", "one", "two"]
    registry.clear()
    assert store.names() == ["default"]


def test_a_change_after_the_store_closed_fails_instead_of_being_answered(store: StateStore) -> None:
    registry = attached(store)
    world = registry.create("late")
    store.close()
    with pytest.raises(StoreClosed):
        world.advance_clock("P1D")


def test_reopened_store_restores_every_world_with_its_reset_target(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    store = StateStore.open(path)
    registry = attached(store)
    world = registry.create("kept", cast("kept"))
    world.activate_benefits("admin@contoso.com")
    restored = registry.put(World.restore(world.snapshot(), "copy"))
    restored.advance_clock("P9D")
    snapshots = {w.name: w.snapshot() for w in registry}
    store.close()
    again = StateStore.open(path)
    try:
        back = attached(again)
        assert {w.name: w.snapshot() for w in back} == snapshots
        assert back.reset("copy").now.isoformat() == "2021-03-04T09:00:00+00:00"  # the restored snapshot
    finally:
        again.close()


def test_a_second_server_on_the_same_store_is_refused(store: StateStore, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    attached(store)
    assert main(["serve", "--base-port", "0", "--state-file", str(store.path)]) == 2
    assert "in use by another portal-harness serve" in capsys.readouterr().err


# --- refused files -----------------------------------------------------------------------------------
def _store_bytes(tmp_path: Path, worlds: int = 3) -> bytes:
    """A real store with a few worlds, as bytes (so tests can damage a copy)."""
    path = tmp_path / "made.sqlite"
    store = StateStore.open(path)
    registry = attached(store)
    for n in range(worlds):
        registry.create(f"w{n}", cast(f"w{n}"))
    store.close()
    data = path.read_bytes()
    path.unlink()
    return data


def _foreign_database(path: Path) -> None:
    with closing(sqlite3.connect(path)) as database:
        database.execute("CREATE TABLE notes (text TEXT)")
        database.commit()


def _newer_store(tmp_path: Path, path: Path) -> None:
    path.write_bytes(_store_bytes(tmp_path))
    with closing(sqlite3.connect(path)) as database:
        database.execute("PRAGMA user_version = 99")
        database.commit()


def _damaged_store(tmp_path: Path, path: Path) -> None:
    data = bytearray(_store_bytes(tmp_path, worlds=6))
    page = int.from_bytes(data[16:18], "big")
    data[page : page * 3] = b"\xa5" * (page * 2)  # pages 2 and 3: the table's b-tree
    path.write_bytes(bytes(data))


def _damaged_leaf(tmp_path: Path, path: Path) -> None:
    """A store whose table page claims cells outside the page: SQLite's quick_check finds it."""
    data = bytearray(_store_bytes(tmp_path, worlds=6))
    page = int.from_bytes(data[16:18], "big")
    data[page + 5 : page + 7] = (page + 1000).to_bytes(2, "big")  # page 2's cell content offset
    path.write_bytes(bytes(data))


def _bad_row_store(tmp_path: Path, path: Path) -> None:
    path.write_bytes(_store_bytes(tmp_path))
    with closing(sqlite3.connect(path)) as database:
        database.execute("UPDATE worlds SET snapshot = ? WHERE name = 'w1'", (json.dumps({"format": "x"}),))
        database.commit()


STATE = "portal-harness/state@1"
BAD_FILES = {
    "text": (lambda tmp, path: path.write_text("hello, world\n"), "not a portal-harness state store"),
    "one byte": (lambda tmp, path: path.write_bytes(b"\n"), "not a portal-harness state store"),
    "foreign SQLite": (lambda tmp, path: _foreign_database(path), "SQLite database but not a portal-harness"),
    "newer store": (_newer_store, "newer portal-harness (store format 99; this version reads format 1)"),
    "damaged store": (_damaged_store, "damaged"),
    "damaged leaf": (_damaged_leaf, "is damaged: SQLite's integrity check found: "),
    "truncated store": (lambda tmp, path: path.write_bytes(_store_bytes(tmp, 6)[:5000]), "damaged"),
    "bad world row": (_bad_row_store, "world 'w1': "),
    "JSON not a state file": (
        lambda tmp, path: path.write_text('{"worlds": []}'),
        "not a portal-harness state",
    ),
    "JSON without worlds": (
        lambda tmp, path: path.write_text(json.dumps({"format": STATE})),
        "worlds: missing",
    ),
    "JSON worlds 5": (
        lambda tmp, path: path.write_text(json.dumps({"format": STATE, "worlds": 5})),
        "worlds: must be a list",
    ),
    "JSON nested deeply": (
        lambda tmp, path: path.write_text(
            '{"format": "' + STATE + '", "worlds": ' + "[" * 100000 + "]" * 100000 + "}"
        ),
        "nests arrays and objects deeper than 64 levels",
    ),
    "JSON cut short": (
        lambda tmp, path: path.write_text(json.dumps({"format": STATE})[:-1] + ', "worlds": ['),
        "is not valid JSON",
    ),
    "JSON a key twice": (
        lambda tmp, path: path.write_text('{"format": "' + STATE + '", "worlds": [], "worlds": []}'),
        "has the member 'worlds' twice",
    ),
    "JSON NaN": (
        lambda tmp, path: path.write_text('{"format": "' + STATE + '", "worlds": [{"now": NaN}]}'),
        "NaN is not a number JSON allows",
    ),
    "JSON bad snapshot": (
        lambda tmp, path: path.write_text(json.dumps({"format": STATE, "worlds": [{"format": "x"}]})),
        "worlds[0]: ",
    ),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_bad_state_file_is_refused_with_exit_2_and_left_untouched(
    kind: str, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    make, message = BAD_FILES[kind]
    folder = tmp_path / "files"
    folder.mkdir()
    path = folder / ("state.json" if kind.startswith("JSON") else "state.sqlite")
    make(tmp_path, path)
    before = path.read_bytes()
    assert main(["serve", "--base-port", "0", "--state-file", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err, f"expected {message!r} in {err!r}"
    assert "refused, the file is left as it was" in err and "Traceback" not in err
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [path.name]  # no store made, no files left


def test_damage_is_one_line_naming_the_first_problem(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "state.sqlite"
    _damaged_leaf(tmp_path, path)
    assert main(["serve", "--base-port", "0", "--state-file", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "*** in database" not in err, err


def test_an_empty_file_is_a_new_store(tmp_path: Path) -> None:
    """A 0-byte file (what ``mktemp`` makes) holds nothing to lose: a new store is made there."""
    path = tmp_path / "tmp.Xy12ab"
    path.write_bytes(b"")
    said: list[str] = []
    store = open_state_file(path, say=said.append)
    try:
        assert said == [f"{path} was empty: it holds a new state store now"]
        assert store.path == path and store.worlds == []
        attached(store).create("kept")
    finally:
        store.close()
    again = open_state_file(path, say=said.append)
    try:
        assert [world.name for world in again.worlds] == ["default", "kept"]
    finally:
        again.close()


def test_a_folder_that_cannot_be_written_is_said_so(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess

    folder = tmp_path / "read-only"
    folder.mkdir()
    StateStore.open(folder / "state.sqlite").close()
    if os.geteuid() == 0:  # root writes anywhere a mode allows nothing: an immutable folder
        locked = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
        if locked.returncode != 0:
            pytest.skip(f"no read-only folder for root here: chattr +i: {locked.stderr.decode().strip()}")
        unlock = ["chattr", "-i", str(folder)]
    else:
        folder.chmod(0o555)
        unlock = ["chmod", "755", str(folder)]
    try:
        for name in ("state.sqlite", "new.sqlite"):
            path = folder / name
            assert main(["serve", "--base-port", "0", "--state-file", str(path)]) == 2
            err = capsys.readouterr().err
            assert f"{path} cannot be used: its folder {folder} is not writable; " in err, err
            assert "damaged" not in err
    finally:
        subprocess.run(unlock, check=True)


def test_a_folder_is_no_state_file(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["serve", "--base-port", "0", "--state-file", str(tmp_path)]) == 2
    assert "is not a file" in capsys.readouterr().err


# --- JSON state files of earlier versions ------------------------------------------------------------------
def _json_state_file(path: Path) -> dict[str, dict]:
    """A JSON state file as earlier versions wrote it (``{"format", "worlds": [snapshot, …]}``),
    with a world restored from a snapshot (its reset target differs from its seed)."""
    registry = WorldRegistry()
    seeded = registry.create("seeded", cast("seeded"))
    seeded.activate_benefits("admin@contoso.com")
    restored = registry.put(World.restore(seeded.snapshot(), "restored"))
    restored.advance_clock("P5D")
    snapshots = {w.name: w.snapshot() for w in registry}
    path.write_text(json.dumps({"format": STATE, "worlds": list(snapshots.values())}), encoding="utf-8")
    return snapshots


def test_a_json_state_file_is_migrated_once_and_kept(tmp_path: Path) -> None:
    given = tmp_path / "state.json"
    snapshots = _json_state_file(given)
    before = given.read_bytes()
    said: list[str] = []
    store = open_state_file(given, say=said.append)
    try:
        assert store.path == tmp_path / "state.sqlite"
        assert said == [
            f"migrated 3 world(s) from the JSON state file {given} to {store.path}; {given} is left as it "
            f"was, and {store.path} is used from now on"
        ]
        registry = attached(store)
        assert {w.name: w.snapshot() for w in registry} == snapshots
        assert registry.reset("restored").now.isoformat() == "2021-03-04T09:00:00+00:00"
        registry.get("seeded").advance_clock("P1D")
    finally:
        store.close()
    assert given.read_bytes() == before
    said.clear()
    again = open_state_file(given, say=said.append)  # once: the store made then is used, the JSON not read
    try:
        assert said == [
            f"{given} was migrated to {again.path} before; using {again.path} ({given} is not read)"
        ]
        assert {w.name for w in again.worlds} == {"default", "seeded", "restored"}
        assert (
            next(w for w in again.worlds if w.name == "seeded").now.isoformat() == "2021-03-05T09:00:00+00:00"
        )
    finally:
        again.close()


def test_a_json_name_that_does_not_exist_gets_a_store_beside_it(tmp_path: Path) -> None:
    said: list[str] = []
    store = open_state_file(tmp_path / "new.json", say=said.append)
    try:
        assert store.path == tmp_path / "new.sqlite" and store.worlds == []
        assert said == [
            f"state is kept in the SQLite store {store.path} (JSON state files are no longer written)"
        ]
    finally:
        store.close()
    assert not (tmp_path / "new.json").exists()


def test_json_in_a_file_named_sqlite_is_refused_with_a_hint(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "state.sqlite"
    _json_state_file(path)
    assert main(["serve", "--base-port", "0", "--state-file", str(path)]) == 2
    assert "name it state.json" in capsys.readouterr().err
