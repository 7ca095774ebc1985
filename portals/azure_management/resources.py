"""Backend objects as Microsoft.Support resources (api-version 2024-04-01), and the few value
mappings between the two vocabularies. Shapes only: what a request may do is the backend's call.

Nothing here reads a pool: a ticket names its plan and never a count of remaining incidents
(R-SFB-05, D6).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from portals.azure_management.versions import LATEST, classification_properties, ticket_properties
from portals.backend import PRODUCTS, World, translate
from portals.backend.catalog import ProblemClassification, Product, find_classification
from portals.backend.model import Communication, ContractKind, SupportRequest

PROVIDER = "/providers/Microsoft.Support"
SERVICES = f"{PROVIDER}/services"
TICKET_TYPE = "Microsoft.Support/supportTickets"
COMMUNICATION_TYPE = "Microsoft.Support/communications"
WORKSPACE_TYPE = "Microsoft.Support/fileWorkspaces"
FILE_TYPE = "Microsoft.Support/files"

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
#: Minutes to the first answer by severity (ServiceLevelAgreement.slaMinutes): the "initial response"
#: targets of Azure's support plans (azure.microsoft.com/support/plans: severity A under 1 hour, B
#: under 4 hours, C under 8 hours; the published examples show 240 for a moderate ticket). The
#: agreement starts when the ticket is created and expires slaMinutes later (calendar time).
SLA_MINUTES: dict[str, int] = {"A": 60, "B": 240, "C": 480}

#: supportPlanType and the catalog key of supportPlanDisplayName, by the plan's contract kind.
PLAN_TYPES: dict[ContractKind | str, tuple[str, str]] = {
    ContractKind.PARTNER_BENEFITS: ("SignatureCloudSupport", "signature_cloud_support"),
    ContractKind.PREMIER: ("Premier", "premier_support"),
    ContractKind.ADVANCED: ("Advanced", "advanced_support"),
    "csp": ("CloudSolutionProvider", "cloud_solution_provider"),
}
_SOURCE = "PortalHarness"
_PAIR = re.compile(r"([A-Za-z][A-Za-z0-9]*):([^,]*)(?:,|$)")


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


# --- support plans ----------------------------------------------------------------------------------
def encode_plan(plan_id: str, contract_id: str | None = None) -> str:
    """``supportPlanId`` as Azure writes it: base64 of ``Key:Value,`` pairs (the published examples
    decode to ``Source:SCM,ClarifyInstallationSiteId:7,LineItemId:…,ContractId:…,SubscriptionId:…,``).
    Here: ``Source:PortalHarness,PlanId:<plan>,`` and ``ContractId:<contract>,`` for a contract's
    plan, ``<plan>`` being the backend's plan ID (a Contract ID, or ``csp``)."""
    text = f"Source:{_SOURCE},PlanId:{plan_id},"
    if contract_id:
        text += f"ContractId:{contract_id},"
    return base64.b64encode(text.encode()).decode("ascii")


@dataclass(frozen=True)
class PlanRef:
    """What a ``supportPlanId`` names: ``plan`` (a backend plan ID, or the text as given), and
    whether it is ``foreign``: well-formed, but written by Azure for a plan of its own (as in the
    published examples), not by this emulator."""

    plan: str
    foreign: bool = False


def decode_plan(value: str, contracts: object = ()) -> PlanRef:
    """The plan a ``supportPlanId`` names: this API's encoding (``PlanId``), Azure's (a
    ``ContractId`` among ``contracts``, the world's Contract IDs, else foreign), the older
    ``PlanId:<plan>``, or a plain plan ID as the Azure portal's JSON API lists it (a Contract ID or
    ``csp``). Whether the plan may be used is the backend's question."""
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return PlanRef(value)
    pairs = dict(_PAIR.findall(decoded))
    if not pairs or "".join(f"{k}:{v}," for k, v in pairs.items()).rstrip(",") != decoded.rstrip(","):
        return PlanRef(value)
    if pairs.get("PlanId"):
        return PlanRef(pairs["PlanId"])
    contract = pairs.get("ContractId")
    if contract and contract in contracts:  # type: ignore[operator]
        return PlanRef(contract)
    return PlanRef(value, foreign=True)


