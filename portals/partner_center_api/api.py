"""The ``/v1`` routes: Partner Center's REST shapes in and out, the backend's operations in between.

Identity is the bearer token only (no cookies, no ``login_hint``) and comes first, then the body is
checked, then the backend decides. Request keys match case-insensitively, because Partner Center's
SDKs and documented requests send PascalCase and other clients camelCase; answers are camelCase, as
Partner Center's are. A whole ``ServiceRequest`` may be sent, with nulls and read-only fields, as the
documentation's create request does. Every answer echoes ``MS-RequestId`` and ``MS-CorrelationId``
(new GUIDs when the client sent none). No answer carries a count of remaining incidents (R-SFB-05):
none of these shapes has such a field.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from typing import Annotated, Any, ClassVar

from flask import Blueprint, Response, g, jsonify, request
from flask.typing import ResponseReturnValue
from pydantic import Field, StringConstraints, model_validator
from werkzeug.routing import BaseConverter

from portals.backend import PRODUCTS, Portal, Refusal
from portals.backend.catalog import SUPPORT_TOPICS, SupportTopic, find_support_topic
from portals.backend.inputs import load_json
from portals.backend.model import Customer, Organisation, SupportRequest
from portals.web.context import is_untracked_path
from portals.web.errors import EdgeRefusal
from portals.web.requests_in import (
    Body,
    Choice,
    Email,
    Line,
    Prose,
    Query,
    Text,
    json_body,
    query,
    refuse_empty_segment,
    refuse_repeated_query,
)
from portals.web.serialize import plain

api = Blueprint("pc_rest", __name__, url_prefix="/v1")

#: Partner Center's severities and the backend's letters (A critical, B moderate, C minimal).
SEVERITIES: dict[str, str] = {"critical": "A", "moderate": "B", "minimal": "C"}
SEVERITY_NAMES: dict[str, str] = {letter: name for name, letter in SEVERITIES.items()}
#: ServiceRequestContact fields and the backend's contact fields they carry.
CONTACT_FIELDS: dict[str, str] = {
    "firstName": "first_name",
    "lastName": "last_name",
    "email": "primary_email",
    "phoneNumber": "phone",
}
#: ServiceRequest fields a client may send back but never sets (the SDKs serialize whole objects):
#: ignored, as Partner Center ignores them.
READ_ONLY = (
    "id",
    "status",
    "organization",
    "supportTopicName",
    "supportTopicDescription",
    "createdDate",
    "lastModifiedDate",
    "lastClosedDate",
    "lastUpdatedBy",
    "fileLinks",
    "notes",
    "links",
    "attributes",
)
#: ``lastClosedDate`` of a request never closed, as the documentation's answers write it.
NEVER = "0001-01-01T00:00:00"
#: Headers Partner Center echoes (its REST headers: a client's IDs for the call, in every answer).
ECHOED = ("MS-RequestId", "MS-CorrelationId")
_CALL_ID = re.compile(r"^[\x21-\x7e]{1,256}$")
TOKEN_HEADER = "MS-ContinuationToken"
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
#: Customer tenant IDs are GUIDs in Partner Center; the backend names tenants by domain, so the GUID is
#: derived from the domain (the same in every world and run).
_TENANT_NAMESPACE = uuid.UUID("0b6f5c3e-8a43-4f51-b7a4-2c1d9e6a5f20")
_TOPICS = {t.id: t for t in SUPPORT_TOPICS}
#: The subject a note is kept under: a note is a message of the request, in the backend.
NOTE_SUBJECT = "Note"


class LocaleConverter(BaseConverter):
    """Any segment but a request number or ``supporttopics``, so that a POST to those URLs (which
    take GET, and PATCH) stays a 405, while any other segment reaches the create, which refuses
    one that is not a locale (``LOCALE``) with a 400 naming it."""

    regex = r"(?!\d{16}$)(?!supporttopics$)[^/]+"


#: An agent's locale as Partner Center's create takes it, a culture name: a language and a country
#: (``en-US``, ``es-ES``).
LOCALE = re.compile(r"^[A-Za-z]{2,3}-[A-Za-z]{2}$")


# --- identity ----------------------------------------------------------------------------------------
def identify() -> None:
    """Every route but the control API's needs a bearer token of a partner account (D8)."""
    if is_untracked_path(request.path):  # the control API, the shared static files, the icon
        return
    refuse_empty_segment()
    if not request.headers.get("Authorization"):
        raise EdgeRefusal("AuthenticationRequired", detail="no Authorization header")
    g.account = g.world.sign_in(g.upn)
    g.organisation = g.world.organisation_of(g.account)
    refuse_repeated_query()


