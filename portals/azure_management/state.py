"""What this API keeps beside the backend, per ``World`` object (a ``WorldSideTable``, like the
journal): its long-running operations, and the file workspaces with their files. (Ticket properties
the rules never read live in the backend's ``SupportRequest.properties``, so snapshots carry them;
file workspaces, like operations, do not.)

Keyed by the World object, nothing leaks from one world into another, and resetting, restoring or
dropping a world (a new object) starts it empty. Operations only report: the ticket or the message
is created (or refused) by the backend when the PUT arrives, never later, so runs are
deterministic and no thread works in the background.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from portals.backend import Refusal, World
from portals.web.side_tables import WorldSideTable

_NAMESPACE = uuid.UUID("0b3d8a52-6f0e-4f57-9c3e-2f1a4e7d9b61")


@dataclass
class Operation:
    """One PUT of a ticket or a communication, as its ``Azure-AsyncOperation`` URL reports it.
    ``in_progress`` looks answer ``InProgress`` (with ``Retry-After: retry_after`` seconds), then
    each look says what happened at PUT time."""

    id: str
    upn: str
    scope: str  # "/subscriptions/<id>" or "" (the tenant-level routes)
    request_id: str  # the backend's request number of the ticket
    communication: str | None  # the message's name, for a communication
    started: datetime
    refusal: Refusal | None = None
    polls: int = 0
    in_progress: int = 1
    retry_after: int = 1
    version: str = "2024-04-01"

    def poll(self) -> str:
        """``InProgress`` for the first ``in_progress`` looks, then what happened at PUT time."""
        self.polls += 1
        if self.polls <= self.in_progress:
            return "InProgress"
        return "Failed" if self.refusal is not None else "Succeeded"


#: How long a file workspace lives: the live service answers an expirationTime one day after
#: createdOn (Azure/azure-cli-extensions, src/support/azext_support/tests/latest/recordings/
#: test_support_file_attachment_in_subscription.yaml).
WORKSPACE_LIFETIME = timedelta(days=1)
#: How long an operation's status stays to be asked for, on the world's clock, and how many
#: operations a world keeps at most (the oldest go first), so a long-lived ``serve`` keeps bounded
#: memory however many creates it answers.
OPERATION_LIFETIME = timedelta(days=1)
MAX_OPERATIONS = 1000


@dataclass
class UploadedFile:
    """A file of a workspace: its declared sizes, and what was uploaded of each chunk (its size in
    bytes and SHA-256; the bytes themselves are not kept)."""

    name: str
    created: datetime
    file_size: int
    chunk_size: int
    chunks: int
    uploaded: dict[int, tuple[int, str]] = field(default_factory=dict)


@dataclass
class FileWorkspace:
    name: str
    upn: str
    created: datetime
    files: dict[str, UploadedFile] = field(default_factory=dict)

    @property
    def expires(self) -> datetime:
        return self.created + WORKSPACE_LIFETIME


@dataclass
class ApiState:
    operations: dict[str, Operation] = field(default_factory=dict)
    workspaces: dict[tuple[str, str], FileWorkspace] = field(default_factory=dict)
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
        version: str = "2024-04-01",
    ) -> Operation:
        """Record an operation that answers ``InProgress`` for the world's ``lro_polls`` looks,
        with its ``lro_retry_after``; its ID is a GUID derived from the world's seed and a counter,
        so runs repeat."""
        settings = world.state.settings
        with self.lock:
            self.purge(world.now)
            self.counter += 1
            op_id = str(uuid.uuid5(_NAMESPACE, f"{world.state.seed}/{world.name}/{self.counter}"))
            operation = Operation(
                op_id,
                upn.lower(),
                scope,
                request_id,
                communication,
                world.now,
                refusal,
                in_progress=settings.lro_polls,
                retry_after=settings.lro_retry_after,
                version=version,
            )
            self.operations[op_id] = operation
            return operation

    def purge(self, now: datetime) -> None:
        """Forget expired file workspaces, operations older than ``OPERATION_LIFETIME`` and, past
        ``MAX_OPERATIONS``, the oldest operations (the caller holds ``lock``)."""
        for key in [k for k, w in self.workspaces.items() if now >= w.expires]:
            del self.workspaces[key]
        for op_id in [i for i, o in self.operations.items() if now - o.started >= OPERATION_LIFETIME]:
            del self.operations[op_id]
        while len(self.operations) >= MAX_OPERATIONS:
            del self.operations[next(iter(self.operations))]  # dicts keep insertion order: the oldest

    def add_workspace(self, upn: str, name: str, now: datetime) -> FileWorkspace:
        """The account's live workspace ``name``, else a new one (expired ones are purged first)."""
        with self.lock:
            self.purge(now)
            key = (upn.lower(), name.lower())
            found = self.workspaces.get(key)
            if found is None:
                found = self.workspaces[key] = FileWorkspace(name, upn.lower(), now)
            return found

    def poll(self, operation: Operation) -> str:
        """``operation.poll()`` under the lock: concurrent looks each count once."""
        with self.lock:
            return operation.poll()

    def operation(self, op_id: str, upn: str) -> Operation | None:
        """An operation of this account (another account's is as good as unknown)."""
        operation = self.operations.get(op_id.lower())
        return operation if operation is not None and operation.upn == upn.lower() else None

    def workspace(self, upn: str, name: str) -> FileWorkspace | None:
        """A file workspace of this account by name (any case)."""
        return self.workspaces.get((upn.lower(), name.lower()))


#: The operations and file workspaces of each world.
OPERATIONS: WorldSideTable[ApiState] = WorldSideTable(lambda world: ApiState())


def state_of(world: World) -> ApiState:
    """The long-running operations and file workspaces of ``world`` (made on first use)."""
    return OPERATIONS(world)
