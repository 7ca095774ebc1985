"""What the step modules share: where the portals answer, the scenario's world (built from a seed
document the Given steps assemble, made on first use: through the stack's registry when the stack
runs in this process, else through the control API; ``harness.worlds``), the clients of
each account, and the last answer or refusal. No rule of the rulebook lives here."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urljoin, urlsplit

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
from harness.worlds import ControlWorlds, RegistryWorlds, Worlds
from portals.specs import portal_specs
from steps.markup import Element, form_fields, link, parse_html

if TYPE_CHECKING:
    from portals.backend import WorldRegistry

T = TypeVar("T")

#: ``portal-harness serve``'s default ports, for a target whose health answer names no portals.
SERVE_PORTS = {spec.key: spec.port() for spec in portal_specs()}
BENEFITS_PAGE = "/dashboard/mpn/membership/benefits/technical"
FICTITIOUS = {"title": "Fictitious problem", "description": "Fictitious details (acceptance suite)"}
#: The rulebook's three languages.
LANGUAGES = ("en-US", "es-ES", "it-IT")


# --- where the portals are ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Portals:
    """The base URL of each portal and the control API's token, if any; ``registry``: the stack's
    world registry when the stack runs in this process (in-process or live), where scenarios make
    and drop their worlds directly (``harness.worlds``)."""

    urls: dict[str, str]
    token: str | None = None
    registry: WorldRegistry | None = None

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

    def worlds(self, control: ControlClient) -> Worlds:
        """Where scenarios make and drop worlds: the stack's registry, else the control API."""
        return RegistryWorlds(self.registry) if self.registry is not None else ControlWorlds(control)

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
    r"|a Signature \d+-pack, the contract expired on \d{4}-\d\d-\d\d"
    r"|Soporte técnico Signature Cloud sin límite|sin Soporte técnico Signature Cloud"
    r"|un paquete Signature \d+ con \d+ incidentes restantes"
)
def _signature(text: str) -> dict[str, Any]:
    """The Signature Cloud Support part of the Signature information (R-SFB-08), as the SFB API gives it:
    an expired contract's pack counts no usable incident."""
    expired = re.search(r"expired on (\d{4}-\d\d-\d\d)", text)
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    if expired:
        return {
            "signature_cloud_support": "pack",
            "pack_size": numbers[0],
            "remaining_incidents": None,
            "expired_on": expired.group(1),
        }
    if numbers:
        return {
            "signature_cloud_support": "pack",
            "pack_size": numbers[0],
            "remaining_incidents": numbers[1],
            "expired_on": None,
        }
    kind = "unlimited" if "unlimited" in text or "sin límite" in text else "not_included"
    return {
        "signature_cloud_support": kind,
        "pack_size": None,
        "remaining_incidents": None,
        "expired_on": None,
    }


register_type(Signature=_signature)


@parse.with_pattern(r"no|unlimited|\d+")
def _pool(text: str) -> int | str | None:
    """A Signature Cloud pool: ``no`` pool, ``unlimited`` (None, as the backend says) or a count."""
    return int(text) if text.isdigit() else {"no": "none", "unlimited": None}[text]


register_type(Pool=_pool)


@parse.with_pattern(r'of "[^"]+"|"[^"]+"')
def _id_ref(text: str) -> tuple[str, str]:
    """An ID a step types: ``of "Contoso"`` (that organisation's, as Partner Center shows it) or a
    literal ``"0000000000"``."""
    if text.startswith("of "):
        return "of", text[4:-1]
    return "literal", text[1:-1]


register_type(IdRef=_id_ref)


