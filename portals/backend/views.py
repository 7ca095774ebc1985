"""What the backend answers: read-only views the portals render or serialise as they are.

Azure views deliberately have no field for remaining incidents (R-SFB-05, D6): a portal cannot
show what it is never given.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from typing import Any

from portals.backend.entitlements import Entitlement


def _jsonable(value: Any) -> Any:
    """JSON-ready data: dataclasses (nested too) as dicts of their fields, tuples as lists, dates as
    ISO-8601 (``Z`` for UTC). Builds new containers, so nothing of the view is shared."""
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in fields(value)}
    return value


class View:
    """Mixin: a view turns itself into JSON-ready data."""

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(self)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class TechnicalBenefits(View):
    """Partner Center > Benefits > Technical benefits, for one signed-in account (R-PC-01..08)."""

    upn: str
    organisation: str
    organisation_name: str
    membership: str
    state: str  # "not_activated" | "pending" | "active"
    benefits: tuple[str, ...]  # R-PC-01: the two independent benefits (message keys)
    entitlement: Entitlement
    appropriate_roles: tuple[str, ...]  # R-PC-08 (message keys)
    can_activate: bool  # R-PC-05
    access_id: str | None = None  # R-PC-06: shown to every user once active, never before
    contract_id: str | None = None
    ready_at: datetime | None = None  # R-PC-07 / D2: when a pending activation completes
    contract_start: datetime | None = None
    contract_end: datetime | None = None


@dataclass(frozen=True)
class OnPremisesProduct(View):
    """A product Support for Business offers at a world's date (D7, R-SFB-01): a released version of a
    family, covered when it is the family's newest released version or the one before it (n-1),
    else older than n-1 and not covered. ``released`` and ``source`` are the version's lifecycle page
    "Start Date" and URL."""

    id: str
    name: str
    family: str  # the family's id ("windows-client")
    family_name: str  # "Windows client"
    version: str  # "8.1"
    released: date
    source: str  # https://learn.microsoft.com/lifecycle/products/...
    covered: bool


@dataclass(frozen=True)
class SignatureInfo(View):
    """The partner's Signature information, shown with a partner support contract under the
    unavailable support plans (R-SFB-08): the organisation's membership offer and the contract's
    Signature Cloud Support (R-EN-02, R-AZ-03). Counts may be shown here: this is Support for Business
    (R-SFB-05)."""

    membership: str | None  # action_pack | silver | gold
    signature_cloud_support: str  # "unlimited" | "pack" | "not_included" (Action Pack)
    pack_size: int | None = None  # 5 or 10 for a pack (R-EN-02)
    remaining_incidents: int | None = None  # a pack's remaining cloud incidents; None once expired
    expired_on: date | None = None  # the contract's end once it has expired: no incident is usable


@dataclass(frozen=True)
class SupportPlan(View):
    """A plan as Support for Business shows it at step 2 (R-SFB-06): with dates and remaining count."""

    plan_id: str
    name: str  # message key
    contract_id: str
    start: datetime
    end: datetime
    remaining_incidents: int | None  # None: unlimited
    available: bool
    unavailable_reason: str | None = None  # refusal code: ContractExpired, NoIncidentsRemaining, ...
    signature: SignatureInfo | None = None  # R-SFB-08: for an unavailable partner support contract


@dataclass(frozen=True)
class SupportPlans(View):
    """Step 2 of Support for Business: what can be used, and what sits under "unavailable" (R-SFB-08)."""

    product: str
    available: tuple[SupportPlan, ...]
    unavailable: tuple[SupportPlan, ...]


@dataclass(frozen=True)
class AzurePlan(View):
    """A plan as the Azure portal lists it (D6). No remaining-incident count, on purpose."""

    plan_id: str
    name: str  # message key
    kind: str  # "signature" | "csp" | "premier" | "advanced"
    contract_id: str | None = None


@dataclass(frozen=True)
class ContractView(View):
    """A contract as Partner Center shows it after activation or purchase."""

    access_id: str
    contract_id: str
    kind: str
    start: datetime
    end: datetime
    pending: bool


@dataclass(frozen=True)
class CustomerPlan(View):
    """A support plan of a CSP customer (D12): the partner's "Cloud Solution Provider" contract, once
    the CSP flow added it to this customer. No remaining-incident count: the CSP plan has no pool."""

    plan_id: str  # "csp", as "+ New support request" names the plan (R-AZ-04)
    name: str  # message key
    kind: str  # "csp"
    contract_id: str
    customer: str
    portal: str  # the workload's portal it was added in ("azure")
    added_at: datetime
    added_by: str  # the Admin agent whose request added it