def plan_properties(world: World, plan_id: str, lang: str) -> dict[str, str]:
    """supportPlanId, supportPlanType and supportPlanDisplayName of a request's plan."""
    if not plan_id:
        return {}
    contract = world.state.contracts.get(plan_id)
    kind: ContractKind | str = contract.kind if contract is not None else plan_id
    plan_type, key = PLAN_TYPES.get(kind, ("Other", ""))
    return {
        "supportPlanId": encode_plan(plan_id, contract.contract_id if contract is not None else None),
        "supportPlanType": plan_type,
        "supportPlanDisplayName": translate(key, lang) if key else plan_type,
    }


# --- services and problem classifications ------------------------------------------------------------
def service_id(product: Product) -> str:
    return f"{SERVICES}/{product.guid}"


def classification_id(product: Product, classification: ProblemClassification) -> str:
    return f"{service_id(product)}/problemClassifications/{classification.id}"


def service_json(product: Product) -> dict[str, Any]:
    """``Service``: the catalog's GUID, the API's display name and the ARM types it covers."""
    return {
        "id": service_id(product),
        "name": product.guid,
        "type": "Microsoft.Support/services",
        "properties": {"displayName": product.display_name, "resourceTypes": list(product.resource_types)},
    }


def classification_json(
    product: Product, classification: ProblemClassification, version: str = LATEST
) -> dict[str, Any]:
    properties = {"displayName": classification.name, "secondaryConsentEnabled": []}
    return {
        "id": classification_id(product, classification),
        "name": classification.id,
        "type": "Microsoft.Support/problemClassifications",
        "properties": classification_properties(version, properties),
    }


# --- tickets and communications ----------------------------------------------------------------------
def ticket_name(item: SupportRequest) -> str:
    """A ticket's resource name: the name its API client gave it, else (a request made in the Azure
    portal) its request number."""
    return item.name or item.id


def service_level(item: SupportRequest) -> dict[str, Any]:
    """``ServiceLevelAgreement``: from the ticket's creation, ``SLA_MINUTES`` of its severity."""
    minutes = SLA_MINUTES[item.severity]
    return {
        "startTime": iso(item.created_at),
        "expirationTime": iso(item.created_at + timedelta(minutes=minutes)),
        "slaMinutes": minutes,
    }


def ticket_json(
    world: World,
    item: SupportRequest,
    scope: str,
    lang: str,
    extras: dict[str, Any],
    version: str = LATEST,
) -> dict[str, Any]:
    """A support request as ``SupportTicketDetails`` of api-version ``version``. ``scope`` is
    ``/subscriptions/<id>`` or empty (the tenant-level routes); ``extras`` are the ticket properties
    the backend does not keep. No engineer is ever assigned (``supportEngineer`` is empty, as the
    live service answers an unassigned ticket)."""
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
        "serviceDisplayName": product.display_name,
        "problemClassificationId": classification_id(product, classification) if classification else "",
        "problemClassificationDisplayName": classification.name if classification else "",
        "severity": severity,
        "status": item.status.capitalize(),
        "contactDetails": contact_json(world, item, extras),
        "advancedDiagnosticConsent": extras.get("advancedDiagnosticConsent", "No"),
        "require24X7Response": extras.get("require24X7Response", False),
        "serviceLevelAgreement": service_level(item),
        "supportEngineer": {},
        **plan_properties(world, item.plan, lang),
        "createdDate": iso(item.created_at),
        "modifiedDate": iso(item.updated_at or item.created_at),
    }
    for key in PASSTHROUGH:
        if key in extras:
            properties[key] = extras[key]
    return {
        "id": f"{scope}{PROVIDER}/supportTickets/{name}",
        "name": name,
        "type": TICKET_TYPE,
        "properties": ticket_properties(version, properties),
    }


#: SupportTicketDetails properties the backend has no field for: kept beside it and answered back.
PASSTHROUGH = (
    "problemScopingQuestions",
    "problemStartTime",
    "technicalTicketDetails",
    "quotaTicketDetails",
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
