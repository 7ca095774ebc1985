"""``serve --state-file``: every world in one SQLite database (the standard library's ``sqlite3``,
WAL mode), one row per world: its snapshot (``portal-harness/world-snapshot@1``) as JSON.

**When a change is saved.** A world operation that changes the world (``changes`` in
``portals/backend/core.py``) calls the world's ``on_change`` hook when it returns, still under the
world's lock; the registry passes it to the store, which writes that world's row and commits before
the operation returns. So an answer a client was given is already committed, two changes of one
world are saved in the order they happened, and one write costs the same with 1 world or 1,000
(only the changed world's row is written). Worlds created, reset, restored, dropped or all cleared
reach the store the same way (``RegistryObserver``).

**What is refused.** An existing database is read whole, read-only, before anything writes to it:
one that is not a portal-harness store (its ``application_id``), comes from a newer portal-harness
(its ``user_version``, the store format), is damaged, or holds a snapshot this version cannot restore
raises ``StateFileError`` and is left as it was. A new database is written beside its path and
renamed into place once complete, so no half-made store is ever found at the path.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

from portals.backend import Refusal, World, WorldRegistry
from portals.backend.registry import check_world_name

#: ``PRAGMA application_id`` of a portal-harness state store ("PHst").
APPLICATION_ID = int.from_bytes(b"PHst", "big")
#: ``PRAGMA user_version``: the store format this version writes and reads.
STORE_FORMAT = 1
#: ``PRAGMA synchronous`` settings ``serve --state-sync`` offers (see the README's promise).
SYNC_MODES = ("full", "normal")
SQLITE_HEADER = b"SQLite format 3\x00"
SCHEMA = """
CREATE TABLE worlds (
    name TEXT PRIMARY KEY NOT NULL,  -- the world's name
    snapshot TEXT NOT NULL           -- World.snapshot() as JSON (portal-harness/world-snapshot@1)
)
"""
UPSERT = (
    "INSERT INTO worlds (name, snapshot) VALUES (?, ?) "
    "ON CONFLICT (name) DO UPDATE SET snapshot = excluded.snapshot"
)


class StateFileError(Exception):
    """A state file that cannot be used: the message says which and why. Nothing was written."""


class StoreClosed(RuntimeError):
    """A change arrived after the store was closed (``serve`` stopping): it cannot be saved, so
    the operation fails instead of being answered as if it were."""


def is_sqlite(path: Path) -> bool:
    """Whether ``path`` starts with the SQLite database header."""
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER


class StateStore:
    """An open state store. ``open`` reads (and checks) an existing one or creates a new one;
    ``attach`` puts its worlds into a registry and saves every later change of that registry."""

    def __init__(self, path: Path, worlds: list[World], sync: str) -> None:
        self.path = path
        self.sync = sync
        #: The worlds the store held when it was opened, restored (``attach`` installs them).
        self.worlds = worlds
        self._lock = threading.Lock()
        self._registry: WorldRegistry | None = None
        self._closed = False
        self._connection = _connect(path, sync)

    # --- opening -------------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, sync: str = "full") -> StateStore:
        """The store at ``path``: an existing one is checked whole first (``StateFileError``,
        file untouched); a missing or empty (0-byte) one is created empty."""
        path = Path(path)
        _check_sync(sync)
        if path.exists() and not _empty(path):
            worlds = read_store(path)
        else:
            write_new_store(path, [])
            worlds = []
        return cls(path, worlds, sync)

    @classmethod
    def create(cls, path: str | Path, worlds: list[World], sync: str = "full") -> StateStore:
        """A new store at ``path`` (which must not exist) holding ``worlds``, written whole before
        it appears at ``path`` (a JSON state file's migration)."""
        path = Path(path)
        _check_sync(sync)
        write_new_store(path, worlds)
        return cls(path, read_store(path), sync)

    # --- the registry --------------------------------------------------------------------------------
    def attach(self, registry: WorldRegistry) -> None:
        """Put the store's worlds into ``registry`` (replacing worlds of the same name), save the
        registry's worlds the store lacks (a ``--seed`` default world), then save every change."""
        for world in self.worlds:
            registry.put(world)
        self.worlds = []
        with self._lock:
            self._registry = registry
            stored = {row[0] for row in self._connection.execute("SELECT name FROM worlds")}
        registry.observe(self)
        for world in registry:
            if world.name not in stored:
                world.announce()

    def world_changed(self, world: World) -> None:
        """Commit ``world``'s row (the caller holds the world's lock). A world no longer in the
        registry (reset, restored over or dropped meanwhile) is not written: its successor is."""
        text = _dump(world)
        with self._lock:
            self._check_open()
            if self._registry is not None and self._registry.holds(world):
                self._connection.execute(UPSERT, (world.name, text))

    def world_removed(self, name: str) -> None:
        with self._lock:
            self._check_open()
            if self._registry is not None and name not in self._registry:
                self._connection.execute("DELETE FROM worlds WHERE name = ?", (name,))

    def cleared(self, default: World) -> None:
        """One transaction: the rows of worlds the registry no longer holds go, ``default`` is
        written."""
        text = _dump(default)
        with self._lock:
            self._check_open()
            if self._registry is None:
                return
            keep = set(self._registry.names())
            connection = self._connection
            connection.execute("BEGIN IMMEDIATE")
            try:
                for (name,) in connection.execute("SELECT name FROM worlds").fetchall():
                    if name not in keep:
                        connection.execute("DELETE FROM worlds WHERE name = ?", (name,))
                if self._registry.holds(default):
                    connection.execute(UPSERT, (default.name, text))
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise

    def names(self) -> list[str]:
        """The names of the worlds stored, in the order they were first stored."""
        with self._lock:
            return [row[0] for row in self._connection.execute("SELECT name FROM worlds ORDER BY rowid")]

    def stored(self, name: str) -> dict[str, Any] | None:
        """The snapshot stored for the world ``name`` (None: no row)."""
        with self._lock:
            row = self._connection.execute("SELECT snapshot FROM worlds WHERE name = ?", (name,)).fetchone()
        return None if row is None else json.loads(row[0])

    @property
    def rows_written(self) -> int:
        """Rows inserted, updated or deleted through this store since it was opened."""
        with self._lock:
            return self._connection.total_changes

    def _check_open(self) -> None:
        if self._closed:
            raise StoreClosed(f"{self.path} is closed: the change was not saved")

    def close(self) -> None:
        """Close the database (SQLite checkpoints the WAL into it). A change that still arrives
        raises ``StoreClosed``, so no answer claims a change that was not saved."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._connection.close()


# --- reading, checking and creating stores ---------------------------------------------------------------
def _check_sync(sync: str) -> None:
    if sync not in SYNC_MODES:
        raise ValueError(f"sync must be one of {', '.join(SYNC_MODES)}, not {sync!r}")


def _connect(path: Path, sync: str) -> sqlite3.Connection:
    """The server's one connection: autocommit (each statement its own transaction unless a
    ``BEGIN`` says otherwise), WAL, the chosen ``synchronous``, and an exclusive lock on the
    database, so a second server on the same file is refused instead of overwriting this one."""
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        connection.execute("PRAGMA locking_mode = EXCLUSIVE")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute(f"PRAGMA synchronous = {sync.upper()}")
        connection.execute("BEGIN IMMEDIATE")  # takes the lock now, holds it until close
        connection.execute("COMMIT")
    except sqlite3.Error as error:
        connection.close()
        raise StateFileError(
            _not_writable(path, error) or f"{path} cannot be opened for writing ({error})"
        ) from None
    return connection


def _unwritable(path: Path) -> str | None:
    """Which of the store's file or its folder cannot be written, if one cannot."""
    if path.exists() and not os.access(path, os.W_OK):
        return "the file is not writable"
    if not os.access(path.parent, os.W_OK):
        return f"its folder {path.parent} is not writable"
    return None


