"""Reading ARM input: one model per body in Microsoft.Support's shapes (camelCase, as ARM names
properties), ``$top``, ``$skipToken`` and ``$filter``. Everything is checked before any backend
call, so bad input is a 400 naming the property path, changes nothing and is never a 500. Enums are
read in any case, as ARM reads them, and given back in their own spelling; read-only properties
sent back are dropped, as ARM drops them; any other unknown property is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from pydantic import AliasChoices, Field, field_validator, model_validator

from portals.azure_management.resources import (
    COMMUNICATION_TYPE,
    SEVERITY_TO_BACKEND,
    TICKET_TYPE,
    WORKSPACE_TYPE,
)
from portals.backend import Refusal
from portals.backend.clock import parse_instant
from portals.backend.inputs import Instant
from portals.web.requests_in import Body, Choice, Email, Line, Prose, Query, Text, query

YES_NO = Choice("Yes", "No")
RESOURCE_READ_ONLY = ("id", "name", "type", "systemData")


def invalid(detail: str) -> Refusal:
    return Refusal("InvalidInput", detail=detail)


class ArmBody(Body):
    """An ARM object: ``null`` counts as absent, the read-only properties of ``READ_ONLY`` are
    dropped."""

    READ_ONLY: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="before")
    @classmethod
    def _prepare(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        return {k: v for k, v in data.items() if v is not None and k not in cls.READ_ONLY}


# --- names ------------------------------------------------------------------------------------------------
class NameCheck(ArmBody):
    """CheckNameAvailabilityInput (file workspaces too, as Azure's CLI checks their names)."""

    name: Text(260)
    type: Choice(TICKET_TYPE, COMMUNICATION_TYPE, WORKSPACE_TYPE)


_RESOURCE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,259}$")


def resource_name(value: str, what: str) -> str:
    """The name of a file workspace or a file: 1 to 260 letters, digits, '.', '_' or '-', not
    starting with '.', '_' or '-'."""
    if not _RESOURCE_NAME.match(value):
        raise invalid(f"{what}: 1 to 260 letters, digits, '.', '_' or '-', starting with a letter or digit")
    return value


# --- tickets ------------------------------------------------------------------------------------------------
class ContactChange(ArmBody):
    """UpdateContactProfile: every property optional; names and the rest not blank, e-mail
    addresses e-mail addresses."""

    firstName: Line(200) | None = None
    lastName: Line(200) | None = None
    preferredContactMethod: Choice("email", "phone") | None = None
    primaryEmailAddress: Email | None = None
    additionalEmailAddresses: list[Email] | None = Field(None, max_length=50)
    phoneNumber: Line(200) | None = None
    preferredTimeZone: Line(200) | None = None
    country: Line(200) | None = None
    preferredSupportLanguage: Line(200) | None = None


class Contact(ContactChange):
    """ContactProfile, as a new ticket takes it."""

    firstName: Line(200)
    lastName: Line(200)
    preferredContactMethod: Choice("email", "phone")
    primaryEmailAddress: Email
    preferredTimeZone: Line(200)
    country: Line(200)
    preferredSupportLanguage: Line(200)


class SecondaryConsent(ArmBody):
    userConsent: YES_NO | None = None
    type: Text(200) | None = None


class TechnicalTicketDetails(ArmBody):
    resourceId: Text(1000) | None = None


class QuotaChangeRequest(ArmBody):
    region: Text(200) | None = None
    payload: Text(10000) | None = None


class QuotaTicketDetails(ArmBody):
    """QuotaTicketDetails: for tickets of the Service and subscription limits (quotas) service."""

    quotaChangeRequestSubType: Text(200) | None = None
    quotaChangeRequestVersion: Text(100) | None = None
    quotaChangeRequests: list[QuotaChangeRequest] | None = Field(None, max_length=100)


#: What both api-versions' ticket properties hold read-only.
_TICKET_READ_ONLY = (
    "supportTicketId",
    "problemClassificationDisplayName",
    "serviceDisplayName",
    "status",
    "createdDate",
    "modifiedDate",
    "supportPlanType",
    "serviceLevelAgreement",
    "supportEngineer",
)


