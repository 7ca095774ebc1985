"""Partner Center's JSON API: one endpoint per page action, answering what the backend answers.
Identity comes first (401 before 400), then the body is checked, then the backend decides."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue

from portals.backend import Membership, translate
from portals.backend.entitlements import entitlement_for
from portals.backend.overview import CONTRACT_NAMES
from portals.backend.views import ContractView, TechnicalBenefits
from portals.web.app import current_upn, lang, portal_url
from portals.web.requests_in import Body, Line, Prose, json_body
from portals.web.serialize import plain

api = Blueprint("pc_api", __name__, url_prefix="/api")


class ActivateBody(Body):
    """Activate takes no fields: no body, or ``{}``."""


class CustomerRequestBody(Body):
    """A request for a CSP customer (R-CSP-01): the workload opens its portal."""

    workload: str
    title: Line(200)
    description: Prose(4000)
    product: str | None = None
    severity: str | None = None


class PurchaseBody(Body):
    offer: str


def contract_json(contract: ContractView) -> dict[str, Any]:
    return {**contract.to_dict(), "display_name": translate(CONTRACT_NAMES[contract.kind], lang())}


@api.get("/me")
def me() -> ResponseReturnValue:
    account = g.world.sign_in(current_upn())
    return jsonify(
        upn=account.upn,
        kind=account.kind.value,
        organisation=account.organisation,
        roles=[r.value for r in account.roles],
    )


def benefits_json(view: TechnicalBenefits) -> dict[str, Any]:
    labels = {key: translate(key, lang()) for key in (*view.benefits, *view.appropriate_roles)}
    return {**view.to_dict(), "labels": labels}


@api.get("/benefits/technical")
def technical_benefits() -> ResponseReturnValue:
    return jsonify(benefits_json(g.world.technical_benefits(current_upn())))


@api.post("/benefits/technical/activate")
def activate() -> ResponseReturnValue:
    """No body, or an empty JSON object: 202 while pending (R-PC-07, D2), 200 once active."""
    upn = current_upn()
    if request.get_data(cache=True):
        json_body(ActivateBody)
    view = g.world.activate_benefits(upn)
    return jsonify(benefits_json(view)), 202 if view.state == "pending" else 200


@api.get("/entitlements")
def entitlements() -> ResponseReturnValue:
    """The offers' table (R-EN-01, R-EN-02) as the backend defines it, for no organisation in particular."""
    rows = []
    for membership in Membership:
        row = plain(entitlement_for(membership, []))
        row.pop("holds_cloud_competency")
        rows.append({**row, "display_name": translate(f"offer_{membership.value}", lang())})
    return jsonify(value=rows)


@api.get("/customers")
def customers() -> ResponseReturnValue:
    return jsonify(value=plain(g.world.customers(current_upn())))


@api.get("/customers/<customer_id>/supportplans")
def customer_support_plans(customer_id: str) -> ResponseReturnValue:
    """D12: ``{"value": [plan]}``, the customer's support plans: the partner's "Cloud Solution
    Provider" contract from the first CSP request on (``contract_id``, ``added_at``, ``portal``)."""
    plans = g.world.customer_support_plans(current_upn(), customer_id)
    return jsonify(value=[{**p.to_dict(), "display_name": translate(p.name, lang())} for p in plans])


@api.get("/customers/<customer_id>/servicerequests")
def customer_service_requests(customer_id: str) -> ResponseReturnValue:
    """``{"value": [request]}``: the requests the partner opened for the customer (R-CSP-01), each
    with its plan and contract (D12)."""
    return jsonify(value=plain(g.world.customer_requests(current_upn(), customer_id)))


@api.post("/customers/<customer_id>/servicerequests")
def create_service_request(customer_id: str) -> ResponseReturnValue:
    """R-CSP-01: the request is created for the customer; ``azure_url`` opens it in the Azure portal."""
    upn = current_upn()
    body = json_body(CustomerRequestBody).model_dump(exclude_none=True)
    created = g.world.create_customer_support_request(upn, customer_id, **body)
    azure_url = portal_url("azure", f"/support/requests/{created.id}", login_hint=upn, created="1")
    return jsonify(request=plain(created), azure_url=azure_url), 201


@api.post("/supportplans/purchase")
def purchase() -> ResponseReturnValue:
    upn = current_upn()
    body = json_body(PurchaseBody)
    return jsonify(contract_json(g.world.purchase_support_plan(upn, body.offer))), 201


@api.get("/contracts")
def contracts() -> ResponseReturnValue:
    return jsonify(value=[contract_json(c) for c in g.world.organisation_contracts(current_upn())])
