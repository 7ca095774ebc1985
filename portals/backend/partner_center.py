"""Partner Center rules: sign-in, technical benefits and their activation, paid plans, CSP customers.

R-PC-01..08, R-EN-04, R-AZ-09, R-CSP-01, D1, D2, D8, D9, D12.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from portals.backend import ids
from portals.backend.azure import CSP_PLAN_ID
from portals.backend.catalog import WORKLOADS, PaidOffer, ProductKind, find_support_topic, product_of_kind
from portals.backend.clock import check_made, format_instant
from portals.backend.core import WorldCore, atomic, changes, request_details, require_text
from portals.backend.entitlements import entitlement_for
from portals.backend.errors import Refusal
from portals.backend.model import (
    Account,
    Contract,
    ContractKind,
    Customer,
    CustomerAssociation,
    Organisation,
    Pool,
    Portal,
    Program,
    Role,
    SupportRequest,
)
from portals.backend.support_requests import check_contact, make_message
from portals.backend.views import ContractView, CustomerPlan, TechnicalBenefits

#: R-PC-05: who may press Activate (and, D9, buy a paid plan).
ACTIVATING_ROLES = (Role.GLOBAL_ADMIN, Role.MPN_PARTNER_ADMIN)
#: R-PC-08: the roles the Technical benefits page is written for.
APPROPRIATE_ROLES = (Role.GLOBAL_ADMIN, Role.MPN_PARTNER_ADMIN, Role.ADMIN_AGENT)
#: D9: a bought plan's term.
PAID_PLAN_TERM = timedelta(days=365)


def role_keys(roles: tuple[Role, ...]) -> list[str]:
    return [f"role_{r.value}" for r in roles]


class PartnerCenterOps(WorldCore):
    # --- identity ----------------------------------------------------------------------------------
    def sign_in(self, upn: str) -> Account:
        """D8: Partner Center takes an AAD account of a partner organisation, nothing else."""
        account = self.account(upn)
        if self.organisation_of(account) is None:
            raise Refusal("PartnerAccountRequired", upn=account.upn)
        return account

    def _benefits_organisation(self, account: Account) -> Organisation:
        """R-PC-02 and R-PC-04 for the organisation of a signed-in account."""
        org = self.organisation_of(account)
        assert org is not None
        return self.organisation_with_benefits(org)

    def organisation_with_benefits(self, org: Organisation) -> Organisation:
        """R-PC-02 and R-PC-04: MPN association first, then an active membership offer.

        Raises ``NotAuthorized`` (CSP only) or ``NoBenefits`` (no membership, or it has ended)."""
        if not org.in_program(Program.MPN):
            raise Refusal("NotAuthorized")
        if org.membership is None or (org.membership_end is not None and self.now >= org.membership_end):
            raise Refusal("NoBenefits")
        return org

    # --- technical benefits ------------------------------------------------------------------------
    @atomic
    def technical_benefits(self, upn: str) -> TechnicalBenefits:
        """What Benefits > Technical benefits shows this account (R-PC-01, 03, 06, 07, 08)."""
        account = self.sign_in(upn)
        org = self._benefits_organisation(account)
        assert org.membership is not None
        contract = self.state.contracts.get(org.benefits_contract) if org.benefits_contract else None
        state = "not_activated"
        if contract is not None:
            state = "pending" if contract.pending(self.now) else "active"
        active = state == "active"
        return TechnicalBenefits(
            upn=account.upn,
            organisation=org.id,
            organisation_name=org.name,
            membership=org.membership.value,
            state=state,
            benefits=("product_support_incidents", "tpd"),
            entitlement=entitlement_for(org.membership, org.competencies),
            appropriate_roles=tuple(role_keys(APPROPRIATE_ROLES)),
            can_activate=state == "not_activated" and account.has_role(*ACTIVATING_ROLES),
            access_id=contract.access_id if contract and active else None,
            contract_id=contract.contract_id if contract and active else None,
            ready_at=contract.start if contract else None,
            contract_start=contract.start if contract and active else None,
            contract_end=contract.end if contract and active else None,
        )

    @changes
    def activate_benefits(self, upn: str) -> TechnicalBenefits:
        """R-PC-05, D1, D2: the Activate button. Creates the organisation's contract, pending for the
        world's activation delay."""
        account = self.sign_in(upn)
        org = self._benefits_organisation(account)
        if not account.has_role(*ACTIVATING_ROLES):
            raise Refusal("RoleRequired", roles=role_keys(ACTIVATING_ROLES))
        self.activate_organisation(org)
        return self.technical_benefits(upn)

    @changes
    def activate_organisation(self, org: Organisation) -> Contract:
        """What Activate does to the organisation, whoever pressed it (the role check of R-PC-05 is
        the caller's): R-PC-02/04 again, then one contract per organisation (D1), pending for the
        world's activation delay (D2). Seed documents replay activations through here (D13).

        Raises ``NotAuthorized``, ``NoBenefits``, ``ActivationPending``, ``AlreadyActivated`` or
        ``InvalidInput`` (a start or end after ``clock.LATEST``, a membership that ends before the
        contract would start)."""
        self.organisation_with_benefits(org)
        if org.benefits_contract:
            existing = self.state.contracts[org.benefits_contract]
            if existing.pending(self.now):
                raise Refusal("ActivationPending", ready_at=existing.start.date().isoformat())
            raise Refusal("AlreadyActivated", organisation=org.name)
        return self._create_benefits_contract(org, self.now + self.state.settings.activation_delay)

    def _create_benefits_contract(self, org: Organisation, start: datetime) -> Contract:
        """D1: one contract per organisation, its pools from the entitlement (R-EN-01, R-EN-02).
        Its dates are checked before any ID is taken, so a refusal changes nothing: both within the
        clock's bounds (``check_made``), and a ``membership_end`` after the start. Raises
        ``InvalidInput``."""
        assert org.membership is not None
        entitlement = entitlement_for(org.membership, org.competencies)
        check_made(start, "the contract would start")
        if org.membership_end is not None and org.membership_end <= start:
            raise Refusal(
                "InvalidInput",
                detail=f"membership_end: the membership of {org.id!r} ends at "
                f"{format_instant(org.membership_end)}, not after the contract would start at "
                f"{format_instant(start)}",
            )
        end = check_made(
            org.membership_end or (start + self.state.settings.membership_term), "the contract would end"
        )
        contract = Contract(
            access_id=ids.next_access_id(self.state),
            contract_id=ids.next_contract_id(self.state),
            organisation=org.id,
            kind=ContractKind.PARTNER_BENEFITS,
            requested_at=self.now,
            start=start,
            end=end,
            on_premises=Pool(entitlement.on_premises_incidents),
            cloud=Pool(entitlement.cloud_incidents) if entitlement.has_cloud else None,
        )
        self.state.contracts[contract.contract_id] = contract
        org.benefits_contract = contract.contract_id
        return contract

    # --- paid plans (R-AZ-09, D9) ------------------------------------------------------------------
    @changes
    def purchase_support_plan(self, upn: str, offer: str) -> ContractView:
        """Buy Premier (on-premises and cloud) or Advanced (cloud only) support: a new contract with
        new IDs, used like any other; the buyer's account is associated with it at once. Raises
        ``OfferNotFound``, ``RoleRequired``, ``InvalidInput`` (a term that would end after
        ``clock.LATEST``)."""
        account = self.sign_in(upn)
        org = self.organisation_of(account)
        assert org is not None
        try:
            paid = PaidOffer(offer)
        except ValueError:
            raise Refusal("OfferNotFound", offer=str(offer), offers=[o.value for o in PaidOffer]) from None
        if not account.has_role(*ACTIVATING_ROLES):
            raise Refusal("RoleRequired", roles=role_keys(ACTIVATING_ROLES))
        # computed and checked before any ID is taken: a refusal changes nothing
        end = check_made(self.now + PAID_PLAN_TERM, "the contract would end")
        contract = Contract(
            access_id=ids.next_access_id(self.state),
            contract_id=ids.next_contract_id(self.state),
            organisation=org.id,
            kind=ContractKind(paid.value),
            requested_at=self.now,
            start=self.now,
            end=end,
            on_premises=Pool(None) if paid is PaidOffer.PREMIER else None,
            cloud=Pool(None),
            purchased_by=account.upn.lower(),
        )
        self.state.contracts[contract.contract_id] = contract
        self.associate(account.upn, contract.contract_id, Portal.AZURE)
        return self.contract_view(contract)

    def contract_view(self, contract: Contract) -> ContractView:
        return ContractView(
            access_id=contract.access_id,
            contract_id=contract.contract_id,
            kind=contract.kind.value,
            start=contract.start,
            end=contract.end,
            pending=contract.pending(self.now),
        )

    @atomic
    def organisation_contracts(self, upn: str) -> list[ContractView]:
        """Every contract of the signed-in account's organisation that is no longer pending and whose
        IDs a portal takes; the CSP contract has none and is listed with each customer instead (D12,
        ``customer_support_plans``)."""
        account = self.sign_in(upn)
        return [
            self.contract_view(c)
            for c in self.state.contracts.values()
            if c.organisation == account.organisation
            and c.kind is not ContractKind.CSP
            and not c.pending(self.now)
        ]

    # --- CSP customers (R-CSP-01) ------------------------------------------------------------------
    def _admin_agent_org(self, upn: str) -> tuple[Account, Organisation]:
        account = self.sign_in(upn)
        org = self.organisation_of(account)
        assert org is not None
        if not org.in_program(Program.CSP):
            raise Refusal("NotAuthorized")
        if not account.has_role(Role.ADMIN_AGENT):
            raise Refusal("RoleRequired", roles=role_keys((Role.ADMIN_AGENT,)))
        return account, org

    @atomic
    def customers(self, upn: str) -> list[Customer]:
        """CSP > Customers: only an Admin agent of a CSP organisation sees the list."""
        _, org = self._admin_agent_org(upn)
        return list(org.customers)

    @staticmethod
    def _customer_of(org: Organisation, customer_id: object, by_tenant: bool = False) -> Customer:
        """One of the partner's customers by ID (or tenant domain); ``CustomerNotFound`` otherwise."""
        customer = org.customer(customer_id) if isinstance(customer_id, str) else None
        if customer is None and by_tenant:
            customer = next((c for c in org.customers if c.tenant == customer_id), None)
        if customer is None:
            raise Refusal("CustomerNotFound", customer=str(customer_id))
        return customer

    def _csp_contract(self, org: Organisation) -> Contract:
        """D12: the partner's one "Cloud Solution Provider" contract, made the first time the CSP flow
        needs it (its Contract ID from the world's counters, like every contract). No Access ID, no
        end, no incident pool: the CSP plan is not a 5/10-pack (D6)."""
        if org.csp_contract is not None:
            return self.state.contracts[org.csp_contract]
        contract = Contract(
            access_id=None,
            contract_id=ids.next_contract_id(self.state),
            organisation=org.id,
            kind=ContractKind.CSP,
            requested_at=self.now,
            start=self.now,
            end=None,
        )
        self.state.contracts[contract.contract_id] = contract
        org.csp_contract = contract.contract_id
        return contract

    def _customer_associations(self, org: Organisation, customer: Customer) -> list[CustomerAssociation]:
        return [
            a
            for a in self.state.customer_associations
            if a.organisation == org.id and a.customer == customer.id
        ]

    def _add_csp_contract(
        self, account: Account, org: Organisation, customer: Customer, portal: Portal
    ) -> Contract:
        """D12: the partner's CSP contract, added to the customer in the workload's portal the first
        time; later calls find it there and add nothing."""
        contract = self._csp_contract(org)
        if not any(a.contract_id == contract.contract_id for a in self._customer_associations(org, customer)):
            self.state.customer_associations.append(
                CustomerAssociation(
                    org.id, customer.id, contract.contract_id, portal, self.now, account.upn.lower()
                )
            )
        return contract

    @atomic
    def csp_customer(self, upn: str, customer_id: str) -> Customer:
        """One of the partner's CSP customers, by ID or tenant domain, for an Admin agent of the CSP
        partner (R-CSP-01): what the workload's portal shows the customer's support plans under
        (D12). Raises ``NotAuthorized``, ``RoleRequired``, ``CustomerNotFound``."""
        _, org = self._admin_agent_org(upn)
        return self._customer_of(org, customer_id, by_tenant=True)

    @atomic
    def customer_support_plans(self, upn: str, customer_id: str) -> list[CustomerPlan]:
        """The customer's support plans (D12), for an Admin agent of its CSP partner: the partner's
        "Cloud Solution Provider" contract from the first CSP request on, nothing before. Partner
        Center and the workload's portal (Azure) both list them. Raises ``NotAuthorized``,
        ``RoleRequired``, ``CustomerNotFound``."""
        _, org = self._admin_agent_org(upn)
        customer = self._customer_of(org, customer_id, by_tenant=True)
        return [
            CustomerPlan(
                plan_id=CSP_PLAN_ID,
                name="cloud_solution_provider",
                kind=ContractKind.CSP.value,
                contract_id=a.contract_id,
                customer=customer.id,
                portal=a.portal.value,
                added_at=a.at,
                added_by=a.by,
            )
            for a in self._customer_associations(org, customer)
        ]

    @changes
    def create_customer_support_request(
        self,
        upn: str,
        customer_id: str,
        workload: str,
        title: str,
        description: str,
        product: str = "virtual-machine-running-windows",
        severity: str = "C",
    ) -> SupportRequest:
        """Customers > customer > Service management > New request > workload (R-CSP-01): opens the
        workload's portal (Azure, the one workload), adds the partner's "Cloud Solution Provider"
        contract to the customer there the first time (D12) and files the request on it: ``plan`` is
        ``csp`` (R-AZ-04), ``contract_id`` the CSP contract. Every check comes first, so a refused
        request adds no contract. Raises ``RoleRequired``, ``NotAuthorized``, ``CustomerNotFound``,
        ``WorkloadNotFound``, ``ProductNotFound``, ``InvalidInput``."""
        account, org = self._admin_agent_org(upn)
        customer = self._customer_of(org, customer_id)
        if workload not in WORKLOADS:
            raise Refusal("WorkloadNotFound", workload=str(workload), workloads=sorted(WORKLOADS))
        title, description, severity = request_details(title, description, severity)
        found = product_of_kind(product, ProductKind.CLOUD)
        contract = self._add_csp_contract(account, org, customer, Portal.AZURE)
        return self.file_request(
            account,
            Portal.AZURE,
            product=found.id,
            title=title,
            description=description,
            severity=severity,
            plan=CSP_PLAN_ID,
            contract_id=contract.contract_id,
            customer=customer.id,
        )

    # --- the partner's own service requests (Partner Center REST) ----------------------------------
    @atomic
    def partner_profile(self, upn: str) -> dict[str, str | None]:
        """The MPN profile of the signed-in account's organisation (an MPN ID derived from its id)."""
        account = self.sign_in(upn)
        org = self.organisation_of(account)
        assert org is not None
        if not org.in_program(Program.MPN):
            raise Refusal("NotAuthorized")
        mpn_id = str(int.from_bytes(org.id.encode(), "big") % 9_000_000 + 1_000_000)
        return {
            "organisation": org.id,
            "name": org.name,
            "mpn_id": mpn_id,
            "membership": org.membership.value if org.membership else None,
            "tenant": org.tenant,
        }

    @changes
    def create_partner_center_request(
        self,
        upn: str,
        topic: str,
        title: str,
        description: str,
        severity: str = "C",
        contact: dict[str, str] | None = None,
        properties: dict[str, Any] | None = None,
        message: tuple[str, str] | None = None,
    ) -> SupportRequest:
        """A service request of the partner about Partner Center itself (a support topic, by key,
        number or name, not a product): open to every account of a partner organisation; it uses
        no incident. ``properties`` are what a client API keeps with it (its answer's fields the
        rules never read); ``message`` (subject, body) its first message (Partner Center's
        ``NewNote``). Everything is checked before the request is filed: a refused create files
        nothing and uses no request number."""
        account = self.sign_in(upn)
        found = find_support_topic(topic)
        if found is None:
            raise Refusal("SupportTopicNotFound", topic=str(topic))
        title, description, severity = request_details(title, description, severity)
        checked_contact = check_contact(contact) if contact is not None else {}
        if message is not None:
            message = (require_text(message[0], "subject", 200), require_text(message[1], "body", 10000))
        request = self.file_request(
            account,
            Portal.PARTNER_CENTER,
            product=found.id,
            title=title,
            description=description,
            severity=severity,
            plan="",
            contact=checked_contact,
            properties=dict(properties or {}),
        )
        if message is not None:
            request.communications.append(make_message(request, *message, now=self.now))
        return request

    def customer_of(self, request: SupportRequest) -> Customer | None:
        """The CSP customer a request was opened for, as the partner who opened it knows it."""
        account = self.state.accounts.get(request.upn)
        org = self.organisation_of(account) if account else None
        return org.customer(request.customer) if org and request.customer else None

    @atomic
    def customer_requests(self, upn: str, customer_id: str) -> list[SupportRequest]:
        """The requests the partner's accounts opened for one CSP customer (Admin agent only)."""
        _, org = self._admin_agent_org(upn)
        customer = self._customer_of(org, customer_id, by_tenant=True)
        members = {a.upn.lower() for a in self.state.accounts.values() if a.organisation == org.id}
        return [r for r in self.state.requests.values() if r.customer == customer.id and r.upn in members]
