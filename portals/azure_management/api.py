"""The Azure Support REST API (Microsoft.Support, api-versions 2024-04-01 and 2020-04-01) over the
shared backend.

Each view translates ARM's shapes into one backend call and its answer (or refusal) back; no rule
is decided here. Tickets are the account's Azure support requests: the subscription in the path is
accepted as given and only shapes the resource IDs, since the backend names requests per account.

Creating a ticket or a message is a long-running operation in the spec (200 or 202). By default the
PUT is answered with its result at once: 200 and the resource, or the refusal. So a client with
default settings (azure-core's poller) never waits. With the world setting ``lro_polls`` = N, the
PUT is answered 202 and its status URL answers ``InProgress`` (with ``Retry-After:
lro_retry_after`` seconds) N times before ``Succeeded`` or ``Failed``, to test polling code; the
backend still creates (or refuses) when the PUT arrives, and input it refuses as bad or unknown
(reason ``bad input``, ``unknown IDs``) is answered at once with 400/404/409, as ARM validates a
request.
"""

from __future__ import annotations

import functools
import re
import uuid
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
    WORKSPACE_TYPE,
    classification_json,
    communication_json,
    decode_plan,
    iso,
    service_json,
    ticket_json,
)
from portals.azure_management.state import FileWorkspace, Operation, state_of
from portals.azure_management.versions import API_VERSIONS, LATEST, OLDER
from portals.backend import CLOUD_PRODUCTS, Portal, Refusal, World, translate
from portals.backend.azure import cloud_product
from portals.backend.catalog import QUOTA_PRODUCT, Product, find_classification, problem_classifications
from portals.backend.model import SupportRequest
from portals.backend.support_requests import check_name, message_named
from portals.web.context import current_upn, is_untracked_path, lang
from portals.web.errors import EdgeRefusal
from portals.web.requests_in import json_body, refuse_empty_segment, refuse_repeated_query

API_VERSION = LATEST
#: Refusal reasons (the backend's own classification) that ARM answers at once, as input errors.
ANSWERED_AT_ONCE = frozenset({"bad input", "unknown IDs", "identity", "unknown account"})
TICKETS_PAGE, TICKETS_MAX = 25, 100  # the spec: "Default is 25 and max is 100"
MESSAGES_PAGE, MESSAGES_MAX = 10, 10  # the spec: "Default is 10 and max is 10"

api = Blueprint("azure_management_api", __name__)


# --- every request ------------------------------------------------------------------------------------
def arm_request() -> None:
    """Runs after the shared resolver (world, language): ARM's own checks, in ARM's order. Only a
    bearer token identifies the caller here (no cookies, no login_hint); then the api-version."""
    if is_untracked_path(request.path):  # the control API, the shared static files, the icon
        return
    refuse_empty_segment()
    if not request.path.startswith(("/providers/", "/subscriptions/")):
        raise EdgeRefusal("RouteNotFound", path=request.path)
    if not request.headers.get("Authorization"):
        raise EdgeRefusal("AuthenticationRequired", detail="the Authorization header is missing")
    current_upn()  # AccountNotFound (401) when the token names nobody of this world
    version = request.args.get("api-version")
    served = " and ".join(API_VERSIONS)
    given = request.args.getlist("api-version")
    if len(given) > 1:  # ARM's own code for this one; any other repeated parameter is InvalidInput
        detail = f"the api-version query parameter is given {len(given)} times; give it once ({served})"
        raise ArmError("InvalidApiVersionParameter", inp.invalid(detail))
    refuse_repeated_query()
    if not version:
        detail = f"the api-version query parameter is required; this API serves {served}"
        raise ArmError("MissingApiVersionParameter", inp.invalid(detail))
    if version not in API_VERSIONS:
        detail = f"the api-version {version!r} is not supported; this API serves {served}"
        raise ArmError("InvalidApiVersionParameter", inp.invalid(detail))
    g.api_version = version


def api_version() -> str:
    return getattr(g, "api_version", LATEST)


#: Request IDs a client may send and have echoed: visible ASCII, at most 256 characters.
_CLIENT_ID = re.compile(r"^[\x21-\x7e]{1,256}$")


def arm_headers(response: Response) -> Response:
    """ARM's headers on every answer (Azure Resource Manager RPC, common API details):
    ``x-ms-request-id`` (new for each request), ``x-ms-correlation-request-id`` (the client's, else
    new) and, when the client sends ``x-ms-return-client-request-id: true``, its
    ``x-ms-client-request-id`` back."""
    if request.path == "/_harness" or request.path.startswith("/_harness/"):
        return response
    response.headers["x-ms-request-id"] = str(uuid.uuid4())
    correlation = request.headers.get("x-ms-correlation-request-id", "")
    response.headers["x-ms-correlation-request-id"] = (
        correlation if _CLIENT_ID.match(correlation) else str(uuid.uuid4())
    )
    client_id = request.headers.get("x-ms-client-request-id", "")
    wanted = request.headers.get("x-ms-return-client-request-id", "").strip().lower() == "true"
    if wanted and _CLIENT_ID.match(client_id):
        response.headers["x-ms-client-request-id"] = client_id
    return response


