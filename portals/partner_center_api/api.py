"""The ``/v1`` routes: Partner Center's REST shapes in and out, the backend's operations in between.

Identity is the bearer token only (no cookies, no ``login_hint``) and comes first, then the body is
checked, then the backend decides. Request keys match case-insensitively, because Partner Center's
SDKs send PascalCase and other clients camelCase; answers are camelCase, as Partner Center's are.
No answer carries a count of remaining incidents (R-SFB-05): none of these shapes has such a field.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from typing import Any, ClassVar

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue
from pydantic import Field, model_validator
from werkzeug.routing import BaseConverter

from portals.backend import PRODUCTS, Portal, Refusal
from portals.backend.catalog import SUPPORT_TOPICS
from portals.backend.inputs import load_json
from portals.backend.model import Customer, Organisation, SupportRequest
from portals.web.errors import EdgeRefusal
from portals.web.requests_in import Body, Choice, Query, Text, json_body, query
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
    "createdDate",
    "lastModifiedDate",
    "lastClosedDate",
    "lastUpdatedBy",
    "countryCode",
    "fileLinks",
    "notes",
    "newNote",
    "links",
    "attributes",
)
TOKEN_HEADER = "MS-ContinuationToken"
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
#: Customer tenant IDs are GUIDs in Partner Center; the backend names tenants by domain, so the GUID is
#: derived from the domain (the same in every world and run).
_TENANT_NAMESPACE = uuid.UUID("0b6f5c3e-8a43-4f51-b7a4-2c1d9e6a5f20")
_TOPICS = {t.id: t for t in SUPPORT_TOPICS}


class LocaleConverter(BaseConverter):
    """``en-US`` and the like: keeps ``POST /v1/servicerequests/{id}`` a 405, not a bad locale."""

    regex = r"[A-Za-z]{2,3}-[A-Za-z]{2,4}"


# --- identity ----------------------------------------------------------------------------------------
def identify() -> None:
    """Every route but the control API's needs a bearer token of a partner account (D8)."""
    if request.path == "/_harness" or request.path.startswith(("/_harness/", "/_static/")):
        return
    if not request.headers.get("Authorization"):
        raise EdgeRefusal("AuthenticationRequired", detail="no Authorization header")
    g.account = g.world.sign_in(g.upn)
    g.organisation = g.world.organisation_of(g.account)


# --- shapes ------------------------------------------------------------------------------------------
def tenant_id(domain: str) -> str:
    return str(uuid.uuid5(_TENANT_NAMESPACE, domain.lower()))


def link(uri: str, headers: list[dict[str, str]] | None = None) -> dict[str, Any]:
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
    """The organisation a request is for: the CSP customer, else the partner itself."""
    org: Organisation | None = g.organisation
    if org is None:
        return None
    if request_.customer:
        customer = org.customer(request_.customer)
        if customer is None:
            return None
        return {"id": tenant_id(customer.tenant), "name": customer.name}
    return {"id": tenant_id(org.tenant), "name": org.name}


def service_request_json(request_: SupportRequest) -> dict[str, Any]:
    """A ServiceRequest. CSP customer requests are about a product, not a support topic: no topic ID,
    the product's name as the topic name."""
    topic = _TOPICS.get(request_.product) if request_.portal is Portal.PARTNER_CENTER else None
    product = PRODUCTS.get(request_.product)
    contact = {pc: request_.contact[ours] for pc, ours in CONTACT_FIELDS.items() if ours in request_.contact}
    return {
        "id": request_.id,
        "title": request_.title,
        "description": request_.description,
        "severity": SEVERITY_NAMES.get(request_.severity, "unknown"),
        "supportTopicId": topic.id if topic else None,
        "supportTopicName": topic.name if topic else (product.name if product else None),
        "status": request_.status,
        "organization": organization_json(request_),
        "primaryContact": contact or None,
        "createdDate": plain(request_.created_at),
        "lastModifiedDate": plain(request_.updated_at or request_.created_at),
        "attributes": {"objectType": "ServiceRequest"},
    }


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
            name = canonical.get(key.lower(), key)
            if name in out:
                raise ValueError(f"{name} is given twice")
            out[name] = value
        return {k: v for k, v in out.items() if k not in cls.READ_ONLY and v is not None}


