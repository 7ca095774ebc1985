"""Backend objects as Microsoft.Support resources (api-version 2024-04-01), and the few value
mappings between the two vocabularies. Shapes only: what a request may do is the backend's call.

Nothing here reads a pool: a ticket names its plan and never a count of remaining incidents
(R-SFB-05, D6).
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

from portals.backend import PRODUCTS, World, translate
from portals.backend.catalog import ProblemClassification, Product, problem_classifications
from portals.backend.model import Communication, ContractKind, SupportRequest

PROVIDER = "/providers/Microsoft.Support"
SERVICES = f"{PROVIDER}/services"
TICKET_TYPE = "Microsoft.Support/supportTickets"
COMMUNICATION_TYPE = "Microsoft.Support/communications"

#: ARM severities -> the backend's A/B/C. "highestcriticalimpact" is an A with a stronger label.
SEVERITY_TO_BACKEND: dict[str, str] = {
    "minimal": "C",
    "moderate": "B",
    "critical": "A",
    "highestcriticalimpact": "A",
}
SEVERITY_FROM_BACKEND: dict[str, str] = {"C": "minimal", "B": "moderate", "A": "critical"}

#: ContactProfile properties -> the backend's contact keys (support_requests.CONTACT_FIELDS).
CONTACT_TO_BACKEND: dict[str, str] = {
    "firstName": "first_name",
    "lastName": "last_name",
    "primaryEmailAddress": "primary_email",
    "preferredContactMethod": "preferred_contact_method",
    "preferredTimeZone": "preferred_time_zone",
    "country": "country",
    "preferredSupportLanguage": "preferred_language",
    "phoneNumber": "phone",
}
CONTACT_FROM_BACKEND = {backend: arm for arm, backend in CONTACT_TO_BACKEND.items()}
#: The ARM resource types each cloud product's service covers (ServiceProperties.resourceTypes).
RESOURCE_TYPES: dict[str, tuple[str, ...]] = {
    "virtual-machine-running-windows": (
        "MICROSOFT.CLASSICCOMPUTE/VIRTUALMACHINES",
        "MICROSOFT.COMPUTE/VIRTUALMACHINES",
    ),
    "virtual-machine-running-linux": (
        "MICROSOFT.CLASSICCOMPUTE/VIRTUALMACHINES",
        "MICROSOFT.COMPUTE/VIRTUALMACHINES",
    ),
    "app-service": ("MICROSOFT.WEB/SITES",),
    "azure-sql-database": ("MICROSOFT.SQL/SERVERS", "MICROSOFT.SQL/SERVERS/DATABASES"),
    "azure-kubernetes-service": ("MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS",),
    "storage-account": ("MICROSOFT.STORAGE/STORAGEACCOUNTS", "MICROSOFT.CLASSICSTORAGE/STORAGEACCOUNTS"),
}

#: supportPlanType and the catalog key of supportPlanDisplayName, by the plan's contract kind.
PLAN_TYPES: dict[ContractKind | str, tuple[str, str]] = {
    ContractKind.PARTNER_BENEFITS: ("SignatureCloudSupport", "signature_cloud_support"),
    ContractKind.PREMIER: ("Premier", "premier_support"),
    ContractKind.ADVANCED: ("Advanced", "advanced_support"),
    "csp": ("CloudSolutionProvider", "cloud_solution_provider"),
}
_PLAN_PREFIX = "PlanId:"


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


# --- support plans ----------------------------------------------------------------------------------
def encode_plan(plan_id: str) -> str:
    """``supportPlanId`` as this API shows it: base64 of ``PlanId:<plan>``, opaque like Azure's own
    (which are base64 too), where ``<plan>`` is the backend's plan ID (a Contract ID or ``csp``)."""
    return base64.b64encode(f"{_PLAN_PREFIX}{plan_id}".encode()).decode("ascii")


def decode_plan(value: str) -> str:
    """The backend plan ID a ``supportPlanId`` names: the encoded form above, or a plan ID as the
    Azure portal's JSON API lists it (a Contract ID or ``csp``). Whether it may be used is the
    backend's question."""
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return value
    return decoded[len(_PLAN_PREFIX) :] if decoded.startswith(_PLAN_PREFIX) else value


def plan_properties(world: World, plan_id: str, lang: str) -> dict[str, str]:
    """supportPlanId, supportPlanType and supportPlanDisplayName of a request's plan."""
    if not plan_id:
        return {}
    contract = world.state.contracts.get(plan_id)
    kind: ContractKind | str = contract.kind if contract is not None else plan_id
    plan_type, key = PLAN_TYPES.get(kind, ("Other", ""))
    return {
        "supportPlanId": encode_plan(plan_id),
        "supportPlanType": plan_type,
        "supportPlanDisplayName": translate(key, lang) if key else plan_type,
    }


