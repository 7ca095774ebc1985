"""D13: the state part of a seed document, built by replaying the backend's own operations.

The document's events are sorted by time; at equal times activations come first, then bought
plans, then associations, then support requests, each kind in document order. For each event the
world's clock is set to its time and the operation the portals run is called: Activate (without the
role check, which is about who pressed it), a purchase by the named account, "Add contract" or "Link
support benefits", a support request in either portal or through the CSP flow. Then the clock is set
to the document's now (``world.start``) and the used incidents the document states are counted.

So every rule holds by construction, and IDs come from the same counters in the same order as when
the same steps are taken through the portals. A refusal during the replay becomes ``InvalidSeed``
naming the field path of the event (``accounts[1].contracts[0]: ...``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from portals.backend.azure import CSP_PLAN_ID
from portals.backend.errors import Refusal
from portals.backend.model import Portal
from portals.backend.world import World

if TYPE_CHECKING:
    from portals.backend.seed import AssociationSeed, OrganisationSeed, PlanSeed, RequestSeed, SeedDocument

#: The order of events at the same time.
ACTIVATION, PLAN, ASSOCIATION, REQUEST = range(4)
#: Which input of an event a refusal is about, when it is about one.
PLAN_FIELDS = {
    "AccountNotFound": "bought_by",
    "PartnerAccountRequired": "bought_by",
    "RoleRequired": "bought_by",
    "OfferNotFound": "offer",
}
REQUEST_FIELDS = {
    "AccountNotFound": "account",
    "PartnerAccountRequired": "account",
    "RoleRequired": "account",
    "NotAuthorized": "account",
    "ProductNotFound": "product",
    "ProductNotCovered": "product",
    "PlanNotFound": "plan",
    "PlanNotAvailable": "plan",
    "CustomerNotFound": "customer",
}
POOL_NAMES = {"on_premises": "on-premises", "cloud": "Signature Cloud"}


def _text(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _invalid(path: str, why: str) -> Refusal:
    return Refusal("InvalidSeed", detail=f"{path}: {why}")


@dataclass(frozen=True)
class Event:
    """One thing the document says happened: when, its kind and place (for the order), the field
    path that names it, and the backend operation that makes it happen."""

    at: datetime
    kind: int
    index: int
    path: str
    run: Callable[[], object]
    fields: dict[str, str] = field(default_factory=dict)


class Replay:
    """The replay of one document into one world (fresh, with its organisations and accounts)."""

    def __init__(self, world: World, document: SeedDocument) -> None:
        self.world = world
        self.document = document
        #: The document's contract names (organisation ids, plan ids) -> Contract IDs, as they come
        #: to exist during the replay.
        self.contracts: dict[str, str] = {}
        #: When each named contract is created, to say so when it is used earlier.
        self.created_at: dict[str, datetime] = {}

    # --- the events ------------------------------------------------------------------------------
    def events(self) -> list[Event]:
        document, now, found = self.document, self.document.now, []
        for index, org in enumerate(document.organisations):
            if org.activated:  # kept as it always was: active from the world's start, no delay
                found.append(Event(now, ACTIVATION, index, f"organisations[{index}]", self._at_once(org)))
            elif org.benefits is not None:
                at = org.benefits.requested
                if at is None:
                    assert org.benefits.activated is not None
                    at = org.benefits.activated - document.activation_delay
                path = f"organisations[{index}].benefits"
                found.append(Event(at, ACTIVATION, index, path, self._activation(org)))
        for index, plan in enumerate(document.plans):
            found.append(
                Event(plan.at or now, PLAN, index, f"plans[{index}]", self._purchase(plan), PLAN_FIELDS)
            )
        index = 0
        for a_index, account in enumerate(document.accounts):
            for c_index, association in enumerate(account.contracts):
                path = f"accounts[{a_index}].contracts[{c_index}]"
                run = self._association(account.upn, association, path)
                found.append(Event(association.at or now, ASSOCIATION, index, path, run))
                index += 1
        for index, request in enumerate(document.requests):
            path = f"requests[{index}]"
            run = self._request(request, path)
            found.append(Event(request.at or now, REQUEST, index, path, run, REQUEST_FIELDS))
        for event in found:
            if event.kind == ACTIVATION:
                self.created_at[document.organisations[event.index].id] = event.at
            elif event.kind == PLAN:
                self.created_at[document.plans[event.index].id] = event.at
        return sorted(found, key=lambda e: (e.at, e.kind, e.index))

    def _at_once(self, org: OrganisationSeed) -> Callable[[], object]:
        def run() -> None:
            contract = self.world.activate_at_once(self.world.state.organisations[org.id])
            self.contracts[org.id] = contract.contract_id

        return run

    def _activation(self, org: OrganisationSeed) -> Callable[[], object]:
        def run() -> None:
            contract = self.world.activate_organisation(self.world.state.organisations[org.id])
            self.contracts[org.id] = contract.contract_id

        return run

    def _purchase(self, plan: PlanSeed) -> Callable[[], object]:
        def run() -> None:
            view = self.world.purchase_support_plan(plan.bought_by, plan.offer.value)
            self.contracts[plan.id] = view.contract_id

        return run

    def _contract_id(self, name: str, path: str) -> str:
        """The Contract ID of a named contract, which must exist at the world's time."""
        if name not in self.contracts:
            created = self.created_at.get(name)
            when = f"; it is created at {_text(created)}" if created else ""
            raise _invalid(path, f"contract {name!r} does not exist yet at {_text(self.world.now)}{when}")
        return self.contracts[name]

    def _association(self, upn: str, association: AssociationSeed, path: str) -> Callable[[], object]:
        def run() -> object:
            contract_id = self._contract_id(association.contract, f"{path}.contract")
            access_id = self.world.state.contracts[contract_id].access_id
            if association.added_in == "azure":
                return self.world.link_support_benefits(upn, access_id, contract_id)
            return self.world.add_contract(upn, access_id, contract_id)

        return run

    def _request(self, request: RequestSeed, path: str) -> Callable[[], object]:
        def run() -> object:
            world, details = self.world, {"title": request.title, "description": request.description}
            if request.customer is not None:
                return world.create_customer_support_request(
                    request.account,
                    request.customer,
                    "azure",
                    product=request.product,
                    severity=request.severity,
                    **details,
                )
            plan = request.plan
            if plan is not None and plan != CSP_PLAN_ID:
                plan = self._contract_id(plan, f"{path}.plan")
            portal = Portal.AZURE if request.portal == "azure" else Portal.SUPPORT_FOR_BUSINESS
            try:
                return world.create_support_request(
                    request.account,
                    portal,
                    product=request.product,
                    severity=request.severity,
                    plan=plan,
                    **details,
                )
            except Refusal as refusal:
                if refusal.code != "PlanNotFound":
                    raise
                why = f"{request.account!r} has no plan {request.plan!r} ({refusal.message()})"
                raise _invalid(f"{path}.plan", why) from None

        return run

    # --- the replay ------------------------------------------------------------------------------
    def run(self) -> None:
        for event in self.events():
            try:
                self.world.set_clock(event.at)
                event.run()
            except Refusal as refusal:
                if refusal.code == "InvalidSeed":
                    raise
                name = event.fields.get(refusal.code)
                path = f"{event.path}.{name}" if name else event.path
                raise _invalid(path, f"{refusal.message()} (replayed at {_text(event.at)})") from None
        self.world.set_clock(self.document.now)
        self.count_used()

    def count_used(self) -> None:
        """The incidents each pool has used in total, as the document states them: at least what
        the listed requests used, at most the pool's size. 0 is where every pool starts, so it is
        accepted everywhere; more than 0 is refused on an unlimited pool, on a pool the contract
        lacks and on a contract still pending, where no incident can have been counted."""
        world = self.world
        for index, org in enumerate(self.document.organisations):
            if org.benefits is None:
                continue
            contract = world.state.contracts[self.contracts[org.id]]
            for pool_name, label in POOL_NAMES.items():
                used = getattr(org.benefits.used, pool_name)
                if used is None:
                    continue
                path = f"organisations[{index}].benefits.used.{pool_name}"
                pool = getattr(contract, pool_name)
                if used == 0 and (pool is None or pool.used == 0):
                    continue  # nothing used: the state of every fresh pool
                if pool is None:
                    raise _invalid(path, f"the contract has no {label} pool (Action Pack, R-AZ-03)")
                if pool.limit is None:
                    raise _invalid(path, f"the {label} pool is unlimited: it counts no incidents (D6)")
                if used and contract.pending(world.now):
                    raise _invalid(
                        path,
                        f"activation is pending until {_text(contract.start)}: "
                        "no incident can have been used (R-EN-04)",
                    )
                if used > pool.limit:
                    raise _invalid(path, f"{used} is more than the {label} pool's {pool.limit} incidents")
                if used < pool.used:
                    listed = f"the {pool.used} incidents the listed requests used"
                    raise _invalid(path, f"{used} is fewer than {listed}")
                pool.used = used


def replay(world: World, document: SeedDocument) -> None:
    """Build the state ``document`` describes into ``world`` (which holds its organisations and
    accounts already). Raises ``InvalidSeed`` naming the field path of the first refused event."""
    Replay(world, document).run()
