"""Azure portal pages: plain HTML forms over the backend's Azure operations. A form post answers 303
to the page that shows its outcome, the refusal included (Post/Redirect/Get,
``portals.web.outcome``): "Link support benefits" and its spurious error (R-AZ-05) show on Support
plans."""

from __future__ import annotations

from flask import Blueprint, g, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portals.backend import CLOUD_PRODUCTS, Portal, Refusal
from portals.web.context import signed_in
from portals.web.errors import status_of
from portals.web.outcome import Done, page_scope, posted, read, see_other
from portals.web.requests_in import ContractIdsForm, SupportRequestForm, form

pages = Blueprint("azure_pages", __name__)


@pages.get("/")
def home() -> ResponseReturnValue:
    return render_template("azure/home.html")


@pages.get("/help-support")
@signed_in
def help_support(upn: str) -> ResponseReturnValue:
    return render_template("azure/help_support.html")


@pages.get("/help-support/plans")
@signed_in
def plans(upn: str) -> ResponseReturnValue:
    """The account's support plans and "Link support benefits", with the outcome of a link (the
    plan linked, or the refusal: R-AZ-05's spurious error, D5); with ``?customer=<id>``, opened by
    the Admin agent of a CSP partner, the customer's support plans instead (D12)."""
    customer = request.args.get("customer")
    if customer is not None:
        return _customer_plans_page(upn, customer)
    return render_template(
        "azure/plans.html", plans=g.world.azure_support_plans(upn), **read(page_scope()).context()
    )


def _customer_plans_page(upn: str, customer_id: str) -> ResponseReturnValue:
    """D12: the partner's "Cloud Solution Provider" contract is added to the customer in this portal,
    and the customer's support plans list it from then on. Refusals (R-CSP-01) replace the list."""
    try:
        customer = g.world.csp_customer(upn, customer_id)
        found = g.world.customer_support_plans(upn, customer.id)
    except Refusal as refusal:
        return render_template("azure/customer_plans.html", error=refusal), status_of(refusal)
    return render_template("azure/customer_plans.html", customer=customer, customer_plans=found)


@pages.post("/help-support/plans/link")
@signed_in
def link(upn: str) -> ResponseReturnValue:
    """Link support benefits (R-AZ-02); its refusals (R-AZ-05, D5) are shown on the same page."""
    target = url_for("azure_pages.plans")
    try:
        ids = form(ContractIdsForm)
        plan = g.world.link_support_benefits(upn, ids.access_id, ids.contract_id)
    except Refusal as refusal:
        return see_other(target, page_scope(), error=refusal, form=posted(("access_id", "contract_id")))
    linked = Done("linked", {"name": plan.name, "contract_id": plan.contract_id})
    return see_other(target, page_scope(), done=linked)


@pages.get("/help-support/new")
@signed_in
def new_request(upn: str) -> ResponseReturnValue:
    """ "+ New support request"; after a refused Create, the refusal and the values sent."""
    shown = read(page_scope())
    return render_template(
        "azure/new_request.html",
        plans=g.world.azure_support_plans(upn),
        products=CLOUD_PRODUCTS,
        error=shown.error,
        form=shown.form or request.args,
    )


@pages.post("/help-support/new")
@signed_in
def new_request_post(upn: str) -> ResponseReturnValue:
    try:
        created = g.world.create_support_request(upn, Portal.AZURE, **form(SupportRequestForm).details())
    except Refusal as refusal:
        sent = posted(tuple(SupportRequestForm.model_fields))
        return see_other(url_for("azure_pages.new_request"), page_scope(), error=refusal, form=sent)
    return see_other(url_for("azure_pages.request_detail", request_id=created.id, created=1), page_scope())


@pages.get("/support/requests")
@signed_in
def requests_list(upn: str) -> ResponseReturnValue:
    found = g.world.support_requests(upn, Portal.AZURE)
    return render_template(
        "azure/requests.html",
        requests=found,
        plan_names=g.world.request_plan_names(found),
    )


@pages.get("/support/requests/<request_id>")
@signed_in
def request_detail(upn: str, request_id: str) -> ResponseReturnValue:
    found = g.world.support_request(upn, request_id)
    if found.portal is not Portal.AZURE:
        raise Refusal("RequestNotFound", request_id=request_id)
    customer = g.world.customer_of(found)
    customer_plans = None
    if customer is not None:  # D12: the customer's support plans, for the partner's Admin agent
        try:
            customer_plans = g.world.customer_support_plans(upn, customer.id)
        except Refusal:
            customer_plans = None
    return render_template(
        "azure/request.html",
        item=found,
        plan_names=g.world.request_plan_names([found]),
        customer=customer,
        customer_plans=customer_plans,
        created=request.args.get("created"),
    )
