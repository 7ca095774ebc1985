"""The Azure Support REST API (Microsoft.Support, api-version 2024-04-01) over the shared backend.

Each view translates ARM's shapes into one backend call and its answer (or refusal) back; no rule
is decided here. Tickets are the account's Azure support requests: the subscription in the path is
accepted as given and only shapes the resource IDs, since the backend names requests per account.

Creating a ticket or a message is a long-running operation: the backend creates (or refuses) it
when the PUT arrives; the operation only reports that, ``InProgress`` on the first look and then
``Succeeded`` or ``Failed``. Input the backend refuses as bad or unknown (reason ``bad input``,
``unknown IDs``) is answered at once with 400/404/409, as ARM validates a request; what a rule
refuses (no plan, no incidents left, an expired contract: D6, R-AZ-03, R-AZ-07) is accepted with
202 and its operation ends ``Failed`` with the backend's code. Either way nothing is created.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from flask import Blueprint, Response, g, jsonify, request
from flask.typing import ResponseReturnValue

from portals.azure_management import requests_in as inp
from portals.azure_management.errors import ArmError, error_detail, error_response
from portals.azure_management.resources import (
    COMMUNICATION_TYPE,
    CONTACT_TO_BACKEND,
    PROVIDER,
    SEVERITY_TO_BACKEND,
    TICKET_TYPE,
    classification_json,
    communication_json,
    decode_plan,
    find_classification,
    iso,
    service_json,
    ticket_json,
)
from portals.azure_management.state import Operation, state_of
from portals.backend import CLOUD_PRODUCTS, Portal, Refusal, World
from portals.backend.azure import cloud_product
from portals.backend.catalog import Product, problem_classifications
from portals.backend.model import SupportRequest
from portals.backend.support_requests import check_name
from portals.web.context import current_upn, lang
from portals.web.errors import EdgeRefusal
from portals.web.requests_in import json_body

API_VERSION = "2024-04-01"
#: Refusal reasons (the backend's own classification) that ARM answers at once, as input errors.
ANSWERED_AT_ONCE = frozenset({"bad input", "unknown IDs", "identity", "unknown account"})
TICKETS_PAGE, TICKETS_MAX = 25, 100  # the spec: "Default is 25 and max is 100"
MESSAGES_PAGE, MESSAGES_MAX = 10, 10  # the spec: "Default is 10 and max is 10"

api = Blueprint("azure_management_api", __name__)


# --- every request ------------------------------------------------------------------------------------
def arm_request() -> None:
    """Runs after the shared resolver (world, language): ARM's own checks, in ARM's order. Only a
    bearer token identifies the caller here (no cookies, no login_hint); then the api-version."""
    if request.path == "/_harness" or request.path.startswith("/_harness/"):
        return
    if not request.path.startswith(("/providers/", "/subscriptions/")):
        raise EdgeRefusal("RouteNotFound", path=request.path)
    if not request.headers.get("Authorization"):
        raise EdgeRefusal("AuthenticationRequired", detail="the Authorization header is missing")
    current_upn()  # AccountNotFound (401) when the token names nobody of this world
    version = request.args.get("api-version")
    if not version:
        detail = f"the api-version query parameter is required; this API serves {API_VERSION}"
        raise ArmError("MissingApiVersionParameter", inp.invalid(detail))
    if version != API_VERSION:
        detail = f"the api-version {version!r} is not supported; this API serves {API_VERSION}"
        raise ArmError("InvalidApiVersionParameter", inp.invalid(detail))


def arm_route(path: str, methods: list[str], tenant: bool = True) -> Callable[..., Any]:
    """Register a view under ``/subscriptions/<subscription>/providers/Microsoft.Support`` and
    (``tenant``) under ``/providers/Microsoft.Support``, where it gets ``subscription=None``."""

    def register(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
        api.add_url_rule(
            f"/subscriptions/<subscription>{PROVIDER}{path}", view.__name__, view, methods=methods
        )
        if tenant:
            tenant_view = functools.partial(view, subscription=None)
            api.add_url_rule(f"{PROVIDER}{path}", f"{view.__name__}_tenant", tenant_view, methods=methods)
        return view

    return register


def scope(subscription: str | None) -> str:
    return f"/subscriptions/{subscription}" if subscription is not None else ""


def world() -> World:
    return g.world


def base_url() -> str:
    return request.host_url.rstrip("/")


def page(items: list[Any], size: int, render: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    """One page of ``items`` from ``$skipToken``, with an absolute ``nextLink`` when more follow."""
    start = inp.skip_token()
    return paged(items[start : start + size], start, start + size < len(items), render)


def paged(
    items: list[Any], start: int, more: bool, render: Callable[[Any], dict[str, Any]]
) -> dict[str, Any]:
    """A page already cut (``items`` from the ``start``-th), with an absolute ``nextLink`` to the
    next page when ``more`` follow."""
    body: dict[str, Any] = {"value": [render(item) for item in items]}
    if more:
        query = {k: v for k, v in request.args.items() if k.lower() != "$skiptoken"}
        query["$skipToken"] = str(start + len(items))
        body["nextLink"] = f"{request.base_url}?{urlencode(query, quote_via=quote)}"
    return body


# --- services, problem classifications, operations -------------------------------------------------------
@api.get(f"{PROVIDER}/services")
def list_services() -> ResponseReturnValue:
    return jsonify(value=[service_json(p) for p in CLOUD_PRODUCTS])


@api.get(f"{PROVIDER}/services/<service>")
def get_service(service: str) -> ResponseReturnValue:
    return jsonify(service_json(cloud_product(service)))


@api.get(f"{PROVIDER}/services/<service>/problemClassifications")
def list_classifications(service: str) -> ResponseReturnValue:
    product = cloud_product(service)
    return jsonify(value=[classification_json(product, c) for c in problem_classifications(product)])


@api.get(f"{PROVIDER}/services/<service>/problemClassifications/<name>")
def get_classification(service: str, name: str) -> ResponseReturnValue:
    product = cloud_product(service)
    found = find_classification(product, name)
    if found is None:
        raise Refusal("ProblemClassificationNotFound", classification=name)
    return jsonify(classification_json(product, found))


_OPERATIONS = (
    ("services/read", "Service", "Lists the Azure services a support ticket can be created for"),
    ("problemClassifications/read", "Problem classification", "Lists the problem classifications"),
    ("checkNameAvailability/action", "Support ticket", "Checks whether a name is available"),
    ("supportTickets/read", "Support ticket", "Lists or gets support tickets"),
    ("supportTickets/write", "Support ticket", "Creates or updates a support ticket"),
    ("communications/read", "Communication", "Lists or gets the messages of a support ticket"),
    ("communications/write", "Communication", "Adds a message to a support ticket"),
)


@api.get(f"{PROVIDER}/operations")
def list_operations() -> ResponseReturnValue:
    value = [
        {
            "name": f"Microsoft.Support/{name}",
            "isDataAction": False,
            "display": {"provider": "Microsoft Support", "resource": resource, "operation": what},
            "origin": "user,system",
        }
        for name, resource, what in _OPERATIONS
    ]
    return jsonify(value=value)


# --- names ----------------------------------------------------------------------------------------------
def availability(refusal: Refusal | None, reason: str = "AlreadyExists") -> ResponseReturnValue:
    if refusal is None:
        return jsonify(nameAvailable=True)
    return jsonify(nameAvailable=False, reason=reason, message=refusal.message(lang()))


def name_request(expected_type: str) -> str:
    body = json_body(inp.NameCheck)
    if body.type != expected_type:
        raise inp.invalid(f"type: this checks names of {expected_type}")
    return body.name


@arm_route("/checkNameAvailability", ["POST"])
def check_ticket_name(subscription: str | None) -> ResponseReturnValue:
    name = name_request(TICKET_TYPE)
    try:
        free = world().request_name_available(current_upn(), name)
    except Refusal as refusal:
        if refusal.code != "InvalidInput":
            raise
        return availability(refusal, "Invalid")
    return availability(None if free else Refusal("RequestNameTaken", name=name))


@arm_route("/supportTickets/<name>/checkNameAvailability", ["POST"])
def check_message_name(subscription: str | None, name: str) -> ResponseReturnValue:
    ticket = find_ticket(name)
    wanted = name_request(COMMUNICATION_TYPE)
    try:
        check_name(wanted, "communication name")
    except Refusal as refusal:
        return availability(refusal, "Invalid")
    if any(c.name == wanted for c in ticket.communications):
        return availability(inp.invalid(f"communication name: {wanted!r} is already used on this ticket"))
    return availability(None)


# --- tickets --------------------------------------------------------------------------------------------
def find_ticket(name: str) -> SupportRequest:
    """The account's ticket by resource name: a name its client gave it, else the number of a
    request made in the Azure portal."""
    upn = current_upn()
    try:
        return world().support_request_named(upn, name)
    except Refusal as refusal:
        if refusal.code != "RequestNotFound":
            raise
    found = world().support_request(upn, name)
    if found.portal is not Portal.AZURE or found.name is not None:
        raise Refusal("RequestNotFound", request_id=name)
    return found


def ticket_answer(item: SupportRequest, subscription: str | None) -> dict[str, Any]:
    return ticket_json(world(), item, scope(subscription), lang(), item.properties)


@dataclass
class TicketInput:
    product: Product
    title: str
    description: str
    severity: str  # the ARM label
    classification: str
    contact: dict[str, str]
    plan: str | None
    extras: dict[str, Any] = field(default_factory=dict)


def _last_segment(value: str, marker: str) -> tuple[str | None, str]:
    """``(parent, name)`` of an ID such as ``/providers/Microsoft.Support/services/<guid>``; a bare
    name is accepted too."""
    lowered = value.strip().lower()
    head, found, tail = lowered.rpartition(marker.lower())
    return (head, tail.strip("/")) if found else (None, lowered)


def parse_ticket(body: inp.TicketBody) -> TicketInput:
    """The backend's view of a new ticket; the service and classification must exist."""
    props = body.properties
    _, service = _last_segment(props.serviceId, "/services/")
    product = cloud_product(service)
    parent, classification = _last_segment(props.problemClassificationId, "/problemClassifications/")
    if parent is not None and _last_segment(parent, "/services/")[1] != product.guid:
        raise Refusal("ProblemClassificationNotFound", classification=props.problemClassificationId)
    contact, extras = contact_of(props.contactDetails)
    extras["advancedDiagnosticConsent"] = props.advancedDiagnosticConsent
    extras.update(passthrough_of(props))
    extras["severity"] = props.severity
    return TicketInput(
        product=product,
        title=props.title,
        description=props.description,
        severity=props.severity,
        classification=classification,
        contact=contact,
        plan=decode_plan(props.supportPlanId) if props.supportPlanId is not None else None,
        extras=extras,
    )


