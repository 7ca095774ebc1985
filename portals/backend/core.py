"""The core every operation module builds on: the world's state, its lock, and shared look-ups.

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
    """Run a world operation under the world's lock: checks and changes happen as one step, so
    concurrent requests never lose or double-count an incident."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with args[0]._lock:  # type: ignore[attr-defined]
            return method(*args, **kwargs)

    return wrapper


class WorldCore:
    """State, lock and look-ups. No rule lives here beyond "unknown ID" refusals."""

    def __init__(self, state: WorldState) -> None:
        self.state = state
        self._lock = threading.RLock()

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
        """Number, date and store a new support request of ``account`` (callers check the rules)."""
        request = SupportRequest(
            id=ids.next_request_id(self.state, self.now),
            portal=portal,
            upn=account.upn.lower(),
            created_at=self.now,
            **fields,
        )
        self.state.requests[request.id] = request
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
