"""Seed documents: a world described in YAML or JSON (schema in the README).

A document gives the people of a world (organisations, accounts) and, for D13, the state they have
reached: activations requested or completed at given dates, bought plans, contracts added in Support
for Business or linked in Azure, support requests filed, incidents used. That state is built by
replaying the backend's own operations at the stated times (``portals.backend.replay``), so the
rules hold by construction and IDs come out as through the portals.

A document is validated whole before anything is built, so a bad one is refused with a message
naming the offending field path and why, and no world is ever half-created.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal, NoReturn

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from portals.backend.azure import CSP_PLAN_ID
from portals.backend.catalog import PaidOffer, is_cloud_competency
from portals.backend.clock import DEFAULT_START, EARLIEST, format_duration
from portals.backend.errors import Refusal
from portals.backend.inputs import (
    Duration,
    InputError,
    Instant,
    check_values,
    load_document,
    refusal_of,
)
from portals.backend.model import (
    MAX_LRO_POLLS,
    MAX_LRO_RETRY_AFTER,
    Account,
    AccountKind,
    AzureLinkMode,
    Competency,
    Customer,
    Membership,
    Organisation,
    Program,
    Role,
    Settings,
    personal_account_extras,
)
from portals.backend.replay import replay
from portals.backend.world import World


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=False)


#: Names of organisations and bought plans, which contracts are referred to by.
NAME_PATTERN = r"^[A-Za-z0-9_.-]+$"
#: The portals a contract is added in and a request is filed in (``sfb`` as snapshots write it).
PortalName = Literal["support_for_business", "sfb", "azure"]
Count = Annotated[int, Field(strict=True, ge=0)]


class WorldSettings(_Strict):
    seed: str | int | None = None
    start: Instant | None = None
    activation_delay: Duration | None = None
    azure_link_mode: AzureLinkMode = AzureLinkMode.SPURIOUS
    lro_polls: int | None = Field(None, strict=True, ge=0, le=MAX_LRO_POLLS)
    lro_retry_after: int | None = Field(None, strict=True, ge=1, le=MAX_LRO_RETRY_AFTER)


class CompetencySeed(_Strict):
    name: str = Field(min_length=1)
    level: Literal["silver", "gold"]


class CustomerSeed(_Strict):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    tenant: str | None = None


class UsedSeed(_Strict):
    """Used incidents of each pool of the benefits contract, in total (listed requests included)."""

    on_premises: Count | None = None
    cloud: Count | None = None


class BenefitsSeed(_Strict):
    """The benefits' activation (D13): ``requested`` is when Activate was pressed, ``activated``
    when activation completed (requested + the world's activation delay, D2); either or both."""

    requested: Instant | None = None
    activated: Instant | None = None
    used: UsedSeed = Field(default_factory=UsedSeed)

    @model_validator(mode="after")
    def _a_date(self) -> BenefitsSeed:
        if self.requested is None and self.activated is None:
            raise ValueError("give requested (Activate pressed) or activated (activation completed)")
        return self


class OrganisationSeed(_Strict):
    id: str = Field(min_length=1, pattern=NAME_PATTERN)
    name: str | None = None
    tenant: str | None = None
    programs: list[Program] = Field(default_factory=lambda: [Program.MPN])
    membership: Membership | None = None
    membership_end: Instant | None = None
    competencies: list[CompetencySeed] = Field(default_factory=list)
    customers: list[CustomerSeed] = Field(default_factory=list)
    activated: bool = False
    benefits: BenefitsSeed | None = None

    @model_validator(mode="after")
    def _activation_needs_membership(self) -> OrganisationSeed:
        if self.activated and self.benefits is not None:
            raise ValueError("give activated: true or benefits, not both")
        for field in ("activated", "benefits"):
            if getattr(self, field) and (self.membership is None or Program.MPN not in self.programs):
                raise ValueError(f"{field}: needs an MPN organisation with a membership")
        return self

    @property
    def has_benefits_contract(self) -> bool:
        return self.activated or self.benefits is not None


class AssociationSeed(_Strict):
    """An account's contract (D3): a benefits contract by its organisation's id or a bought plan by
    its id, added in Support for Business ("Add contract") or linked in Azure."""

    contract: str = Field(min_length=1)
    added_in: PortalName
    at: Instant | None = None


class AccountSeed(_Strict):
    upn: str = Field(min_length=3, pattern=r"^[^@\s]+@[^@\s]+$")
    kind: AccountKind = AccountKind.AAD
    display_name: str | None = None
    organisation: str | None = None
    tenant: str | None = None
    roles: list[Role] = Field(default_factory=list)
    contracts: list[AssociationSeed] = Field(default_factory=list)

    @model_validator(mode="after")
    def _kind_rules(self) -> AccountSeed:
        extras = personal_account_extras(self.organisation or None, self.tenant or None, self.roles)
        if self.kind is AccountKind.MSA and extras:
            raise ValueError("a personal (msa) account has no organisation, tenant or roles but user (D8)")
        return self


class PlanSeed(_Strict):
    """A paid plan bought in Partner Center (R-AZ-09, D9) by a Global admin or MPN partner admin."""

    id: str = Field(min_length=1, pattern=NAME_PATTERN)
    offer: PaidOffer
    bought_by: str = Field(min_length=1)
    organisation: str | None = None
    at: Instant | None = None


class RequestSeed(_Strict):
    """A support request already filed, in Support for Business or Azure; with ``customer``, by an
    Admin agent through Partner Center's CSP flow (R-CSP-01)."""

    account: str = Field(min_length=1)
    portal: PortalName
    product: str = Field(min_length=1)
    plan: str | None = None
    customer: str | None = None
    title: str = "Support request"
    description: str = "-"
    severity: Literal["A", "B", "C"] = "C"  # SEVERITIES
    at: Instant | None = None

    @model_validator(mode="after")
    def _csp_flow(self) -> RequestSeed:
        if self.customer is not None and self.portal != "azure":
            raise ValueError("customer: the CSP flow files requests in the Azure portal (portal: azure)")
        if self.customer is not None and self.plan is not None:
            raise ValueError("plan: the CSP flow chooses the plan itself; give customer or plan")
        return self


class SeedDocument(_Strict):
    world: WorldSettings = Field(default_factory=WorldSettings)
    organisations: list[OrganisationSeed] = Field(default_factory=list)
    accounts: list[AccountSeed] = Field(default_factory=list)
    plans: list[PlanSeed] = Field(default_factory=list)
    requests: list[RequestSeed] = Field(default_factory=list)

    @property
    def now(self) -> datetime:
        """The document's "now": when the world starts, after everything it describes."""
        return self.world.start or DEFAULT_START

    @property
    def activation_delay(self) -> timedelta:
        delay = self.world.activation_delay
        return delay if delay is not None else Settings().activation_delay


def parse_document(text: str | bytes) -> dict[str, Any]:
    """YAML or JSON text to a JSON-ready mapping, through the one document loader and its limits
    (``portals.backend.inputs.load_document``); YAML dates become ISO-8601 text. Raises
    ``InvalidSeed``."""
    data = load_document(text, "InvalidSeed")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise Refusal(
            "InvalidSeed", detail="the document must be a mapping with world, organisations, accounts"
        )
    return data


def load_document_file(path: str | Path) -> dict[str, Any]:
    try:
        return parse_document(Path(path).read_bytes())
    except OSError as error:
        raise Refusal("InvalidSeed", detail=f"cannot read {path}: {error.strerror}") from None


def validate_document(data: Any) -> SeedDocument:
    """Validate a document and its cross-references; raise one InvalidSeed naming the field path."""
    if not isinstance(data, dict):
        raise Refusal(
            "InvalidSeed", detail="the document must be a mapping with world, organisations, accounts"
        )
    try:
        check_values(data)
        document = SeedDocument.model_validate(data)
    except InputError as error:
        raise Refusal("InvalidSeed", detail=error.text("the document")) from None
    except ValidationError as error:
        raise refusal_of(error, "InvalidSeed", "(document)") from None
    _check_references(document)
    return document


def _check_references(document: SeedDocument) -> None:
    seen: dict[str, int] = {}
    for index, org in enumerate(document.organisations):
        if org.id in seen:
            raise Refusal("InvalidSeed", detail=f"organisations[{index}].id: {org.id!r} is used twice")
        seen[org.id] = index
        customer_ids: set[str] = set()
        for c_index, customer in enumerate(org.customers):
            if customer.id in customer_ids:
                raise Refusal(
                    "InvalidSeed",
                    detail=f"organisations[{index}].customers[{c_index}].id: {customer.id!r} is used twice",
                )
            customer_ids.add(customer.id)
    upns: set[str] = set()
    for index, account in enumerate(document.accounts):
        if account.upn.lower() in upns:
            raise Refusal("InvalidSeed", detail=f"accounts[{index}].upn: {account.upn!r} is used twice")
        upns.add(account.upn.lower())
        if account.organisation is not None and account.organisation not in seen:
            raise Refusal(
                "InvalidSeed",
                detail=f"accounts[{index}].organisation: no organisation {account.organisation!r} "
                f"(known: {', '.join(seen) or 'none'})",
            )
    _check_state_references(document)


def _refuse(path: str, why: str) -> NoReturn:
    raise Refusal("InvalidSeed", detail=f"{path}: {why}")


def _instant_text(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _check_state_references(document: SeedDocument) -> None:
    """D13: what the state part of a document names must exist in it, and nothing may happen after
    the document's now (``world.start``). The rules themselves are checked by the replay."""
    now = document.now
    start = _instant_text(now)
    if document.world.start is None:
        start += " (the default start; world.start sets it)"
    organisations = {org.id: org for org in document.organisations}
    accounts = {account.upn.lower(): account for account in document.accounts}
    contracts = [org.id for org in document.organisations if org.has_benefits_contract]
    plan_buyers: dict[str, str] = {}

    def not_after_now(path: str, moment: datetime | None) -> None:
        if moment is not None and moment > now:
            _refuse(path, f"{_instant_text(moment)} is after the world's start {start}")

    def known_account(path: str, upn: str) -> AccountSeed:
        found = accounts.get(upn.lower())
        if found is None:
            _refuse(path, f"no account {upn!r} in accounts")
        return found

    def contract_named(path: str, name: str) -> None:
        if name in contracts or name in plan_buyers:
            return
        org = organisations.get(name)
        if org is not None:
            _refuse(path, f"organisation {name!r} has no benefits contract (give it benefits or activated)")
        known = ", ".join([*contracts, *plan_buyers]) or "none"
        _refuse(path, f"no contract {name!r} (an organisation with benefits or a plan id; known: {known})")

    for index, org in enumerate(document.organisations):
        benefits = org.benefits
        if benefits is None:
            continue
        path = f"organisations[{index}].benefits"
        not_after_now(f"{path}.requested", benefits.requested)
        not_after_now(f"{path}.activated", benefits.activated)
        if benefits.requested is None and benefits.activated is not None:
            requested = benefits.activated - document.activation_delay
            if requested < EARLIEST:
                _refuse(
                    f"{path}.activated",
                    f"Activate would have been pressed at {_instant_text(requested)} "
                    f"({format_duration(document.activation_delay)} before), "
                    f"before the earliest date {_instant_text(EARLIEST)}",
                )
        if benefits.requested is not None and benefits.activated is not None:
            expected = benefits.requested + document.activation_delay
            if benefits.activated != expected:
                _refuse(
                    f"{path}.activated",
                    f"activation completes at requested + the activation delay "
                    f"({format_duration(document.activation_delay)}): {_instant_text(expected)}",
                )
    for index, org in enumerate(document.organisations):
        if org.membership_end is None or not org.has_benefits_contract:
            continue
        if org.activated:
            starts = now
        elif org.benefits is not None and org.benefits.activated is not None:
            starts = org.benefits.activated
        else:
            assert org.benefits is not None and org.benefits.requested is not None
            starts = org.benefits.requested + document.activation_delay
        if org.membership_end <= starts:
            _refuse(
                f"organisations[{index}].membership_end",
                f"{_instant_text(org.membership_end)} is not after the benefits' activation at "
                f"{_instant_text(starts)}: the contract would end before it starts",
            )
    for index, plan in enumerate(document.plans):
        path = f"plans[{index}]"
        if plan.id in organisations or plan.id in plan_buyers or plan.id == CSP_PLAN_ID:
            _refuse(f"{path}.id", f"{plan.id!r} is used twice (organisation and plan ids name contracts)")
        buyer = known_account(f"{path}.bought_by", plan.bought_by)
        if plan.organisation is not None and plan.organisation != buyer.organisation:
            _refuse(
                f"{path}.organisation",
                f"{plan.bought_by!r} is not an account of organisation {plan.organisation!r}",
            )
        not_after_now(f"{path}.at", plan.at)
        plan_buyers[plan.id] = plan.bought_by.lower()
    for index, account in enumerate(document.accounts):
        listed: set[str] = set()
        for c_index, association in enumerate(account.contracts):
            path = f"accounts[{index}].contracts[{c_index}]"
            contract_named(f"{path}.contract", association.contract)
            if association.contract in listed:
                _refuse(f"{path}.contract", f"{association.contract!r} is listed twice for this account")
            if plan_buyers.get(association.contract) == account.upn.lower():
                _refuse(
                    f"{path}.contract",
                    f"{account.upn!r} bought {association.contract!r}: the buyer has the plan at once (D9)",
                )
            listed.add(association.contract)
            not_after_now(f"{path}.at", association.at)
    for index, request in enumerate(document.requests):
        path = f"requests[{index}]"
        known_account(f"{path}.account", request.account)
        if request.plan is not None and request.plan != CSP_PLAN_ID:
            contract_named(f"{path}.plan", request.plan)
        not_after_now(f"{path}.at", request.at)


def _organisation(seed: OrganisationSeed) -> Organisation:
    tenant = seed.tenant or f"{seed.id.lower()}.onmicrosoft.com"
    return Organisation(
        id=seed.id,
        name=seed.name or seed.id,
        tenant=tenant,
        programs=list(dict.fromkeys(seed.programs)),
        membership=seed.membership,
        membership_end=seed.membership_end,
        competencies=[Competency(c.name, c.level) for c in seed.competencies],
        customers=[
            Customer(c.id, c.name, c.tenant or f"{c.id.lower()}.onmicrosoft.com") for c in seed.customers
        ],
    )


def build_world(name: str, data: dict[str, Any], seed: str | None = None) -> World:
    """A new world from a seed document: validated whole first, then its organisations and
    accounts added, then the state it describes replayed at the stated times (D13). Raises
    ``InvalidSeed`` naming the field path; nothing is kept of a refused document."""
    document = validate_document(data)
    settings = document.world
    world_seed = seed if seed is not None else (str(settings.seed) if settings.seed is not None else name)
    world = World(name, seed=world_seed, start=settings.start)
    if settings.activation_delay is not None:
        world.state.settings.activation_delay = settings.activation_delay
    world.state.settings.azure_link_mode = settings.azure_link_mode
    world.set_lro(settings.lro_polls, settings.lro_retry_after)
    orgs: dict[str, Organisation] = {}
    for org_seed in document.organisations:
        orgs[org_seed.id] = world.add_organisation(_organisation(org_seed))
    for acc in document.accounts:
        org = orgs.get(acc.organisation) if acc.organisation else None
        world.add_account(
            Account(
                upn=acc.upn,
                kind=acc.kind,
                display_name=acc.display_name or acc.upn.split("@")[0],
                tenant=org.tenant if org else (acc.tenant if acc.kind is AccountKind.AAD else None),
                organisation=org.id if org else None,
                roles=list(dict.fromkeys(acc.roles)) or [Role.USER],
            )
        )
    replay(world, document)
    world.document = data
    return world


__all__ = ["SeedDocument", "build_world", "is_cloud_competency", "load_document_file", "parse_document"]
