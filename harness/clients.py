"""Clients for the three portals and the control API, on ``requests.Session``, speaking the
business language and returning typed results. Every refusal becomes one ``PortalError`` with the
portal's code, message and status."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from typing import Any, TypeVar

import requests

from portals.web.tokens import mint_token
from portals.web.wire import WORLD_HEADER

T = TypeVar("T")


def portal_session() -> requests.Session:
    """A session for the portals: no proxy or netrc look-ups from the environment (the portals are
    in-process or on loopback), which also saves a scan of the environment on every request."""
    session = requests.Session()
    session.trust_env = False
    return session


@functools.lru_cache(maxsize=256)
def _bearer(upn: str) -> str:
    """``Bearer <token>`` for ``upn``: the same token on every call (minted once)."""
    return f"Bearer {mint_token(upn)}"


class PortalError(Exception):
    """A portal said no. ``code`` is the backend's stable refusal code."""

    def __init__(self, status: int, code: str, message: str, body: Any = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.body = body


def _typed(cls: type[T], data: dict[str, Any]) -> T:
    """Build a result dataclass from JSON, ignoring fields it does not name."""
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True)
class TechnicalBenefits:
    state: str
    membership: str
    can_activate: bool
    access_id: str | None = None
    contract_id: str | None = None
    ready_at: str | None = None
    organisation: str | None = None


@dataclass(frozen=True)
class Contract:
    access_id: str
    contract_id: str
    kind: str
    start: str
    end: str
    pending: bool = False


@dataclass(frozen=True)
class SupportPlan:
    """A plan as Support for Business shows it (with remaining incidents; None = unlimited)."""

    plan_id: str
    name: str
    contract_id: str
    start: str
    end: str
    remaining_incidents: int | None
    available: bool
    unavailable_reason: str | None = None
    #: R-SFB-08: an unavailable partner support contract's Signature information: ``membership``,
    #: ``signature_cloud_support`` (unlimited | pack | not_included), ``pack_size``, ``remaining_incidents``,
    #: ``expired_on`` (the contract's end once it has expired; then a pack counts no remaining incident).
    signature: dict[str, Any] | None = None


@dataclass(frozen=True)
class OnPremisesProduct:
    """A product Support for Business offers at the world's date (D7): ``covered`` False means older
    than n-1, not covered; ``released`` and ``source`` are its lifecycle page's start date and URL."""

    id: str
    name: str
    family: str
    version: str
    released: str
    source: str
    covered: bool
    family_name: str | None = None


@dataclass(frozen=True)
class AzurePlan:
    """A plan as the Azure portal lists it: no remaining-incident count."""

    plan_id: str
    name: str
    kind: str
    contract_id: str | None = None
    display_name: str | None = None


@dataclass(frozen=True)
class SupportRequest:
    id: str
    portal: str
    product: str
    title: str
    plan: str
    severity: str
    status: str
    created_at: str
    customer: str | None = None
    contract_id: str | None = None  # the contract the plan names; a CSP customer request's CSP contract


@dataclass(frozen=True)
class CustomerPlan:
    """A support plan of a CSP customer as Partner Center lists it (D12): no remaining count."""

    plan_id: str
    name: str
    kind: str
    contract_id: str
    customer: str
    portal: str
    added_at: str
    added_by: str
    display_name: str | None = None


