"""Refusals at the edge: the codes only the web layer raises, and the one table that turns every
refusal code into an HTTP status. No web framework here: renderers (``portals.web.renderers``, ARM's and
Partner Center REST's ``errors`` modules) shape the answer, this module only says what it means.

The backend raises ``Refusal`` with its domain codes (``portals.backend.errors.REFUSALS``); the web
layer adds ``EdgeRefusal`` for what exists only over HTTP (an unknown route, a wrong method, a body
too large, a missing token, a failure of ours), in ARM (an unknown long-running operation, file
workspace, file or chat transcript) or in the control API (its token, an unknown fault rule).
``STATUSES`` answers every one of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from portals.backend.errors import Refusal, RefusalKind

if TYPE_CHECKING:
    from werkzeug.exceptions import HTTPException

try:  # waitress closes the connection without an answer when the app raises this
    from waitress.channel import ClientDisconnected

    _SERVER_DISCONNECT: tuple[type[Exception], ...] = (ClientDisconnected,)
except ImportError:  # pragma: no cover - waitress is a dependency
    _SERVER_DISCONNECT = ()


class DroppedConnection(ConnectionError, *_SERVER_DISCONNECT):  # type: ignore[misc]
    """A fault rule dropped the connection: no status line, no headers, nothing.

    Raised from the WSGI app. In-process, the harness's router turns it into
    ``requests.ConnectionError``. Live, werkzeug's server treats a ``ConnectionError`` as a dropped
    connection (its socket is shut down first), and waitress treats ``ClientDisconnected`` the same
    way: either closes the socket without writing a byte, so a ``requests`` client gets
    ``ConnectionError`` ("Remote end closed connection without response"). Defined here, where no
    web framework is loaded, so the in-process router can catch it without loading Flask;
    ``portals.web.faults`` raises it.
    """


#: Codes of the web layer, with their message keys (in the backend's catalog) and reasons (D11).
EDGE_REFUSALS: dict[str, RefusalKind] = {
    # HTTP
    "AuthenticationRequired": RefusalKind("authentication_required", "identity"),
    "PayloadTooLarge": RefusalKind("payload_too_large", "bad input"),
    "RouteNotFound": RefusalKind("route_not_found", "unknown IDs"),
    "MethodNotAllowed": RefusalKind("method_not_allowed", "bad input"),
    "InternalError": RefusalKind("internal_error", "emulator failure"),
    # ARM's long-running operations, file workspaces and chat transcripts
    "OperationNotFound": RefusalKind("operation_not_found", "unknown IDs"),
    "FileWorkspaceNotFound": RefusalKind("file_workspace_not_found", "unknown IDs"),
    "FileNotFound": RefusalKind("file_not_found", "unknown IDs"),
    "ChatTranscriptNotFound": RefusalKind("chat_transcript_not_found", "unknown IDs"),
    # Partner Center REST
    "PartnerNotFound": RefusalKind("partner_not_found", "unknown IDs"),
    # the control API (/_harness)
    "HarnessTokenRequired": RefusalKind("harness_token_required", "identity"),
    "FaultNotFound": RefusalKind("fault_not_found", "unknown IDs"),
    # the dashboard (/_harness/)
    "HarnessTokenWrong": RefusalKind("harness_token_wrong", "identity"),
    "DashboardFormExpired": RefusalKind("dashboard_form_expired", "bad input"),
}


class EdgeRefusal(Refusal):
    """A refusal of the web layer (codes of ``EDGE_REFUSALS``); caught, translated and rendered
    like any backend refusal. Raises ``KeyError`` for another code."""

    KINDS: ClassVar[Mapping[str, RefusalKind]] = EDGE_REFUSALS


#: The HTTP status of every refusal code, the backend's and the edge's. ARM answers 422s as 400
#: (``portals.azure_management.errors``); Partner Center REST and the portals answer these.
STATUSES: dict[str, int] = {
    # identity and roles
    "AccountNotFound": 401,
    "PartnerAccountRequired": 403,
    "NotAuthorized": 403,
    "RoleRequired": 403,
    # membership and activation
    "NoBenefits": 404,
    "ActivationPending": 409,
    "AlreadyActivated": 409,
    "BenefitsNotActivated": 409,
    # contracts and associations
    "ContractNotFound": 404,
    "ContractExpired": 422,
    "NoIncidentsRemaining": 409,
    "NotEligibleForCloudSupport": 422,
    "AccessIdAlreadyAssociated": 409,  # D5: "HTTP 409, code AccessIdAlreadyAssociated"
    "AlreadyLinked": 409,
    "PurchaseNewPlan": 409,
    # support requests
    "ProductNotFound": 404,
    "ProductNotCovered": 422,
    "ProductNotReleased": 422,
    "NoSupportPlan": 422,
    "PlanNotFound": 404,
    "PlanNotAvailable": 422,
    "RequestNotFound": 404,
    "RequestNameTaken": 409,
    "CommunicationNotFound": 404,
    "CommunicationNameTaken": 409,
    "ProblemClassificationNotFound": 404,
    "SupportTopicNotFound": 404,
    "OfferNotFound": 404,
    # CSP
    "CustomerNotFound": 404,
    "WorkloadNotFound": 404,
    # worlds and input
    "InvalidInput": 400,
    "InvalidSeed": 400,
    "WorldNotFound": 404,
    "WorldExists": 409,
    # the edge's own codes
    "AuthenticationRequired": 401,
    "PayloadTooLarge": 413,
    "RouteNotFound": 404,
    "MethodNotAllowed": 405,
    "InternalError": 500,
    "OperationNotFound": 404,
    "FileWorkspaceNotFound": 404,
    "FileNotFound": 404,
    "ChatTranscriptNotFound": 404,
    "PartnerNotFound": 404,
    "HarnessTokenRequired": 401,
    "FaultNotFound": 404,
    "HarnessTokenWrong": 401,
    "DashboardFormExpired": 403,
}

#: Answered for a code missing from ``STATUSES``: a bug of ours (a test keeps the table complete).
FALLBACK_STATUS = 500


def status_of(refusal: Refusal) -> int:
    """The HTTP status a refusal is answered with (``STATUSES``)."""
    return STATUSES.get(refusal.code, FALLBACK_STATUS)


def error_body(refusal: Refusal, lang: str = "en-US") -> dict[str, Any]:
    """The portals' and the control API's JSON error, ``{"code", "message", "status", "reason",
    "params"}``: the refusal in ``lang`` with its status."""
    data = refusal.to_dict(lang)
    return {"code": data["code"], "message": data["message"], "status": status_of(refusal), **data}


def refusal_of(error: HTTPException, method: str, path: str, body_limit: int) -> Refusal:
    """What an HTTP-level error of the framework (unknown route, wrong method, body over
    ``body_limit`` bytes, a malformed request) means, as a refusal."""
    code = error.code or 400
    if code == 404:
        return EdgeRefusal("RouteNotFound", path=path)
    if code == 405:
        return EdgeRefusal("MethodNotAllowed", method=method, path=path)
    if code == 413:
        return EdgeRefusal("PayloadTooLarge", limit=body_limit)
    return Refusal("InvalidInput", detail=error.description or error.name)
