"""The stage of the input tests: every portal app of the project over one registry, a world in a
state where every route has something to act on (contracts, requests in each portal, an ARM ticket
with a message, a CSP customer request, a fault rule), the values that fill each route's
parameters, and what "nothing changed" compares.

Routes come from the apps' own URL maps, so a route added to any portal is covered by the tests
that use ``routes()`` without editing them.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from cast import CAST, activate
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from portals.backend import World, WorldRegistry
from portals.backend.catalog import SUPPORT_TOPICS
from portals.portal_spec import PortalSpec
from portals.specs import PORTAL_SPECS
from portals.web.tokens import mint_token

WORLD = "cast"
USER, ADMIN, AGENT = "user@contoso.com", "admin@contoso.com", "agent@wingtip.com"
SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
TICKET, MESSAGE = "t1", "m1"
#: Routes that take no body: a body sent to them is ignored.
NO_BODY = frozenset({"/_harness/worlds/<name>/reset"})
#: What a traceback or a framework's own error page would leave in an answer.
LEAKS = re.compile(
    r"Traceback \(most recent call last\)|File \"/|werkzeug\.exceptions|<h1>Internal Server Error"
)


@dataclass(frozen=True)
class Route:
    """One method of one URL rule of one portal app."""

    portal: str
    rule: str
    method: str
    arguments: tuple[str, ...]

    @property
    def is_control(self) -> bool:
        return self.rule.startswith("/_harness")

    @property
    def is_dashboard(self) -> bool:
        """The control API's HTML dashboard: pages and forms, no JSON bodies."""
        return self.rule == "/_harness/" or self.rule.startswith("/_harness/dashboard")

    def __str__(self) -> str:
        return f"{self.portal} {self.method} {self.rule}"


@dataclass
class Stage:
    registry: WorldRegistry
    apps: dict[str, Flask]
    ids: dict[str, str] = field(default_factory=dict)
    pristine: dict[str, Any] = field(default_factory=dict)

    @property
    def world(self) -> World:
        return self.registry.get(WORLD)

    def client(self, portal: str) -> FlaskClient:
        return self.apps[portal].test_client()

    def spec(self, portal: str) -> PortalSpec:
        return next(spec for spec in PORTAL_SPECS if spec.key == portal)

    def is_api(self, route: Route) -> bool:
        """A route of a JSON API (the portals' ``/api/``, ARM, Partner Center REST), not a page."""
        return not route.is_control and self.spec(route.portal).api.covers(route.rule)

    def path(self, route: Route, **given: str) -> str:
        """The route's path with each parameter filled in: something that exists in the stage's
        world, unless ``given`` says otherwise."""
        values = {**self.values(route), **given}
        path = route.rule
        for name in route.arguments:
            path = re.sub(rf"<(?:[a-z]+:)?{name}>", values[name], path)
        return path

    def values(self, route: Route) -> dict[str, str]:
        ids = self.ids
        requests = {
            "support_for_business": ids["sfb"],
            "azure": ids["azure"],
            "partner_center_api": ids["partner_center"],
        }
        ticket = route.portal == "azure_management"
        return {
            "name": TICKET if ticket and not route.is_control else WORLD,
            "subscription": SUBSCRIPTION,
            "message": MESSAGE,
            "op_id": ids.get("operation", "none"),
            "service": ids["service"],
            "customer_id": "woodgrove",
            "customer": "woodgrove",
            "request_id": requests.get(route.portal, ids["azure"]),
            "locale": "en-US",
            "fault_id": "f1",
            "workspace": "ws1",
            "transcript": "chat1",
        }

    def headers(self, route: Route, upn: str = USER) -> dict[str, str]:
        """Who calls: a bearer token of the world's ``upn`` for APIs; pages sign in by the query."""
        if route.is_control:
            return {}
        return {"Authorization": f"Bearer {mint_token(upn, world=WORLD)}", "X-Harness-World": WORLD}

    def page_query(self, upn: str = USER) -> str:
        return f"world={WORLD}&login_hint={upn}"

    # --- "nothing changed" ------------------------------------------------------------------------------
    def state(self) -> Any:
        """Every world's snapshot and the stage world's fault rules (hits aside)."""
        worlds = {world.name: world.snapshot() for world in self.registry}
        listed = self.client("azure").get(f"/_harness/worlds/{WORLD}/faults").get_json()
        rules = [
            {k: v for k, v in rule.items() if k not in ("hits", "remaining")}
            for rule in (listed or {}).get("value", [])
        ]
        return worlds, rules

    def reset(self) -> None:
        """Back to the stage's world, alone in the registry, with its one fault rule."""
        self.registry.clear()
        self.registry.put(World.restore(copy.deepcopy(self.pristine), WORLD))
        answer = self.client("azure").post(
            f"/_harness/worlds/{WORLD}/faults", json={"path": "/never/*", "status": 418}
        )
        assert answer.status_code == 201, answer.json


