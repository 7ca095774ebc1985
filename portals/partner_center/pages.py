"""Partner Center pages: plain HTML forms over the backend's Partner Center operations. Every
refusal is rendered on the page that caused it, with the refusal's status (D11)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portals.backend import CLOUD_PRODUCTS, Refusal
from portals.backend.catalog import (
    CLOUD_COMPETENCY_ORDER,
    SEVERITIES,
    WORKLOADS,
    PaidOffer,
    competency_key,
)
from portals.backend.model import Customer
from portals.backend.views import CustomerPlan, TechnicalBenefits
from portals.partner_center import CONTRACT_LABELS, TPD_MORE_INFORMATION
from portals.web.app import portal_url, signed_in
from portals.web.errors import status_of
from portals.web.requests_in import Form, RequiredText, form

pages = Blueprint("pc_pages", __name__)

BENEFITS = "/dashboard/mpn/membership/benefits/technical"
CUSTOMER = "/commerce/customers/<customer_id>"


class CustomerRequestForm(Form):
    """Service management > New request for a CSP customer (R-CSP-01)."""

    workload: RequiredText(100)
    title: RequiredText(200)
    description: RequiredText(4000)
    product: RequiredText(200)
    severity: RequiredText(10)


class PurchaseForm(Form):
    offer: RequiredText(50)


def _page(
    template: str, status: int = 200, error: Refusal | None = None, **context: Any
) -> ResponseReturnValue:
    """Render one of this portal's templates; a refusal shown on it sets the status."""
    return (
        render_template(f"partner_center/{template}", error=error, **context),
        status_of(error) if error is not None else status,
    )


@pages.get("/")
def home() -> ResponseReturnValue:
    return redirect(url_for("pc_pages.dashboard"))


@pages.get("/dashboard")
@signed_in
def dashboard(upn: str) -> ResponseReturnValue:
    try:
        account = g.world.sign_in(upn)
    except Refusal as refusal:  # D8: MSA and non-partner accounts
        return _page("dashboard.html", error=refusal)
    return _page("dashboard.html", account=account)


# --- Benefits > Technical benefits (R-PC-01..08) ---------------------------------------------------
def _benefits_page(
    upn: str,
    status: int = 200,
    error: Refusal | None = None,
    view: TechnicalBenefits | None = None,
    **context: Any,
) -> ResponseReturnValue:
    """The page as the backend sees it for this account; if the backend refuses the page itself
    (R-PC-02, R-PC-04, D8) the refusal replaces it."""
    try:
        view = view or g.world.technical_benefits(upn)
    except Refusal as refusal:
        return _page("benefits.html", error=refusal)
    return _page(
        "benefits.html",
        status,
        error,
        view=view,
        cloud_competencies=[competency_key(name) for name in CLOUD_COMPETENCY_ORDER],
        tpd_more_information=TPD_MORE_INFORMATION,
        **context,
    )


@pages.get(BENEFITS)
@signed_in
def benefits(upn: str) -> ResponseReturnValue:
    return _benefits_page(upn)


@pages.post(f"{BENEFITS}/activate")
@signed_in
def activate(upn: str) -> ResponseReturnValue:
    """The Activate button (R-PC-05): 202 while pending (R-PC-07), 200 once active."""
    try:
        view = g.world.activate_benefits(upn)
    except Refusal as refusal:
        return _benefits_page(upn, error=refusal)
    return _benefits_page(upn, 202 if view.state == "pending" else 200, view=view, activated=True)


# --- CSP: Customers > customer > Service management > New request (R-CSP-01) -----------------------
def _customer(upn: str, customer_id: str) -> Customer:
    """One of the customers the backend lets this account see."""
    found = next((c for c in g.world.customers(upn) if c.id == customer_id), None)
    if found is None:
        raise Refusal("CustomerNotFound", customer=customer_id)
    return found


@pages.get("/commerce/customers/list")
@signed_in
def customers(upn: str) -> ResponseReturnValue:
    try:
        return _page("customers.html", customers=g.world.customers(upn))
    except Refusal as refusal:
        return _page("customers.html", error=refusal, customers=[])


@pages.get(CUSTOMER)
@signed_in
def customer(upn: str, customer_id: str) -> ResponseReturnValue:
    """The customer, with its support plans (D12: the CSP contract once a request added it)."""
    try:
        found = _customer(upn, customer_id)
        return _page("customer.html", customer=found, plans=g.world.customer_support_plans(upn, found.id))
    except Refusal as refusal:
        return _page("customer.html", error=refusal)


def _service_page(
    upn: str, customer_id: str, error: Refusal | None = None, **context: Any
) -> ResponseReturnValue:
    plans: list[CustomerPlan] = []
    try:
        found: Customer | None = _customer(upn, customer_id)
        plans = g.world.customer_support_plans(upn, found.id)
    except Refusal as refusal:
        error, found = error or refusal, None
    return _page(
        "service_management.html",
        error=error,
        customer=found,
        plans=plans,
        workloads=WORKLOADS,
        products=CLOUD_PRODUCTS,
        severities=SEVERITIES,
        **context,
    )


@pages.get(f"{CUSTOMER}/servicemanagement")
@signed_in
def service_management(upn: str, customer_id: str) -> ResponseReturnValue:
    return _service_page(upn, customer_id, form={})


@pages.post(f"{CUSTOMER}/servicemanagement/newrequest")
@signed_in
def new_request(upn: str, customer_id: str) -> ResponseReturnValue:
    """Choosing the workload opens its portal (Azure) on the request the backend created."""
    try:
        created = g.world.create_customer_support_request(
            upn, customer_id, **form(CustomerRequestForm).model_dump()
        )
    except Refusal as refusal:
        return _service_page(upn, customer_id, refusal, form=request.form)
    return redirect(portal_url("azure", f"/support/requests/{created.id}", login_hint=upn, created="1"))


# --- paid partner support plans (R-AZ-09, D9) -------------------------------------------------------
def _plans_page(
    upn: str, status: int = 200, error: Refusal | None = None, **context: Any
) -> ResponseReturnValue:
    try:
        contracts = g.world.organisation_contracts(upn)
    except Refusal as refusal:
        error, contracts = error or refusal, []
    return _page(
        "support_plans.html",
        status,
        error,
        offers=list(PaidOffer),
        contracts=contracts,
        labels=CONTRACT_LABELS,
        **context,
    )


@pages.get("/support/partnersupport")
@signed_in
def support_plans(upn: str) -> ResponseReturnValue:
    return _plans_page(upn)


@pages.post("/support/partnersupport/purchase")
@signed_in
def purchase(upn: str) -> ResponseReturnValue:
    """Buy: the new contract's Access ID and Contract ID are shown at once (201)."""
    try:
        bought = g.world.purchase_support_plan(upn, form(PurchaseForm).offer)
    except Refusal as refusal:
        return _plans_page(upn, error=refusal)
    return _plans_page(upn, 201, bought=bought)