# --- services and problem classifications ------------------------------------------------------------
def service_id(product: Product) -> str:
    return f"{SERVICES}/{product.guid}"


def classification_id(product: Product, classification: ProblemClassification) -> str:
    return f"{service_id(product)}/problemClassifications/{classification.id}"


def service_json(product: Product) -> dict[str, Any]:
    return {
        "id": service_id(product),
        "name": product.guid,
        "type": "Microsoft.Support/services",
        "properties": {
            "displayName": product.name,
            "resourceTypes": list(RESOURCE_TYPES.get(product.id, ())),
        },
    }


def classification_json(product: Product, classification: ProblemClassification) -> dict[str, Any]:
    return {
        "id": classification_id(product, classification),
        "name": classification.id,
        "type": "Microsoft.Support/problemClassifications",
        "properties": {"displayName": classification.name, "secondaryConsentEnabled": []},
    }


def find_classification(product: Product, name: str) -> ProblemClassification | None:
    wanted = name.strip().lower()
    return next((c for c in problem_classifications(product) if c.id == wanted), None)


# --- tickets and communications ----------------------------------------------------------------------
def ticket_name(item: SupportRequest) -> str:
    """A ticket's resource name: the name its API client gave it, else (a request made in the Azure
    portal) its request number."""
    return item.name or item.id


def ticket_json(
    world: World, item: SupportRequest, scope: str, lang: str, extras: dict[str, Any]
) -> dict[str, Any]:
    """A support request as ``SupportTicketDetails``. ``scope`` is ``/subscriptions/<id>`` or empty
    (the tenant-level routes); ``extras`` are the ticket properties the backend does not keep."""
    product = PRODUCTS[item.product]
    name = ticket_name(item)
    classification = (
        find_classification(product, item.problem_classification) if item.problem_classification else None
    )
    label = extras.get("severity")
    severity = (
        label if SEVERITY_TO_BACKEND.get(label) == item.severity else SEVERITY_FROM_BACKEND[item.severity]
    )
    properties: dict[str, Any] = {
        "supportTicketId": item.id,
        "title": item.title,
        "description": item.description,
        "serviceId": service_id(product),
        "serviceDisplayName": product.name,
        "problemClassificationId": classification_id(product, classification) if classification else "",
        "problemClassificationDisplayName": classification.name if classification else "",
        "severity": severity,
        "status": item.status.capitalize(),
        "contactDetails": contact_json(world, item, extras),
        "advancedDiagnosticConsent": extras.get("advancedDiagnosticConsent", "No"),
        **plan_properties(world, item.plan, lang),
        "createdDate": iso(item.created_at),
        "modifiedDate": iso(item.updated_at or item.created_at),
        "isTemporaryTicket": "No",
    }
    for key in PASSTHROUGH:
        if key in extras:
            properties[key] = extras[key]
    return {
        "id": f"{scope}{PROVIDER}/supportTickets/{name}",
        "name": name,
        "type": TICKET_TYPE,
        "properties": properties,
    }


#: SupportTicketDetails properties the backend has no field for: kept beside it and answered back.
PASSTHROUGH = (
    "require24X7Response",
    "problemScopingQuestions",
    "problemStartTime",
    "technicalTicketDetails",
    "secondaryConsent",
    "fileWorkspaceName",
    "enrollmentId",
)


def contact_json(world: World, item: SupportRequest, extras: dict[str, Any]) -> dict[str, Any]:
    """ContactProfile from the request's contact details. A request made in the Azure portal has
    none: its account stands in (name, e-mail), the rest are neutral defaults."""
    if item.contact:
        contact = {CONTACT_FROM_BACKEND[k]: v for k, v in item.contact.items() if k in CONTACT_FROM_BACKEND}
    else:
        account = world.account(item.upn)
        first, _, last = account.display_name.partition(" ")
        contact = {
            "firstName": first,
            "lastName": last,
            "primaryEmailAddress": account.upn,
            "preferredContactMethod": "email",
            "preferredTimeZone": "UTC",
            "country": "",
            "preferredSupportLanguage": "en-us",
        }
    if "additionalEmailAddresses" in extras:
        contact["additionalEmailAddresses"] = extras["additionalEmailAddresses"]
    return contact


def communication_json(item: SupportRequest, message: Communication, scope: str) -> dict[str, Any]:
    name = ticket_name(item)
    return {
        "id": f"{scope}{PROVIDER}/supportTickets/{name}/communications/{message.name}",
        "name": message.name,
        "type": COMMUNICATION_TYPE,
        "properties": {
            "communicationType": "web",
            "communicationDirection": "outbound",
            "sender": message.sender,
            "subject": message.subject,
            "body": message.body,
            "createdDate": iso(message.created_at),
        },
    }
