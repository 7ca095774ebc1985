"""Making and dropping the worlds of tests and scenarios: over the control API (a server anywhere),
or, when the stack runs in this process, straight through its registry, the same registry the
control API and the portals use: the same isolation (a world of its own, from the same seed
document), without an HTTP round trip for each. Both answer alike: the world's summary, or a
``PortalError`` with the status, code and message the control API gives.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Protocol

from harness.clients import PortalError

if TYPE_CHECKING:
    from harness.control_client import ControlClient
    from portals.backend import WorldRegistry


class Worlds(Protocol):
    """Creates and drops worlds by name."""

    def create(self, name: str, document: dict[str, Any] | None = None) -> dict[str, Any]:
        """A new world from ``document``: its summary (``name``, ``now``, ...). Raises
        ``PortalError`` (400 InvalidSeed naming the field, 409 WorldExists, ...)."""

    def drop(self, name: str) -> None:
        """Forget the world (``default`` is reset instead). Raises ``PortalError`` 404 when there
        is none of that name."""


class ControlWorlds:
    """Worlds over the control API (``POST`` and ``DELETE /_harness/worlds``)."""

    def __init__(self, control: ControlClient) -> None:
        self.control = control

    def create(self, name: str, document: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.control.create_world(name, document)

    def drop(self, name: str) -> None:
        self.control.delete_world(name)


class RegistryWorlds:
    """Worlds through a registry in this process. The document goes in as the control API would
    receive it (a JSON copy: later changes to the caller's dict do not reach the world), and a
    refusal comes out as the control API answers it (its status and en-US message)."""

    def __init__(self, registry: WorldRegistry) -> None:
        self.registry = registry

    def create(self, name: str, document: dict[str, Any] | None = None) -> dict[str, Any]:
        sent = None if document is None else json.loads(json.dumps(document))
        return self._answer(lambda: self.registry.create(name, sent).summary())

    def drop(self, name: str) -> None:
        self._answer(lambda: self.registry.drop(name))

    @staticmethod
    def _answer(action: Any) -> Any:
        from portals.backend import Refusal
        from portals.web.errors import error_body, status_of

        try:
            return action()
        except Refusal as refusal:
            body = error_body(refusal, "en-US")
            raise PortalError(status_of(refusal), refusal.code, body["message"], body) from None