def contact_of(given: inp.ContactChange) -> tuple[dict[str, str], dict[str, Any]]:
    """The backend's contact keys, and ``additionalEmailAddresses`` (which it does not keep)."""
    values = given.model_dump(exclude_none=True)
    contact = {backend: values[key] for key, backend in CONTACT_TO_BACKEND.items() if key in values}
    extras: dict[str, Any] = {}
    if given.additionalEmailAddresses is not None:
        extras["additionalEmailAddresses"] = given.additionalEmailAddresses
    return contact, extras


def consents_of(given: list[inp.SecondaryConsent]) -> list[dict[str, str]]:
    return [consent.model_dump(exclude_none=True) for consent in given]


def passthrough_of(props: inp.TicketProperties) -> dict[str, Any]:
    """The writable properties the backend has no field for, as the spec types them."""
    kept: dict[str, Any] = {}
    for key in ("problemScopingQuestions", "fileWorkspaceName", "enrollmentId", "require24X7Response"):
        if getattr(props, key) is not None:
            kept[key] = getattr(props, key)
    if props.problemStartTime is not None:
        kept["problemStartTime"] = iso(props.problemStartTime)
    if props.technicalTicketDetails is not None:
        kept["technicalTicketDetails"] = props.technicalTicketDetails.model_dump(exclude_none=True)
    if props.secondaryConsent is not None:
        kept["secondaryConsent"] = consents_of(props.secondaryConsent)
    return kept


