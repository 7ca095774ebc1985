"""The world registry: many worlds side by side in one process, created, listed, reset and dropped.

Portals and the harness share one registry; a world is found by name on every request. An observer
(``serve --state-file``'s store) is told of every change: a world changed, placed, removed, or all
cleared, each before the caller gets its answer.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from portals.backend.errors import Refusal
from portals.backend.world import World

DEFAULT_WORLD = "default"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def check_world_name(name: Any) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise Refusal(
            "InvalidInput",
            detail="world name: 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit",
        )
    return name


class RegistryObserver(Protocol):
    """What a registry tells an observer, each time before the operation returns. Lock order:
    ``world_changed`` and ``cleared`` run under the world's lock (never under the registry's), so
    an observer takes its own lock after the world's, never before."""

    def world_changed(self, world: World) -> None:
        """``world`` changed, or was just placed in the registry (created, reset, restored)."""

    def world_removed(self, name: str) -> None:
        """The world of this name was dropped (unless the registry holds one of that name again)."""

    def cleared(self, default: World) -> None:
        """Every world was dropped; ``default`` is the fresh ``default`` world."""


class WorldRegistry:
    """Thread-safe map of world name to World. The ``default`` world always exists."""

    def __init__(
        self, default_document: dict[str, Any] | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._worlds: dict[str, World] = {}
        self._used: dict[str, float] = {}  # name -> when a caller last asked for the world (``get``)
        self._clock = clock
        self._lock = threading.Lock()
        self._numbers = itertools.count(1)
        self._default_document = default_document
        self._observer: RegistryObserver | None = None
        self._worlds[DEFAULT_WORLD] = self._install(self._build(DEFAULT_WORLD, default_document, None))

    # --- the observer ----------------------------------------------------------------------------
    def observe(self, observer: RegistryObserver | None) -> None:
        """Tell ``observer`` of every change from now on (None: nobody)."""
        self._observer = observer

    def holds(self, world: World) -> bool:
        """Whether ``world`` is the registry's world of its name (not one reset or dropped since)."""
        return self._worlds.get(world.name) is world

    def _install(self, world: World) -> World:
        world.on_change = self._changed  # type: ignore[assignment]
        return world

    @staticmethod
    def _retire(world: World | None) -> None:
        if world is not None:
            world.on_change = None

    def _changed(self, world: World) -> None:
        observer = self._observer
        if observer is not None:
            observer.world_changed(world)

    @staticmethod
    def _build(name: str, document: dict[str, Any] | None, seed: str | None) -> World:
        if document is None:
            return World(name, seed=seed)
        from portals.backend.seed import build_world

        return build_world(name, document, seed=seed)

    def create(
        self, name: str | None = None, document: dict[str, Any] | None = None, seed: str | None = None
    ) -> World:
        """A new world, empty or from a seed document. The document is validated before the name is
        taken, so a bad document leaves the registry as it was."""
        if name is None:
            with self._lock:
                name = self._fresh_name()
        check_world_name(name)
        if name in self._worlds:
            raise Refusal("WorldExists", world=name)
        world = self._install(self._build(name, document, seed))
        with self._lock:
            if name in self._worlds:
                raise Refusal("WorldExists", world=name)
            self._worlds[name] = world
            self._used[name] = self._clock()
        world.announce()
        return world

    def _fresh_name(self) -> str:
        while True:
            candidate = f"world-{next(self._numbers)}"
            if candidate not in self._worlds:
                return candidate

    def get(self, name: str) -> World:
        """The world of this name (every request names one), which counts as a use of it."""
        world = self._worlds.get(name) if isinstance(name, str) else None
        if world is None:
            raise Refusal("WorldNotFound", world=str(name))
        self._used[name] = self._clock()
        return world

    def expire(self, idle: float) -> list[str]:
        """Drop the worlds nobody asked for (``get``) in the last ``idle`` seconds, nor created,
        reset or restored; never ``default``. Returns their names (``serve --world-ttl``)."""
        cutoff = self._clock() - idle
        with self._lock:
            names = [n for n in self._worlds if n != DEFAULT_WORLD and self._used.get(n, cutoff) < cutoff]
        expired = []
        for name in names:
            if self._used.get(name, cutoff) < cutoff:  # not asked for meanwhile
                try:
                    self.drop(name)
                except Refusal:  # dropped meanwhile
                    continue
                expired.append(name)
        return expired

    def __contains__(self, name: object) -> bool:
        return name in self._worlds

    def __iter__(self) -> Iterator[World]:
        with self._lock:
            return iter(list(self._worlds.values()))

    def __len__(self) -> int:
        return len(self._worlds)

    def names(self) -> list[str]:
        with self._lock:
            return list(self._worlds)

    def reset(self, name: str) -> World:
        """Back to the state the world was last built from: the snapshot it was last restored
        from, else its seed document (or empty). Journal and fault rules start empty."""
        fresh = self._install(self.get(name).rebuilt())
        with self._lock:
            self._retire(self._worlds.get(name))
            self._worlds[name] = fresh
            self._used[name] = self._clock()
        fresh.announce()
        return fresh

    def put(self, world: World) -> World:
        """Install a world (a restored snapshot), replacing any world of the same name."""
        check_world_name(world.name)
        self._install(world)
        with self._lock:
            self._retire(self._worlds.get(world.name))
            self._worlds[world.name] = world
            self._used[world.name] = self._clock()
        world.announce()
        return world

    def drop(self, name: str) -> None:
        """Forget a world. Dropping ``default`` resets it instead: it always exists."""
        if name == DEFAULT_WORLD:
            self.reset(name)
            return
        with self._lock:
            dropped = self._worlds.pop(name, None)
            if dropped is None:
                raise Refusal("WorldNotFound", world=str(name))
            self._used.pop(name, None)
            self._retire(dropped)
        observer = self._observer
        if observer is not None:
            observer.world_removed(name)

    def clear(self) -> None:
        """Drop every world and reset ``default`` (moto's ``/moto-api/reset``)."""
        default = self._install(self._build(DEFAULT_WORLD, self._default_document, None))
        with self._lock:
            for world in self._worlds.values():
                self._retire(world)
            self._worlds = {DEFAULT_WORLD: default}
            self._used = {DEFAULT_WORLD: self._clock()}
        observer = self._observer
        if observer is not None:
            with default.lock:
                observer.cleared(default)
