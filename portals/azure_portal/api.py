"""The Azure portal's JSON API: one endpoint per page action. No response carries a count of
remaining incidents (R-SFB-05): the backend's Azure views have no such field."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue

from portals.backend import CLOUD_PRODUCTS, Portal, Refusal, translate
from portals.backend.views import AzurePlan
from portals.web.context import current_upn, lang
from portals.web.requests_in import ContractIdsBody, SupportRequestBody, json_body
from portals.web.serialize import plain

api = Blueprint("azure_api", __name__, url_prefix="/api")


def plan_json(plan: AzurePlan) -> dict[str, object]:
    return {**plan.to_dict(), "display_name": translate(plan.name, lang())}


def request_json(item: object) -> dict[str, object]:
    """A request with its plan and ``contract_id`` (the CSP contract of a customer request, D12);
    nothing about any pool."""
    return plain(item)


@api.get("/products")
def products() -> ResponseReturnValue:
    return jsonify(value=[{"id": p.id, "name": p.name, "guid": p.guid} for p in CLOUD_PRODUCTS])


@api.get("/supportplans")
def support_plans() -> ResponseReturnValue:
    """``{"value": [plan]}``: the account's plans (D6); with ``?customer=<id or tenant>``, for the
    Admin agent of a CSP partner, the customer's support plans (D12: the partner's Cloud Solution
    Provider contract once a CSP request added it). Never a remaining count (R-SFB-05)."""
    upn = current_upn()
    customer = request.args.get("customer")
    if customer is not None:
        found = g.world.customer_support_plans(upn, customer)
        return jsonify(value=[{**p.to_dict(), "display_name": translate(p.name, lang())} for p in found])
    return jsonify(value=[plan_json(p) for p in g.world.azure_support_plans(upn)])


@api.post("/supportplans/link")
def link() -> ResponseReturnValue:
    upn = current_upn()
    body = json_body(ContractIdsBody)
    plan = g.world.link_support_benefits(upn, body.access_id, body.contract_id)
    return jsonify(plan=plan_json(plan)), 201


@api.post("/supportrequests")
def create_request() -> ResponseReturnValue:
    upn = current_upn()
    body = json_body(SupportRequestBody).model_dump(exclude_none=True)
    created = g.world.create_support_request(upn, Portal.AZURE, **body)
    return jsonify(request_json(created)), 201


@api.get("/supportrequests")
def list_requests() -> ResponseReturnValue:
    found = g.world.support_requests(current_upn(), Portal.AZURE)
    return jsonify(value=[request_json(r) for r in found])


@api.get("/supportrequests/<request_id>")
def get_request(request_id: str) -> ResponseReturnValue:
    found = g.world.support_request(current_upn(), request_id)
    if found.portal is not Portal.AZURE:
        raise Refusal("RequestNotFound", request_id=request_id)
    return jsonify(request_json(found))
