"""What the step modules share: where the portals answer, the scenario's world (built from a seed
document the Given steps assemble, created through the control API on first use), the clients of
each account, and the last answer or refusal. No rule of the rulebook lives here."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

import parse
import requests
from behave import register_type
from behave.runner import Context

from harness.clients import (
    Contract,
    PortalClient,
    PortalError,
    portal_session,
)
from harness.control_client import ControlClient
from harness.stack import Clients, clients_for
from portals.specs import portal_specs
from portals.web.wire import WORLD_HEADER

T = TypeVar("T")

#: ``portal-harness serve``'s default ports, for a target whose health answer names no portals.
SERVE_PORTS = {spec.key: spec.port() for spec in portal_specs()}
BENEFITS_PAGE = "/dashboard/mpn/membership/benefits/technical"
FICTITIOUS = {"title": "Fictitious problem", "description": "Fictitious details (acceptance suite)"}


# --- where the portals are ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Portals:
    """The base URL of each portal and the control API's token, if any."""

    urls: dict[str, str]
    token: str | None = None

    @classmethod
    def from_target(cls, target: str, token: str | None = None) -> Portals:
        """A running ``portal-harness serve``: its health answer names the portals, else the
        serve defaults on the target's host."""
        health = ControlClient(target, token).health()
        urls = health.get("portals")
        if not urls:
            host = urlsplit(target).hostname or "127.0.0.1"
            urls = {key: f"http://{host}:{port}" for key, port in SERVE_PORTS.items()}
        return cls(dict(urls), token)

    def control(self) -> ControlClient:
        return ControlClient(self.urls["partner_center"], self.token)

    def clients(self, world: str, upn: str | None, lang: str | None) -> Clients:
        """The same as ``PortalStack.clients``, from URLs only (so a remote target works too)."""
        return clients_for(self.urls, world, upn, lang, self.token)


# --- words of the feature files ------------------------------------------------------------------------
def slug(text: str) -> str:
    """``Contoso Labs`` -> ``contoso-labs``: seed IDs and file names from business names."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _words(name: str, mapping: dict[str, Any]) -> None:
    """Register a parse type that turns one of ``mapping``'s phrases into its value."""
    pattern = "|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True))
    register_type(**{name: parse.with_pattern(pattern)(lambda text: mapping[text])})


_words("Offer", {"Gold": "gold", "Silver": "silver", "Action Pack": "action_pack"})
_words(
    "Role",
    {
        "a Global admin": "global_admin",
        "an MPN partner admin": "mpn_partner_admin",
        "an Admin agent": "admin_agent",
        "a user": "user",
    },
)
_words(
    "RolEs",
    {
        "administrador global": "global_admin",
        "administrador de asociados de MPN": "mpn_partner_admin",
        "agente de administración": "admin_agent",
        "un usuario": "user",
    },
)
_words(
    "RuoloIt",
    {
        "amministratore globale": "global_admin",
        "amministratore partner MPN": "mpn_partner_admin",
        "agente amministratore": "admin_agent",
        "un utente": "user",
    },
)
_words("Language", {"English": "en-US", "Spanish": "es-ES", "Italian": "it-IT"})
_words("Mode", {"spurious": "spurious", "diagnostic": "diagnostic"})
_words("PaidPlan", {"Premier Support for Partners": "premier", "Advanced Support for Partners": "advanced"})
_words(
    "Unavailable",
    {
        "as expired": "ContractExpired",
        "with no incidents left": "NoIncidentsRemaining",
        "for a product older than n-1": "ProductNotCovered",
    },
)
_words(
    "NoDisponible",
    {
        "porque expiró": "ContractExpired",
        "sin incidentes restantes": "NoIncidentsRemaining",
        "por un producto anterior a n-1": "ProductNotCovered",
    },
)
#: Step 1's two groups of products (D7): covered under the n-1 policy, or older than n-1.
_words("CatalogGroup", {"covered": True, "older than n-1, not covered": False})
_words("GrupoEs", {"cubiertos": True, "anteriores a n-1, no cubiertos": False})


