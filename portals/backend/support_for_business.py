"""Support for Business rules: adding a contract, step 2's plans, on-premises support requests.

R-SFB-01..08, R-EN-04, D3, D4, D7.
"""

from __future__ import annotations

from portals.backend.catalog import Product, ProductKind, product_of_kind
from portals.backend.core import WorldCore, atomic, request_details
from portals.backend.errors import Refusal
from portals.backend.model import Contract, ContractKind, Portal, SupportRequest
from portals.backend.views import SupportPlan, SupportPlans

#: What Support for Business calls each kind of contract.
PLAN_NAMES = {
    ContractKind.PARTNER_BENEFITS: "partner_support_contract",
    ContractKind.PREMIER: "premier_support",
    ContractKind.ADVANCED: "advanced_support",
}


def on_premises_product(key: object) -> Product:
    """A product of the D7 catalog; cloud products are not Support for Business's."""
    return product_of_kind(key, ProductKind.ON_PREMISES)


class SupportForBusinessOps(WorldCore):
    def check_usable(self, contract: Contract) -> None:
        """R-EN-04: a contract is of use only once its activation has completed."""
        if contract.pending(self.now):
            raise Refusal("ActivationPending", ready_at=contract.start.date().isoformat())

    @atomic
    def add_contract(self, upn: str, access_id: str, contract_id: str) -> SupportPlan:
        """R-SFB-07, R-SFB-02, R-SFB-03: "Add contract" associates any account (AAD or MSA, inside
        or outside the organisation) that has both IDs. Again for the same account: quiet (D4)."""
        account = self.account(upn)
        contract = self.contract_by_ids(access_id, contract_id)
        self.check_usable(contract)
        if contract.on_premises is None:
            raise Refusal("PlanNotAvailable", plan=PLAN_NAMES[contract.kind])
        if not self.is_associated(account.upn, contract.contract_id):
            if contract.expired(self.now):
                raise Refusal("ContractExpired", contract_id=contract.contract_id, end=contract.end.date())
            self.associate(account.upn, contract.contract_id, Portal.SUPPORT_FOR_BUSINESS)
        return self._plan(contract, on_premises_product("windows-10"))

    def _plan(self, contract: Contract, product: Product) -> SupportPlan:
        """R-SFB-08: why a contract is unavailable, in the order a person would be told."""
        pool = contract.on_premises
        assert pool is not None
        reason = None
        if contract.expired(self.now):
            reason = "ContractExpired"
        elif pool.exhausted:
            reason = "NoIncidentsRemaining"
        elif not product.recent:
            reason = "ProductNotCovered"
        return SupportPlan(
            plan_id=contract.contract_id,
            name=PLAN_NAMES[contract.kind],
            contract_id=contract.contract_id,
            start=contract.start,
            end=contract.end,
            remaining_incidents=pool.remaining,
            available=reason is None,
            unavailable_reason=reason,
        )

    @atomic
    def support_plans_for(self, upn: str, product: str = "windows-10") -> SupportPlans:
        """Step 2 of a new request (R-SFB-06): the account's plans for the product, split into
        available and unavailable. Reading it creates nothing and uses no incident."""
        account = self.account(upn)
        chosen = on_premises_product(product)
        plans = [
            self._plan(c, chosen)
            for c in self.associated_contracts(account.upn)
            if c.on_premises is not None and not c.pending(self.now)
        ]
        return SupportPlans(
            product=chosen.id,
            available=tuple(p for p in plans if p.available),
            unavailable=tuple(p for p in plans if not p.available),
        )

    def remaining_incidents(self, upn: str) -> dict[str, int | None]:
        """R-SFB-06 as a number: the remaining on-premises incidents of each of the account's
        contracts (None: unlimited), read the documented way, at step 2 for Windows 10."""
        plans = self.support_plans_for(upn, "windows-10")
        return {p.contract_id: p.remaining_incidents for p in (*plans.available, *plans.unavailable)}

    @atomic
    def create_sfb_request(
        self,
        upn: str,
        product: str,
        title: str,
        description: str,
        severity: str = "C",
        plan: str | None = None,
    ) -> SupportRequest:
        """R-SFB-04, D7: submit step 2. Uses one on-premises incident of the chosen plan."""
        account = self.account(upn)
        chosen = on_premises_product(product)
        title, description, severity = request_details(title, description, severity)
        plans = self.support_plans_for(account.upn, chosen.id)
        if plan is not None:
            match = next((p for p in (*plans.available, *plans.unavailable) if p.plan_id == plan), None)
            if match is None:
                raise Refusal("PlanNotFound", plan=str(plan))
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

    def _refuse_unavailable(self, plan: SupportPlan, product: Product) -> None:
        contract = self.state.contracts[plan.contract_id]
        if plan.unavailable_reason == "ContractExpired":
            raise Refusal("ContractExpired", contract_id=contract.contract_id, end=contract.end.date())
        if plan.unavailable_reason == "NoIncidentsRemaining":
            raise Refusal("NoIncidentsRemaining", contract_id=contract.contract_id)
        raise Refusal("ProductNotCovered", product=product.name)
