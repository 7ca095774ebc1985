"""The core every operation module builds on: the world's state, its lock, its change hook, the
indexes of its requests, and shared look-ups.

Kept apart from ``world.py`` so that each portal's operations (``partner_center.py``,
``support_for_business.py``, ``azure.py``) can be a small mixin over the same state.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any, ParamSpec, TypeVar

from portals.backend import ids
from portals.backend.errors import Refusal
from portals.backend.model import (
    Account,
    Association,
    Contract,
    Organisation,
    Portal,
    SupportRequest,
    WorldState,
)

P = ParamSpec("P")
R = TypeVar("R")


def atomic(method: Callable[P, R]) -> Callable[P, R]:
    """Run a world operation that only reads under the world's lock, so it never sees half a
    change. Operations that may change the world are ``changes``."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with args[0]._lock:  # type: ignore[attr-defined]
            return method(*args, **kwargs)

    wrapper.world_operation = "reads"  # type: ignore[attr-defined]
    return wrapper


def changes(method: Callable[P, R]) -> Callable[P, R]:
    """Run a world operation that may change the world under the world's lock: checks and changes
    happen as one step, so concurrent requests never lose or double-count an incident. When the
    outermost change returns (not when it is refused: a refusal changes nothing), the world's
    ``on_change`` hook runs, still under the lock, before the caller sees the result: a state store
    commits the world there, so whatever a client is answered next is already saved."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        world: WorldCore = args[0]  # type: ignore[assignment]
        with world._lock:
            world._changing += 1
            try:
                result = method(*args, **kwargs)
            finally:
                world._changing -= 1
            if not world._changing and world.on_change is not None:
                world.on_change(world)
            return result

    wrapper.world_operation = "changes"  # type: ignore[attr-defined]
    return wrapper


class RequestIndex:
    """The look-ups of a world's support requests that must cost the same with 10 requests or
    10,000: each account's requests in filing order, all and per portal, Azure tickets by
    (account, resource name in lower case: ARM names match in any case), and every resource name
    chosen in the world (``chosen``, in lower case, which new request numbers skip, so a name
    always identifies one ticket). Request numbers need none: ``state.requests`` is keyed by them.

    Kept by ``WorldCore.file_request``, the one place requests are filed (no request is ever
    removed or renamed), and rebuilt whenever a world's state is replaced (``World.restore``)."""

    def __init__(self) -> None:
        self.by_account: dict[str, list[str]] = {}
        self.by_portal: dict[tuple[str, Portal], list[str]] = {}
        self.named: dict[tuple[str, str], str] = {}
        self.chosen: set[str] = set()

    @classmethod
    def of(cls, state: WorldState) -> RequestIndex:
        index = cls()
        for request in state.requests.values():  # filing order: snapshots keep it
            index.add(request)
        return index

    def add(self, request: SupportRequest) -> None:
        self.by_account.setdefault(request.upn, []).append(request.id)
        self.by_portal.setdefault((request.upn, request.portal), []).append(request.id)
        if request.name is not None and request.portal is Portal.AZURE:
            self.named[(request.upn, request.name.lower())] = request.id
            self.chosen.add(request.name.lower())

    def ids(self, upn: str, portal: Portal | None = None) -> list[str]:
        """The account's request numbers, oldest first (the index's own list: do not change it)."""
        found = self.by_account.get(upn) if portal is None else self.by_portal.get((upn, portal))
        return found if found is not None else []


