"""A world as the harness's dashboard shows it: everything it holds, copied at one moment.

A harness view, not a portal's: it shows counts and pools as they are (no rule hides them here).
``World.overview()`` builds it under the world's lock, so it never shows half a change; the
objects are copies, so reading them later never races with the world.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime, timedelta

from portals.backend.model import (
    Account,
    Association,
    Contract,
    ContractKind,
    CustomerAssociation,
    Organisation,
    SupportRequest,
    WorldState,
)

#: How many of the latest support requests an overview holds by default.
LATEST_REQUESTS = 100
#: The catalog key naming each kind of contract (Partner Center's names; backend ``ContractKind``).
CONTRACT_NAMES: dict[str, str] = {
    ContractKind.PARTNER_BENEFITS.value: "partner_support_contract",
    ContractKind.PREMIER.value: "premier_support",
    ContractKind.ADVANCED.value: "advanced_support",
    ContractKind.CSP.value: "cloud_solution_provider",
}


@dataclass(frozen=True)
class ContractOverview:
    """A contract and its state at the world's moment: ``pending`` (activation not complete, D2),
    ``active``, or ``expired`` (its term is over); a pool's ``remaining`` is on the contract."""

    contract: Contract
    state: str

    @property
    def bought(self) -> bool:
        """A paid plan (Premier or Advanced, D9)."""
        return self.contract.kind in (ContractKind.PREMIER, ContractKind.ADVANCED)


@dataclass(frozen=True)
class WorldOverview:
    """One world's state for people: settings, organisations, accounts, contracts with their pools,
    associations (D3) and where each was made, the CSP contract per customer (D12), and the latest
    support requests (newest first) out of ``request_count``, with their plans' names."""

    name: str
    seed: str
    now: datetime
    azure_link_mode: str
    activation_delay: timedelta
    organisations: tuple[Organisation, ...]
    accounts: tuple[Account, ...]
    contracts: tuple[ContractOverview, ...]
    associations: tuple[Association, ...]
    customer_associations: tuple[CustomerAssociation, ...]
    requests: tuple[SupportRequest, ...]
    request_count: int

    def organisation(self, org_id: str) -> Organisation | None:
        return next((org for org in self.organisations if org.id == org_id), None)

    def contract(self, contract_id: str | None) -> ContractOverview | None:
        return next((c for c in self.contracts if c.contract.contract_id == contract_id), None)


def overview_of(state: WorldState, latest: int = LATEST_REQUESTS) -> WorldOverview:
    """The overview of ``state`` (call it under the world's lock): copies of its parts, the
    ``latest`` support requests newest first."""
    now = state.now

    def contract_state(contract: Contract) -> str:
        if contract.pending(now):
            return "pending"
        return "expired" if contract.expired(now) else "active"

    newest = list(state.requests.values())[-latest:] if latest > 0 else []
    return WorldOverview(
        name=state.name,
        seed=state.seed,
        now=now,
        azure_link_mode=state.settings.azure_link_mode.value,
        activation_delay=state.settings.activation_delay,
        organisations=tuple(copy.deepcopy(list(state.organisations.values()))),
        accounts=tuple(copy.deepcopy(sorted(state.accounts.values(), key=lambda a: a.upn.lower()))),
        contracts=tuple(
            ContractOverview(copy.deepcopy(c), contract_state(c)) for c in state.contracts.values()
        ),
        associations=tuple(copy.deepcopy(state.associations)),
        customer_associations=tuple(copy.deepcopy(state.customer_associations)),
        requests=tuple(copy.copy(r) for r in reversed(newest)),
        request_count=len(state.requests),
    )