def build_stage() -> Stage:
    """The stage, built through the backend and the ARM API as a user would build it."""
    registry = WorldRegistry()
    registry.create(WORLD, copy.deepcopy(CAST))
    world = registry.get(WORLD)
    access_id, contract_id = activate(world)
    world.add_contract(USER, access_id, contract_id)
    sfb = world.create_support_request(
        USER, "sfb", product="windows-10", title="Printer", description="Spooler stops"
    )
    azure = world.create_support_request(
        USER, "azure", product="app-service", title="Site down", description="503 since 09:00"
    )
    partner_center = world.create_partner_center_request(ADMIN, SUPPORT_TOPICS[0].id, "Activate", "fails")
    world.create_customer_support_request(AGENT, "woodgrove", workload="azure", title="VM", description="x")
    apps = {spec.key: spec.create_app(registry) for spec in PORTAL_SPECS}
    from portals.backend import PRODUCTS

    service = PRODUCTS["app-service"].guid
    stage = Stage(registry, apps, {"sfb": sfb.id, "azure": azure.id, "partner_center": partner_center.id})
    stage.ids.update(service=service, access_id=access_id, contract_id=contract_id)
    arm = stage.client("azure_management")
    headers = {"Authorization": f"Bearer {mint_token(USER, world=WORLD)}"}
    base = f"/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Support/supportTickets/{TICKET}"
    world.set_lro(polls=1)  # so the ticket's create is an operation whose ID the fuzz can use
    created = arm.put(f"{base}?api-version=2024-04-01", json=ticket_body(service), headers=headers)
    assert created.status_code == 202, created.json
    stage.ids["operation"] = created.headers["Location"].split("/operationResults/")[1].split("?")[0]
    world.set_lro(polls=0)
    message = {"properties": {"subject": "More", "body": "Logs attached"}}
    sent = arm.put(f"{base}/communications/{MESSAGE}?api-version=2024-04-01", json=message, headers=headers)
    assert sent.status_code == 200, sent.json
    stage.pristine = world.snapshot()
    stage.reset()
    return stage


def ticket_body(service: str) -> dict[str, Any]:
    """A ticket as the spec's CreateTechnicalSupportTicketForSubscription example sends one."""
    from portals.backend import PRODUCTS
    from portals.backend.catalog import problem_classifications

    classification = problem_classifications(PRODUCTS["app-service"])[0]
    service_id = f"/providers/Microsoft.Support/services/{service}"
    return {
        "properties": {
            "title": "App down",
            "description": "The site answers 503 since 09:00",
            "serviceId": service_id,
            "problemClassificationId": f"{service_id}/problemClassifications/{classification.id}",
            "severity": "moderate",
            "advancedDiagnosticConsent": "Yes",
            "contactDetails": {
                "firstName": "Ana",
                "lastName": "García",
                "preferredContactMethod": "email",
                "primaryEmailAddress": "ana@contoso.com",
                "preferredTimeZone": "Romance Standard Time",
                "country": "ESP",
                "preferredSupportLanguage": "es-es",
            },
        }
    }


def routes(stage: Stage) -> list[Route]:
    """Every method of every URL rule of every portal app, from the apps' URL maps: the control
    API once (every portal answers it alike, from the Azure portal); not static files, nor the
    shared sign-in pages of an app whose API covers every path (ARM, Partner Center REST)."""
    found = []
    for portal, app in stage.apps.items():
        api_only = stage.spec(portal).api.covers("/signin")
        for rule in app.url_map.iter_rules():
            control = rule.rule.startswith("/_harness")
            if rule.endpoint.endswith("static") or (control and portal != "azure"):
                continue
            if api_only and rule.endpoint.startswith("shared."):
                continue
            found.extend(_methods(portal, rule))
    return found


def _methods(portal: str, rule: Rule) -> list[Route]:
    methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    return [Route(portal, rule.rule, method, tuple(rule.arguments)) for method in methods]


def error_code(response: Any) -> str | None:
    """The refusal code of an error answer, whatever the API style's shape."""
    data = response.get_json(silent=True)
    if not isinstance(data, dict):
        found = re.search(r'data-code="([A-Za-z]+)"', response.get_data(as_text=True))
        return found.group(1) if found else None
    if isinstance(data.get("error"), dict):
        return data["error"].get("code")
    if isinstance(data.get("data"), list) and data["data"]:
        return data["data"][0]
    return None


def error_message(response: Any) -> str:
    data = response.get_json(silent=True) or {}
    if isinstance(data.get("error"), dict):
        return str(data["error"].get("message", ""))
    return str(data.get("description", response.get_data(as_text=True)))
