"""The one error type every refusal of the backend raises.

A refusal carries a stable code, a message key (with parameters) into the message catalog and the
reason D11 asks it to name, so each rule's refusal is defined exactly once, here. The backend knows
no transport: how each code is answered on the wire is the web layer's table (``portals.web.errors``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class RefusalKind:
    """What a refusal code means: the message it shows and its reason (D11)."""

    message_key: str
    reason: str


#: Every refusal code the backend can raise. The reason column is what D11 asks a refusal to name.
REFUSALS: dict[str, RefusalKind] = {
    # identity and roles
    "AccountNotFound": RefusalKind("account_not_found", "unknown account"),
    "PartnerAccountRequired": RefusalKind("partner_account_required", "account"),
    "NotAuthorized": RefusalKind("not_authorized", "membership"),
    "RoleRequired": RefusalKind("role_required", "role"),
    # membership and activation
    "NoBenefits": RefusalKind("no_benefits", "membership"),
    "ActivationPending": RefusalKind("activation_pending", "activation"),
    "AlreadyActivated": RefusalKind("already_activated", "activation"),
    "BenefitsNotActivated": RefusalKind("benefits_not_activated", "activation"),
    # contracts and associations
    "ContractNotFound": RefusalKind("contract_not_found", "unknown IDs"),
    "ContractExpired": RefusalKind("contract_expired", "expiry"),
    "NoIncidentsRemaining": RefusalKind("no_incidents_remaining", "exhaustion"),
    "NotEligibleForCloudSupport": RefusalKind("not_eligible_for_cloud_support", "eligibility"),
    "AccessIdAlreadyAssociated": RefusalKind("access_id_already_associated", "association"),
    "AlreadyLinked": RefusalKind("already_linked", "association"),
    "PurchaseNewPlan": RefusalKind("purchase_new_plan", "expiry or exhaustion"),
    # support requests
    "ProductNotFound": RefusalKind("product_not_found", "unknown IDs"),
    "ProductNotCovered": RefusalKind("product_older_than_n1", "eligibility"),
    "ProductNotReleased": RefusalKind("product_not_released", "release date"),
    "NoSupportPlan": RefusalKind("no_support_plan", "eligibility"),
    "PlanNotFound": RefusalKind("plan_not_found", "unknown IDs"),
    "PlanNotAvailable": RefusalKind("plan_not_available", "eligibility"),
    "RequestNotFound": RefusalKind("request_not_found", "unknown IDs"),
    "RequestNameTaken": RefusalKind("request_name_taken", "bad input"),
    "CommunicationNotFound": RefusalKind("communication_not_found", "unknown IDs"),
    "CommunicationNameTaken": RefusalKind("communication_name_taken", "bad input"),
    "ProblemClassificationNotFound": RefusalKind("problem_classification_not_found", "unknown IDs"),
    "SupportTopicNotFound": RefusalKind("support_topic_not_found", "unknown IDs"),
    "OfferNotFound": RefusalKind("offer_not_found", "unknown IDs"),
    # CSP
    "CustomerNotFound": RefusalKind("customer_not_found", "unknown IDs"),
    "WorkloadNotFound": RefusalKind("workload_not_found", "unknown IDs"),
    # worlds and input
    "InvalidInput": RefusalKind("invalid_input", "bad input"),
    "InvalidSeed": RefusalKind("invalid_seed", "bad input"),
    "WorldNotFound": RefusalKind("world_not_found", "unknown IDs"),
    "WorldExists": RefusalKind("world_exists", "bad input"),
}


class Refusal(Exception):
    """A rule said no. ``code`` is stable; ``message_key``, ``reason`` and ``params`` come with it.
    Raises ``KeyError`` for a code its class does not know (``KINDS``: the backend's ``REFUSALS``;
    the web layer's own codes are ``portals.web.errors.EdgeRefusal``)."""

    KINDS: ClassVar[Mapping[str, RefusalKind]] = REFUSALS

    def __init__(self, code: str, **params: Any) -> None:
        kind = self.KINDS.get(code)
        if kind is None:
            raise KeyError(f"unknown refusal code {code!r}")
        self.code = code
        self.params = params
        self.message_key = kind.message_key
        self.reason = kind.reason
        super().__init__(self.message())

    def message(self, lang: str = "en-US") -> str:
        """The refusal's text in one of the catalog's languages."""
        from portals.backend.messages import translate

        return translate(self.message_key, lang, **self.params)

    def to_dict(self, lang: str = "en-US") -> dict[str, Any]:
        """JSON-ready: ``{"code", "message", "reason", "params"}`` (the web layer adds its own fields)."""
        return {
            "code": self.code,
            "message": self.message(lang),
            "reason": self.reason,
            "params": {k: _plain(v) for k, v in self.params.items()},
        }


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    return str(value)