def call_headers(response: Response) -> Response:
    """``MS-RequestId`` and ``MS-CorrelationId`` on every answer of the API (not the control
    API's): the client's, else new GUIDs."""
    if request.path == "/_harness" or request.path.startswith("/_harness/"):
        return response
    for name in ECHOED:
        given = request.headers.get(name, "")
        response.headers[name] = given if _CALL_ID.match(given) else str(uuid.uuid4())
    return response


# --- shapes ------------------------------------------------------------------------------------------
def tenant_id(domain: str) -> str:
    return str(uuid.uuid5(_TENANT_NAMESPACE, domain.lower()))


def link(uri: str, headers: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """A link as Partner Center writes it: the path under the API's version, ``/profiles/mpn``
    (its documentation's answers name no ``/v1``)."""
    return {"uri": uri, "method": "GET", "headers": headers or []}


def collection(items: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """``totalCount`` counts the items of this answer (of this page, for paged collections)."""
    return {"totalCount": len(items), "items": items, **extra, "attributes": {"objectType": "Collection"}}


def customer_json(customer: Customer) -> dict[str, Any]:
    tenant = tenant_id(customer.tenant)
    return {
        "id": tenant,
        "companyProfile": {
            "tenantId": tenant,
            "domain": customer.tenant,
            "companyName": customer.name,
            "attributes": {"objectType": "CustomerCompanyProfile"},
        },
        "relationshipToPartner": "reseller",
        "attributes": {"objectType": "Customer"},
    }


def organization_json(request_: SupportRequest) -> dict[str, Any] | None:
    """The organisation a request is for: the CSP customer, else the partner itself. The backend
    keeps no phone number of an organisation: ``phoneNumber`` is null."""
    org: Organisation | None = g.organisation
    if org is None:
        return None
    if request_.customer:
        customer = org.customer(request_.customer)
        if customer is None:
            return None
        return {"id": tenant_id(customer.tenant), "name": customer.name, "phoneNumber": None}
    return {"id": tenant_id(org.tenant), "name": org.name, "phoneNumber": None}


def contact_json(request_: SupportRequest) -> dict[str, Any]:
    """ServiceRequestContact: the one given, else (as Partner Center fills it) the account that
    filed the request."""
    given = {pc: request_.contact[ours] for pc, ours in CONTACT_FIELDS.items() if ours in request_.contact}
    if given:
        return given
    account = g.world.state.accounts.get(request_.upn)
    first, _, last = (account.display_name if account else request_.upn).partition(" ")
    return {"firstName": first, "lastName": last, "email": request_.upn, "phoneNumber": None}


def notes_json(request_: SupportRequest) -> list[dict[str, Any]]:
    """ServiceRequestNote: the request's notes, oldest first."""
    accounts = g.world.state.accounts
    return [
        {
            "createdByName": accounts[m.sender].display_name if m.sender in accounts else m.sender,
            "createdDate": plain(m.created_at),
            "text": m.body,
        }
        for m in request_.communications
    ]


def topic_of(request_: SupportRequest) -> SupportTopic | None:
    return _TOPICS.get(request_.product) if request_.portal is Portal.PARTNER_CENTER else None


def service_request_json(request_: SupportRequest) -> dict[str, Any]:
    """A ServiceRequest, with the fields of the documentation's answers. CSP customer requests are
    about a product, not a support topic: no topic ID, the product's name as the topic name."""
    topic = topic_of(request_)
    product = PRODUCTS.get(request_.product)
    kept = request_.properties
    body: dict[str, Any] = {
        "id": request_.id,
        "title": request_.title,
        "description": request_.description,
        "severity": SEVERITY_NAMES.get(request_.severity, "unknown"),
        "supportTopicId": str(topic.number) if topic else None,
        "supportTopicName": topic.name if topic else (product.name if product else None),
        "status": request_.status,
        "organization": organization_json(request_),
        "primaryContact": contact_json(request_),
        "productId": kept.get("productId"),
        "productName": kept.get("productName"),
        "createdDate": plain(request_.created_at),
        "lastModifiedDate": plain(request_.updated_at or request_.created_at),
        "lastClosedDate": kept.get("lastClosedDate", NEVER),
        "countryCode": kept.get("countryCode"),
        "attributes": {"objectType": "ServiceRequest"},
    }
    if request_.communications:
        body["notes"] = notes_json(request_)
    if "lastUpdatedBy" in kept:
        body["lastUpdatedBy"] = kept["lastUpdatedBy"]
    return body


# --- input -------------------------------------------------------------------------------------------
class PartnerCenterBody(Body):
    """A Partner Center REST body: keys in any case (the SDKs send PascalCase), each once; the
    read-only fields of ``READ_ONLY`` dropped, as Partner Center ignores them."""

    READ_ONLY: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="before")
    @classmethod
    def _prepare(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        canonical = {name.lower(): name for name in (*cls.model_fields, *cls.READ_ONLY)}
        out: dict[str, Any] = {}
        for key, value in data.items():
            name = canonical.get(key.lower(), key[:1].lower() + key[1:])  # errors name camelCase
            if name in out:
                raise ValueError(f"{name} is given twice")
            out[name] = value
        return {k: v for k, v in out.items() if k not in cls.READ_ONLY and v is not None}


class ContactBody(PartnerCenterBody):
    """ServiceRequestContact."""

    firstName: Line(200, empty=True) | None = None  # Partner Center answers "" for a name it lacks
    lastName: Line(200, empty=True) | None = None
    email: Email | None = None
    phoneNumber: Line(200, empty=True) | None = None

    def backend(self) -> dict[str, str] | None:
        """The backend's contact fields; an empty contact is no contact."""
        given = self.model_dump(exclude_none=True)
        return {CONTACT_FIELDS[name]: text for name, text in given.items()} or None


class NoteBody(PartnerCenterBody):
    """ServiceRequestNote as a client sends it: its text (who and when are Partner Center's)."""

    READ_ONLY = ("createdByName", "createdDate", "updatedByName", "attributes")
    text: Prose(10000)


class NewServiceRequest(PartnerCenterBody):
    """``POST /v1/servicerequests/{locale}``: a ServiceRequest, as the documentation sends it (the
    whole object, nulls and read-only fields included). ``supportTopicId`` is the topic's number
    (as text or an integer), or its name."""

    READ_ONLY = READ_ONLY
    title: Line(200)  # the backend's limits, checked here to name the field (as ARM does)
    description: Prose(4000)
    supportTopicId: str | int
    severity: str | None = None
    primaryContact: ContactBody | None = None
    productId: Text(100) | None = None
    productName: Text(200) | None = None
    countryCode: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")] | None = None
    newNote: NoteBody | None = None


class ServiceRequestChange(PartnerCenterBody):
    """``PATCH /v1/servicerequests/{id}``: status, severity, primary contact and a new note
    (``{"NewNote": {"Text": …}}``, as the documentation adds one); the other fields of a
    ServiceRequest sent back are read-only."""

    READ_ONLY = tuple(
        n
        for n in (
            *READ_ONLY,
            "title",
            "description",
            "supportTopicId",
            "productId",
            "productName",
            "countryCode",
        )
        if n != "status"
    )
    status: str | None = None
    severity: str | None = None
    primaryContact: ContactBody | None = None
    newNote: NoteBody | None = None


class CustomersQuery(Query):
    """``GET /v1/customers``: ``size`` 1–500 and ``seekOperation=next``."""

    size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    seekOperation: Choice("next") | None = None


def severity_in(value: str | None) -> str | None:
    """Minimal, Moderate, Critical (any case) to C, B, A; ``unknown`` (the SDKs' default) is none."""
    if value is None or value.lower() == "unknown":
        return None
    letter = SEVERITIES.get(value.lower())
    if letter is None:
        raise Refusal("InvalidInput", detail="severity: must be one of Minimal, Moderate, Critical")
    return letter


def status_in(value: str | None) -> str | None:
    """``open`` or ``closed`` (any case); ``none`` (the SDKs' default) changes nothing."""
    if value is None or value.lower() == "none":
        return None
    if value.lower() not in ("open", "closed"):
        raise Refusal("InvalidInput", detail="status: must be one of open, closed")
    return value.lower()


def continuation_token(offset: int) -> str:
    raw = json.dumps({"offset": offset}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def seek_offset(asked: CustomersQuery, total: int) -> int:
    """Where this page starts: 0, or the continuation token's place for ``seekOperation=next``."""
    if asked.seekOperation is None:
        return 0
    token = request.headers.get(TOKEN_HEADER, "").strip()
    if not token:
        raise Refusal("InvalidInput", detail=f"seekOperation=next needs the {TOKEN_HEADER} header")
    try:
        data = load_json(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)), what=TOKEN_HEADER)
        offset = data["offset"]
    except (Refusal, ValueError, TypeError, KeyError, binascii.Error):
        offset = None
    if not isinstance(offset, int) or isinstance(offset, bool) or not 0 < offset <= total:
        raise Refusal("InvalidInput", detail=f"{TOKEN_HEADER}: not a token this API gave")
    return offset


def customer_key(customer: str) -> str:
    """The backend's customer ID for a tenant GUID; IDs and tenant domains pass through as they are."""
    for found in g.world.customers(g.upn):
        if tenant_id(found.tenant) == customer.lower():
            return found.id
    return customer


def own_request(request_id: str) -> SupportRequest:
    """One of the account's Partner Center or CSP customer requests: the others belong to the other
    portals' APIs."""
    found = g.world.support_request(g.upn, request_id)
    if found.portal is not Portal.PARTNER_CENTER and not found.customer:
        raise Refusal("RequestNotFound", request_id=request_id)
    return found


# --- routes ------------------------------------------------------------------------------------------
class ProfileQuery(Query):
    """``GET /v1/profiles/mpn?mpnId=…`` (the partner's own profile without it)."""

    mpnId: Text(20) | None = None


@api.get("/profiles/mpn")
def mpn_profile() -> ResponseReturnValue:
    """The caller's MPN profile; another ``mpnId`` is a partner this account cannot see: 404 with
    Partner Center's code 3000 and its text."""
    profile = g.world.partner_profile(g.upn)
    asked = query(ProfileQuery).mpnId
    if asked is not None and asked.strip() != profile["mpn_id"]:
        raise EdgeRefusal("PartnerNotFound", mpn_id=asked.strip())
    return jsonify(
        partnerName=profile["name"],
        mpnId=profile["mpn_id"],
        profileType="MpnProfile",
        links={"self": link("/profiles/mpn")},
        attributes={"objectType": "MpnProfile"},
    )


@api.get("/customers")
def customers() -> ResponseReturnValue:
    """Seek paging: ``size``, then ``links.next`` with the ``MS-ContinuationToken`` header to send."""
    everyone = g.world.customers(g.upn)
    asked = query(CustomersQuery)
    size = asked.size
    offset = seek_offset(asked, len(everyone))
    page = everyone[offset : offset + size]
    links = {"self": link(f"/customers?size={size}")}
    if offset + size < len(everyone):
        token = [{"key": TOKEN_HEADER, "value": continuation_token(offset + size)}]
        links["next"] = link(f"/customers?size={size}&seekOperation=next", token)
    return jsonify(collection([customer_json(c) for c in page], links=links))


@api.get("/customers/<customer>/servicerequests")
def customer_service_requests(customer: str) -> ResponseReturnValue:
    """R-CSP-01: an Admin agent's view of the requests opened for one customer (GUID, domain or ID)."""
    found = g.world.customer_requests(g.upn, customer_key(customer))
    return jsonify(collection([service_request_json(r) for r in found]))


@api.get("/servicerequests/supporttopics")
def support_topics() -> ResponseReturnValue:
    items = [
        {
            "name": t.name,
            "description": t.description,
            "id": t.number,
            "attributes": {"objectType": "SupportTopic"},
        }
        for t in SUPPORT_TOPICS
    ]
    return jsonify(collection(items))


@api.get("/servicerequests")
def service_requests() -> ResponseReturnValue:
    found = g.world.partner_service_requests(g.upn)
    return jsonify(collection([service_request_json(r) for r in found]))


@api.post("/servicerequests/<locale:locale>")
def create_service_request(locale: str) -> ResponseReturnValue:
    """201 and the ServiceRequest. The locale is the agent's: its country is the request's
    ``countryCode`` unless the body gives one. A note sent with it (``NewNote``) is its first."""
    if not LOCALE.match(locale):
        shown = locale if len(locale) <= 20 else f"{locale[:20]}…"
        raise Refusal("InvalidInput", detail=f"locale: {shown!r} is not a culture name such as en-US")
    body = json_body(NewServiceRequest)
    severity = severity_in(body.severity)
    topic = find_support_topic(body.supportTopicId)
    if topic is None:
        raise Refusal("SupportTopicNotFound", topic=str(body.supportTopicId))
    country = (body.countryCode or locale.rpartition("-")[2]).upper()
    kept: dict[str, Any] = {"countryCode": country}
    for key in ("productId", "productName"):
        if getattr(body, key) is not None:
            kept[key] = getattr(body, key)
    created = g.world.create_partner_center_request(
        g.upn,
        topic.id,
        body.title,
        body.description,
        **({"severity": severity} if severity else {}),
        contact=body.primaryContact.backend() if body.primaryContact else None,
        properties=kept,
        message=(NOTE_SUBJECT, body.newNote.text) if body.newNote is not None else None,
    )
    response = jsonify(service_request_json(own_request(created.id)))
    response.status_code = 201
    response.headers["Location"] = f"/v1/servicerequests/{created.id}"
    return response


@api.get("/servicerequests/<request_id>")
def service_request(request_id: str) -> ResponseReturnValue:
    return jsonify(service_request_json(own_request(request_id)))


@api.patch("/servicerequests/<request_id>")
def update_service_request(request_id: str) -> ResponseReturnValue:
    """Status (open, closed), severity, primary contact and a new note; the other fields are
    read-only. 200 with the updated ServiceRequest (the documentation's guide answers so; its REST
    reference says 204: a client of either kind reads this answer or ignores it)."""
    body = json_body(ServiceRequestChange)
    changes = {
        "status": status_in(body.status),
        "severity": severity_in(body.severity),
        "contact": body.primaryContact.backend() if body.primaryContact else None,
    }
    if all(value is None for value in changes.values()) and body.newNote is None:
        raise Refusal("InvalidInput", detail="send at least one of status, severity, primaryContact, newNote")
    existing = own_request(request_id)
    properties: dict[str, Any] = {"lastUpdatedBy": caller_contact()}
    if changes["status"] == "closed" and existing.status != "closed":
        properties["lastClosedDate"] = plain(g.world.now)
    note = (NOTE_SUBJECT, body.newNote.text) if body.newNote is not None else None
    g.world.update_support_request(g.upn, existing.id, **changes, properties=properties, message=note)
    return jsonify(service_request_json(own_request(existing.id)))


def caller_contact() -> dict[str, Any]:
    """The calling account as a ServiceRequestContact (``lastUpdatedBy``)."""
    first, _, last = g.account.display_name.partition(" ")
    return {"firstName": first, "lastName": last, "email": g.account.upn, "phoneNumber": None}
