"""The state of one world, as plain dataclasses (no behaviour beyond simple derived facts).

Everything a world knows lives in one ``WorldState``, so a snapshot is that object as JSON and a
restore is the reverse (see ``snapshot.py``). Rules live in ``world.py`` and its operation modules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any


class Membership(StrEnum):
    ACTION_PACK = "action_pack"
    SILVER = "silver"
    GOLD = "gold"


class Program(StrEnum):
    MPN = "mpn"
    CSP = "csp"


class AccountKind(StrEnum):
    AAD = "aad"  # a work account in a tenant
    MSA = "msa"  # a personal Microsoft account, no tenant


class Role(StrEnum):
    GLOBAL_ADMIN = "global_admin"
    MPN_PARTNER_ADMIN = "mpn_partner_admin"
    ADMIN_AGENT = "admin_agent"
    USER = "user"


class AzureLinkMode(StrEnum):
    """D5: what "Link support benefits" answers for a contract the account already has."""

    SPURIOUS = "spurious"
    DIAGNOSTIC = "diagnostic"


class ContractKind(StrEnum):
    PARTNER_BENEFITS = "partner_benefits"  # from activation (D1)
    PREMIER = "premier"  # bought (D9)
    ADVANCED = "advanced"  # bought (D9), cloud only
    CSP = "csp"  # the partner's "Cloud Solution Provider" contract, added to its customers (D12)


class Portal(StrEnum):
    SUPPORT_FOR_BUSINESS = "sfb"
    AZURE = "azure"
    PARTNER_CENTER = "partner_center"  # the partner's own service requests (Partner Center REST)


class RequestStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass
class Competency:
    name: str
    level: str  # "silver" | "gold"


@dataclass
class Customer:
    id: str
    name: str
    tenant: str


@dataclass
class Organisation:
    id: str
    name: str
    tenant: str
    programs: list[Program]
    membership: Membership | None = None
    membership_end: datetime | None = None
    competencies: list[Competency] = field(default_factory=list)
    customers: list[Customer] = field(default_factory=list)
    benefits_contract: str | None = None  # contract_id once activation was requested
    csp_contract: str | None = None  # contract_id of its CSP contract once the CSP flow first used it (D12)

    def in_program(self, program: Program) -> bool:
        return program in self.programs

    def customer(self, customer_id: str) -> Customer | None:
        return next((c for c in self.customers if c.id == customer_id), None)


@dataclass
class Account:
    upn: str
    kind: AccountKind
    display_name: str
    tenant: str | None = None
    organisation: str | None = None  # the partner organisation of an AAD account, if any
    roles: list[Role] = field(default_factory=list)

    def has_role(self, *roles: Role) -> bool:
        return any(r in self.roles for r in roles)


def personal_account_extras(organisation: str | None, tenant: str | None, roles: list[Role]) -> list[str]:
    """D8: the fields a personal (msa) account has and may not: an organisation, a tenant, a role
    but ``user`` (the role every account has). Seeds and snapshots both refuse them."""
    extras = [
        name for name, value in (("organisation", organisation), ("tenant", tenant)) if value is not None
    ]
    if any(role != Role.USER for role in roles):
        extras.append("roles")
    return extras


@dataclass
class Pool:
    """An incident pool. ``limit`` None means unlimited."""

    limit: int | None
    used: int = 0

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.used, 0)

    @property
    def exhausted(self) -> bool:
        return self.limit is not None and self.used >= self.limit

    def use_one(self) -> None:
        """One incident used; an unlimited pool counts nothing (D6)."""
        if self.limit is not None:
            self.used += 1


@dataclass
class Contract:
    """A support contract of a partner organisation. A CSP contract (D12) has no Access ID (nobody
    types its IDs: the CSP flow adds it to customers), no end and no incident pool."""

    access_id: str | None  # None: a CSP contract, which no ID pair names
    contract_id: str
    organisation: str
    kind: ContractKind
    requested_at: datetime
    start: datetime  # activation completes here (D2); before it the contract is pending
    end: datetime | None  # None: open-ended (a CSP contract lasts as long as the partner is in CSP)
    on_premises: Pool | None = None  # None: no on-premises support in this contract
    cloud: Pool | None = None  # None: no Signature Cloud Support (Action Pack)
    purchased_by: str | None = None

    def pending(self, now: datetime) -> bool:
        return now < self.start

    def expired(self, now: datetime) -> bool:
        return self.end is not None and now >= self.end


@dataclass
class Association:
    """D3: a (user account, contract) pair, shared by Support for Business and Azure."""

    upn: str
    contract_id: str
    portal: Portal
    at: datetime


@dataclass
class CustomerAssociation:
    """D12: the partner's CSP contract added to one of its CSP customers, in the workload's portal,
    by the Admin agent whose request added it. One per (customer, contract)."""

    organisation: str
    customer: str
    contract_id: str
    portal: Portal
    at: datetime
    by: str


@dataclass
class Communication:
    """A message on a support request (the Azure Support API's communications)."""

    name: str
    sender: str
    subject: str
    body: str
    created_at: datetime


@dataclass
class SupportRequest:
    id: str
    portal: Portal
    upn: str
    product: str  # a product id, or a support topic id for Partner Center requests
    title: str
    description: str
    severity: str
    plan: str  # a contract_id, "csp", or "" when no plan is involved (Partner Center requests)
    created_at: datetime
    contract_id: str | None = None
    customer: str | None = None  # CSP flow: the customer the request is for
    status: str = "open"
    name: str | None = None  # the client's resource name (Azure Support API tickets)
    problem_classification: str | None = None
    contact: dict[str, str] = field(default_factory=dict)
    updated_at: datetime | None = None
    communications: list[Communication] = field(default_factory=list)
    #: What a client API keeps with the request and answers back (ARM's advancedDiagnosticConsent…);
    #: no rule reads it, but it lives here so that snapshots and state files carry it.
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass
class Settings:
    activation_delay: timedelta = timedelta(days=3)  # D2 (it-IT); 0 gives the es-ES behaviour
    azure_link_mode: AzureLinkMode = AzureLinkMode.SPURIOUS  # D5
    membership_term: timedelta = timedelta(days=365)  # D1
    #: The Azure Support API's long-running operations: how many status polls answer InProgress
    #: (0: a create is answered with its result at once) and the Retry-After they carry (seconds).
    lro_polls: int = 0
    lro_retry_after: int = 1


#: Bounds of ``Settings.lro_polls`` and ``Settings.lro_retry_after`` (seconds).
MAX_LRO_POLLS = 100
MAX_LRO_RETRY_AFTER = 60


@dataclass
class WorldState:
    name: str
    seed: str
    now: datetime
    settings: Settings = field(default_factory=Settings)
    counters: dict[str, int] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    accounts: dict[str, Account] = field(default_factory=dict)
    contracts: dict[str, Contract] = field(default_factory=dict)
    associations: list[Association] = field(default_factory=list)
    customer_associations: list[CustomerAssociation] = field(default_factory=list)  # D12
    requests: dict[str, SupportRequest] = field(default_factory=dict)
