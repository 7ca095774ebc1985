"""Support for Business rules: the on-premises catalog at the world's date, adding a contract, step 2's
plans, on-premises support requests.

R-SFB-01..08, R-EN-04, D3, D4, D7.
"""

from __future__ import annotations

from typing import NoReturn

from portals.backend.azure import CSP_PLAN_ID
from portals.backend.catalog import ProductKind, product_of_kind
from portals.backend.core import WorldCore, atomic, changes, request_details
from portals.backend.errors import Refusal
from portals.backend.lifecycle import VERSIONS, catalog_at
from portals.backend.model import Account, Contract, ContractKind, Portal, Program, SupportRequest
from portals.backend.views import OnPremisesProduct, SignatureInfo, SupportPlan, SupportPlans

#: What Support for Business calls each kind of contract.
PLAN_NAMES = {
    ContractKind.PARTNER_BENEFITS: "partner_support_contract",
    ContractKind.PREMIER: "premier_support",
    ContractKind.ADVANCED: "advanced_support",
}


#: The product Support for Business's documented way to read the remaining incidents starts a
#: request for (R-SFB-06).
DOCUMENTED_PRODUCT = "windows-10"


class SupportForBusinessOps(WorldCore):
    # --- the on-premises catalog (D7, R-SFB-01) ------------------------------------------------------
    @atomic
    def on_premises_catalog(self) -> tuple[OnPremisesProduct, ...]:
        """What Support for Business offers at the world's date (D7): the released versions of each
        family (Windows client, Windows Server, SQL Server, Exchange Server, SharePoint Server, in that
        order), newest first; ``covered`` for the newest released version of a family and the one
        before it (n-1, R-SFB-01), False for older ones. Versions released after the world's date are
        not offered. Computed from the clock on every call (D10), never stored."""
        return tuple(
            OnPremisesProduct(
                id=o.version.id,
                name=o.version.name,
                family=o.family.id,
                family_name=o.family.name,
                version=o.version.version,
                released=o.version.released,
                source=o.version.source,
                covered=o.covered,
            )
            for o in catalog_at(self.now)
        )

    def on_premises_product(self, key: object) -> OnPremisesProduct:
        """A product Support for Business offers today, by ID, name or GUID. Refusals: cloud or unknown
        products ``ProductNotFound`` (404); a version released after the world's date
        ``ProductNotReleased`` (422), naming the product and its release date (D7)."""
        product = product_of_kind(key, ProductKind.ON_PREMISES)
        offered = next((p for p in self.on_premises_catalog() if p.id == product.id), None)
        if offered is None:
            version = VERSIONS[product.id]
            raise Refusal("ProductNotReleased", product=version.name, released=version.released)
        return offered

    def check_usable(self, contract: Contract) -> None:
        """R-EN-04: a contract is of use only once its activation has completed."""
        if contract.pending(self.now):
            raise Refusal("ActivationPending", ready_at=contract.start.date().isoformat())

    @changes
    def add_contract(self, upn: str, access_id: str, contract_id: str) -> SupportPlan:
        """R-SFB-07, R-SFB-02, R-SFB-03: "Add contract" associates any account (AAD or MSA, inside
        or outside the organisation) that has both IDs. Again for the same account: quiet (D4)."""
        account = self.account(upn)
        contract = self.contract_by_ids(access_id, contract_id)
        self.check_usable(contract)
        if contract.on_premises is None:  # Advanced: cloud products only (R-AZ-09)
            raise Refusal("PlanNotAvailable", name=[PLAN_NAMES[contract.kind]], plan=contract.contract_id)
        if not self.is_associated(account.upn, contract.contract_id):
            if contract.expired(self.now):
                raise Refusal("ContractExpired", contract_id=contract.contract_id, end=contract.end.date())
            self.associate(account.upn, contract.contract_id, Portal.SUPPORT_FOR_BUSINESS)
        return self._plan(contract, None)

    def _plan(self, contract: Contract, product: OnPremisesProduct | None) -> SupportPlan:
        """R-SFB-08: why a contract is unavailable, in the order a person would be told; a partner
        support contract that is unavailable comes with the partner's Signature information. Without
        a product, only the contract itself is judged."""
        pool = contract.on_premises
        assert pool is not None
        reason = None
        if contract.expired(self.now):
            reason = "ContractExpired"
        elif pool.exhausted:
            reason = "NoIncidentsRemaining"
        elif product is not None and not product.covered and contract.kind is ContractKind.PARTNER_BENEFITS:
            reason = "ProductNotCovered"  # n-1 bounds the partner benefit; Premier covers every version
        signature = None
        if reason is not None and contract.kind is ContractKind.PARTNER_BENEFITS:
            signature = self.signature_info(contract)
        return SupportPlan(
            plan_id=contract.contract_id,
            name=PLAN_NAMES[contract.kind],
            contract_id=contract.contract_id,
            start=contract.start,
            end=contract.end,
            remaining_incidents=pool.remaining,
            available=reason is None,
            unavailable_reason=reason,
            signature=signature,
        )

    def signature_info(self, contract: Contract) -> SignatureInfo:
        """R-SFB-08: the partner's Signature information for a partner support contract: the membership
        offer of its organisation and its Signature Cloud Support pool, unlimited (a cloud
        competency), a 5- or 10-pack with its remaining incidents (R-EN-02), or not included (Action
        Pack, R-AZ-03). Once the contract has expired no incident is usable (R-AZ-07): ``expired_on``
        is its end and a pack counts no remaining incidents."""
        organisation = self.state.organisations.get(contract.organisation)
        membership = organisation.membership if organisation is not None else None
        pool = contract.cloud
        expired = contract.end.date() if contract.expired(self.now) and contract.end else None
        if pool is None:
            kind, size, remaining = "not_included", None, None
        elif pool.limit is None:
            kind, size, remaining = "unlimited", None, None
        else:
            kind, size, remaining = "pack", pool.limit, None if expired else pool.remaining
        return SignatureInfo(
            membership=membership.value if membership is not None else None,
            signature_cloud_support=kind,
            pack_size=size,
            remaining_incidents=remaining,
            expired_on=expired,
        )

    @atomic
    def support_plans_for(self, upn: str, product: str = DOCUMENTED_PRODUCT) -> SupportPlans:
        """Step 2 of a new request (R-SFB-06): the account's plans for a product the world offers today,
        split into available and unavailable (R-SFB-08: expired, no incidents left, or a product older
        than n-1). Reading it creates nothing and uses no incident. Refusals: ``AccountNotFound``,
        ``ProductNotFound``, ``ProductNotReleased``."""
        account = self.account(upn)
        chosen = self.on_premises_product(product)
        return self._step2(account.upn, chosen)

    def _step2(self, upn: str, product: OnPremisesProduct | None) -> SupportPlans:
        plans = [
            self._plan(c, product)
            for c in self.associated_contracts(upn)
            if c.on_premises is not None and not c.pending(self.now)
        ]
        return SupportPlans(
            product=product.id if product is not None else DOCUMENTED_PRODUCT,
            available=tuple(p for p in plans if p.available),
            unavailable=tuple(p for p in plans if not p.available),
        )

    @atomic
    def remaining_incidents(self, upn: str) -> dict[str, int | None]:
        """R-SFB-06 as a number: the remaining on-premises incidents of each of the account's
        contracts (None: unlimited), as step 2 shows them; the product chosen at step 1 changes where a
        contract is listed, never its count."""
        plans = self._step2(self.account(upn).upn, None)
        return {p.contract_id: p.remaining_incidents for p in (*plans.available, *plans.unavailable)}

    @changes
    def create_sfb_request(
        self,
        upn: str,
        product: str,
        title: str,
        description: str,
        severity: str = "C",
        plan: str | None = None,
    ) -> SupportRequest:
        """R-SFB-04, D7: submit step 2. Uses one on-premises incident of the chosen plan (none on
        Premier's unlimited pool). Refusals: ``ProductNotFound``, ``ProductNotReleased``,
        ``NoSupportPlan``, ``PlanNotFound`` (a plan the account does not have), ``PlanNotAvailable``
        (a plan of the account for cloud products only), ``ContractExpired``,
        ``NoIncidentsRemaining``, ``ProductNotCovered`` (the partner contract and a version older
        than n-1)."""
        account = self.account(upn)
        chosen = self.on_premises_product(product)
        title, description, severity = request_details(title, description, severity)
        plans = self.support_plans_for(account.upn, chosen.id)
        if plan is not None:
            match = next((p for p in (*plans.available, *plans.unavailable) if p.plan_id == plan), None)
            if match is None:
                self._refuse_plan(account, plan)
        elif plans.available:
            match = plans.available[0]
        elif plans.unavailable:
            match = plans.unavailable[0]
        else:
            raise Refusal("NoSupportPlan")
        if not match.available:
            self._refuse_unavailable(match, chosen)
        contract = self.state.contracts[match.contract_id]
        assert contract.on_premises is not None
        contract.on_premises.use_one()
        return self.file_request(
            account,
            Portal.SUPPORT_FOR_BUSINESS,
            product=chosen.id,
            title=title,
            description=description,
            severity=severity,
            plan=contract.contract_id,
            contract_id=contract.contract_id,
        )

    def _refuse_plan(self, account: Account, plan: object) -> NoReturn:
        """D11: why a plan the account named is not among step 2's. A plan the account has that covers
        cloud products only (Advanced, R-AZ-09; a CSP partner's Cloud Solution Provider plan, R-AZ-04)
        is ``PlanNotAvailable`` (422); any other is ``PlanNotFound`` (404)."""
        contract = self.state.contracts.get(plan) if isinstance(plan, str) else None
        if (
            contract is not None
            and contract.kind in PLAN_NAMES
            and contract.on_premises is None
            and self.is_associated(account.upn, contract.contract_id)
        ):
            raise Refusal("PlanNotAvailable", name=[PLAN_NAMES[contract.kind]], plan=contract.contract_id)
        org = self.organisation_of(account)
        if plan == CSP_PLAN_ID and org is not None and org.in_program(Program.CSP):
            raise Refusal("PlanNotAvailable", name=["cloud_solution_provider"], plan=CSP_PLAN_ID)
        raise Refusal("PlanNotFound", plan=str(plan))

    def _refuse_unavailable(self, plan: SupportPlan, product: OnPremisesProduct) -> None:
        contract = self.state.contracts[plan.contract_id]
        if plan.unavailable_reason == "ContractExpired":
            raise Refusal("ContractExpired", contract_id=contract.contract_id, end=contract.end.date())
        if plan.unavailable_reason == "NoIncidentsRemaining":
            raise Refusal("NoIncidentsRemaining", contract_id=contract.contract_id)
        covered = [p.name for p in self.on_premises_catalog() if p.family == product.family and p.covered]
        raise Refusal("ProductNotCovered", product=product.name, covered=covered)
