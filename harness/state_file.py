"""``serve --state-file``: every world saved to one JSON file, written atomically (a temporary file,
fsync, then rename), so a process killed at any moment leaves either the old file or the new one."""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from portals.backend import World, WorldRegistry

FORMAT = "portal-harness/state@1"


class StateFile:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def load_into(self, registry: WorldRegistry) -> int:
        """Restore every saved world into ``registry``; returns how many. A missing file is empty."""
        if not self.path.exists():
            return 0
        data = json.loads(self.path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"{self.path} is not a portal-harness state file")
        for snapshot in data["worlds"]:
            registry.put(World.restore(snapshot, keep_origin=True))  # reset keeps its target
        return len(data["worlds"])

    def save(self, registry: WorldRegistry) -> None:
        data: dict[str, Any] = {"format": FORMAT, "worlds": [world.snapshot() for world in registry]}
        text = json.dumps(data, separators=(",", ":"))
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(temporary, self.path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