def arm_route(
    path: str, methods: list[str], tenant: bool = True, versions: tuple[str, ...] = API_VERSIONS
) -> Callable[..., Any]:
    """Register a view under ``/subscriptions/<subscription>/providers/Microsoft.Support`` and
    (``tenant``) under ``/providers/Microsoft.Support``, where it gets ``subscription=None``.
    ``versions`` are the api-versions that have the operation (2020-04-01 has no tenant-level
    tickets); another is refused with 400 ``InvalidApiVersionParameter``."""

    def register(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
        @functools.wraps(view)
        def versioned(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            tenant_level = "subscription" in kwargs and kwargs["subscription"] is None
            allowed = tuple(v for v in versions if not (tenant_level and v == OLDER))
            if api_version() not in allowed:
                detail = f"this operation is not in api-version {api_version()}; use {' or '.join(allowed)}"
                raise ArmError("InvalidApiVersionParameter", inp.invalid(detail))
            return view(*args, **kwargs)

        api.add_url_rule(
            f"/subscriptions/<subscription>{PROVIDER}{path}", view.__name__, versioned, methods=methods
        )
        if tenant:
            tenant_view = functools.partial(versioned, subscription=None)
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
    version = api_version()
    return jsonify(value=[classification_json(product, c, version) for c in problem_classifications(product)])


@api.get(f"{PROVIDER}/services/<service>/problemClassifications/<name>")
def get_classification(service: str, name: str) -> ResponseReturnValue:
    product = cloud_product(service)
    found = find_classification(product, name)
    if found is None:
        raise Refusal("ProblemClassificationNotFound", classification=name)
    return jsonify(classification_json(product, found, api_version()))


_OPERATIONS = (
    ("services/read", "Service", "Lists the Azure services a support ticket can be created for"),
    ("problemClassifications/read", "Problem classification", "Lists the problem classifications"),
    ("checkNameAvailability/action", "Support ticket", "Checks whether a name is available"),
    ("supportTickets/read", "Support ticket", "Lists or gets support tickets"),
    ("supportTickets/write", "Support ticket", "Creates or updates a support ticket"),
    ("communications/read", "Communication", "Lists or gets the messages of a support ticket"),
    ("communications/write", "Communication", "Adds a message to a support ticket"),
    ("chatTranscripts/read", "Chat transcript", "Lists or gets the chat transcripts of a support ticket"),
    ("fileWorkspaces/read", "File workspace", "Gets a file workspace and its files"),
    ("fileWorkspaces/write", "File workspace", "Creates a file workspace and uploads files to it"),
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
#: What checkNameAvailability says of a name in use, as the published example shows it
#: (CheckNameAvailabilityWithSubscription.json): this reason, and the message ``name_not_available``.
NAME_IN_USE = "Name is already in use"
#: The reason of a name this API would refuse (the message says why).
NAME_INVALID = "Invalid"


def taken() -> ResponseReturnValue:
    return jsonify(nameAvailable=False, reason=NAME_IN_USE, message=translate("name_not_available", lang()))


def invalid_name(refusal: Refusal) -> ResponseReturnValue:
    return jsonify(nameAvailable=False, reason=NAME_INVALID, message=refusal.message(lang()))


def name_request(*expected_types: str) -> tuple[str, str]:
    body = json_body(inp.NameCheck)
    if body.type not in expected_types:
        raise inp.invalid(f"type: this checks names of {' or '.join(expected_types)}")
    return body.name, body.type


@arm_route("/checkNameAvailability", ["POST"])
def check_ticket_name(subscription: str | None) -> ResponseReturnValue:
    kinds = (TICKET_TYPE,) if api_version() == OLDER else (TICKET_TYPE, WORKSPACE_TYPE)  # 2020: no workspaces
    name, kind = name_request(*kinds)
    upn = current_upn()
    if kind == WORKSPACE_TYPE:
        try:
            inp.resource_name(name, "name")
        except Refusal as refusal:
            return invalid_name(refusal)
        in_use = live_workspace(upn, name) is not None
        return taken() if in_use else jsonify(nameAvailable=True)
    try:
        free = world().request_name_available(upn, name)
    except Refusal as refusal:
        if refusal.code != "InvalidInput":
            raise
        return invalid_name(refusal)
    return jsonify(nameAvailable=True) if free else taken()


@arm_route("/supportTickets/<name>/checkNameAvailability", ["POST"])
def check_message_name(subscription: str | None, name: str) -> ResponseReturnValue:
    ticket = find_ticket(name)
    wanted, _ = name_request(COMMUNICATION_TYPE)
    try:
        check_name(wanted, "communication name")
    except Refusal as refusal:
        return invalid_name(refusal)
    if message_named(ticket, wanted) is not None:
        return taken()
    return jsonify(nameAvailable=True)


def live_workspace(upn: str, name: str) -> FileWorkspace | None:
    """The account's file workspace ``name`` unless it has expired (the world's clock)."""
    found = state_of(world()).workspace(upn, name)
    return found if found is not None and world().now < found.expires else None


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
    return ticket_json(world(), item, scope(subscription), lang(), item.properties, api_version())


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


def ticket_model() -> type[inp.TicketBody] | type[inp.TicketBody2020]:
    return inp.TicketBody2020 if api_version() == OLDER else inp.TicketBody


def parse_ticket(body: inp.TicketBody | inp.TicketBody2020) -> TicketInput:
    """The backend's view of a new ticket; the service and classification must exist (by GUID or
    by the alias a published example uses), quota details go with the quota service only."""
    props = body.properties
    _, service = _last_segment(props.serviceId, "/services/")
    product = cloud_product(service)
    parent, name = _last_segment(props.problemClassificationId, "/problemClassifications/")
    classification = find_classification(product, name)
    parent_service = _last_segment(parent, "/services/")[1] if parent is not None else None
    if classification is None or (
        parent_service is not None and cloud_product_or_none(parent_service) is not product
    ):
        raise Refusal("ProblemClassificationNotFound", classification=props.problemClassificationId)
    if props.quotaTicketDetails is not None and product.id != QUOTA_PRODUCT:
        raise inp.invalid(
            "properties.quotaTicketDetails: only a ticket for the "
            f"{CLOUD_QUOTA_NAME} service takes quota details"
        )
    contact, extras = contact_of(props.contactDetails)
    extras.update(passthrough_of(props))
    extras["severity"] = props.severity
    plan = getattr(props, "supportPlanId", None)
    return TicketInput(
        product=product,
        title=props.title,
        description=props.description,
        severity=props.severity,
        classification=classification.id,
        contact=contact,
        plan=plan,
        extras=extras,
    )


def cloud_product_or_none(key: str) -> Product | None:
    try:
        return cloud_product(key)
    except Refusal:
        return None


CLOUD_QUOTA_NAME = next(p.display_name for p in CLOUD_PRODUCTS if p.id == QUOTA_PRODUCT)


def plan_of(upn: str, given: str | None) -> str | None:
    """The backend plan a ``supportPlanId`` names. One Azure wrote for a plan of its own (well-formed,
    naming no contract of this world, as the published examples' does) stands for the account's
    plan when it has exactly one usable plan; with none the backend says ``NoSupportPlan``, with
    several it cannot tell which: ``PlanNotFound``."""
    if given is None:
        return None
    found = decode_plan(given, world().state.contracts)
    if not found.foreign:
        return found.plan
    plans = world().azure_support_plans(upn)
    if not plans:
        return None
    if len(plans) == 1:
        return plans[0].plan_id
    raise Refusal("PlanNotFound", plan=given)


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


#: Writable ticket properties the backend has no field for, kept as given.
_KEPT = (
    "advancedDiagnosticConsent",
    "problemScopingQuestions",
    "fileWorkspaceName",
    "enrollmentId",
    "require24X7Response",
)


def passthrough_of(props: inp.TicketProperties | inp.TicketProperties2020) -> dict[str, Any]:
    """The writable properties the backend has no field for, as the spec types them."""
    kept: dict[str, Any] = {}
    for key in _KEPT:
        if getattr(props, key, None) is not None:
            kept[key] = getattr(props, key)
    if props.problemStartTime is not None:
        kept["problemStartTime"] = iso(props.problemStartTime)
    for key in ("technicalTicketDetails", "quotaTicketDetails"):
        value = getattr(props, key, None)
        if value is not None:
            kept[key] = value.model_dump(exclude_none=True)
    consents = getattr(props, "secondaryConsent", None)
    if consents is not None:
        kept["secondaryConsent"] = consents_of(consents)
    return kept


def answered_at_once(refusal: Refusal) -> bool:
    """Whether a refusal of a create is the PUT's answer (always, unless the world asks for
    polls; bad input and unknown IDs even then), rather than its operation's end."""
    return world().state.settings.lro_polls == 0 or refusal.reason in ANSWERED_AT_ONCE


@arm_route("/supportTickets/<name>", ["PUT"])
def create_ticket(subscription: str | None, name: str) -> ResponseReturnValue:
    upn = current_upn()
    given = parse_ticket(json_body(ticket_model()))
    plan = plan_of(upn, given.plan)
    state = state_of(world())
    try:
        created = world().create_azure_request(
            upn,
            given.product.id,
            given.title,
            given.description,
            SEVERITY_TO_BACKEND[given.severity],
            plan=plan,
            name=name,
            contact=given.contact,
            problem_classification=given.classification,
            properties=given.extras,
        )
    except Refusal as refusal:
        if answered_at_once(refusal):
            raise
        return accepted(
            state.start(world(), upn, scope(subscription), "", refusal=refusal, version=api_version())
        )
    if world().state.settings.lro_polls == 0:
        return jsonify(ticket_answer(created, subscription))
    return accepted(state.start(world(), upn, scope(subscription), created.id, version=api_version()))


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
    given = json_body(inp.TicketChange2020 if api_version() == OLDER else inp.TicketChange)
    extras: dict[str, Any] = {}
    severity = contact = None
    if given.severity is not None:
        extras["severity"] = given.severity
        severity = SEVERITY_TO_BACKEND[given.severity]
    if given.contactDetails is not None:
        contact, contact_extras = contact_of(given.contactDetails)
        extras.update(contact_extras)
    if getattr(given, "advancedDiagnosticConsent", None) is not None:
        extras["advancedDiagnosticConsent"] = given.advancedDiagnosticConsent
    if getattr(given, "secondaryConsent", None) is not None:
        extras["secondaryConsent"] = consents_of(given.secondaryConsent)
    if severity is None and not contact and given.status is None and not extras:
        fields = "severity, status, contactDetails" + (
            "" if api_version() == OLDER else ", advancedDiagnosticConsent, secondaryConsent"
        )
        raise inp.invalid(f"the body: send at least one of {fields}")
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
    version = api_version()
    try:
        written = world().add_communication(upn, ticket.id, subject, text, name=message)
    except Refusal as refusal:
        if answered_at_once(refusal):
            raise
        return accepted(state.start(world(), upn, scope(subscription), ticket.id, message, refusal, version))
    if world().state.settings.lro_polls == 0:
        return jsonify(communication_json(ticket, written, scope(subscription)))
    return accepted(state.start(world(), upn, scope(subscription), ticket.id, message, version=version))


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
    query = f"?api-version={operation.version}"
    root = f"{base_url()}{operation.scope}{PROVIDER}"
    return f"{root}/operationsStatus/{operation.id}{query}", f"{root}/operationResults/{operation.id}{query}"


def empty(status: int) -> Response:
    response = Response(status=status)
    del response.headers["Content-Type"]  # no body, so no type
    return response


def accepted(operation: Operation) -> Response:
    """202 with where to ask: ``Azure-AsyncOperation`` (the status) and ``Location`` (the result),
    and how long to wait (``Retry-After``, at least a second: azure-core reads 0 as no header and
    waits its own default, 30 s)."""
    status_url, result_url = _status_urls(operation)
    response = empty(202)
    response.headers["Azure-AsyncOperation"] = status_url
    response.headers["Location"] = result_url
    response.headers["Retry-After"] = str(operation.retry_after)
    return response


def find_operation(op_id: str) -> Operation:
    found = state_of(world()).operation(op_id, current_upn())
    if found is None:
        raise EdgeRefusal("OperationNotFound", operation=op_id)
    return found


def operation_resource(operation: Operation) -> dict[str, Any]:
    ticket = world().support_request(operation.upn, operation.request_id)
    if operation.communication is None:
        return ticket_json(world(), ticket, operation.scope, lang(), ticket.properties, operation.version)
    return communication_json(ticket, find_message(ticket, operation.communication), operation.scope)


@arm_route("/operationsStatus/<op_id>", ["GET"])
def operation_status(subscription: str | None, op_id: str) -> ResponseReturnValue:
    operation = find_operation(op_id)
    status = state_of(world()).poll(operation)
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
        response.headers["Retry-After"] = str(operation.retry_after)
    return response


@arm_route("/operationResults/<op_id>", ["GET"])
def operation_result(subscription: str | None, op_id: str) -> ResponseReturnValue:
    operation = find_operation(op_id)
    status = state_of(world()).poll(operation)
    if status == "InProgress":
        response = empty(202)
        response.headers["Location"] = _status_urls(operation)[1]
        response.headers["Retry-After"] = str(operation.retry_after)
        return response
    if operation.refusal is not None:
        return error_response(operation.refusal)
    return jsonify(operation_resource(operation))


# The file workspaces, files and chat transcripts join this blueprint (they use the helpers above).
from portals.azure_management import files  # noqa: E402, F401