def _not_writable(path: Path, error: Exception) -> str | None:
    """A store SQLite cannot write said as such (which of the file or its folder, and why it must be
    writable), when that is why SQLite failed; else None."""
    text = str(error)
    what = _unwritable(path)
    if what is None and ("readonly" in text or "read-only" in text):
        what = "it is not writable (a read-only file system?)"
    if what is None:
        return None
    return (
        f"{path} cannot be used: {what}; serve writes every change there and SQLite keeps its -wal "
        f"and -shm files beside it (SQLite: {text})"
    )


def _damage(path: Path, problems: list[Any]) -> str:
    """What ``PRAGMA quick_check`` found, in one line: its first problem and how many more."""
    found = [
        line.strip()
        for problem in problems
        for line in str(problem).splitlines()
        if line.strip() and not line.startswith("*** in database")
    ]
    first = found[0] if found else "no detail given"
    more = f" (and {len(found) - 1} more problem(s))" if len(found) > 1 else ""
    return f"{path} is damaged: SQLite's integrity check found: {first}{more}"


def _dump(world: World) -> str:
    return json.dumps(world.snapshot(), separators=(",", ":"), ensure_ascii=False)


def read_store(path: Path) -> list[World]:
    """Every world of the store at ``path``, restored; checks everything first, read-only, and
    raises ``StateFileError`` saying why the file is no store this version can use."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as error:
        raise StateFileError(f"{path} cannot be read ({error.strerror})") from None
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise StateFileError(f"{path} is not a portal-harness state store (not an SQLite database)")
    application_id = int.from_bytes(header[68:72], "big")
    if application_id != APPLICATION_ID:
        raise StateFileError(f"{path} is an SQLite database but not a portal-harness state store")
    _check_format(path, int.from_bytes(header[60:64], "big"))
    return _read_rows(path)


def _check_format(path: Path, found: int) -> None:
    if found > STORE_FORMAT:
        raise StateFileError(
            f"{path} was written by a newer portal-harness (store format {found}; "
            f"this version reads format {STORE_FORMAT})"
        )
    if found < STORE_FORMAT:
        raise StateFileError(f"{path} has an unknown store format {found}")


def _read_rows(path: Path) -> list[World]:
    sidecars = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
    existed = {sidecar: sidecar.exists() for sidecar in sidecars}
    connection: sqlite3.Connection | None = None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        _check_format(path, connection.execute("PRAGMA user_version").fetchone()[0])  # the WAL's too
        problems = [row[0] for row in connection.execute("PRAGMA quick_check").fetchall()]
        if problems != ["ok"]:
            raise StateFileError(_damage(path, problems))
        columns = [row[1] for row in connection.execute("PRAGMA table_info(worlds)").fetchall()]
        if columns != ["name", "snapshot"]:
            raise StateFileError(f"{path} is damaged: its table of worlds is missing or changed")
        rows = connection.execute("SELECT name, snapshot FROM worlds ORDER BY rowid").fetchall()
    except sqlite3.OperationalError as error:
        if "locked" in str(error):
            raise StateFileError(f"{path} is in use by another portal-harness serve") from None
        raise StateFileError(
            _not_writable(path, error) or f"{path} is damaged or unreadable ({error})"
        ) from None
    except sqlite3.DatabaseError as error:
        raise StateFileError(f"{path} is damaged or unreadable ({error})") from None
    finally:
        if connection is not None:
            connection.close()
        for sidecar in sidecars:  # a read-only look leaves no files behind that were not there
            left = sidecar.exists() and not existed[sidecar]
            if left and (not sidecar.name.endswith("-wal") or _empty(sidecar)):
                with contextlib.suppress(OSError):
                    sidecar.unlink()
    return [_restore(path, name, text) for name, text in rows]


def _empty(path: Path) -> bool:
    try:
        return path.stat().st_size == 0
    except OSError:
        return False


def _restore(path: Path, name: Any, text: Any) -> World:
    try:
        check_world_name(name)
        if not isinstance(text, str):
            raise StateFileError(f"{path}: world {name!r}: its snapshot is not text")
        world = World.restore(json.loads(text), keep_origin=True)  # reset keeps its target
    except Refusal as refusal:
        raise StateFileError(f"{path}: world {name!r}: {refusal.message()}") from None
    except RecursionError:
        raise StateFileError(f"{path}: world {name!r}: its snapshot is nested too deeply") from None
    except ValueError as error:
        raise StateFileError(f"{path}: world {name!r}: its snapshot is not JSON ({error})") from None
    if world.name != name:
        raise StateFileError(f"{path}: world {name!r}: its snapshot names the world {world.name!r}")
    return world


def write_new_store(path: Path, worlds: list[World]) -> None:
    """Write a complete store holding ``worlds`` beside ``path``, then rename it into place (and
    sync the folder), so ``path`` never shows a half-made store. ``path`` must not exist, or be
    empty (0 bytes)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.new")
    _remove_database(temporary)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(temporary, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = FULL")
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version = {STORE_FORMAT}")
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(SCHEMA)
            for world in worlds:
                connection.execute(UPSERT, (world.name, _dump(world)))
            connection.execute("COMMIT")
        finally:
            connection.close()  # checkpoints the WAL into the file and removes it
        _fsync(temporary)
        if path.exists() and not _empty(path):
            raise StateFileError(f"{path} appeared while a new store was written; nothing was changed")
        os.replace(temporary, path)
        _fsync(path.parent)
    except sqlite3.Error as error:
        raise StateFileError(_not_writable(path, error) or f"{path} cannot be created ({error})") from None
    except (RecursionError, ValueError, TypeError) as error:
        raise StateFileError(f"{path} cannot be created: a world cannot be written ({error})") from None
    except OSError as error:
        raise StateFileError(f"{path} cannot be created ({error.strerror})") from None
    finally:
        _remove_database(temporary)


def _remove_database(path: Path) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