class PortalClient:
    """Base: a session bound to one portal, one world and (optionally) one account."""

    portal = ""

    def __init__(
        self,
        base_url: str,
        world: str,
        upn: str | None = None,
        session: requests.Session | None = None,
        lang: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.world = world
        self.upn = upn
        self.session = session or portal_session()
        self.lang = lang

    def as_account(self, upn: str) -> PortalClient:
        """The same portal and world, speaking for another account."""
        return type(self)(self.base_url, self.world, upn, self.session, self.lang)

    def headers(self) -> dict[str, str]:
        headers = {WORLD_HEADER: self.world, "Accept": "application/json"}
        if self.upn:
            headers["Authorization"] = _bearer(self.upn)
        if self.lang:
            headers["Accept-Language"] = self.lang
        return headers

    def call(self, method: str, path: str, json: Any = None, **kwargs: Any) -> Any:
        response = self.session.request(
            method, f"{self.base_url}{path}", json=json, headers=self.headers(), timeout=30, **kwargs
        )
        return self.answer(response)

    @staticmethod
    def answer(response: requests.Response) -> Any:
        if response.status_code >= 400:
            try:
                error = response.json().get("error", {})
            except ValueError:
                error = {}
            raise PortalError(
                response.status_code,
                error.get("code", "HttpError"),
                error.get("message", response.text[:200]),
                error,
            )
        if response.status_code == 204 or not response.content:
            return None
        if "json" in response.headers.get("Content-Type", ""):
            return response.json()
        return response.text


class PartnerCenterClient(PortalClient):
    portal = "partner_center"

    def me(self) -> dict[str, Any]:
        return self.call("GET", "/api/me")

    def technical_benefits(self) -> TechnicalBenefits:
        return _typed(TechnicalBenefits, self.call("GET", "/api/benefits/technical"))

    def activate_benefits(self) -> TechnicalBenefits:
        return _typed(TechnicalBenefits, self.call("POST", "/api/benefits/technical/activate", json={}))

    def entitlements(self) -> Any:
        return self.call("GET", "/api/entitlements")

    def purchase_support_plan(self, offer: str) -> Contract:
        return _typed(Contract, self.call("POST", "/api/supportplans/purchase", json={"offer": offer}))

    def contracts(self) -> list[Contract]:
        return [_typed(Contract, c) for c in self.call("GET", "/api/contracts")["value"]]

    def customers(self) -> list[dict[str, Any]]:
        return self.call("GET", "/api/customers")["value"]

    def new_customer_request(self, customer: str, workload: str = "azure", **details: Any) -> dict[str, Any]:
        """Customers > customer > Service management > New request > workload (R-CSP-01)."""
        body = {"workload": workload, **details}
        return self.call("POST", f"/api/customers/{customer}/servicerequests", json=body)

    def customer_support_plans(self, customer: str) -> list[CustomerPlan]:
        """The customer's support plans (D12): the partner's CSP contract once a request added it."""
        answer = self.call("GET", f"/api/customers/{customer}/supportplans")
        return [_typed(CustomerPlan, p) for p in answer["value"]]

    def customer_requests(self, customer: str) -> list[SupportRequest]:
        """The requests the partner opened for the customer (R-CSP-01)."""
        answer = self.call("GET", f"/api/customers/{customer}/servicerequests")
        return [_typed(SupportRequest, r) for r in answer["value"]]


class SupportForBusinessClient(PortalClient):
    portal = "support_for_business"

    def add_contract(self, access_id: str, contract_id: str) -> SupportPlan:
        answer = self.call(
            "POST", "/api/contracts", json={"access_id": access_id, "contract_id": contract_id}
        )
        return _typed(SupportPlan, answer.get("plan", answer))

    def products(self) -> list[OnPremisesProduct]:
        """Step 1's catalog at the world's date (D7): covered products and those older than n-1."""
        return [_typed(OnPremisesProduct, p) for p in self.call("GET", "/api/products")["value"]]

    def plans(self, product: str = "windows-10") -> tuple[list[SupportPlan], list[SupportPlan]]:
        """Step 2 (R-SFB-06): (available, unavailable)."""
        answer = self.call("GET", "/api/plans", params={"product": product})
        return (
            [_typed(SupportPlan, p) for p in answer["available"]],
            [_typed(SupportPlan, p) for p in answer["unavailable"]],
        )

    def remaining_incidents(self) -> dict[str, int | None]:
        answer = self.call("GET", "/api/remaining-incidents")
        return {item["contract_id"]: item["remaining_incidents"] for item in answer["value"]}

    def create_support_request(
        self, product: str, title: str, description: str, **extra: Any
    ) -> SupportRequest:
        body = {"product": product, "title": title, "description": description, **extra}
        return _typed(SupportRequest, self.call("POST", "/api/requests", json=body))

    def support_requests(self) -> list[SupportRequest]:
        return [_typed(SupportRequest, r) for r in self.call("GET", "/api/requests")["value"]]


class AzurePortalClient(PortalClient):
    portal = "azure"

    def link_support_benefits(self, access_id: str, contract_id: str) -> AzurePlan:
        body = {"access_id": access_id, "contract_id": contract_id}
        return _typed(AzurePlan, self.call("POST", "/api/supportplans/link", json=body)["plan"])

    def support_plans(self) -> list[AzurePlan]:
        return [_typed(AzurePlan, p) for p in self.call("GET", "/api/supportplans")["value"]]

    def customer_support_plans(self, customer: str) -> list[CustomerPlan]:
        """A CSP customer's support plans in the workload's portal (D12), for the partner's Admin agent."""
        answer = self.call("GET", "/api/supportplans", params={"customer": customer})
        return [_typed(CustomerPlan, p) for p in answer["value"]]

    def create_support_request(
        self,
        product: str = "app-service",
        title: str = "Support request",
        description: str = "-",
        **extra: Any,
    ) -> SupportRequest:
        body = {"product": product, "title": title, "description": description, **extra}
        return _typed(SupportRequest, self.call("POST", "/api/supportrequests", json=body))

    def support_request(self, request_id: str) -> SupportRequest:
        return _typed(SupportRequest, self.call("GET", f"/api/supportrequests/{request_id}"))

    def support_requests(self) -> list[SupportRequest]:
        return [_typed(SupportRequest, r) for r in self.call("GET", "/api/supportrequests")["value"]]