@arm_route("/supportTickets/<name>", ["PUT"])
def create_ticket(subscription: str | None, name: str) -> ResponseReturnValue:
    upn = current_upn()
    given = parse_ticket(json_body(inp.TicketBody))
    state = state_of(world())
    try:
        created = world().create_azure_request(
            upn,
            given.product.id,
            given.title,
            given.description,
            SEVERITY_TO_BACKEND[given.severity],
            plan=given.plan,
            name=name,
            contact=given.contact,
            problem_classification=given.classification,
            properties=given.extras,
        )
    except Refusal as refusal:
        if refusal.reason in ANSWERED_AT_ONCE:
            raise
        return accepted(state.start(world(), upn, scope(subscription), "", refusal=refusal))
    return accepted(state.start(world(), upn, scope(subscription), created.id))


@arm_route("/supportTickets/<name>", ["GET"])
def get_ticket(subscription: str | None, name: str) -> ResponseReturnValue:
    return jsonify(ticket_answer(find_ticket(name), subscription))


_TICKET_FILTERS: dict[str, tuple[str, ...]] = {
    "status": ("eq",),
    "serviceId": ("eq",),
    "problemClassificationId": ("eq",),
    "createdDate": ("ge", "gt"),
}


def _after(moment: datetime, since: datetime, op: str) -> bool:
    return moment > since or (op == "ge" and moment == since)


