"""Partner Center pages: plain HTML forms over the backend's Partner Center operations. A refusal of a
page itself is rendered on it with the refusal's status (D11); a form post answers 303 to the page
that shows its outcome, the refusal included (Post/Redirect/Get, ``portals.web.outcome``)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, redirect, render_template, url_for
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
from portals.backend.overview import CONTRACT_NAMES
from portals.backend.views import CustomerPlan, TechnicalBenefits
from portals.partner_center import TPD_MORE_INFORMATION
from portals.web.app import portal_url, signed_in
from portals.web.errors import status_of
from portals.web.outcome import Done, page_scope, posted, read, see_other
from portals.web.requests_in import Form, RequiredLine, RequiredProse, RequiredText, form

pages = Blueprint("pc_pages", __name__)

BENEFITS = "/dashboard/mpn/membership/benefits/technical"
CUSTOMER = "/commerce/customers/<customer_id>"


class CustomerRequestForm(Form):
    """Service management > New request for a CSP customer (R-CSP-01)."""

    workload: RequiredText(100)
    title: RequiredLine(200)
    description: RequiredProse(4000)
    product: RequiredText(200)
    severity: RequiredText(10)


class PurchaseForm(Form):
    offer: RequiredText(50)


def _page(template: str, refused: Refusal | None = None, **context: Any) -> ResponseReturnValue:
    """Render one of this portal's templates. ``refused``: the page's own refusal, shown with its
    status; a refusal a form post carried to the page (``error`` in ``context``) is shown on a 200."""
    if refused is not None:
        context["error"] = refused
    return render_template(f"partner_center/{template}", **context), status_of(refused) if refused else 200


@pages.get("/")
def home() -> ResponseReturnValue:
    return redirect(url_for("pc_pages.dashboard"))


@pages.get("/dashboard")
@signed_in
def dashboard(upn: str) -> ResponseReturnValue:
    try:
        account = g.world.sign_in(upn)
    except Refusal as refusal:  # D8: MSA and non-partner accounts
        return _page("dashboard.html", refusal)
    return _page("dashboard.html", account=account)


# --- Benefits > Technical benefits (R-PC-01..08) ---------------------------------------------------
def _benefits_page(upn: str, **context: Any) -> ResponseReturnValue:
    """The page as the backend sees it for this account; if the backend refuses the page itself
    (R-PC-02, R-PC-04, D8) the refusal replaces it."""
    try:
        view: TechnicalBenefits = g.world.technical_benefits(upn)
    except Refusal as refusal:
        return _page("benefits.html", refusal)
    return _page(
        "benefits.html",
        view=view,
        cloud_competencies=[competency_key(name) for name in CLOUD_COMPETENCY_ORDER],
        tpd_more_information=TPD_MORE_INFORMATION,
        **context,
    )


@pages.get(BENEFITS)
@signed_in
def benefits(upn: str) -> ResponseReturnValue:
    """The page; after Activate, its outcome (``activated``, or the refusal: R-PC-05's role)."""
    return _benefits_page(upn, **read(page_scope()).context())


@pages.post(f"{BENEFITS}/activate")
@signed_in
def activate(upn: str) -> ResponseReturnValue:
    """The Activate button (R-PC-05), then the page: "Activation in progress" while pending
    (R-PC-07), the IDs once active."""
    target = url_for("pc_pages.benefits")
    try:
        view = g.world.activate_benefits(upn)
    except Refusal as refusal:
        return see_other(target, page_scope(), error=refusal)
    return see_other(target, page_scope(), done=Done("activated", {"state": view.state}))


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
        return _page("customers.html", refusal, customers=[])


@pages.get(CUSTOMER)
@signed_in
def customer(upn: str, customer_id: str) -> ResponseReturnValue:
    """The customer, with its support plans (D12: the CSP contract once a request added it)."""
    try:
        found = _customer(upn, customer_id)
        return _page("customer.html", customer=found, plans=g.world.customer_support_plans(upn, found.id))
    except Refusal as refusal:
        return _page("customer.html", refusal)


def _service_page(upn: str, customer_id: str, **context: Any) -> ResponseReturnValue:
    """Service management of one customer; the page's own refusal (R-CSP-01) replaces the form."""
    plans: list[CustomerPlan] = []
    refused = None
    try:
        found: Customer | None = _customer(upn, customer_id)
        plans = g.world.customer_support_plans(upn, found.id)
    except Refusal as refusal:
        refused, found = refusal, None
    return _page(
        "service_management.html",
        refused,
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
    """New request's form; after a refused post, the refusal and the values sent."""
    return _service_page(upn, customer_id, **read(page_scope()).context())


@pages.post(f"{CUSTOMER}/servicemanagement/newrequest")
@signed_in
def new_request(upn: str, customer_id: str) -> ResponseReturnValue:
    """Choosing the workload opens its portal (Azure) on the request the backend created, in the
    same world, account and language; a refusal goes back to Service management."""
    try:
        created = g.world.create_customer_support_request(
            upn, customer_id, **form(CustomerRequestForm).model_dump()
        )
    except Refusal as refusal:
        target = url_for("pc_pages.service_management", customer_id=customer_id)
        sent = posted(tuple(CustomerRequestForm.model_fields))
        return see_other(target, page_scope(), error=refusal, form=sent)
    url = portal_url("azure", f"/support/requests/{created.id}", login_hint=upn, created="1")
    return redirect(url, code=303)


# --- paid partner support plans (R-AZ-09, D9) -------------------------------------------------------
@pages.get("/support/partnersupport")
@signed_in
def support_plans(upn: str) -> ResponseReturnValue:
    """The offers and the organisation's contracts; after Buy, the new contract's IDs, or the
    refusal (R-AZ-09's roles, D9)."""
    shown = read(page_scope())
    refused = None
    try:
        contracts = g.world.organisation_contracts(upn)
    except Refusal as refusal:
        refused, contracts = refusal, []
    bought = None
    if shown.done is not None and shown.done.kind == "purchased":
        bought = next((c for c in contracts if c.contract_id == shown.done.contract_id), None)
    return _page(
        "support_plans.html",
        refused,
        error=shown.error,
        offers=list(PaidOffer),
        contracts=contracts,
        labels=CONTRACT_NAMES,
        bought=bought,
    )


@pages.post("/support/partnersupport/purchase")
@signed_in
def purchase(upn: str) -> ResponseReturnValue:
    """Buy: then the page shows the new contract's Access ID and Contract ID."""
    target = url_for("pc_pages.support_plans")
    try:
        bought = g.world.purchase_support_plan(upn, form(PurchaseForm).offer)
    except Refusal as refusal:
        return see_other(target, page_scope(), error=refusal)
    return see_other(target, page_scope(), done=Done("purchased", {"contract_id": bought.contract_id}))
