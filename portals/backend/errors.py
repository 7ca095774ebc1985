"""The one error type every refusal of the backend raises.

Portals never decide statuses or texts themselves: a refusal carries a stable code, the HTTP
status a portal answers with, and a message key (with parameters) into the message catalog, so
each rule's refusal is defined exactly once, here (D11: every refusal names its reason).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RefusalKind:
    """What a refusal code means: its HTTP status and the message it shows."""

    status: int
    message_key: str
    reason: str


#: Every refusal code the backend can raise. The reason column is what D11 asks a refusal to name.
REFUSALS: dict[str, RefusalKind] = {
    # identity and roles
    "AccountNotFound": RefusalKind(401, "account_not_found", "unknown account"),
    "PartnerAccountRequired": RefusalKind(403, "partner_account_required", "account"),
    "NotAuthorized": RefusalKind(403, "not_authorized", "membership"),
    "RoleRequired": RefusalKind(403, "role_required", "role"),
    # membership and activation
    "NoBenefits": RefusalKind(404, "no_benefits", "membership"),
    "ActivationPending": RefusalKind(409, "activation_pending", "activation"),
    "AlreadyActivated": RefusalKind(409, "already_activated", "activation"),
    "BenefitsNotActivated": RefusalKind(409, "benefits_not_activated", "activation"),
    # contracts and associations
    "ContractNotFound": RefusalKind(404, "contract_not_found", "unknown IDs"),
    "ContractExpired": RefusalKind(422, "contract_expired", "expiry"),
    "NoIncidentsRemaining": RefusalKind(409, "no_incidents_remaining", "exhaustion"),
    "NotEligibleForCloudSupport": RefusalKind(422, "not_eligible_for_cloud_support", "eligibility"),
    "AccessIdAlreadyAssociated": RefusalKind(409, "access_id_already_associated", "association"),
    "AlreadyLinked": RefusalKind(409, "already_linked", "association"),
    "PurchaseNewPlan": RefusalKind(409, "purchase_new_plan", "expiry or exhaustion"),
    # support requests
    "ProductNotFound": RefusalKind(404, "product_not_found", "unknown IDs"),
    "ProductNotCovered": RefusalKind(422, "product_older_than_n1", "eligibility"),
    "ProductNotReleased": RefusalKind(422, "product_not_released", "release date"),
    "NoSupportPlan": RefusalKind(422, "no_support_plan", "eligibility"),
    "PlanNotFound": RefusalKind(404, "plan_not_found", "unknown IDs"),
    "PlanNotAvailable": RefusalKind(422, "plan_not_available", "eligibility"),
    "RequestNotFound": RefusalKind(404, "request_not_found", "unknown IDs"),
    "RequestNameTaken": RefusalKind(409, "request_name_taken", "bad input"),
    "CommunicationNotFound": RefusalKind(404, "communication_not_found", "unknown IDs"),
    "CommunicationNameTaken": RefusalKind(409, "communication_name_taken", "bad input"),
    "OperationNotFound": RefusalKind(404, "operation_not_found", "unknown IDs"),
    "ProblemClassificationNotFound": RefusalKind(404, "problem_classification_not_found", "unknown IDs"),
    "SupportTopicNotFound": RefusalKind(404, "support_topic_not_found", "unknown IDs"),
    "OfferNotFound": RefusalKind(404, "offer_not_found", "unknown IDs"),
    # CSP
    "CustomerNotFound": RefusalKind(404, "customer_not_found", "unknown IDs"),
    "WorkloadNotFound": RefusalKind(404, "workload_not_found", "unknown IDs"),
    # HTTP-level refusals the portals raise (kept here so every error speaks one language)
    "AuthenticationRequired": RefusalKind(401, "authentication_required", "identity"),
    "PayloadTooLarge": RefusalKind(413, "payload_too_large", "bad input"),
    "RouteNotFound": RefusalKind(404, "route_not_found", "unknown IDs"),
    "MethodNotAllowed": RefusalKind(405, "method_not_allowed", "bad input"),
    "InternalError": RefusalKind(500, "internal_error", "emulator failure"),
    # worlds and input
    "InvalidInput": RefusalKind(400, "invalid_input", "bad input"),
    "InvalidSeed": RefusalKind(400, "invalid_seed", "bad input"),
    "WorldNotFound": RefusalKind(404, "world_not_found", "unknown IDs"),
    "WorldExists": RefusalKind(409, "world_exists", "bad input"),
    # the control API (/_harness)
    "HarnessTokenRequired": RefusalKind(401, "harness_token_required", "identity"),
    "FaultNotFound": RefusalKind(404, "fault_not_found", "unknown IDs"),
}


class Refusal(Exception):
    """A rule said no. ``code`` is stable; ``status``, ``message_key`` and ``params`` come with it."""

    def __init__(self, code: str, **params: Any) -> None:
        if code not in REFUSALS:
            raise KeyError(f"unknown refusal code {code!r}")
        self.code = code
        self.params = params
        kind = REFUSALS[code]
        self.status = kind.status
        self.message_key = kind.message_key
        self.reason = kind.reason
        super().__init__(self.message())

    def message(self, lang: str = "en-US") -> str:
        """The refusal's text in one of the catalog's languages."""
        from portals.backend.messages import translate

        return translate(self.message_key, lang, **self.params)

    def to_dict(self, lang: str = "en-US") -> dict[str, Any]:
        """The JSON shape portals answer with."""
        return {
            "code": self.code,
            "message": self.message(lang),
            "status": self.status,
            "reason": self.reason,
            "params": {k: _plain(v) for k, v in self.params.items()},
        }


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    return str(value)