class _TicketPropertiesBoth(ArmBody):
    """SupportTicketDetailsProperties as a new ticket sends them in both api-versions."""

    READ_ONLY = _TICKET_READ_ONLY
    title: Line(200)  # the backend's limits, checked here to name properties.title
    description: Prose(4000)
    serviceId: Text(300)
    problemClassificationId: Text(300)
    severity: Choice(*SEVERITY_TO_BACKEND)
    contactDetails: Contact
    require24X7Response: bool | None = None
    problemStartTime: Instant | None = None
    technicalTicketDetails: TechnicalTicketDetails | None = None
    quotaTicketDetails: QuotaTicketDetails | None = None


class TicketProperties(_TicketPropertiesBoth):
    """SupportTicketDetailsProperties as a new ticket sends them (2024-04-01)."""

    READ_ONLY = (*_TICKET_READ_ONLY, "supportPlanDisplayName", "isTemporaryTicket")
    advancedDiagnosticConsent: YES_NO
    supportPlanId: Text(500) | None = None
    problemScopingQuestions: Text(10000) | None = None
    fileWorkspaceName: Text(10000) | None = None
    enrollmentId: Text(10000) | None = None
    secondaryConsent: list[SecondaryConsent] | None = Field(None, max_length=20)


class TicketBody(ArmBody):
    """SupportTicketDetails: ``PUT …/supportTickets/{name}``."""

    READ_ONLY = RESOURCE_READ_ONLY
    properties: TicketProperties


class TicketProperties2020(_TicketPropertiesBoth):
    """SupportTicketDetailsProperties of api-version 2020-04-01: no consents, plan, scoping
    questions or file workspace; ``enrollmentId`` is read-only there."""

    READ_ONLY = (*_TICKET_READ_ONLY, "enrollmentId")


class TicketBody2020(ArmBody):
    """SupportTicketDetails of api-version 2020-04-01."""

    READ_ONLY = RESOURCE_READ_ONLY
    properties: TicketProperties2020


class TicketChange2020(ArmBody):
    """UpdateSupportTicket of api-version 2020-04-01: severity, status and contact details."""

    severity: Choice(*SEVERITY_TO_BACKEND) | None = None
    status: Choice("open", "closed") | None = None
    contactDetails: ContactChange | None = None


class TicketChange(ArmBody):
    """UpdateSupportTicket: ``PATCH …/supportTickets/{name}``."""

    severity: Choice(*SEVERITY_TO_BACKEND) | None = None
    status: Choice("open", "closed") | None = None
    contactDetails: ContactChange | None = None
    advancedDiagnosticConsent: YES_NO | None = None
    secondaryConsent: list[SecondaryConsent] | None = Field(None, max_length=20)


# --- communications ------------------------------------------------------------------------------------
class MessageProperties(ArmBody):
    READ_ONLY = ("communicationType", "communicationDirection", "createdDate")
    subject: Line(10000)
    body: Prose(20000)
    sender: Text(200) | None = None  # the backend records the account as the sender


class MessageBody(ArmBody):
    """CommunicationDetails: ``PUT …/communications/{name}``."""

    READ_ONLY = RESOURCE_READ_ONLY
    properties: MessageProperties


# --- file workspaces and files -----------------------------------------------------------------------
#: The spec's limits of a file (FileDetailsProperties): at most 5 MB, in chunks of at most 2.5 MB,
#: at most 2 chunks.
MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_CHUNK_SIZE = 5 * 1024 * 1024 // 2
MAX_CHUNKS = 2


class WorkspaceProperties(ArmBody):
    READ_ONLY = ("createdOn", "expirationTime")


class WorkspaceBody(ArmBody):
    """FileWorkspaceDetails: ``PUT …/fileWorkspaces/{name}`` (Azure's CLI sends no body)."""

    READ_ONLY = RESOURCE_READ_ONLY
    properties: WorkspaceProperties | None = None