class WorldCore:
    """State, lock and look-ups. No rule lives here beyond "unknown ID" refusals."""

    def __init__(self, state: WorldState) -> None:
        self._lock = threading.RLock()
        self._changing = 0  # how many ``changes`` operations are running in this thread (nested)
        #: Called with the world, under its lock, after each change (``changes``); the registry
        #: that holds the world sets it. None: nobody is told.
        self.on_change: Callable[[WorldCore], None] | None = None
        self.state = state

    @property
    def state(self) -> WorldState:
        """Everything the world knows. Setting it (a restore) rebuilds the request indexes."""
        return self._state

    @state.setter
    def state(self, state: WorldState) -> None:
        with self._lock:
            self._state = state
            self.requests_index = RequestIndex.of(state)

    @property
    def lock(self) -> threading.RLock:
        """The world's lock (re-entrant): hold it to see or save the world between operations."""
        return self._lock

    def announce(self) -> None:
        """Run the ``on_change`` hook now, under the lock, as after a change (a world just put
        into a registry)."""
        with self._lock:
            if self.on_change is not None:
                self.on_change(self)

    @property
    def name(self) -> str:
        return self.state.name

    @property
    def now(self) -> datetime:
        return self.state.now

    # --- look-ups --------------------------------------------------------------------------------
    def account(self, upn: str) -> Account:
        if not isinstance(upn, str) or not upn.strip():
            raise Refusal("AccountNotFound", upn=str(upn))
        account = self.state.accounts.get(upn.strip().lower())
        if account is None:
            raise Refusal("AccountNotFound", upn=upn)
        return account

    def organisation_of(self, account: Account) -> Organisation | None:
        return self.state.organisations.get(account.organisation) if account.organisation else None

    def contract_by_ids(self, access_id: Any, contract_id: Any) -> Contract:
        """D3: the contract an ID pair names; both IDs must match one contract. A CSP contract has
        no Access ID, so no pair names it (D12: only the CSP flow adds it, to customers)."""
        if not isinstance(access_id, str) or not isinstance(contract_id, str):
            raise Refusal("ContractNotFound")
        contract = self.state.contracts.get(contract_id.strip())
        if (
            contract is None
            or contract.access_id is None
            or contract.access_id.lower() != access_id.strip().lower()
        ):
            raise Refusal("ContractNotFound")
        return contract

    def is_associated(self, upn: str, contract_id: str) -> bool:
        key = upn.lower()
        return any(a.upn == key and a.contract_id == contract_id for a in self.state.associations)

    def associate(self, upn: str, contract_id: str, portal: Portal) -> None:
        self.state.associations.append(Association(upn.lower(), contract_id, portal, self.now))

    def file_request(self, account: Account, portal: Portal, **fields: Any) -> SupportRequest:
        """Number, date and store a new support request of ``account`` (callers check the rules).
        The number skips any resource name a client chose for a ticket (an Azure portal ticket's
        resource name is its number), so a name never stands for two tickets."""
        number = ids.next_request_id(self.state, self.now)
        while number in self.requests_index.chosen:
            number = ids.next_request_id(self.state, self.now)
        request = SupportRequest(
            id=number,
            portal=portal,
            upn=account.upn.lower(),
            created_at=self.now,
            **fields,
        )
        self.state.requests[request.id] = request
        self.requests_index.add(request)
        return request

    def associated_contracts(self, upn: str) -> list[Contract]:
        """The account's contracts, in the order they were associated, each once."""
        key, seen, contracts = upn.lower(), set(), []
        for association in self.state.associations:
            if association.upn == key and association.contract_id not in seen:
                seen.add(association.contract_id)
                contracts.append(self.state.contracts[association.contract_id])
        return contracts


def require_text(value: Any, field: str, max_length: int = 4000) -> str:
    """A required, non-empty string field of an operation's input."""
    if not isinstance(value, str) or not value.strip():
        raise Refusal("InvalidInput", detail=f"{field}: a non-empty text is required")
    if len(value) > max_length:
        raise Refusal("InvalidInput", detail=f"{field}: at most {max_length} characters")
    return value.strip()


def request_details(title: Any, description: Any, severity: Any) -> tuple[str, str, str]:
    """The summary, description and severity every support request needs, checked once for all
    portals."""
    from portals.backend.catalog import SEVERITIES

    if severity not in SEVERITIES:
        raise Refusal("InvalidInput", detail=f"severity: must be one of {', '.join(SEVERITIES)}")
    return require_text(title, "title", 200), require_text(description, "description"), severity