@parse.with_pattern(
    r"unlimited Signature Cloud Support|no Signature Cloud Support"
    r"|a Signature \d+-pack with \d+ incidents? left"
    r"|Soporte técnico Signature Cloud sin límite|sin Soporte técnico Signature Cloud"
    r"|un paquete Signature \d+ con \d+ incidentes restantes"
)
def _signature(text: str) -> dict[str, Any]:
    """The Signature Cloud Support part of the Signature information (R-SFB-08), as the SFB API gives it."""
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    if numbers:
        return {"signature_cloud_support": "pack", "pack_size": numbers[0], "remaining_incidents": numbers[1]}
    kind = "unlimited" if "unlimited" in text or "sin límite" in text else "not_included"
    return {"signature_cloud_support": kind, "pack_size": None, "remaining_incidents": None}


register_type(Signature=_signature)


@parse.with_pattern(r"no|unlimited|\d+")
def _pool(text: str) -> int | str | None:
    """A Signature Cloud pool: ``no`` pool, ``unlimited`` (None, as the backend says) or a count."""
    return int(text) if text.isdigit() else {"no": "none", "unlimited": None}[text]


register_type(Pool=_pool)


# --- one scenario ----------------------------------------------------------------------------------
@dataclass
class Scene:
    """One scenario: its world (created on first use), its seed document, who acted last and what
    the portals answered."""

    world: str
    portals: Portals
    control: ControlClient
    seed: dict[str, Any]
    created: bool = False
    lang: str | None = None
    langs: dict[str, str] = field(default_factory=dict)
    actor: str | None = None
    answer: Any = None
    error: PortalError | None = None
    page: requests.Response | None = None
    step2: tuple[list[Any], list[Any]] | None = None
    bought: Contract | None = None
    _clients: dict[tuple[str | None, str | None], Clients] = field(default_factory=dict)

    # --- the seed document, before the world exists --------------------------------------------------
    def shape(self) -> dict[str, Any]:
        """The seed document, for a Given that shapes the world: only before the world exists."""
        assert not self.created, "organisations and accounts are given before the first step that acts"
        return self.seed

    def organisation(self, name: str) -> dict[str, Any]:
        """The seed's organisation of this name, added if new."""
        orgs = self.shape()["organisations"]
        found = next((o for o in orgs if o["id"] == slug(name)), None)
        if found is None:
            found = {"id": slug(name), "name": name}
            orgs.append(found)
        return found

    def account(self, upn: str, **fields: Any) -> dict[str, Any]:
        """The seed's account of this UPN, added if new, with ``fields`` set."""
        accounts = self.shape()["accounts"]
        found = next((a for a in accounts if a["upn"] == upn), None)
        if found is None:
            found = {"upn": upn}
            accounts.append(found)
        found.update(fields)
        return found

    def member(self, organisation: str) -> str:
        """An account of the organisation, to read its Technical benefits page."""
        upn = next(
            (a["upn"] for a in self.seed["accounts"] if a.get("organisation") == slug(organisation)), None
        )
        assert upn, f"no account of {organisation} was given"
        return upn

    def setting(self, **changes: Any) -> None:
        """A world setting: in the seed document, or through the control API once the world exists."""
        if self.created:
            self.control.settings(self.world, **changes)
        else:
            self.seed["world"].update(changes)

    # --- the world and its clients ------------------------------------------------------------------
    def ensure_world(self) -> str:
        if not self.created:
            self.control.create_world(self.world, self.seed)
            self.created = True
        return self.world

    def clients(self, upn: str | None = None) -> Clients:
        """The portals' clients for one account of this scenario's world, in its language."""
        self.ensure_world()
        lang = self.langs.get(upn or "", self.lang)
        key = (upn, lang)
        if key not in self._clients:
            self._clients[key] = self.portals.clients(self.world, upn, lang)
        return self._clients[key]

    def attempt(self, upn: str | None, action: Callable[[Clients], T]) -> T | None:
        """What a When step does: act as ``upn``, keep the answer or the refusal for the Then steps."""
        self.actor = upn
        self.answer, self.error = None, None
        try:
            self.answer = action(self.clients(upn))
        except PortalError as error:
            self.error = error
        return self.answer

    def must(self, upn: str | None, action: Callable[[Clients], T]) -> T:
        """What a Given step does: act as ``upn``; a refusal fails the step at once."""
        self.actor = upn
        self.answer, self.error = action(self.clients(upn)), None
        return self.answer

    def succeeded(self) -> Any:
        assert self.error is None, f"refused: {self.error.status} {self.error.code}: {self.error.message}"
        return self.answer

    def refused(self) -> PortalError:
        assert self.error is not None, f"expected a refusal, got {self.answer!r}"
        return self.error

    # --- reading what the portals show --------------------------------------------------------------
    def benefits(self, upn: str) -> dict[str, Any]:
        """Partner Center's Technical benefits page as JSON (every field the page shows)."""
        return self.clients(upn).pc.call("GET", "/api/benefits/technical")

    def benefits_ids(self, organisation: str) -> tuple[str, str]:
        """The Access ID and Contract ID, as a member of the organisation reads them in Partner Center."""
        view = self.benefits(self.member(organisation))
        assert view["access_id"] and view["contract_id"], f"{organisation}'s benefits are {view['state']}"
        return view["access_id"], view["contract_id"]

    def contracts(self, organisation: str) -> list[dict[str, Any]]:
        """The organisation's contracts as the control API shows the world's state (pending ones too)."""
        state = self.control.snapshot(self.ensure_world())["state"]
        return [c for c in state["contracts"].values() if c["organisation"] == slug(organisation)]

    def pending_ids(self, organisation: str) -> tuple[str, str]:
        """The IDs of the organisation's one contract, read from the world's state through the control
        API: Partner Center shows none while activation is pending."""
        [contract] = self.contracts(organisation)
        return contract["access_id"], contract["contract_id"]

    def bought_ids(self) -> tuple[str, str]:
        """The IDs of the plan bought in this scenario."""
        assert self.bought is not None, "no plan was bought"
        return self.bought.access_id, self.bought.contract_id

    def open_page(self, upn: str | None, client: PortalClient, path: str, **form: str) -> requests.Response:
        """A portal page as a browser gets it (HTML, redirects followed); a form is POSTed."""
        headers = {**client.headers(), "Accept": "text/html"}
        method = "POST" if form else "GET"
        url = f"{client.base_url}{path}"
        self.actor = upn
        self.page = client.session.request(method, url, headers=headers, data=form or None, timeout=30)
        return self.page

    def page_text(self) -> str:
        assert self.page is not None, "no page was opened"
        return html.unescape(self.page.text)

    def sign_in_page(self, upn: str, next_path: str) -> requests.Response:
        """The sign-in form behind "Sign in with a different account", in a fresh browser session."""
        browser = portal_session()
        headers = {WORLD_HEADER: self.ensure_world(), "Accept": "text/html"}
        if self.lang:
            headers["Accept-Language"] = self.lang
        url = f"{self.portals.urls['partner_center']}/signin"
        self.page = browser.post(url, data={"upn": upn, "next": next_path}, headers=headers, timeout=30)
        self.actor = upn
        return self.page

    def journal(self, portal: str) -> Iterator[dict[str, Any]]:
        """The answers one portal gave in this scenario's world."""
        for entry in self.control.journal(self.ensure_world())["value"]:
            if entry["portal"] == portal:
                yield entry


def scene(context: Context) -> Scene:
    return context.scene


def value(answer: Any, name: str) -> Any:
    """A field of an answer, typed (dataclass) or raw (JSON object)."""
    return answer[name] if isinstance(answer, dict) else getattr(answer, name)


def json_keys(data: Any) -> Iterator[str]:
    """Every key of a JSON document, at any depth."""
    if isinstance(data, dict):
        for key, item in data.items():
            yield key
            yield from json_keys(item)
    elif isinstance(data, list):
        for item in data:
            yield from json_keys(item)


def body_json(entry: dict[str, Any]) -> Any:
    """A journal entry's response body as JSON, or None when it is not JSON."""
    try:
        return json.loads(entry["response"]["body"] or "null")
    except ValueError:
        return None