# --- one scenario ----------------------------------------------------------------------------------
@dataclass
class Scene:
    """One scenario: its world (created on first use), its seed document, who acted last and what
    the portals answered."""

    world: str
    portals: Portals
    seed: dict[str, Any]
    control: ControlClient = None  # type: ignore[assignment]  # default: the portals' control API
    #: Whether the world was made (``created`` is the support requests a step created).
    made: bool = False
    lang: str | None = None
    langs: dict[str, str] = field(default_factory=dict)
    actor: str | None = None
    answer: Any = None
    error: PortalError | None = None
    #: The running step ("When …"), and whether it sets the scene up (a Given, or an And/But after
    #: one): set before each step by environment.py. A refusal fails a step that sets up at once.
    step: str = ""
    setting_up: bool = False
    #: Refusals recorded by steps that act (When), each with its step, that no Then has looked at
    #: yet (``refused``); a scenario that ends with one fails (environment.py's after_scenario).
    unchecked: list[tuple[str, PortalError]] = field(default_factory=list)
    page: requests.Response | None = None
    step2: tuple[list[Any], list[Any]] | None = None
    bought: Contract | None = None
    #: When each organisation's activation completed, read from the world's clock (organisation id).
    activated_on: dict[str, datetime] = field(default_factory=dict)
    #: The support requests created by the last step that created some.
    created: list[Any] = field(default_factory=list)
    #: Answers a step fetched whole (label, response), for checks over every answer.
    seen: list[tuple[str, requests.Response]] = field(default_factory=list)
    #: A browser's session: identity and world in cookies, as a person's browser keeps them.
    browser: requests.Session | None = None
    _clients: dict[tuple[str | None, str | None], Clients] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.control is None:
            self.control = self.portals.control()
        self.worlds = self.portals.worlds(self.control)

    # --- the seed document, before the world exists --------------------------------------------------
    def shape(self) -> dict[str, Any]:
        """The seed document, for a Given that shapes the world: only before the world exists."""
        assert not self.made, (
            "expected organisations and accounts given before the first step that acts, found the world made"
        )
        return self.seed

    def describe(self, document: dict[str, Any]) -> None:
        """A seed document given whole (a docstring), merged into the scene's: its ``world``
        settings, and the fields of organisations and accounts of the same id or UPN, update the
        scene's; new organisations and accounts, ``plans`` and ``requests`` are added; any other key
        is kept as given (for the portals to judge)."""
        seed = self.shape()
        for key, item in document.items():
            if key == "world" and isinstance(item, dict):
                seed["world"].update(item)
            elif key in ("organisations", "accounts") and isinstance(item, list):
                ident = "id" if key == "organisations" else "upn"
                for entry in item:
                    same = next(
                        (
                            e
                            for e in seed[key]
                            if isinstance(entry, dict) and e.get(ident) == entry.get(ident)
                        ),
                        None,
                    )
                    if same is None:
                        seed[key].append(entry)
                    else:
                        same.update(entry)
            elif key in ("plans", "requests") and isinstance(item, list):
                seed.setdefault(key, []).extend(item)
            else:
                seed[key] = item

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
        assert upn, f"expected an account of {organisation} among the Givens, found none"
        return upn

    def setting(self, **changes: Any) -> None:
        """A world setting: in the seed document, or through the control API once the world exists."""
        if self.made:
            self.control.settings(self.world, **changes)
        else:
            self.seed["world"].update(changes)

    # --- the world and its clients ------------------------------------------------------------------
    def ensure_world(self) -> str:
        """Create the world on first use; organisations the seed activates are activated now."""
        if not self.made:
            summary = self.worlds.create(self.world, self.seed)
            self.made = True
            for org in self.seed["organisations"]:
                if org.get("activated"):
                    self.activated_on[org["id"]] = instant(summary["now"])
        return self.world

    def drop_world(self) -> None:
        """Drop the scenario's world, if it was made (when the scenario ends)."""
        if self.made:
            self.worlds.drop(self.world)

    def now(self) -> datetime:
        """The world's clock, as the control API reads it."""
        return instant(self.control.call("GET", f"/_harness/worlds/{self.ensure_world()}/clock")["now"])

    def state(self) -> dict[str, Any]:
        """The world's state, as the control API's snapshot shows it."""
        return self.control.snapshot(self.ensure_world())["state"]

    def associations(self, upn: str) -> list[dict[str, Any]]:
        """The account's (account, contract) associations in the world's state (D3)."""
        return [a for a in self.state()["associations"] if a["upn"] == upn.lower()]

    def clients(self, upn: str | None = None) -> Clients:
        """The portals' clients for one account of this scenario's world, in its language."""
        self.ensure_world()
        lang = self.langs.get(upn or "", self.lang)
        key = (upn, lang)
        if key not in self._clients:
            self._clients[key] = self.portals.clients(self.world, upn, lang)
        return self._clients[key]

    def attempt(self, upn: str | None, action: Callable[[Clients], T]) -> T | None:
        """What a When step does: act as ``upn``, keep the answer or the refusal for the Then steps.
        In a step that sets the scene up (``setting_up``: a Given, or an And after one) a refusal
        raises ``PortalError`` at once, as ``must`` does; elsewhere it is kept in ``unchecked``
        until a Then step looks at it (``refused``)."""
        self.actor = upn
        self.answer, self.error = None, None
        try:
            self.answer = action(self.clients(upn))
        except PortalError as error:
            if self.setting_up:
                raise
            self.error = error
            self.unchecked.append((self.step, error))
        return self.answer

    def must(self, upn: str | None, action: Callable[[Clients], T]) -> T:
        """What a Given step does: act as ``upn``; a refusal fails the step at once."""
        self.actor = upn
        self.answer, self.error = action(self.clients(upn)), None
        return self.answer

    def succeeded(self) -> Any:
        assert self.error is None, (
            f"expected an answer, found the refusal {self.error.status} {self.error.code}: "
            f"{self.error.message}"
        )
        return self.answer

    def refused(self) -> PortalError:
        """The last step's refusal, now checked (no longer ``unchecked``); fails when it was answered."""
        assert self.error is not None, f"expected a refusal, found the answer {self.answer!r}"
        self.unchecked = [(step, error) for step, error in self.unchecked if error is not self.error]
        return self.error

    def unchecked_refusals(self) -> str | None:
        """The refusals no Then step looked at, in one message (None when there is none)."""
        if not self.unchecked:
            return None
        listed = "; ".join(
            f"{step!r} was refused with {error.status} {error.code}: {error.message}"
            for step, error in self.unchecked
        )
        return (
            f"a refusal was recorded and never checked: {listed} (check it with a Then step such as "
            "'Then the request is refused with \"<code>\"', or write the step as a Given if it must succeed)"
        )

    # --- reading what the portals show --------------------------------------------------------------
    def benefits(self, upn: str) -> dict[str, Any]:
        """Partner Center's Technical benefits page as JSON (every field the page shows)."""
        return self.clients(upn).pc.call("GET", "/api/benefits/technical")

    def benefits_ids(self, organisation: str) -> tuple[str, str]:
        """The Access ID and Contract ID, as a member of the organisation reads them in Partner Center."""
        view = self.benefits(self.member(organisation))
        assert view["access_id"] and view["contract_id"], (
            f"expected {organisation}'s benefits active with both IDs, found them {view['state']}: {view}"
        )
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

    def id_pair(self, access: tuple[str, str], contract: tuple[str, str]) -> tuple[str, str]:
        """The Access ID and Contract ID two ``IdRef`` words name."""
        access_id = self.benefits_ids(access[1])[0] if access[0] == "of" else access[1]
        contract_id = self.benefits_ids(contract[1])[1] if contract[0] == "of" else contract[1]
        return access_id, contract_id

    def bought_ids(self) -> tuple[str, str]:
        """The IDs of the plan bought in this scenario."""
        assert self.bought is not None, "expected a plan bought in this scenario, found none"
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
        assert self.page is not None, "expected a page to be open, found none"
        return html.unescape(self.page.text)

    def marked(self, testid: str) -> Element:
        """The element of the last page opened that carries ``data-testid=testid``."""
        assert self.page is not None, "expected a page to be open, found none"
        found = self.document().find(data_testid=testid)
        assert found is not None, f"expected an element data-testid={testid!r} on {self.page.url}, found none"
        return found

    # --- a person's browser: cookies, links and forms ------------------------------------------------
    def browser_headers(self) -> dict[str, str]:
        headers = {"Accept": "text/html"}
        if self.lang:
            headers["Accept-Language"] = self.lang
        return headers

    def visit(self, upn: str, portal: str, path: str) -> requests.Response:
        """Open a page in the scenario's browser, signed in as ``upn`` the way the portals' own
        cross-portal links do it (``?login_hint=``, which sets the account cookie)."""
        if self.browser is None:
            self.browser = portal_session()
        url = f"{self.portals.urls[portal]}{path}"
        params = {"world": self.ensure_world(), "login_hint": upn}
        self.actor = upn
        self.page = self.browser.get(url, params=params, headers=self.browser_headers(), timeout=30)
        return self.page

    def document(self) -> Element:
        assert self.page is not None, "expected a page to be open, found none"
        return parse_html(self.page.text)

    def follow(self, label: str, within: str | None = None) -> requests.Response:
        """Click the link whose text is ``label`` on the open page (inside the element whose
        ``data-testid`` is ``within``, if given): GET its href."""
        assert self.page is not None and self.browser is not None, "expected a page open in the browser"
        scope = self.document()
        if within is not None:
            found = scope.find(data_testid=within)
            assert found is not None, f"expected a {within} on {self.page.url}, found none"
            scope = found
        href = link(scope, label).attrs.get("href", "")
        self.page = self.browser.get(urljoin(self.page.url, href), headers=self.browser_headers(), timeout=30)
        return self.page

    def press(self, name: str, value: str) -> requests.Response:
        """Press the submit button ``name=value`` on the open page: its form is sent as a browser
        sends it (the form's fields, the button's name and value, to the form's action)."""
        assert self.page is not None and self.browser is not None, "expected a page open in the browser"
        buttons = [b for b in self.document().find_all("button", name=name) if b.attrs.get("value") == value]
        assert buttons, f"expected a button {name}={value!r} on {self.page.url}, found none"
        form = buttons[0].ancestor("form")
        assert form is not None, f"expected the button {value!r} inside a form, found it outside"
        data = {**form_fields(form), name: value}
        url = urljoin(self.page.url, form.attrs.get("action") or self.page.url)
        method = form.attrs.get("method", "get").upper()
        sent = {"data": data} if method == "POST" else {"params": data}
        self.page = self.browser.request(method, url, headers=self.browser_headers(), timeout=30, **sent)
        return self.page

    def fetch(
        self, client: PortalClient, method: str, path: str, accept: str = "application/json", **kwargs: Any
    ) -> requests.Response:
        """One whole answer of a portal (whatever its status), kept in ``seen`` for checks that go
        over every answer a step read; ``path`` may also be an absolute URL the portal gave."""
        headers = {**client.headers(), "Accept": accept}
        url = path if "://" in path else f"{client.base_url}{path}"
        response = client.session.request(method, url, headers=headers, timeout=30, **kwargs)
        self.seen.append((f"{client.lang or 'en-US'} {method} {url}", response))
        return response

    def arm(self, upn: str, lang: str | None = None) -> PortalClient:
        """The Azure Support API (ARM) as ``upn``: a bearer token, the world in a header."""
        clients = self.clients(upn)
        return PortalClient(self.portals.urls["azure_management"], self.world, upn, clients.session, lang)

    def journal(self, portal: str) -> Iterator[dict[str, Any]]:
        """The answers one portal gave in this scenario's world."""
        for entry in self.control.journal(self.ensure_world())["value"]:
            if entry["portal"] == portal:
                yield entry


