"""What this API keeps beside the backend, per ``World`` object (a ``WorldSideTable``, like the
journal): its long-running operations. (Ticket properties the rules never read live in the
backend's ``SupportRequest.properties``, so snapshots carry them.)

Keyed by the World object, nothing leaks from one world into another, and resetting, restoring or
dropping a world (a new object) starts it empty. Operations only report: the ticket or the message
is created (or refused) by the backend when the PUT arrives, never later, so runs are
deterministic and no thread works in the background.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from portals.backend import Refusal, World
from portals.web.side_tables import WorldSideTable

_NAMESPACE = uuid.UUID("0b3d8a52-6f0e-4f57-9c3e-2f1a4e7d9b61")


@dataclass
class Operation:
    """One PUT of a ticket or a communication, as its ``Azure-AsyncOperation`` URL reports it."""

    id: str
    upn: str
    scope: str  # "/subscriptions/<id>" or "" (the tenant-level routes)
    request_id: str  # the backend's request number of the ticket
    communication: str | None  # the message's name, for a communication
    started: datetime
    refusal: Refusal | None = None
    polls: int = 0

    def poll(self) -> str:
        """InProgress on the first look, then what happened at PUT time."""
        self.polls += 1
        if self.polls == 1:
            return "InProgress"
        return "Failed" if self.refusal is not None else "Succeeded"


@dataclass
class ApiState:
    operations: dict[str, Operation] = field(default_factory=dict)
    counter: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(
        self,
        world: World,
        upn: str,
        scope: str,
        request_id: str,
        communication: str | None = None,
        refusal: Refusal | None = None,
    ) -> Operation:
        """Record an operation; its ID is a GUID derived from the world's seed and a counter, so
        runs repeat."""
        with self.lock:
            self.counter += 1
            op_id = str(uuid.uuid5(_NAMESPACE, f"{world.state.seed}/{world.name}/{self.counter}"))
            operation = Operation(op_id, upn.lower(), scope, request_id, communication, world.now, refusal)
            self.operations[op_id] = operation
            return operation

    def operation(self, op_id: str, upn: str) -> Operation | None:
        """An operation of this account (another account's is as good as unknown)."""
        operation = self.operations.get(op_id.lower())
        return operation if operation is not None and operation.upn == upn.lower() else None


#: The operations of each world.
OPERATIONS: WorldSideTable[ApiState] = WorldSideTable(lambda world: ApiState())


def state_of(world: World) -> ApiState:
    """The long-running operations of ``world`` (made on first use)."""
    return OPERATIONS(world)
