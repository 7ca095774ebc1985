"""``WorldSideTable``: data the web layer keeps beside each ``World`` object (its journal, its fault
rules, ARM's long-running operations), never inside the backend's state.

Keyed by the world object's identity: the apps of a stack, which share one registry, see one row
per world; resetting, restoring or dropping a world makes a new ``World`` object, so its row starts
empty, and the old row goes when the old object is collected. Nothing leaks from one world into
another, nor from one scenario into the next.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

from portals.backend import World

T = TypeVar("T")


class WorldSideTable(Generic[T]):
    """One value per live ``World`` object, made by ``factory(world)`` on first use. Thread-safe."""

    def __init__(self, factory: Callable[[World], T]) -> None:
        self._factory = factory
        self._rows: dict[int, tuple[weakref.ref[World], T]] = {}
        self._dead: list[tuple[int, weakref.ref[World]]] = []
        self._lock = threading.Lock()

    def __call__(self, world: World) -> T:
        """The value of ``world``, made now if it has none."""
        with self._lock:
            self._purge()
            row = self._rows.get(id(world))
            if row is not None and row[0]() is world:
                return row[1]
            value = self._factory(world)
            forget = functools.partial(self._forget, id(world))
            self._rows[id(world)] = (weakref.ref(world, forget), value)
            return value

    def peek(self, world: World) -> T | None:
        """The value of ``world`` if it has one, without making it."""
        with self._lock:
            self._purge()
            row = self._rows.get(id(world))
            return row[1] if row is not None and row[0]() is world else None

    def __len__(self) -> int:
        """How many live worlds have a value."""
        with self._lock:
            self._purge()
            return sum(1 for ref, _ in self._rows.values() if ref() is not None)

    def purge(self) -> None:
        """Let go now of the values of worlds that were collected (otherwise done on next use)."""
        if not self._dead:
            return  # nothing collected since: no lock to take
        with self._lock:
            self._purge()

    def _forget(self, key: int, ref: weakref.ref[World]) -> None:
        # Called when the world is collected, possibly in the middle of another method: only note it.
        self._dead.append((key, ref))

    def _purge(self) -> None:
        while self._dead:
            key, ref = self._dead.pop()
            row = self._rows.get(key)
            if row is not None and row[0] is ref:
                del self._rows[key]
