"""Support for Business's JSON API: one endpoint per page action. Unlike Azure it carries remaining
incidents, since this is the one portal allowed to show them (R-SFB-05, R-SFB-06)."""

from __future__ import annotations

from flask import Blueprint, g, jsonify
from flask.typing import ResponseReturnValue

from portals.backend import Portal, Refusal, translate
from portals.backend.lifecycle import family_key
from portals.backend.views import SupportPlan, SupportPlans
from portals.web.context import current_upn, lang
from portals.web.requests_in import ContractIdsBody, Query, SupportRequestBody, Text, json_body, query
from portals.web.serialize import plain

api = Blueprint("sfb_api", __name__, url_prefix="/api")


class PlansQuery(Query):
    product: Text(200) | None = None


def plan_json(plan: SupportPlan) -> dict[str, object]:
    return {**plan.to_dict(), "display_name": translate(plan.name, lang())}


def plans_json(plans: SupportPlans) -> dict[str, object]:
    return {
        "product": plans.product,
        "available": [plan_json(p) for p in plans.available],
        "unavailable": [plan_json(p) for p in plans.unavailable],
    }


@api.get("/products")
def products() -> ResponseReturnValue:
    """The on-premises catalog at the world's date (D7, R-SFB-01): each offered product with its family,
    version, ``released`` date and lifecycle page ``source``, and ``covered`` (False: older than n-1).
    ``family_name`` is in the request's language; product names stay as Microsoft writes them.
    ``date`` is the world's date the answer holds for; ``value`` is empty before the catalog's first
    release (Windows XP, 2001-12-31)."""
    catalog = g.world.on_premises_catalog()
    value = [{**p.to_dict(), "family_name": translate(family_key(p.family), lang())} for p in catalog]
    return jsonify(date=g.world.now.date().isoformat(), value=value)


@api.get("/plans")
def plans() -> ResponseReturnValue:
    """Step 2 without the form (R-SFB-06): reading it creates nothing and uses no incident."""
    upn = current_upn()
    product = query(PlansQuery).product
    found = g.world.support_plans_for(upn, product) if product else g.world.support_plans_for(upn)
    return jsonify(plans_json(found))


@api.get("/remaining-incidents")
def remaining_incidents() -> ResponseReturnValue:
    counts = g.world.remaining_incidents(current_upn())
    return jsonify(value=[{"contract_id": c, "remaining_incidents": n} for c, n in counts.items()])


@api.post("/contracts")
def add_contract() -> ResponseReturnValue:
    """Add contract (R-SFB-07). Adding it again is quiet (D4): the same 201 and the same plan."""
    upn = current_upn()
    body = json_body(ContractIdsBody)
    plan = g.world.add_contract(upn, body.access_id, body.contract_id)
    return jsonify(plan=plan_json(plan)), 201


@api.post("/requests")
def create_request() -> ResponseReturnValue:
    upn = current_upn()
    body = json_body(SupportRequestBody).model_dump(exclude_none=True)
    created = g.world.create_support_request(upn, Portal.SUPPORT_FOR_BUSINESS, **body)
    return jsonify(plain(created)), 201


@api.get("/requests")
def list_requests() -> ResponseReturnValue:
    found = g.world.support_requests(current_upn(), Portal.SUPPORT_FOR_BUSINESS)
    return jsonify(value=[plain(r) for r in found])


@api.get("/requests/<request_id>")
def get_request(request_id: str) -> ResponseReturnValue:
    found = g.world.support_request(current_upn(), request_id)
    if found.portal is not Portal.SUPPORT_FOR_BUSINESS:
        raise Refusal("RequestNotFound", request_id=request_id)
    return jsonify(plain(found))