class FileProperties(ArmBody):
    """FileDetailsProperties: the sizes of the file to upload."""

    READ_ONLY = ("createdOn",)
    fileSize: int = Field(ge=1, le=MAX_FILE_SIZE)
    chunkSize: int = Field(ge=1, le=MAX_CHUNK_SIZE)
    numberOfChunks: int = Field(ge=1, le=MAX_CHUNKS)

    @model_validator(mode="after")
    def _chunks_cover_the_file(self) -> FileProperties:
        needed = -(-self.fileSize // self.chunkSize)
        if needed != self.numberOfChunks:
            raise ValueError(
                f"numberOfChunks: {self.fileSize} bytes in chunks of {self.chunkSize} take {needed}, "
                f"not {self.numberOfChunks}"
            )
        return self


class FileBody(ArmBody):
    """FileDetails: ``PUT …/fileWorkspaces/{workspace}/files/{name}``."""

    READ_ONLY = RESOURCE_READ_ONLY
    properties: FileProperties


class UploadBody(ArmBody):
    """UploadFile: ``POST …/files/{name}/upload``, one chunk in base64."""

    content: Text(4 * 1024 * 1024)
    chunkIndex: int = Field(ge=0, lt=MAX_CHUNKS)


# --- paging -------------------------------------------------------------------------------------------
def _empty_is_absent(value: Any) -> Any:
    return None if value == "" else value


class ListQuery(Query):
    """``$top`` (the page size; its maximum is the operation's), ``$skipToken`` (where the page
    starts, as this API's own ``nextLink`` wrote it) and ``$filter``."""

    top: int | None = Field(None, validation_alias="$top", ge=1)
    skip_token: int | None = Field(
        None, validation_alias=AliasChoices("$skipToken", "$skiptoken"), ge=0, le=999_999_999
    )
    filter: Text(2000) | None = Field(None, validation_alias="$filter")

    _empty = field_validator("top", "skip_token", mode="before")(_empty_is_absent)


def instant(value: str, where: str) -> datetime:
    """An ISO-8601 date or date-time of a ``$filter``, within the clock's bounds; without a zone
    it is UTC."""
    try:
        return parse_instant(value)
    except Refusal as refusal:
        raise invalid(f"{where}: {refusal.params['detail']}") from None


def choice(value: str, where: str, options: tuple[str, ...]) -> str:
    """One of ``options`` (any case) in its own spelling, for a ``$filter`` value."""
    for option in options:
        if value.lower() == option.lower():
            return option
    raise invalid(f"{where}: must be one of {', '.join(options)}")


def page_size(default: int, maximum: int) -> int:
    """``$top``: the page size, 1 to ``maximum``."""
    top = query(ListQuery).top
    if top is None:
        return default
    if top > maximum:
        raise invalid(f"$top: must be an integer from 1 to {maximum}")
    return top


def skip_token() -> int:
    """``$skipToken``: where the page starts, as this API's own ``nextLink`` wrote it."""
    return query(ListQuery).skip_token or 0


# --- $filter --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Clause:
    field: str  # canonical spelling, e.g. "createdDate"
    op: str  # "eq" | "ge" | "gt"
    value: str


_CLAUSE = re.compile(r"\s*([A-Za-z]+)\s+(eq|ge|gt)\s+('(?:[^']|'')*'|[^\s']+)\s*", re.IGNORECASE)
_AND = re.compile(r"and\s+", re.IGNORECASE)


def filter_clauses(allowed: dict[str, tuple[str, ...]]) -> list[Clause]:
    """``$filter``: OData comparisons joined by ``and``; ``allowed`` maps each property to its
    operators (``{"status": ("eq",), "createdDate": ("ge", "gt")}``)."""
    raw = query(ListQuery).filter
    if raw is None or not raw.strip():
        return []
    names = {name.lower(): name for name in allowed}
    clauses, position = [], 0
    while True:
        match = _CLAUSE.match(raw, position)
        if match is None:
            raise invalid(f"$filter: cannot read {raw[position:]!r}; write e.g. status eq 'Open'")
        name, op, value = match.group(1), match.group(2).lower(), match.group(3)
        field = names.get(name.lower())
        if field is None:
            raise invalid(f"$filter: {name} cannot be filtered on (use {', '.join(allowed)})")
        if op not in allowed[field]:
            raise invalid(f"$filter: {field} takes {' or '.join(allowed[field])}, not {op}")
        if value.startswith("'"):
            value = value[1:-1].replace("''", "'")
        clauses.append(Clause(field, op, value))
        position = match.end()
        if position >= len(raw):
            return clauses
        joined = _AND.match(raw, position)
        if joined is None:
            raise invalid(f"$filter: join conditions with 'and', at {raw[position:]!r}")
        position = joined.end()