def _ticket_test(clause: inp.Clause) -> Callable[[SupportRequest], bool]:
    """What one ``$filter`` clause asks of a ticket."""
    if clause.field == "status":
        wanted = inp.choice(clause.value, "$filter: status", ("Open", "Closed")).lower()
        return lambda r: r.status == wanted
    if clause.field == "serviceId":
        service = _last_segment(clause.value, "/services/")[1]
        return lambda r: cloud_product(r.product).guid == service
    if clause.field == "problemClassificationId":
        classification = _last_segment(clause.value, "/problemClassifications/")[1]
        return lambda r: (r.problem_classification or "") == classification
    since = inp.instant(clause.value, "$filter: createdDate")
    return lambda r: _after(r.created_at, since, clause.op)


@arm_route("/supportTickets", ["GET"])
def list_tickets(subscription: str | None) -> ResponseReturnValue:
    """Oldest first, one page cut by the backend from the account's ticket index: the cost of a
    page does not grow with the tickets before or after it (filters test up to the page's end)."""
    size = inp.page_size(TICKETS_PAGE, TICKETS_MAX)
    tests = [_ticket_test(c) for c in inp.filter_clauses(_TICKET_FILTERS)]
    start = inp.skip_token()
    where = (lambda r: all(t(r) for t in tests)) if tests else None
    found, more = world().support_requests_page(current_upn(), Portal.AZURE, start, size, where)
    return jsonify(paged(found, start, more, lambda item: ticket_answer(item, subscription)))


@arm_route("/supportTickets/<name>", ["PATCH"])
def update_ticket(subscription: str | None, name: str) -> ResponseReturnValue:
    upn = current_upn()
    ticket = find_ticket(name)
    given = json_body(inp.TicketChange)
    extras: dict[str, Any] = {}
    severity = contact = None
    if given.severity is not None:
        extras["severity"] = given.severity
        severity = SEVERITY_TO_BACKEND[given.severity]
    if given.contactDetails is not None:
        contact, contact_extras = contact_of(given.contactDetails)
        extras.update(contact_extras)
    if given.advancedDiagnosticConsent is not None:
        extras["advancedDiagnosticConsent"] = given.advancedDiagnosticConsent
    if given.secondaryConsent is not None:
        extras["secondaryConsent"] = consents_of(given.secondaryConsent)
    status = given.status
    updated = world().update_support_request(
        upn, ticket.id, status=status, severity=severity, contact=contact, properties=extras
    )
    return jsonify(ticket_answer(updated, subscription))


# --- communications -------------------------------------------------------------------------------------
def find_message(ticket: SupportRequest, name: str) -> Any:
    return world().communication(current_upn(), ticket.id, name)


