"""The world registry: many worlds side by side in one process, created, listed, reset and dropped.

Portals and the harness share one registry; a world is found by name on every request.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Iterator
from typing import Any

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


class WorldRegistry:
    """Thread-safe map of world name to World. The ``default`` world always exists."""

    def __init__(self, default_document: dict[str, Any] | None = None) -> None:
        self._worlds: dict[str, World] = {}
        self._lock = threading.Lock()
        self._numbers = itertools.count(1)
        self._default_document = default_document
        self._worlds[DEFAULT_WORLD] = self._build(DEFAULT_WORLD, default_document, None)

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
        world = self._build(name, document, seed)
        with self._lock:
            if name in self._worlds:
                raise Refusal("WorldExists", world=name)
            self._worlds[name] = world
        return world

    def _fresh_name(self) -> str:
        while True:
            candidate = f"world-{next(self._numbers)}"
            if candidate not in self._worlds:
                return candidate

    def get(self, name: str) -> World:
        world = self._worlds.get(name) if isinstance(name, str) else None
        if world is None:
            raise Refusal("WorldNotFound", world=str(name))
        return world

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
        fresh = self.get(name).rebuilt()
        with self._lock:
            self._worlds[name] = fresh
        return fresh

    def put(self, world: World) -> World:
        """Install a world (a restored snapshot), replacing any world of the same name."""
        check_world_name(world.name)
        with self._lock:
            self._worlds[world.name] = world
        return world

    def drop(self, name: str) -> None:
        """Forget a world. Dropping ``default`` resets it instead: it always exists."""
        if name == DEFAULT_WORLD:
            self.reset(name)
            return
        with self._lock:
            if self._worlds.pop(name, None) is None:
                raise Refusal("WorldNotFound", world=str(name))

    def clear(self) -> None:
        """Drop every world and reset ``default`` (moto's ``/moto-api/reset``)."""
        with self._lock:
            self._worlds = {DEFAULT_WORLD: self._build(DEFAULT_WORLD, self._default_document, None)}
