"""The api-versions this API serves, and what each one's shapes hold.

- ``2024-04-01``: the published OpenAPI document in ``../shared/specs/azure-support`` (what
  ``azure-mgmt-support`` 7.x sends by default).
- ``2020-04-01``: ``specification/support/resource-manager/Microsoft.Support/stable/2020-04-01/
  support.json`` of the public Azure/azure-rest-api-specs repository (what ``azure-mgmt-support``
  6.0.0 sends). It has the subscription-level tickets and communications only (no tenant-level
  tickets, file workspaces, files or chat transcripts), and fewer ticket properties: the sets below
  are its ``SupportTicketDetailsProperties`` and ``ProblemClassificationProperties``.
"""

from __future__ import annotations

LATEST = "2024-04-01"
OLDER = "2020-04-01"
#: Every api-version served, newest first.
API_VERSIONS: tuple[str, ...] = (LATEST, OLDER)

#: The ticket properties 2020-04-01 declares (its SupportTicketDetailsProperties).
TICKET_PROPERTIES_2020 = frozenset(
    {
        "supportTicketId",
        "description",
        "problemClassificationId",
        "problemClassificationDisplayName",
        "severity",
        "enrollmentId",
        "require24X7Response",
        "contactDetails",
        "serviceLevelAgreement",
        "supportEngineer",
        "supportPlanType",
        "title",
        "problemStartTime",
        "serviceId",
        "serviceDisplayName",
        "status",
        "createdDate",
        "modifiedDate",
        "technicalTicketDetails",
        "quotaTicketDetails",
    }
)
#: The problem classification properties 2020-04-01 declares.
CLASSIFICATION_PROPERTIES_2020 = frozenset({"displayName"})


def ticket_properties(version: str, properties: dict[str, object]) -> dict[str, object]:
    """``properties`` of a ticket as ``version`` declares them (2024-04-01: all of them)."""
    if version == OLDER:
        return {k: v for k, v in properties.items() if k in TICKET_PROPERTIES_2020}
    return properties


def classification_properties(version: str, properties: dict[str, object]) -> dict[str, object]:
    """``properties`` of a problem classification as ``version`` declares them."""
    if version == OLDER:
        return {k: v for k, v in properties.items() if k in CLASSIFICATION_PROPERTIES_2020}
    return properties