class ContactBody(PartnerCenterBody):
    """ServiceRequestContact."""

    firstName: Text(200) | None = None
    lastName: Text(200) | None = None
    email: Text(200) | None = None
    phoneNumber: Text(200) | None = None

    def backend(self) -> dict[str, str] | None:
        """The backend's contact fields; an empty contact is no contact."""
        given = self.model_dump(exclude_none=True)
        return {CONTACT_FIELDS[name]: text for name, text in given.items()} or None


class NewServiceRequest(PartnerCenterBody):
    """``POST /v1/servicerequests/{locale}``: a ServiceRequest."""

    READ_ONLY = READ_ONLY
    title: str
    description: str
    supportTopicId: str
    severity: str | None = None
    primaryContact: ContactBody | None = None


class ServiceRequestChange(PartnerCenterBody):
    """``PATCH /v1/servicerequests/{id}``: status, severity and primary contact; the other fields
    of a ServiceRequest sent back are read-only."""

    READ_ONLY = tuple(n for n in (*READ_ONLY, "title", "description", "supportTopicId") if n != "status")
    status: str | None = None
    severity: str | None = None
    primaryContact: ContactBody | None = None


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
    """``none`` (the SDKs' default) changes nothing; other values go to the backend, which decides."""
    if value is None or value.lower() == "none":
        return None
    return value.lower() if value.lower() in ("open", "closed") else value


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
@api.get("/profiles/mpn")
def mpn_profile() -> ResponseReturnValue:
    profile = g.world.partner_profile(g.upn)
    return jsonify(
        partnerName=profile["name"],
        mpnId=profile["mpn_id"],
        profileType="MpnProfile",
        links={"self": link("/v1/profiles/mpn")},
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
    links = {"self": link(f"/v1/customers?size={size}")}
    if offset + size < len(everyone):
        token = [{"key": TOKEN_HEADER, "value": continuation_token(offset + size)}]
        links["next"] = link(f"/v1/customers?size={size}&seekOperation=next", token)
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
            "id": t.id,
            "attributes": {"objectType": "SupportTopic"},
        }
        for t in SUPPORT_TOPICS
    ]
    return jsonify(collection(items))


@api.get("/servicerequests")
def service_requests() -> ResponseReturnValue:
    found = g.world.support_requests(g.upn, Portal.PARTNER_CENTER)
    return jsonify(collection([service_request_json(r) for r in found]))


@api.post("/servicerequests/<locale:locale>")
def create_service_request(locale: str) -> ResponseReturnValue:
    """The locale is the agent's; the backend keeps no language per request, so it is only checked."""
    body = json_body(NewServiceRequest)
    severity = severity_in(body.severity)
    created = g.world.create_partner_center_request(
        g.upn,
        body.supportTopicId,
        body.title,
        body.description,
        **({"severity": severity} if severity else {}),
        contact=body.primaryContact.backend() if body.primaryContact else None,
    )
    response = jsonify(service_request_json(created))
    response.status_code = 201
    response.headers["Location"] = f"/v1/servicerequests/{created.id}"
    return response


@api.get("/servicerequests/<request_id>")
def service_request(request_id: str) -> ResponseReturnValue:
    return jsonify(service_request_json(own_request(request_id)))


@api.patch("/servicerequests/<request_id>")
def update_service_request(request_id: str) -> ResponseReturnValue:
    """Status (open, closed), severity and primary contact; the other fields are read-only."""
    body = json_body(ServiceRequestChange)
    changes = {
        "status": status_in(body.status),
        "severity": severity_in(body.severity),
        "contact": body.primaryContact.backend() if body.primaryContact else None,
    }
    if all(value is None for value in changes.values()):
        raise Refusal("InvalidInput", detail="send at least one of status, severity, primaryContact")
    existing = own_request(request_id)
    updated = g.world.update_support_request(g.upn, existing.id, **changes)
    return jsonify(service_request_json(updated))
