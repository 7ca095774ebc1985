"""A World: one isolated universe of organisations, accounts, contracts and requests, with its own
clock and its own deterministic IDs. Every scenario gets a fresh one.

The operations come from one mixin per portal; this module adds the clock, the settings, the
requests look-ups and snapshots, and the two ways of putting people into a world.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from portals.backend.azure import AZURE_PLAN_NAMES, CSP_PLAN_ID, AzureOps
from portals.backend.clock import (
    DEFAULT_START,
    LATEST,
    MAX_DURATION,
    format_instant,
    parse_duration,
    parse_instant,
)
from portals.backend.core import atomic, changes
from portals.backend.errors import Refusal
from portals.backend.model import (
    MAX_LRO_POLLS,
    MAX_LRO_RETRY_AFTER,
    Account,
    AzureLinkMode,
    Contract,
    Organisation,
    Portal,
    SupportRequest,
    WorldState,
)
from portals.backend.overview import LATEST_REQUESTS, WorldOverview, overview_of
from portals.backend.partner_center import PartnerCenterOps
from portals.backend.support_for_business import PLAN_NAMES, SupportForBusinessOps
from portals.backend.support_requests import SupportRequestOps


class World(PartnerCenterOps, SupportForBusinessOps, AzureOps, SupportRequestOps):
    """One isolated world. Thread-safe: every operation runs under the world's lock."""

    def __init__(self, name: str, seed: str | None = None, start: datetime | None = None) -> None:
        super().__init__(
            WorldState(name=name, seed=seed if seed is not None else name, now=start or DEFAULT_START)
        )
        #: The seed document this world was first built from.
        self.document: dict[str, Any] | None = None
        #: The state (snapshot ``state`` data) this world was last restored from, which ``reset``
        #: returns to; None: ``reset`` rebuilds the world from ``document``.
        self.origin: dict[str, Any] | None = None

    # --- clock (D10) -------------------------------------------------------------------------------
    @changes
    def advance_clock(self, by: timedelta | str) -> datetime:
        """Move the world's clock forward (``P3D`` or a timedelta, at most 100 years); it never moves
        on its own. Raises ``InvalidInput`` for a move backwards or past ``clock.LATEST``."""
        delta = parse_duration(by) if isinstance(by, str) else by
        if not isinstance(delta, timedelta) or delta < timedelta(0):
            raise Refusal("InvalidInput", detail="the clock only moves forward; use set_clock to go back")
        if delta > MAX_DURATION:
            raise Refusal("InvalidInput", detail="by: the clock moves at most 100 years at a time")
        if self.state.now + delta > LATEST:
            raise Refusal(
                "InvalidInput",
                detail=f"by: the clock would pass {format_instant(LATEST)}, the latest date a world takes",
            )
        self.state.now += delta
        return self.state.now

    @changes
    def set_clock(self, to: datetime | str) -> datetime:
        """Set the world's clock (ISO-8601 text or a datetime, from 1970-01-01 to 9000-12-31, UTC).
        Raises ``InvalidInput``."""
        self.state.now = parse_instant(to)
        return self.state.now

    # --- settings ----------------------------------------------------------------------------------
    @changes
    def set_azure_link_mode(self, mode: str) -> AzureLinkMode:
        """D5 / R-AZ-08: ``spurious`` (the portal as it is) or ``diagnostic`` (the requested fix)."""
        try:
            self.state.settings.azure_link_mode = AzureLinkMode(mode)
        except ValueError:
            raise Refusal(
                "InvalidInput", detail="azure_link_mode: must be one of spurious, diagnostic"
            ) from None
        return self.state.settings.azure_link_mode

    @changes
    def set_activation_delay(self, delay: timedelta | str) -> timedelta:
        """D2: how long activation takes (``P3D`` as the it-IT edition says, ``P0D`` as es-ES)."""
        delta = parse_duration(delay) if isinstance(delay, str) else delay
        if not isinstance(delta, timedelta) or not timedelta(0) <= delta <= MAX_DURATION:
            raise Refusal(
                "InvalidInput", detail="activation_delay: must be a duration from zero to 100 years"
            )
        self.state.settings.activation_delay = delta
        return delta

    @changes
    def set_lro(self, polls: int | None = None, retry_after: int | None = None) -> tuple[int, int]:
        """How the Azure Support API answers a create: ``polls`` status polls answer InProgress
        (0 to ``MAX_LRO_POLLS``; 0, the default, answers the PUT with the result at once), each with
        ``Retry-After: retry_after`` seconds (1 to ``MAX_LRO_RETRY_AFTER``). Both are checked
        before either is set. Raises ``InvalidInput``."""
        for name, value, low, high in (
            ("lro_polls", polls, 0, MAX_LRO_POLLS),
            ("lro_retry_after", retry_after, 1, MAX_LRO_RETRY_AFTER),
        ):
            if value is not None and (
                not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high
            ):
                raise Refusal("InvalidInput", detail=f"{name}: must be an integer from {low} to {high}")
        settings = self.state.settings
        if polls is not None:
            settings.lro_polls = polls
        if retry_after is not None:
            settings.lro_retry_after = retry_after
        return settings.lro_polls, settings.lro_retry_after

    # --- population --------------------------------------------------------------------------------
    @changes
    def add_organisation(self, organisation: Organisation, activated: bool = False) -> Organisation:
        if organisation.id in self.state.organisations:
            raise Refusal("InvalidInput", detail=f"organisation {organisation.id!r} already exists")
        self.state.organisations[organisation.id] = organisation
        if activated:
            self.activate_at_once(organisation)
        return organisation

    @changes
    def activate_at_once(self, org: Organisation) -> Contract:
        """A seed's ``activated: true``: the benefits contract (D1), active from now with no
        activation delay. (A seed's ``benefits`` replays Activate instead, D13.)"""
        if org.membership is None:
            raise Refusal("InvalidInput", detail=f"organisation {org.id!r}: activated needs a membership")
        return self._create_benefits_contract(org, self.now)

    @changes
    def add_account(self, account: Account) -> Account:
        key = account.upn.lower()
        if key in self.state.accounts:
            raise Refusal("InvalidInput", detail=f"account {account.upn!r} already exists")
        if account.organisation and account.organisation not in self.state.organisations:
            raise Refusal("InvalidInput", detail=f"account {account.upn!r}: unknown organisation")
        self.state.accounts[key] = account
        return account

    # --- support requests, either portal -----------------------------------------------------------
    def create_support_request(self, upn: str, portal: Portal | str, **details: Any) -> SupportRequest:
        """R-SFB-04 / R-AZ-06: a request in Support for Business (on-premises) or Azure (cloud)."""
        if Portal(portal) is Portal.SUPPORT_FOR_BUSINESS:
            return self.create_sfb_request(upn, **details)
        return self.create_azure_request(upn, **details)

    @atomic
    def request_plan_names(self, requests: Iterable[SupportRequest]) -> dict[str, str]:
        """The message key naming each request's plan as its own portal names it, by request number:
        Support for Business names a contract by its kind ("Partner support contract", Premier,
        Advanced), the Azure portal as "+ New support request" lists it (D6: "Signature Cloud
        Support", …), a CSP request's plan is "Cloud Solution Provider" (R-AZ-04). Requests with no
        plan (Partner Center's own) are left out."""
        names: dict[str, str] = {}
        for request in requests:
            if request.plan == CSP_PLAN_ID:
                names[request.id] = "cloud_solution_provider"
                continue
            contract = self.state.contracts.get(request.contract_id or request.plan or "")
            if contract is None:
                continue
            if request.portal is Portal.SUPPORT_FOR_BUSINESS and contract.kind in PLAN_NAMES:
                names[request.id] = PLAN_NAMES[contract.kind]
            elif request.portal is Portal.AZURE and contract.kind in AZURE_PLAN_NAMES:
                names[request.id] = AZURE_PLAN_NAMES[contract.kind]
        return names

    @atomic
    def overview(self, latest: int = LATEST_REQUESTS) -> WorldOverview:
        """The whole world for the harness's dashboard, copied at one moment (``overview.py``), with
        the ``latest`` support requests, newest first."""
        return overview_of(self.state, latest)

    # --- snapshots ---------------------------------------------------------------------------------
    @atomic
    def snapshot(self) -> dict[str, Any]:
        """The whole world as JSON-ready data; ``World.restore`` gives back an identical world."""
        from portals.backend.snapshot import dump_state

        return dump_state(self.state, self.document, self.origin)

    @classmethod
    def restore(cls, data: dict[str, Any], name: str | None = None, keep_origin: bool = False) -> World:
        """The world a snapshot describes, under ``name`` (default: the snapshot's). Its ``reset``
        then returns to this snapshot's state; with ``keep_origin`` (a server restarting from its
        state file) it keeps the snapshot's own reset target instead. Raises ``InvalidInput``."""
        from portals.backend.snapshot import load_state, state_data

        state, document, origin = load_state(data)
        if name is not None:
            state.name = name
        world = cls(state.name)
        world.state = state
        world.document = document
        world.origin = origin if keep_origin else state_data(state)
        return world

    def rebuilt(self) -> World:
        """A new world in the state this one was last built from: the snapshot it was last
        restored from, else its seed document (or empty), with this world's name and seed."""
        if self.origin is not None:
            from portals.backend.snapshot import FORMAT

            snapshot = {"format": FORMAT, "state": self.origin, "document": self.document}
            fresh = World.restore(snapshot, self.name)
            fresh.origin = self.origin
            return fresh
        if self.document is None:
            return World(self.name, seed=self.state.seed)
        from portals.backend.seed import build_world

        return build_world(self.name, self.document, seed=self.state.seed)

    def summary(self) -> dict[str, Any]:
        """A short description for listings."""
        s = self.state
        return {
            "name": s.name,
            "seed": s.seed,
            "now": s.now.isoformat().replace("+00:00", "Z"),
            "azure_link_mode": s.settings.azure_link_mode.value,
            "activation_delay_days": s.settings.activation_delay / timedelta(days=1),
            "organisations": len(s.organisations),
            "accounts": len(s.accounts),
            "contracts": len(s.contracts),
            "requests": len(s.requests),
        }
