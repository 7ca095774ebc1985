"""Azure portal rules: "Link support benefits", the plans of "+ New support request", cloud requests.

R-AZ-01..09, R-SFB-05, R-EN-04, D5, D6.
"""

from __future__ import annotations

from typing import Any

from portals.backend.catalog import Product, ProductKind, problem_classifications, product_of_kind
from portals.backend.core import WorldCore, atomic, changes, request_details
from portals.backend.errors import Refusal
from portals.backend.model import AzureLinkMode, Contract, ContractKind, Portal, Program, SupportRequest
from portals.backend.support_requests import check_contact
from portals.backend.views import AzurePlan

CSP_PLAN_ID = "csp"

_PLAN_KINDS = {
    ContractKind.PARTNER_BENEFITS: ("signature", "signature_cloud_support"),
    ContractKind.PREMIER: ("premier", "premier_support"),
    ContractKind.ADVANCED: ("advanced", "advanced_support"),
}
#: What the Azure portal calls each kind of contract (message keys).
AZURE_PLAN_NAMES = {kind: name for kind, (_, name) in _PLAN_KINDS.items()}


def cloud_product(key: object) -> Product:
    """A product the Azure portal takes support requests for."""
    return product_of_kind(key, ProductKind.CLOUD)


class AzureOps(WorldCore):
    def cloud_valid(self, contract: Contract) -> bool:
        """D6: a contract Azure lists: cloud pool, activated, not expired, not exhausted."""
        return (
            contract.cloud is not None
            and not contract.pending(self.now)
            and not contract.expired(self.now)
            and not contract.cloud.exhausted
        )

    def _azure_plan(self, contract: Contract) -> AzurePlan:
        kind, name = _PLAN_KINDS[contract.kind]
        return AzurePlan(plan_id=contract.contract_id, name=name, kind=kind, contract_id=contract.contract_id)

    @changes
    def link_support_benefits(self, upn: str, access_id: str, contract_id: str) -> AzurePlan:
        """Help + support > Support plans > Link support benefits (R-AZ-02), checks in D5's order."""
        account = self.account(upn)
        contract = self.contract_by_ids(access_id, contract_id)
        if contract.pending(self.now):  # R-EN-04
            raise Refusal("ActivationPending", ready_at=contract.start.date().isoformat())
        if contract.cloud is None:  # R-AZ-03
            raise Refusal("NotEligibleForCloudSupport")
        if self.is_associated(account.upn, contract.contract_id):  # R-AZ-05..08
            if self.state.settings.azure_link_mode is AzureLinkMode.SPURIOUS:
                raise Refusal("AccessIdAlreadyAssociated")
            raise Refusal("AlreadyLinked" if self.cloud_valid(contract) else "PurchaseNewPlan")
        if contract.expired(self.now):
            raise Refusal("ContractExpired", contract_id=contract.contract_id, end=contract.end.date())
        if contract.cloud.exhausted:
            raise Refusal("NoIncidentsRemaining", contract_id=contract.contract_id)
        self.associate(account.upn, contract.contract_id, Portal.AZURE)
        return self._azure_plan(contract)

    @atomic
    def azure_support_plans(self, upn: str) -> list[AzurePlan]:
        """D6: "+ New support request" lists one plan per valid associated contract, then the
        "Cloud Solution Provider" plan for users of CSP organisations (R-AZ-04). Invalid contracts
        are hidden (R-AZ-07). No count of remaining incidents is ever part of it (R-SFB-05)."""
        account = self.account(upn)
        plans = [self._azure_plan(c) for c in self.associated_contracts(account.upn) if self.cloud_valid(c)]
        org = self.organisation_of(account)
        if org is not None and org.in_program(Program.CSP):
            plans.append(AzurePlan(plan_id=CSP_PLAN_ID, name="cloud_solution_provider", kind="csp"))
        return plans

    @changes
    def create_azure_request(
        self,
        upn: str,
        product: str,
        title: str,
        description: str,
        severity: str = "C",
        plan: str | None = None,
        name: str | None = None,
        contact: dict[str, str] | None = None,
        problem_classification: str | None = None,
        properties: dict[str, Any] | None = None,
    ) -> SupportRequest:
        """A cloud support request (R-AZ-01, R-AZ-06). A 5/10-pack plan uses one cloud incident;
        unlimited, bought and CSP plans use none (D6). ``name`` is the resource name an Azure Support
        API client gives its ticket (unique per account); ``problem_classification`` one of the
        product's classifications."""
        account = self.account(upn)
        chosen = cloud_product(product)
        title, description, severity = request_details(title, description, severity)
        checked_contact = check_contact(contact) if contact is not None else {}
        if name is not None and not self.request_name_available(account.upn, name):
            raise Refusal("RequestNameTaken", name=name)
        if problem_classification is not None and problem_classification not in {
            c.id for c in problem_classifications(chosen)
        }:
            raise Refusal("ProblemClassificationNotFound", classification=str(problem_classification))
        plans = self.azure_support_plans(account.upn)
        if plan is None:
            if not plans:
                raise Refusal("NoSupportPlan")
            match = plans[0]
        else:
            match = next((p for p in plans if p.plan_id == plan), None)
            if match is None:
                self._refuse_hidden(account.upn, plan)
        assert match is not None
        contract = self.state.contracts.get(match.contract_id) if match.contract_id else None
        if contract is not None and contract.cloud is not None:
            contract.cloud.use_one()
        return self.file_request(
            account,
            Portal.AZURE,
            product=chosen.id,
            title=title,
            description=description,
            severity=severity,
            plan=match.plan_id,
            contract_id=contract.contract_id if contract else None,
            name=name,
            contact=checked_contact,
            problem_classification=problem_classification,
            properties=dict(properties or {}),
        )

    def _refuse_hidden(self, upn: str, plan: str) -> None:
        """Name why a plan the account asked for is not listed (D11)."""
        contract = self.state.contracts.get(plan) if isinstance(plan, str) else None
        if contract is None or not self.is_associated(upn, contract.contract_id):
            raise Refusal("PlanNotFound", plan=str(plan))
        if contract.cloud is None:
            raise Refusal("NotEligibleForCloudSupport")
        if contract.expired(self.now):
            raise Refusal("ContractExpired", contract_id=contract.contract_id, end=contract.end.date())
        if contract.cloud.exhausted:
            raise Refusal("NoIncidentsRemaining", contract_id=contract.contract_id)
        raise Refusal("ActivationPending", ready_at=contract.start.date().isoformat())
