"""Support for Business pages: plain HTML forms over the backend's Support for Business operations.

Step 1 asks for the product and the problem; step 2 lists the plans with their dates and remaining
incidents and creates nothing (R-SFB-06); only Submit creates the request (R-SFB-04). Step 2 is a
GET whose query carries step 1's answers; "Add contract" and a refused Submit answer 303 back to
it, with their outcome (Post/Redirect/Get, ``portals.web.outcome``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portals.backend import REFUSALS, Portal, Refusal, find_product, translate
from portals.backend.catalog import SEVERITIES
from portals.backend.lifecycle import FIRST_VERSION
from portals.web.context import signed_in
from portals.web.errors import status_of
from portals.web.outcome import Done, page_scope, posted, read, see_other
from portals.web.requests_in import (
    ContractIdsForm,
    Form,
    RequiredLine,
    RequiredProse,
    RequiredText,
    SupportRequestForm,
    form,
    form_or_query,
)

pages = Blueprint("sfb_pages", __name__)


class Step1Details(Form):
    """Step 1's answers, carried through step 2 to Submit (and through "Add contract" back to step
    2), in step 2's query."""

    product: RequiredText(200)
    title: RequiredLine(200)
    description: RequiredProse(4000)


@pages.context_processor
def helpers() -> dict[str, Any]:
    def bilingual(key: str) -> str:
        """The seeds quote the expanders in English and add the translation in parentheses."""
        english = translate(key)
        return english if g.lang == "en-US" else f"{english} ({translate(key, g.lang)})"

    def reason(code: str) -> str:
        """The short text beside an unavailable plan (R-SFB-08), keyed like the backend's refusal."""
        return translate(f"sfb_reason_{REFUSALS[code].message_key}", g.lang)

    return {"bilingual": bilingual, "reason": reason}


def _step1_page(status: int = 200, **context: Any) -> ResponseReturnValue:
    """Step 1 offers what the world offers at its date (D7): covered products, then those older than
    n-1; versions not yet released are not offered. Before the catalog's first release it says so."""
    products = g.world.on_premises_catalog()
    page = render_template(
        "support_for_business/step1.html", products=products, first=FIRST_VERSION, **context
    )
    return page, status


def _step2_page(upn: str, **context: Any) -> ResponseReturnValue:
    """Step 2 for step 1's answers in the query; bad answers go back to step 1 saying why."""
    try:
        details = form_or_query(Step1Details).model_dump()
        plans = g.world.support_plans_for(upn, details["product"])
    except Refusal as refusal:
        return _step1_page(status_of(refusal), error=refusal, form=request.args)
    page = render_template(
        "support_for_business/step2.html",
        details=details,
        product=find_product(plans.product),
        plans=plans,
        severities=SEVERITIES,
        **context,
    )
    return page, 200


def _back_to_step2(**outcome: Any) -> ResponseReturnValue:
    """303 to step 2 with step 1's answers the form carried, and the outcome of the post."""
    details = {name: request.form.get(name, "") for name in Step1Details.model_fields}
    return see_other(url_for("sfb_pages.step2", **details), page_scope(), **outcome)


@pages.get("/")
def home() -> ResponseReturnValue:
    return redirect(url_for("sfb_pages.create"))


@pages.get("/supportforbusiness/create")
@signed_in
def create(upn: str) -> ResponseReturnValue:
    return _step1_page(form=request.args)


@pages.get("/supportforbusiness/create/step2")
@signed_in
def step2(upn: str) -> ResponseReturnValue:
    """Where the seeds stop to read the remaining incidents (R-SFB-06): nothing is created. After
    Add contract or a refused Submit, their outcome."""
    return _step2_page(upn, **read(page_scope()).context())


@pages.post("/supportforbusiness/create/step2")
@signed_in
def step2_post(upn: str) -> ResponseReturnValue:
    """Step 1's answers sent as a form: the same step 2, as a GET."""
    return _back_to_step2()


@pages.post("/supportforbusiness/contracts/add")
@signed_in
def add_contract(upn: str) -> ResponseReturnValue:
    """Add contract (R-SFB-07, D4), then step 2 again with the same details. The whole form is
    checked first, step 1's details as step 2 reads them (the product at the world's date, under
    the world's lock with the change), so a post whose step 2 would be refused adds nothing."""
    try:
        details = form(Step1Details)
        ids = form(ContractIdsForm)
        with g.world.lock:
            g.world.on_premises_product(details.product)
            added = g.world.add_contract(upn, ids.access_id, ids.contract_id)
    except Refusal as refusal:
        return _back_to_step2(error=refusal, form=posted(("access_id", "contract_id")))
    return _back_to_step2(done=Done("contract_added", {"contract_id": added.contract_id}))


@pages.post("/supportforbusiness/create/submit")
@signed_in
def submit(upn: str) -> ResponseReturnValue:
    """Submit step 2: the request is created and one incident is used (R-SFB-04, D7)."""
    try:
        details = form(SupportRequestForm).details()
        created = g.world.create_support_request(upn, Portal.SUPPORT_FOR_BUSINESS, **details)
    except Refusal as refusal:
        return _back_to_step2(error=refusal, form=posted(("plan", "severity")))
    return see_other(url_for("sfb_pages.request_detail", request_id=created.id, created=1), page_scope())


@pages.get("/supportforbusiness/requests")
@signed_in
def requests_list(upn: str) -> ResponseReturnValue:
    found = g.world.support_requests(upn, Portal.SUPPORT_FOR_BUSINESS)
    return render_template(
        "support_for_business/requests.html", requests=found, plan_names=g.world.request_plan_names(found)
    )


@pages.get("/supportforbusiness/requests/<request_id>")
@signed_in
def request_detail(upn: str, request_id: str) -> ResponseReturnValue:
    """A request, with what is left on its contract: counts may be shown here only (R-SFB-05)."""
    found = g.world.support_request(upn, request_id)
    if found.portal is not Portal.SUPPORT_FOR_BUSINESS:
        raise Refusal("RequestNotFound", request_id=request_id)
    return render_template(
        "support_for_business/request.html",
        item=found,
        product=find_product(found.product),
        plan_names=g.world.request_plan_names([found]),
        remaining=g.world.remaining_incidents(upn),
        created=request.args.get("created"),
    )