@arm_route("/supportTickets/<name>/communications/<message>", ["PUT"])
def create_message(subscription: str | None, name: str, message: str) -> ResponseReturnValue:
    upn = current_upn()
    ticket = find_ticket(name)
    props = json_body(inp.MessageBody).properties
    subject, text = props.subject, props.body
    state = state_of(world())
    try:
        world().add_communication(upn, ticket.id, subject, text, name=message)
    except Refusal as refusal:
        if refusal.reason in ANSWERED_AT_ONCE:
            raise
        return accepted(state.start(world(), upn, scope(subscription), ticket.id, message, refusal))
    return accepted(state.start(world(), upn, scope(subscription), ticket.id, message))


@arm_route("/supportTickets/<name>/communications/<message>", ["GET"])
def get_message(subscription: str | None, name: str, message: str) -> ResponseReturnValue:
    ticket = find_ticket(name)
    return jsonify(communication_json(ticket, find_message(ticket, message), scope(subscription)))


_MESSAGE_FILTERS: dict[str, tuple[str, ...]] = {"communicationType": ("eq",), "createdDate": ("ge", "gt")}


@arm_route("/supportTickets/<name>/communications", ["GET"])
def list_messages(subscription: str | None, name: str) -> ResponseReturnValue:
    ticket = find_ticket(name)
    size = inp.page_size(MESSAGES_PAGE, MESSAGES_MAX)
    messages = list(ticket.communications)
    for clause in inp.filter_clauses(_MESSAGE_FILTERS):
        if clause.field == "communicationType":
            kind = inp.choice(clause.value, "$filter: communicationType", ("web", "phone"))
            messages = messages if kind == "web" else []  # every message of this API is a web one
        else:
            since = inp.instant(clause.value, "$filter: createdDate")
            messages = [m for m in messages if _after(m.created_at, since, clause.op)]
    return jsonify(page(messages, size, lambda item: communication_json(ticket, item, scope(subscription))))


# --- long-running operations ----------------------------------------------------------------------------
def _status_urls(operation: Operation) -> tuple[str, str]:
    query = f"?api-version={API_VERSION}"
    root = f"{base_url()}{operation.scope}{PROVIDER}"
    return f"{root}/operationsStatus/{operation.id}{query}", f"{root}/operationResults/{operation.id}{query}"


def empty(status: int) -> Response:
    response = Response(status=status)
    del response.headers["Content-Type"]  # no body, so no type
    return response


def accepted(operation: Operation) -> Response:
    """202 with where to ask: ``Azure-AsyncOperation`` (the status) and ``Location`` (the result)."""
    status_url, result_url = _status_urls(operation)
    response = empty(202)
    response.headers["Azure-AsyncOperation"] = status_url
    response.headers["Location"] = result_url
    response.headers["Retry-After"] = "0"
    return response


def find_operation(op_id: str) -> Operation:
    found = state_of(world()).operation(op_id, current_upn())
    if found is None:
        raise EdgeRefusal("OperationNotFound", operation=op_id)
    return found


def operation_resource(operation: Operation) -> dict[str, Any]:
    ticket = world().support_request(operation.upn, operation.request_id)
    if operation.communication is None:
        return ticket_json(world(), ticket, operation.scope, lang(), ticket.properties)
    return communication_json(ticket, find_message(ticket, operation.communication), operation.scope)


@arm_route("/operationsStatus/<op_id>", ["GET"])
def operation_status(subscription: str | None, op_id: str) -> ResponseReturnValue:
    operation = find_operation(op_id)
    status = operation.poll()
    body: dict[str, Any] = {
        "id": f"{scope(subscription)}{PROVIDER}/operationsStatus/{operation.id}",
        "name": operation.id,
        "status": status,
        "startTime": iso(operation.started),
    }
    if status != "InProgress":
        body["endTime"] = iso(operation.started)
    if operation.refusal is not None and status == "Failed":
        body["error"] = error_detail(operation.refusal)
    response = jsonify(body)
    if status == "InProgress":
        response.headers["Retry-After"] = "0"
    return response


@arm_route("/operationResults/<op_id>", ["GET"])
def operation_result(subscription: str | None, op_id: str) -> ResponseReturnValue:
    operation = find_operation(op_id)
    status = operation.poll()
    if status == "InProgress":
        response = empty(202)
        response.headers["Location"] = _status_urls(operation)[1]
        response.headers["Retry-After"] = "0"
        return response
    if operation.refusal is not None:
        return error_response(operation.refusal)
    return jsonify(operation_resource(operation))