def scene(context: Context) -> Scene:
    return context.scene


def instant(text: str) -> datetime:
    """An ISO-8601 instant as the portals write it (``2021-03-04T09:00:00Z``)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def value(answer: Any, name: str) -> Any:
    """A field of an answer, typed (dataclass) or raw (JSON object)."""
    return answer[name] if isinstance(answer, dict) else getattr(answer, name)


# --- remaining-incident counts in an answer (R-SFB-05) ---------------------------------------------------
#: Words for "remaining" (incidents) in the three languages, and keys that would name a count.
REMAINING_WORDS = re.compile(
    r"remaining|incidents? left|restantes?\b|quedan|rimanent[ei]|rimast[ei]\b", re.IGNORECASE
)
REMAINING_KEYS = re.compile(r"remaining|restant|rimanent|incident|imprevist", re.IGNORECASE)


def _count_pattern(count: int) -> re.Pattern[str]:
    """The count standing alone, not as part of a date, time, ID, version or path."""
    return re.compile(rf"(?<![\w.:/-]){count}(?![\w.:/-])")


def remaining_leaks(body: str, counts: list[int]) -> list[str]:
    """Where an answer (JSON, HTML or text) carries a remaining-incident count: a key naming one, a
    number equal to one of ``counts``, a word for "remaining", or one of ``counts`` standing alone in
    a text. Empty when there is none."""
    try:
        data = json.loads(body) if body.strip() else None
    except ValueError:
        return _text_leaks("text", body, counts)
    leaks: list[str] = []
    for path, key, item in _walk(data, "$"):
        if key is not None and REMAINING_KEYS.search(key):
            leaks.append(f"{path}: a key naming incidents")
        if isinstance(item, int | float) and not isinstance(item, bool) and item in counts:
            leaks.append(f"{path} = {item}")
        if isinstance(item, str):
            leaks.extend(_text_leaks(path, item, counts))
    return leaks


def _text_leaks(where: str, text: str, counts: list[int]) -> list[str]:
    leaks = [
        f"{where}: {m.group(0)!r} in …{text[max(m.start() - 40, 0) : m.end() + 40]}…"
        for m in REMAINING_WORDS.finditer(text)
    ]
    for count in counts:
        for m in _count_pattern(count).finditer(text):
            leaks.append(f"{where}: {count} in …{text[max(m.start() - 40, 0) : m.end() + 40]}…")
    return leaks


def _walk(data: Any, path: str) -> Iterator[tuple[str, str | None, Any]]:
    """(path, key, value) of every value of a JSON document."""
    if isinstance(data, dict):
        for key, item in data.items():
            yield f"{path}.{key}", key, item
            yield from _walk(item, f"{path}.{key}")
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield f"{path}[{index}]", None, item
            yield from _walk(item, f"{path}[{index}]")
