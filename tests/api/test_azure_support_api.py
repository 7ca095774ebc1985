"""The Azure Support REST API (Microsoft.Support, api-version 2024-04-01) on management.azure.test.

Every answer these tests receive, through Flask's test client or the official SDK, is validated
against the published OpenAPI document (``../shared/specs/azure-support``: support.json with the ARM
common types, resolved by a ``referencing`` registry), is checked for properties the spec does not
declare, and for any remaining-incident count (R-SFB-05).
"""

from __future__ import annotations

import base64
import copy
import json
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urljoin, urlsplit

import pytest
import sdk_contact
from azure.core.credentials import AccessToken
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.core.pipeline import PipelineRequest, PipelineResponse
from azure.core.pipeline.policies import SansIOHTTPPolicy
from azure.core.pipeline.transport import HttpTransport
from azure.mgmt.support import MicrosoftSupport
from azure.mgmt.support import models as m
from cast import CAST, activate
from flask import Flask
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from harness.stack import PortalStack
from portals.azure_management import create_app
from portals.backend import CLOUD_PRODUCTS, PRODUCTS, Refusal, World, WorldRegistry
from portals.backend.catalog import problem_classifications
from portals.web.tokens import mint_token

rule = pytest.mark.rule
ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT.parent / "shared" / "specs" / "azure-support"
API = "2024-04-01"
SUBSCRIPTION = "132d901f-189d-4381-9214-fe68e27e05a1"
SUB = f"/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Support"
TENANT = "/providers/Microsoft.Support"
WORLD = "cast"
APP_SERVICE = PRODUCTS["app-service"]
CONNECTIVITY = problem_classifications(APP_SERVICE)[0]
SERVICE_ID = f"{TENANT}/services/{APP_SERVICE.guid}"
CLASSIFICATION_ID = f"{SERVICE_ID}/problemClassifications/{CONNECTIVITY.id}"

# --- the spec -----------------------------------------------------------------------------------------
#: Where the two files sit upstream, so support.json's verbatim relative $refs
#: ("../../../../../../common-types/...") resolve without touching the files (SOURCE.txt, way b).
SUPPORT_URI = (
    "https://specs.test/specification/support/resource-manager/Microsoft.Support/Support/stable/"
    "2024-04-01/support.json"
)
TYPES_URI = "https://specs.test/specification/common-types/resource-management/v5/types.json"
ERROR_REF = f"{TYPES_URI}#/definitions/ErrorResponse"


class Spec:
    """support.json's operations, and validation of an answer against an operation's schema."""

    def __init__(self) -> None:
        support = json.loads((SPECS / "2024-04-01" / "support.json").read_text(encoding="utf-8"))
        types = json.loads((SPECS / "common-types/resource-management/v5/types.json").read_text("utf-8"))
        self.registry: Registry = Registry().with_resources(
            [
                (SUPPORT_URI, Resource.from_contents(support, default_specification=DRAFT4)),
                (TYPES_URI, Resource.from_contents(types, default_specification=DRAFT4)),
            ]
        )
        self.routes: list[tuple[str, re.Pattern[str], dict[str, Any]]] = []
        for template, operations in support["paths"].items():
            parts = re.split(r"\{[^}]+\}", template)
            # ARM matches namespaces and resource types in any case
            pattern = re.compile("^" + "[^/]+".join(re.escape(p) for p in parts) + "$", re.IGNORECASE)
            for method, operation in operations.items():
                if method != "parameters":
                    self.routes.append((method.upper(), pattern, operation))

    def operation(self, method: str, path: str) -> dict[str, Any] | None:
        return next((op for verb, pattern, op in self.routes if verb == method and pattern.match(path)), None)

    def validate(self, ref: str, body: Any) -> None:
        errors = list(Draft4Validator({"$ref": ref}, registry=self.registry).iter_errors(body))
        assert not errors, f"{ref}: {[e.message for e in errors][:5]} in {json.dumps(body)[:800]}"
        extra = self.undeclared({"$ref": ref}, body, self.registry.resolver())
        assert not extra, f"{ref}: properties the spec does not declare: {extra}"

    def undeclared(self, schema: dict[str, Any], value: Any, resolver: Any, at: str = "") -> list[str]:
        """Properties of ``value`` that ``schema`` (with its allOf parents) does not declare."""
        while "$ref" in schema:
            resolved = resolver.lookup(schema["$ref"])
            schema, resolver = resolved.contents, resolved.resolver
        if isinstance(value, list) and "items" in schema:
            found: list[str] = []
            for index, item in enumerate(value):
                found += self.undeclared(schema["items"], item, resolver, f"{at}[{index}]")
            return found
        if not isinstance(value, dict):
            return []
        declared = self._properties(schema, resolver)
        if not declared:
            return []  # a free-form object
        found = []
        for key, item in value.items():
            if key not in declared:
                found.append(f"{at}.{key}")
            else:
                found += self.undeclared(declared[key][0], item, declared[key][1], f"{at}.{key}")
        return found

    def _properties(self, schema: dict[str, Any], resolver: Any) -> dict[str, tuple[dict[str, Any], Any]]:
        while "$ref" in schema:
            resolved = resolver.lookup(schema["$ref"])
            schema, resolver = resolved.contents, resolved.resolver
        found = {key: (sub, resolver) for key, sub in schema.get("properties", {}).items()}
        for parent in schema.get("allOf", []):
            found.update(self._properties(parent, resolver))
        return found


SPEC = Spec()
CHECKED: list[str] = []  # what check() validated, so a test can tell its answers were checked


def mentions_remaining(value: Any) -> bool:
    """R-SFB-05: whether any key of an answer speaks of remaining incidents."""
    if isinstance(value, dict):
        return any("remaining" in k.lower() or mentions_remaining(v) for k, v in value.items())
    if isinstance(value, list):
        return any(mentions_remaining(v) for v in value)
    return False


def check(method: str, url: str, status: int, body: Any) -> None:
    """Validate one answer against the spec: the operation's schema for its status, ARM's
    ErrorResponse for an error, the common OperationStatusResult for the LRO status URL."""
    path = urlsplit(url).path
    assert status != 500, f"{method} {path}: 500 {body}"
    if "api-version=2020-04-01" in url:  # not the spec at hand: its tests check its shapes
        if status >= 400:
            assert isinstance(body, dict) and {"code", "message"} <= set(body["error"]), body
        return
    operation = SPEC.operation(method, path)
    ref: str | None
    if status >= 400:
        ref = ERROR_REF
        if operation is not None:
            declared = operation["responses"].get(str(status), operation["responses"]["default"])
            ref = urljoin(SUPPORT_URI, declared["schema"]["$ref"])
        assert isinstance(body, dict) and set(body) == {"error"}, body
        assert {"code", "message"} <= set(body["error"]), body
    elif operation is not None:
        declared = operation["responses"].get(str(status))
        assert declared is not None, (
            f"{method} {path}: {status} is not an answer of {operation['operationId']}"
        )
        ref = urljoin(SUPPORT_URI, declared["schema"]["$ref"]) if "schema" in declared else None
    elif "/operationsStatus/" in path and method == "GET":
        ref = f"{TYPES_URI}#/definitions/OperationStatusResult"
        assert status == 200 and body["status"] in ("InProgress", "Succeeded", "Failed"), body
    elif "/operationResults/" in path and method == "GET" and status == 202:
        ref = None
    elif "/operationResults/" in path and method == "GET" and status == 200:
        kind = {"Microsoft.Support/supportTickets": "SupportTicketDetails"}.get(
            body["type"], "CommunicationDetails"
        )
        ref = f"{SUPPORT_URI}#/definitions/{kind}"
    else:
        raise AssertionError(f"{method} {path} answered {status}, which the spec does not describe")
    if ref is None:
        assert body is None, f"{method} {path}: {status} has no body in the spec, got {body}"
    else:
        SPEC.validate(ref, body)
    assert not mentions_remaining(body), body
    CHECKED.append(f"{method} {path} {status}")


# --- Flask test client ------------------------------------------------------------------------------------
@pytest.fixture
def world(registry: WorldRegistry) -> World:
    return registry.get(WORLD)


@pytest.fixture
def app(registry: WorldRegistry) -> Flask:
    return create_app(registry)


class Arm:
    """A client of the API as one account of one world; every answer is checked against the spec."""

    def __init__(self, app: Flask, upn: str, world: str = WORLD, lang: str | None = None) -> None:
        self.client = app.test_client()
        self.upn, self.world, self.lang = upn, world, lang

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        version: str | None = API,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
        **query: str,
    ) -> Any:
        if version is not None and "api-version=" not in path:
            query = {"api-version": version, **query}
        if query:
            path += ("&" if "?" in path else "?") + urlencode(query, quote_via=quote)
        sent = {"Authorization": f"Bearer {mint_token(self.upn, world=self.world)}"}
        if self.lang:
            sent["Accept-Language"] = self.lang
        sent.update(headers or {})
        sent = {k: v for k, v in sent.items() if v is not None}
        if raw is not None:
            response = self.client.open(path, method=method, data=raw, headers=sent)
        else:
            response = self.client.open(path, method=method, json=body, headers=sent)
        check(method, path, response.status_code, response.get_json(silent=True) if response.data else None)
        return response

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.call("GET", path, **kwargs)

    def put(self, path: str, body: Any, **kwargs: Any) -> Any:
        return self.call("PUT", path, body, **kwargs)

    def patch(self, path: str, body: Any, **kwargs: Any) -> Any:
        return self.call("PATCH", path, body, **kwargs)

    def post(self, path: str, body: Any, **kwargs: Any) -> Any:
        return self.call("POST", path, body, **kwargs)

    def follow(self, url: str) -> Any:
        """GET an absolute URL this API gave (it names its host and carries its own query)."""
        parts = urlsplit(url)
        return self.get(f"{parts.path}?{parts.query}", version=None)

    def create(self, name: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """PUT a ticket: answered 200 with the ticket at once (the world asks for no polls)."""
        created = self.put(f"{SUB}/supportTickets/{name}", body or ticket_body())
        assert created.status_code == 200, (created.status_code, created.get_json())
        ticket = self.get(f"{SUB}/supportTickets/{name}").get_json()
        assert created.get_json() == ticket, (created.get_json(), ticket)
        return ticket

    def refused(self, name: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """PUT a ticket a rule refuses: the refusal is the answer (400 or 409); its error."""
        answer = self.put(f"{SUB}/supportTickets/{name}", body or ticket_body())
        assert answer.status_code in (400, 409), (answer.status_code, answer.get_json())
        return answer.get_json()["error"]

    def refused_later(self, name: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """With ``lro_polls`` set: PUT a ticket a rule refuses, 202, then the operation ends
        Failed after its InProgress polls; its error."""
        accepted = self.put(f"{SUB}/supportTickets/{name}", body or ticket_body())
        assert accepted.status_code == 202, accepted.get_json()
        while (status := self.follow(accepted.headers["Azure-AsyncOperation"]).get_json())["status"] == (
            "InProgress"
        ):
            pass
        assert status["status"] == "Failed", status
        return status["error"]


def error(response: Any, status: int, code: str) -> str:
    assert response.status_code == status, (response.status_code, response.get_json())
    assert response.get_json()["error"]["code"] == code, response.get_json()
    return response.get_json()["error"]["message"]


def contact(**changes: Any) -> dict[str, Any]:
    return {
        "firstName": "Ana",
        "lastName": "García",
        "preferredContactMethod": "email",
        "primaryEmailAddress": "ana@contoso.com",
        "preferredTimeZone": "Romance Standard Time",
        "country": "ESP",
        "preferredSupportLanguage": "es-es",
        **changes,
    }


def ticket_body(**changes: Any) -> dict[str, Any]:
    """A ticket as CreateTechnicalSupportTicketForSubscription.json sends one."""
    properties = {
        "title": "App down",
        "description": "The site answers 503 since 09:00",
        "serviceId": SERVICE_ID,
        "problemClassificationId": CLASSIFICATION_ID,
        "severity": "moderate",
        "advancedDiagnosticConsent": "Yes",
        "contactDetails": contact(),
        **changes,
    }
    return {"properties": {k: v for k, v in properties.items() if v is not None}}


def linked(world: World, upn: str = "user@contoso.com", admin: str = "admin@contoso.com") -> str:
    """Activate the organisation and link its contract in Azure for ``upn``; the Contract ID."""
    access_id, contract_id = activate(world, admin)
    world.link_support_benefits(upn, access_id, contract_id)
    return contract_id


def state(world: World) -> Any:
    return world.snapshot()["state"]


def plan_text(ticket: dict[str, Any]) -> str:
    """What a ticket's supportPlanId says: base64 of ``Key:Value,`` pairs, as Azure writes it."""
    return base64.b64decode(ticket["properties"]["supportPlanId"]).decode()


def contract_plan(contract_id: str) -> str:
    return f"Source:PortalHarness,PlanId:{contract_id},ContractId:{contract_id},"


#: The supportPlanId of the published examples (CreateTechnicalSupportTicketForSubscription.json):
#: a plan of Azure's own, naming a contract no world has.
EXAMPLE_PLAN_ID = (
    "U291cmNlOlNDTSxDbGFyaWZ5SW5zdGFsbGF0aW9uU2l0ZUlkOjcsTGluZUl0ZW1JZDo5ODY1NzIyOSxDb250cmFjdElkOjk4"
    "NjU5MTk0LFN1YnNjcmlwdGlvbklkOjc2Y2I3N2ZhLThiMTctNGVhYi05NDkzLWI2NWRhY2U5OTgxMyw="
)


# --- services and problem classifications ------------------------------------------------------------------
def test_services_are_the_cloud_catalog_with_stable_guids(app: Flask) -> None:
    arm = Arm(app, "user@contoso.com")
    listed = arm.get(f"{TENANT}/services").get_json()
    assert "nextLink" not in listed
    assert [s["properties"]["displayName"] for s in listed["value"]] == [
        p.display_name for p in CLOUD_PRODUCTS
    ]
    for service, product in zip(listed["value"], CLOUD_PRODUCTS, strict=True):
        assert service["name"] == product.guid
        assert service["id"] == f"/providers/Microsoft.Support/services/{product.guid}"
        assert service["type"] == "Microsoft.Support/services"
    vm = arm.get(f"{TENANT}/services/{PRODUCTS['virtual-machine-running-linux'].guid}").get_json()
    assert "MICROSOFT.COMPUTE/VIRTUALMACHINES" in vm["properties"]["resourceTypes"]
    error(arm.get(f"{TENANT}/services/00000000-0000-0000-0000-000000000000"), 404, "ProductNotFound")
    error(arm.get(f"{TENANT}/services/{PRODUCTS['windows-10'].guid}"), 404, "ProductNotFound")


def test_problem_classifications_of_a_service(app: Flask) -> None:
    arm = Arm(app, "user@contoso.com")
    listed = arm.get(f"{SERVICE_ID}/problemClassifications").get_json()
    assert "nextLink" not in listed
    assert [c["name"] for c in listed["value"]] == [c.id for c in problem_classifications(APP_SERVICE)]
    assert listed["value"][0]["id"] == CLASSIFICATION_ID
    one = arm.get(CLASSIFICATION_ID).get_json()
    assert one["properties"]["displayName"] == "Connectivity"
    assert one["type"] == "Microsoft.Support/problemClassifications"
    error(arm.get(f"{SERVICE_ID}/problemClassifications/nope"), 404, "ProblemClassificationNotFound")
    other = problem_classifications(PRODUCTS["storage-account"])[0].id
    error(arm.get(f"{SERVICE_ID}/problemClassifications/{other}"), 404, "ProblemClassificationNotFound")


def test_operations_list(app: Flask) -> None:
    names = [o["name"] for o in Arm(app, "user@contoso.com").get(f"{TENANT}/operations").get_json()["value"]]
    assert "Microsoft.Support/supportTickets/write" in names


# --- identity, api-version, errors ------------------------------------------------------------------------
def test_api_version_is_required_and_must_be_one_served(app: Flask) -> None:
    arm = Arm(app, "user@contoso.com")
    error(arm.get(f"{TENANT}/services", version=None), 400, "MissingApiVersionParameter")
    message = error(arm.get(f"{TENANT}/services", version="2019-05-01"), 400, "InvalidApiVersionParameter")
    assert "2019-05-01" in message and "2024-04-01" in message and "2020-04-01" in message
    twice = arm.get(f"{TENANT}/services?api-version=2024-04-01&api-version=2019-05-01", version=None)
    message = error(twice, 400, "InvalidApiVersionParameter")
    assert "the api-version query parameter is given 2 times" in message, message


@pytest.mark.parametrize(
    ("title", "says"),
    [
        ("", "Invalid input: properties.title: must not be blank"),
        ("   ", "Invalid input: properties.title: must not be blank"),
        ("x" * 201, "Invalid input: properties.title: must be at most 200 characters"),
    ],
)
def test_a_ticket_title_the_backend_would_refuse_is_named_under_properties(
    app: Flask, world: World, title: str, says: str
) -> None:
    linked(world)
    before = world.snapshot()
    answer = Arm(app, "user@contoso.com").put(f"{SUB}/supportTickets/t-title", ticket_body(title=title))
    message = error(answer, 400, "InvalidInput")
    assert message == says, f"expected {says!r}, found {message!r}"
    assert world.snapshot() == before


def test_a_bearer_token_is_the_only_identity(app: Flask) -> None:
    arm = Arm(app, "user@contoso.com")
    missing = arm.get(f"{SUB}/supportTickets", headers={"Authorization": None})  # type: ignore[dict-item]
    error(missing, 401, "AuthenticationRequired")
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    error(
        arm.get(f"{SUB}/supportTickets", headers={"Authorization": "Bearer not-a-jwt"}),
        401,
        "AuthenticationRequired",
    )
    error(
        arm.get(f"{SUB}/supportTickets", headers={"Authorization": "Basic dTpw"}),
        401,
        "AuthenticationRequired",
    )
    error(Arm(app, "nobody@contoso.com").get(f"{SUB}/supportTickets"), 401, "AccountNotFound")
    cookie_only = app.test_client()
    cookie_only.set_cookie("account", "user@contoso.com")
    cookie_only.set_cookie("world", WORLD)
    answer = cookie_only.get(f"{SUB}/supportTickets?api-version={API}")
    check("GET", f"{SUB}/supportTickets", answer.status_code, answer.get_json())
    assert answer.status_code == 401


def test_a_token_names_its_world(app: Flask, registry: WorldRegistry) -> None:
    error(Arm(app, "user@contoso.com", world="nowhere").get(f"{TENANT}/services"), 404, "WorldNotFound")


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en-US", "Unknown product"), ("es-ES", "Producto desconocido"), ("it-IT", "Prodotto sconosciuto")],
)
def test_errors_speak_the_accept_language(app: Flask, lang: str, text: str) -> None:
    arm = Arm(app, "user@contoso.com", lang=lang)
    assert text in error(arm.get(f"{TENANT}/services/nope"), 404, "ProductNotFound")


def test_unknown_routes_methods_and_big_bodies_get_arm_errors(app: Flask) -> None:
    arm = Arm(app, "user@contoso.com")
    error(arm.get(f"{SUB}/nothing"), 404, "RouteNotFound")
    error(arm.get("/"), 404, "RouteNotFound")
    error(arm.call("DELETE", f"{TENANT}/services"), 405, "MethodNotAllowed")
    big = json.dumps(ticket_body(description="x" * 70_000)).encode()
    error(
        arm.put(f"{SUB}/supportTickets/big", None, raw=big, headers={"Content-Type": "application/json"}),
        413,
        "PayloadTooLarge",
    )


@pytest.mark.parametrize(
    "path",
    [
        f"{SUB}//supportTickets",
        f"/subscriptions/{SUBSCRIPTION}//providers/Microsoft.Support/supportTickets",
        f"/{SUB}/supportTickets",
        f"{TENANT}/services//",
    ],
)
def test_a_double_slash_is_an_arm_404_not_a_redirect(app: Flask, path: str) -> None:
    response = Arm(app, "user@contoso.com").get(path)
    error(response, 404, "RouteNotFound")
    assert response.mimetype == "application/json", f"expected JSON, found {response.mimetype}"


def test_the_control_api_keeps_the_portals_error_shape(app: Flask) -> None:
    answer = app.test_client().get("/_harness/worlds/nowhere")
    assert answer.status_code == 404 and answer.get_json()["error"]["status"] == 404


# --- tickets: create as a long-running operation ------------------------------------------------------------
@rule("R-AZ-01", "D6")
def test_create_a_ticket_answers_the_ticket_at_once(app: Flask, world: World) -> None:
    contract_id = linked(world)
    arm = Arm(app, "user@contoso.com")
    answer = arm.put(f"{SUB}/supportTickets/app-down", ticket_body())
    assert answer.status_code == 200, answer.get_json()
    assert "Azure-AsyncOperation" not in answer.headers and "Retry-After" not in answer.headers
    created = world.support_request_named("user@contoso.com", "app-down")
    assert created.contract_id == contract_id and created.severity == "B"
    ticket = answer.get_json()
    assert ticket == arm.get(f"{SUB}/supportTickets/app-down").get_json()
    assert ticket["id"] == f"{SUB}/supportTickets/app-down" and ticket["name"] == "app-down"
    properties = ticket["properties"]
    assert properties["supportTicketId"] == created.id
    assert properties["serviceId"] == SERVICE_ID and properties["serviceDisplayName"] == "Web App (Windows)"
    assert properties["problemClassificationId"] == CLASSIFICATION_ID
    assert properties["problemClassificationDisplayName"] == "Connectivity"
    assert properties["status"] == "Open" and properties["severity"] == "moderate"
    assert properties["contactDetails"] == contact()
    assert properties["advancedDiagnosticConsent"] == "Yes"
    assert properties["require24X7Response"] is False
    assert properties["supportEngineer"] == {}
    # moderate is severity B: 4 hours, from the moment the ticket is created
    assert properties["serviceLevelAgreement"] == {
        "startTime": "2021-03-04T09:00:00Z",
        "expirationTime": "2021-03-04T13:00:00Z",
        "slaMinutes": 240,
    }
    assert properties["supportPlanType"] == "SignatureCloudSupport"
    assert plan_text(ticket) == contract_plan(contract_id)
    assert properties["createdDate"] == "2021-03-04T09:00:00Z"
    assert "isTemporaryTicket" not in properties


@rule("R-AZ-01", "D6")
def test_with_lro_polls_a_create_is_a_long_running_operation(app: Flask, world: World) -> None:
    contract_id = linked(world)
    world.set_lro(polls=2, retry_after=3)
    arm = Arm(app, "user@contoso.com")
    accepted = arm.put(f"{SUB}/supportTickets/app-down", ticket_body())
    assert accepted.status_code == 202 and not accepted.data
    status_url, result_url = accepted.headers["Azure-AsyncOperation"], accepted.headers["Location"]
    assert status_url.startswith(f"http://localhost{SUB}/operationsStatus/")
    assert result_url.startswith(f"http://localhost{SUB}/operationResults/")
    assert "api-version=2024-04-01" in status_url and accepted.headers["Retry-After"] == "3"
    created = world.support_request_named("user@contoso.com", "app-down")  # created at PUT time
    assert created.contract_id == contract_id and created.severity == "B"
    for _ in range(2):
        waiting = arm.follow(status_url)
        assert waiting.get_json()["status"] == "InProgress" and waiting.get_json()["name"] in status_url
        assert waiting.headers["Retry-After"] == "3"
    assert arm.follow(status_url).get_json()["status"] == "Succeeded"
    ticket = arm.follow(result_url).get_json()
    assert ticket == arm.get(f"{SUB}/supportTickets/app-down").get_json()
    assert plan_text(ticket) == contract_plan(contract_id)


def test_the_location_url_answers_202_then_the_ticket(app: Flask, world: World) -> None:
    linked(world)
    world.set_lro(polls=1)
    arm = Arm(app, "user@contoso.com")
    accepted = arm.put(f"{SUB}/supportTickets/via-location", ticket_body())
    waiting = arm.follow(accepted.headers["Location"])
    assert waiting.status_code == 202 and waiting.headers["Location"] == accepted.headers["Location"]
    assert arm.follow(accepted.headers["Location"]).get_json()["name"] == "via-location"


def test_operations_belong_to_their_world_and_account(app: Flask, registry: WorldRegistry) -> None:
    linked(registry.get(WORLD))
    registry.get(WORLD).set_lro(polls=1)
    other = registry.create("other", copy.deepcopy(CAST))
    linked(other)
    accepted = Arm(app, "user@contoso.com").put(f"{SUB}/supportTickets/mine", ticket_body())
    status_url = accepted.headers["Azure-AsyncOperation"]
    error(Arm(app, "user@contoso.com", world="other").follow(status_url), 404, "OperationNotFound")
    error(Arm(app, "admin@contoso.com").follow(status_url), 404, "OperationNotFound")
    assert Arm(app, "user@contoso.com").follow(status_url).get_json()["status"] == "InProgress"
    error(
        Arm(app, "user@contoso.com", world="other").get(f"{SUB}/supportTickets/mine"), 404, "RequestNotFound"
    )


@rule("D6")
def test_no_plan_is_refused_at_once_and_creates_nothing(app: Flask, world: World) -> None:
    arm = Arm(app, "engineer@outlook.com", lang="es-ES")
    before = state(world)
    failed = arm.refused("t1")
    assert failed["code"] == "NoSupportPlan" and "Ningún plan" in failed["message"]
    assert state(world) == before
    error(arm.get(f"{SUB}/supportTickets/t1"), 404, "RequestNotFound")


@rule("D6")
def test_with_lro_polls_no_plan_is_reported_by_the_operation(app: Flask, world: World) -> None:
    world.set_lro(polls=1)
    arm = Arm(app, "engineer@outlook.com", lang="es-ES")
    before = state(world)
    accepted = arm.put(f"{SUB}/supportTickets/t1", ticket_body())
    failed = arm.refused_later("t1")  # a second PUT: nothing was created by the first
    assert failed["code"] == "NoSupportPlan" and "Ningún plan" in failed["message"]
    assert state(world) == before
    result = arm.follow(accepted.headers["Location"])
    assert result.status_code == 202
    error(arm.follow(accepted.headers["Location"]), 400, "NoSupportPlan")
    error(arm.get(f"{SUB}/supportTickets/t1"), 404, "RequestNotFound")


@rule("D6", "R-SFB-05", "R-AZ-07")
def test_a_five_pack_uses_one_incident_per_ticket_and_no_answer_counts_them(app: Flask, world: World) -> None:
    contract_id = linked(world, "admin@northwind.com", "admin@northwind.com")  # Silver: a 5-pack
    arm = Arm(app, "admin@northwind.com")
    for index in range(5):
        arm.create(f"t{index}")
        assert world.state.contracts[contract_id].cloud.used == index + 1
    before = state(world)
    assert arm.refused("t5")["code"] == "NoSupportPlan"  # the exhausted contract is hidden
    plan = base64.b64encode(contract_plan(contract_id).encode()).decode()
    assert arm.refused("t5", ticket_body(supportPlanId=plan))["code"] == "NoIncidentsRemaining"
    assert state(world) == before
    answers = [arm.get(f"{SUB}/supportTickets").get_json(), arm.get(f"{SUB}/supportTickets/t0").get_json()]
    text = json.dumps(answers)
    assert not mentions_remaining(answers) and "incidents" not in text.lower()


@rule("R-AZ-07", "D10")
def test_an_expired_contract_is_hidden_and_named_when_asked_for(app: Flask, world: World) -> None:
    contract_id = linked(world)
    arm = Arm(app, "user@contoso.com")
    arm.create("t1")
    world.advance_clock("P366D")
    assert arm.refused("t2")["code"] == "NoSupportPlan"
    assert arm.refused("t2", ticket_body(supportPlanId=contract_id))["code"] == "ContractExpired"
    assert arm.get(f"{SUB}/supportTickets/t1").get_json()["properties"]["status"] == "Open"


@rule("D6")
def test_an_unlimited_plan_uses_no_incident(app: Flask, world: World) -> None:
    contract_id = linked(world)  # Contoso: Gold with a cloud competency
    Arm(app, "user@contoso.com").create("t1")
    assert world.state.contracts[contract_id].cloud.used == 0


@rule("R-AZ-03")
def test_an_action_pack_contract_cannot_be_used_for_a_ticket(app: Flask, world: World) -> None:
    access_id, contract_id = activate(world, "admin@tailspin.com")
    world.add_contract("admin@tailspin.com", access_id, contract_id)  # associated in Support for Business
    arm = Arm(app, "admin@tailspin.com")
    failed = arm.refused("t1", ticket_body(supportPlanId=contract_id))
    assert failed["code"] == "NotEligibleForCloudSupport"


@rule("R-AZ-04")
def test_a_csp_partner_uses_the_cloud_solution_provider_plan(app: Flask, world: World) -> None:
    ticket = Arm(app, "agent@adatum.com").create("t1")
    assert ticket["properties"]["supportPlanType"] == "CloudSolutionProvider"
    assert ticket["properties"]["supportPlanDisplayName"] == "Cloud Solution Provider"
    assert plan_text(ticket) == "Source:PortalHarness,PlanId:csp,"


@rule("R-AZ-05", "R-AZ-06")
def test_the_spurious_link_error_does_not_stop_a_ticket(app: Flask, world: World) -> None:
    access_id, contract_id = activate(world)
    world.add_contract("user@contoso.com", access_id, contract_id)  # Support for Business first
    with pytest.raises(Refusal) as spurious:
        world.link_support_benefits("user@contoso.com", access_id, contract_id)
    assert spurious.value.code == "AccessIdAlreadyAssociated"
    ticket = Arm(app, "user@contoso.com").create("t1", ticket_body(supportPlanId=contract_id))
    assert plan_text(ticket) == contract_plan(contract_id)


def test_support_plan_id_takes_the_encoded_or_the_plain_plan_id(app: Flask, world: World) -> None:
    contract_id = linked(world)
    arm = Arm(app, "user@contoso.com")
    encoded = base64.b64encode(contract_plan(contract_id).encode()).decode()
    older = base64.b64encode(f"PlanId:{contract_id}".encode()).decode()  # this API's earlier encoding
    azure_style = base64.b64encode(f"Source:SCM,ContractId:{contract_id},".encode()).decode()
    for name, plan in (
        ("encoded", encoded),
        ("older", older),
        ("azure", azure_style),
        ("plain", contract_id),
    ):
        assert plan_text(arm.create(name, ticket_body(supportPlanId=plan))) == contract_plan(contract_id)
    before = state(world)
    error(arm.put(f"{SUB}/supportTickets/t3", ticket_body(supportPlanId="0000000000")), 404, "PlanNotFound")
    assert state(world) == before


def test_azures_own_plan_id_stands_for_the_accounts_only_plan(app: Flask, world: World) -> None:
    arm = Arm(app, "user@contoso.com")
    before = state(world)
    assert arm.refused("t1", ticket_body(supportPlanId=EXAMPLE_PLAN_ID))["code"] == "NoSupportPlan"
    assert state(world) == before
    contract_id = linked(world)
    ticket = arm.create("t1", ticket_body(supportPlanId=EXAMPLE_PLAN_ID))
    assert plan_text(ticket) == contract_plan(contract_id)
    premier = world.purchase_support_plan("admin@contoso.com", "premier")  # which plan is meant now?
    world.link_support_benefits("user@contoso.com", premier.access_id, premier.contract_id)
    before = state(world)
    error(
        arm.put(f"{SUB}/supportTickets/t2", ticket_body(supportPlanId=EXAMPLE_PLAN_ID)), 404, "PlanNotFound"
    )
    assert state(world) == before


@pytest.mark.parametrize(
    ("label", "letter", "shown"),
    [
        ("minimal", "C", "minimal"),
        ("moderate", "B", "moderate"),
        ("critical", "A", "critical"),
        ("highestcriticalimpact", "A", "highestcriticalimpact"),
        ("Critical", "A", "critical"),
    ],
)
def test_severities_map_to_the_backends_letters(
    app: Flask, world: World, label: str, letter: str, shown: str
) -> None:
    linked(world)
    ticket = Arm(app, "user@contoso.com").create("t1", ticket_body(severity=label))
    assert world.support_request_named("user@contoso.com", "t1").severity == letter
    assert ticket["properties"]["severity"] == shown


def test_contact_details_map_to_the_backends_contact_fields(app: Flask, world: World) -> None:
    linked(world)
    details = contact(preferredContactMethod="phone", phoneNumber="+34 600 000 000")
    details["additionalEmailAddresses"] = ["team@contoso.com"]
    extras = {
        "require24X7Response": True,
        "problemStartTime": "2021-03-04T08:00:00Z",
        "technicalTicketDetails": {"resourceId": f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg/x"},
        "secondaryConsent": [{"type": "VirtualMachine", "userConsent": "No"}],
        "problemScopingQuestions": "{}",
    }
    ticket = Arm(app, "user@contoso.com").create("t1", ticket_body(contactDetails=details, **extras))
    stored = world.support_request_named("user@contoso.com", "t1").contact
    assert stored == {
        "first_name": "Ana",
        "last_name": "García",
        "preferred_contact_method": "phone",
        "primary_email": "ana@contoso.com",
        "preferred_time_zone": "Romance Standard Time",
        "country": "ESP",
        "preferred_language": "es-es",
        "phone": "+34 600 000 000",
    }
    assert ticket["properties"]["contactDetails"] == details
    assert {k: ticket["properties"][k] for k in extras} == extras


def test_a_name_is_taken_once_per_account(app: Flask, world: World) -> None:
    linked(world)
    arm = Arm(app, "user@contoso.com")
    arm.create("t1")
    before = state(world)
    error(arm.put(f"{SUB}/supportTickets/t1", ticket_body()), 409, "RequestNameTaken")
    assert state(world) == before


BAD_TICKETS: list[tuple[str, Any, int, str]] = [
    ("not json", b"{nope", 400, "InvalidInput"),
    ("not an object", [1, 2], 400, "InvalidInput"),
    ("no properties", {}, 400, "InvalidInput"),
    ("unknown top property", {**ticket_body(), "tags": {}}, 400, "InvalidInput"),
    ("properties not an object", {"properties": "x"}, 400, "InvalidInput"),
    ("missing title", ticket_body(title=None), 400, "InvalidInput"),
    ("title not a string", ticket_body(title=5), 400, "InvalidInput"),
    ("empty title", ticket_body(title="  "), 400, "InvalidInput"),
    ("unknown property", ticket_body(colour="red"), 400, "InvalidInput"),
    ("quota details on a technical ticket", ticket_body(quotaTicketDetails={}), 400, "InvalidInput"),
    ("bad severity", ticket_body(severity="urgent"), 400, "InvalidInput"),
    ("bad consent", ticket_body(advancedDiagnosticConsent="Maybe"), 400, "InvalidInput"),
    ("contact missing a field", ticket_body(contactDetails=contact(country=None)), 400, "InvalidInput"),
    (
        "contact method",
        ticket_body(contactDetails=contact(preferredContactMethod="fax")),
        400,
        "InvalidInput",
    ),
    ("contact not an object", ticket_body(contactDetails="ana"), 400, "InvalidInput"),
    ("24x7 not a boolean", ticket_body(require24X7Response="yes"), 400, "InvalidInput"),
    ("bad start time", ticket_body(problemStartTime="yesterday"), 400, "InvalidInput"),
    ("unknown service", ticket_body(serviceId=f"{TENANT}/services/nope"), 404, "ProductNotFound"),
    (
        "on-premises product",
        ticket_body(serviceId=f"{TENANT}/services/{PRODUCTS['windows-10'].guid}"),
        404,
        "ProductNotFound",
    ),
    (
        "unknown classification",
        ticket_body(problemClassificationId=f"{SERVICE_ID}/problemClassifications/x"),
        404,
        "ProblemClassificationNotFound",
    ),
    (
        "classification of another service",
        ticket_body(
            problemClassificationId=(
                f"{TENANT}/services/{PRODUCTS['storage-account'].guid}"
                f"/problemClassifications/{CONNECTIVITY.id}"
            )
        ),
        404,
        "ProblemClassificationNotFound",
    ),
    ("title too long", ticket_body(title="x" * 201), 400, "InvalidInput"),
]


@pytest.mark.parametrize(("case", "body", "status", "code"), BAD_TICKETS, ids=[c[0] for c in BAD_TICKETS])
def test_bad_tickets_are_refused_at_once_and_change_nothing(
    app: Flask, world: World, case: str, body: Any, status: int, code: str
) -> None:
    linked(world)
    arm = Arm(app, "user@contoso.com")
    before = state(world)
    if isinstance(body, bytes):
        answer = arm.put(
            f"{SUB}/supportTickets/t1", None, raw=body, headers={"Content-Type": "application/json"}
        )
    else:
        answer = arm.put(f"{SUB}/supportTickets/t1", body)
    error(answer, status, code)
    assert state(world) == before
    error(arm.get(f"{SUB}/supportTickets/t1"), 404, "RequestNotFound")


def test_a_bad_ticket_name_or_a_form_body_is_refused(app: Flask, world: World) -> None:
    linked(world)
    arm = Arm(app, "user@contoso.com")
    before = state(world)
    error(arm.put(f"{SUB}/supportTickets/-bad", ticket_body()), 400, "InvalidInput")
    form = arm.put(f"{SUB}/supportTickets/t1", None, raw=b"a=b", headers={"Content-Type": "text/plain"})
    error(form, 400, "InvalidInput")
    assert state(world) == before


# --- names --------------------------------------------------------------------------------------------------
def test_check_name_availability(app: Flask, world: World) -> None:
    linked(world)
    arm = Arm(app, "user@contoso.com")
    ask = {"name": "t1", "type": "Microsoft.Support/supportTickets"}
    assert arm.post(f"{SUB}/checkNameAvailability", ask).get_json() == {"nameAvailable": True}
    arm.create("t1")
    taken = arm.post(f"{SUB}/checkNameAvailability", ask).get_json()
    # as CheckNameAvailabilityWithSubscription.json answers a name in use
    assert taken == {
        "nameAvailable": False,
        "reason": "Name is already in use",
        "message": "Name not available",
    }
    assert arm.post(f"{TENANT}/checkNameAvailability", ask).get_json()["nameAvailable"] is False
    other = Arm(app, "admin@contoso.com").post(f"{SUB}/checkNameAvailability", ask).get_json()
    assert other == {"nameAvailable": True}  # names are per account
    invalid = arm.post(f"{SUB}/checkNameAvailability", {**ask, "name": "a b"}).get_json()
    assert invalid["nameAvailable"] is False and invalid["reason"] == "Invalid"
    wrong_type = {**ask, "type": "Microsoft.Support/communications"}
    error(arm.post(f"{SUB}/checkNameAvailability", wrong_type), 400, "InvalidInput")
    error(arm.post(f"{SUB}/checkNameAvailability", {"name": "x"}), 400, "InvalidInput")
    error(
        arm.post(f"{SUB}/checkNameAvailability", {**ask, "type": "Microsoft.Compute/vms"}),
        400,
        "InvalidInput",
    )


# --- list, get, update --------------------------------------------------------------------------------------
def test_list_pages_with_absolute_next_links_and_filters(app: Flask, world: World) -> None:
    linked(world)
    arm = Arm(app, "user@contoso.com")
    for index in range(7):
        if index == 5:
            world.advance_clock("P1D")
        body = (
            ticket_body(serviceId=f"{TENANT}/services/{PRODUCTS['storage-account'].guid}")
            if index == 6
            else None
        )
        if body is not None:
            body["properties"]["problemClassificationId"] = (
                f"{TENANT}/services/{PRODUCTS['storage-account'].guid}/problemClassifications/"
                f"{problem_classifications(PRODUCTS['storage-account'])[1].id}"
            )
        arm.create(f"t{index}", body)
    names, pages = [], 0
    answer = arm.get(f"{SUB}/supportTickets", **{"$top": "3"}).get_json()
    while True:
        pages += 1
        names += [t["name"] for t in answer["value"]]
        if "nextLink" not in answer:
            break
        assert answer["nextLink"].startswith(f"http://localhost{SUB}/supportTickets?")
        answer = arm.follow(answer["nextLink"]).get_json()
    assert names == [f"t{i}" for i in range(7)] and pages == 3
    assert len(arm.get(f"{SUB}/supportTickets").get_json()["value"]) == 7  # default page: 25

    arm.patch(f"{SUB}/supportTickets/t1", {"status": "closed"})

    def listed(text: str) -> list[str]:
        return [t["name"] for t in arm.get(f"{SUB}/supportTickets", **{"$filter": text}).get_json()["value"]]

    assert listed("status eq 'Closed'") == ["t1"]
    assert listed("Status eq 'open'") == ["t0", "t2", "t3", "t4", "t5", "t6"]
    assert listed(f"serviceId eq '{SERVICE_ID}' and status eq 'Open'") == ["t0", "t2", "t3", "t4", "t5"]
    assert listed(f"serviceId eq '{PRODUCTS['storage-account'].guid}'") == ["t6"]
    assert listed("createdDate ge 2021-03-05T00:00:00Z") == ["t5", "t6"]
    assert listed("createdDate gt '2021-03-05T09:00:00Z'") == []
    assert listed(f"problemClassificationId eq '{CLASSIFICATION_ID}' and createdDate ge 2021-03-05") == ["t5"]
    filtered = arm.get(f"{SUB}/supportTickets", **{"$filter": "status eq 'Open'", "$top": "4"}).get_json()
    assert parse_qs(urlsplit(filtered["nextLink"]).query)["$filter"] == ["status eq 'Open'"]
    assert [t["name"] for t in arm.follow(filtered["nextLink"]).get_json()["value"]] == ["t5", "t6"]
    for bad in (
        "status ne 'Open'",
        "title eq 'x'",
        "status eq 'Pending'",
        "createdDate ge tomorrow",
        "status eq 'Open' or",
        "createdDate ge 9999-12-31T23:59:59-01:00",
    ):
        error(arm.get(f"{SUB}/supportTickets", **{"$filter": bad}), 400, "InvalidInput")
    for top in ("0", "101", "x", "-1"):
        error(arm.get(f"{SUB}/supportTickets", **{"$top": top}), 400, "InvalidInput")
    error(arm.get(f"{SUB}/supportTickets", **{"$skipToken": "abc"}), 400, "InvalidInput")


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("$top=2&$top=500", "$top"),
        ("$filter=status%20eq%20'Open'&$FILTER=status%20eq%20'Closed'", "$FILTER"),
        ("$skipToken=0&$skiptoken=1", "$skiptoken"),
    ],
)
def test_a_repeated_query_parameter_is_refused_naming_it(
    app: Flask, world: World, query: str, named: str
) -> None:
    linked(world)
    arm = Arm(app, "user@contoso.com")
    for index in range(3):
        arm.create(f"t{index}")
    message = error(arm.get(f"{SUB}/supportTickets?{query}"), 400, "InvalidInput")
    assert message.startswith(f"Invalid input: {named}: given more than once"), f"found {message!r}"


def test_tickets_are_per_account_and_the_subscription_only_shapes_ids(app: Flask, world: World) -> None:
    linked(world)
    arm = Arm(app, "user@contoso.com")
    arm.create("t1")
    other_subscription = "/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Support"
    seen = arm.get(f"{other_subscription}/supportTickets/t1").get_json()
    assert seen["id"] == f"{other_subscription}/supportTickets/t1"
    assert arm.get(f"{TENANT}/supportTickets/t1").get_json()["id"] == f"{TENANT}/supportTickets/t1"
    assert Arm(app, "admin@contoso.com").get(f"{SUB}/supportTickets").get_json() == {"value": []}
    error(Arm(app, "admin@contoso.com").get(f"{SUB}/supportTickets/t1"), 404, "RequestNotFound")


@rule("R-AZ-06")
def test_a_request_made_in_the_azure_portal_is_a_ticket_named_by_its_number(app: Flask, world: World) -> None:
    linked(world)
    made = world.create_support_request(
        "user@contoso.com", "azure", product="app-service", title="VM", description="d"
    )
    world.create_support_request("user@contoso.com", "sfb", product="windows-10", title="W", description="d")
    arm = Arm(app, "user@contoso.com")
    listed = arm.get(f"{SUB}/supportTickets").get_json()["value"]
    assert [t["name"] for t in listed] == [made.id]
    ticket = arm.get(f"{SUB}/supportTickets/{made.id}").get_json()
    assert ticket["properties"]["contactDetails"]["primaryEmailAddress"] == "user@contoso.com"
    assert ticket["properties"]["problemClassificationId"] == ""
    assert (
        arm.patch(f"{SUB}/supportTickets/{made.id}", {"status": "closed"}).get_json()["properties"]["status"]
        == "Closed"
    )


@rule("R-AZ-06")
def test_a_resource_name_identifies_one_ticket(app: Flask, world: World) -> None:
    """Request numbers (``yymmdd`` + sequence, README "IDs") and names chosen through the API share
    one namespace: a number a client took as a name is skipped, a portal ticket's number is taken."""
    linked(world)
    arm = Arm(app, "user@contoso.com")
    first = world.create_support_request(
        "user@contoso.com", "azure", product="app-service", title="VM", description="d"
    )
    sequence = int(first.id[6:])
    upcoming = [f"210304{n:010d}" for n in (sequence + 1, sequence + 2)]
    for name in upcoming:
        arm.create(name)
    portal_made = world.create_support_request(
        "user@contoso.com", "azure", product="app-service", title="Portal", description="d"
    )
    assert portal_made.id not in upcoming, f"expected a number other than {upcoming}, found {portal_made.id}"
    listed = [t["name"] for t in arm.get(f"{SUB}/supportTickets").get_json()["value"]]
    assert listed == [first.id, *upcoming, portal_made.id], f"found {listed}"
    titles = {
        name: arm.get(f"{SUB}/supportTickets/{name}").get_json()["properties"]["title"] for name in listed
    }
    assert titles == {
        first.id: "VM",
        upcoming[0]: "App down",
        upcoming[1]: "App down",
        portal_made.id: "Portal",
    }
    before = state(world)
    error(arm.put(f"{SUB}/supportTickets/{first.id}", ticket_body()), 409, "RequestNameTaken")
    ask = {"name": portal_made.id, "type": "Microsoft.Support/supportTickets"}
    assert arm.post(f"{SUB}/checkNameAvailability", ask).get_json()["nameAvailable"] is False
    assert state(world) == before


def test_a_ticket_name_may_start_with_a_digit_and_the_refusal_says_so(app: Flask, world: World) -> None:
    linked(world)
    arm = Arm(app, "user@contoso.com")
    assert arm.create("9abc")["name"] == "9abc"
    message = error(arm.put(f"{SUB}/supportTickets/-bad", ticket_body()), 400, "InvalidInput")
    assert "starting with a letter or a digit" in message, f"expected the rule of names, found {message!r}"


def test_names_namespaces_and_types_match_in_any_case(app: Flask, world: World) -> None:
    """ARM reads resource names, provider namespaces and resource types case-insensitively; names
    keep the casing they were created with."""
    linked(world)
    arm = Arm(app, "user@contoso.com")
    arm.create("Ticket-A")
    upper = f"/SUBSCRIPTIONS/{SUBSCRIPTION}/PROVIDERS/microsoft.support/SUPPORTTICKETS"
    got = arm.get(f"{upper}/ticket-a").get_json()
    assert got["name"] == "Ticket-A", f"expected the name as created, found {got.get('name')}"
    listed = [t["name"] for t in arm.get(f"{TENANT.lower()}/supporttickets").get_json()["value"]]
    assert listed == ["Ticket-A"], f"found {listed}"
    before = state(world)
    error(arm.put(f"{SUB}/supportTickets/TICKET-a", ticket_body()), 409, "RequestNameTaken")
    ask = {"name": "ticket-A", "type": "Microsoft.Support/supportTickets"}
    assert arm.post(f"{SUB}/checknameavailability", ask).get_json()["nameAvailable"] is False
    assert state(world) == before
    message = {"properties": {"subject": "Update", "body": "Still down"}}
    written = arm.put(f"{SUB}/supportTickets/ticket-a/Communications/Msg-One", message)
    assert written.status_code == 200 and written.get_json()["name"] == "Msg-One", written.get_json()
    assert arm.get(f"{upper}/TICKET-A/communications/msg-one").get_json()["name"] == "Msg-One"
    before = state(world)
    error(
        arm.put(f"{SUB}/supportTickets/Ticket-A/communications/MSG-ONE", message),
        409,
        "CommunicationNameTaken",
    )
    ask = {"name": "msg-ONE", "type": "Microsoft.Support/communications"}
    assert (
        arm.post(f"{SUB}/supportTickets/Ticket-A/checkNameAvailability", ask).get_json()["nameAvailable"]
        is False
    )
    assert state(world) == before
    services = arm.get(f"{TENANT.upper()}/SERVICES/{APP_SERVICE.guid}/problemclassifications")
    assert services.status_code == 200 and services.get_json()["value"], services.get_json()


def test_update_status_severity_contact_and_consent(app: Flask, world: World) -> None:
    linked(world)
    arm = Arm(app, "user@contoso.com")
    arm.create("t1")
    world.advance_clock("PT1H")
    closed = arm.patch(f"{SUB}/supportTickets/t1", {"status": "closed"}).get_json()["properties"]
    assert closed["status"] == "Closed" and closed["modifiedDate"] == "2021-03-04T10:00:00Z"
    update = {
        "status": "open",
        "severity": "highestcriticalimpact",
        "advancedDiagnosticConsent": "No",
        "contactDetails": {"phoneNumber": "+34 600", "additionalEmailAddresses": ["x@contoso.com"]},
    }
    updated = arm.patch(f"{SUB}/supportTickets/t1", update).get_json()["properties"]
    assert updated["status"] == "Open" and updated["severity"] == "highestcriticalimpact"
    assert updated["advancedDiagnosticConsent"] == "No"
    assert updated["contactDetails"] == {
        **contact(),
        "phoneNumber": "+34 600",
        "additionalEmailAddresses": ["x@contoso.com"],
    }
    request = world.support_request_named("user@contoso.com", "t1")
    assert request.severity == "A" and request.contact["phone"] == "+34 600"
    before = state(world)
    for bad in ({"status": "pending"}, {"severity": 1}, {"contactDetails": {"fax": "1"}}, {"title": "x"}, []):
        error(arm.patch(f"{SUB}/supportTickets/t1", bad), 400, "InvalidInput")
    error(arm.patch(f"{SUB}/supportTickets/nope", {"status": "closed"}), 404, "RequestNotFound")
    assert state(world) == before


@pytest.mark.parametrize("version", [API, "2020-04-01"])
def test_a_patch_that_changes_nothing_is_refused_naming_what_can_be_sent(
    app: Flask, world: World, version: str
) -> None:
    """UpdateSupportTicket's properties are all optional, but a PATCH with none of them (or an empty
    contactDetails) has nothing to do: 400 naming them, as Partner Center REST answers, and the
    ticket (its modifiedDate too) stays as it was."""
    linked(world)
    arm = Arm(app, "user@contoso.com")
    arm.create("t1")
    world.advance_clock("PT1H")
    before = state(world)
    for body in ({}, {"contactDetails": {}}):
        message = error(arm.patch(f"{SUB}/supportTickets/t1", body, version=version), 400, "InvalidInput")
        assert "send at least one of severity, status, contactDetails" in message, f"found {message!r}"
    assert state(world) == before
    modified = arm.get(f"{SUB}/supportTickets/t1").get_json()["properties"]["modifiedDate"]
    assert modified == "2021-03-04T09:00:00Z", f"expected the creation time, found {modified}"


# --- communications -----------------------------------------------------------------------------------------
def test_communications_are_created_listed_and_read(app: Flask, world: World) -> None:
    linked(world)
    arm = Arm(app, "user@contoso.com")
    arm.create("t1")
    ticket = f"{SUB}/supportTickets/t1"
    message = {"properties": {"subject": "Update", "body": "Still down", "sender": "user@contoso.com"}}
    written = arm.put(f"{ticket}/communications/m1", message)
    assert written.status_code == 200 and "Azure-AsyncOperation" not in written.headers
    read = written.get_json()
    assert read == arm.get(f"{ticket}/communications/m1").get_json()
    assert read["id"] == f"{ticket}/communications/m1" and read["type"] == "Microsoft.Support/communications"
    assert read["properties"]["sender"] == "user@contoso.com"
    assert read["properties"]["communicationDirection"] == "outbound"
    assert world.support_request_named("user@contoso.com", "t1").communications[0].body == "Still down"
    for index in range(2, 13):
        arm.put(f"{ticket}/communications/m{index}", message)
    first = arm.get(f"{ticket}/communications").get_json()
    assert len(first["value"]) == 10
    assert [c["name"] for c in arm.follow(first["nextLink"]).get_json()["value"]] == ["m11", "m12"]
    two = arm.get(
        f"{ticket}/communications", **{"$top": "2", "$filter": "communicationType eq 'web'"}
    ).get_json()
    assert [c["name"] for c in two["value"]] == ["m1", "m2"] and "nextLink" in two
    phone = arm.get(f"{ticket}/communications", **{"$filter": "communicationType eq 'phone'"}).get_json()
    assert phone == {"value": []}
    later = arm.get(
        f"{ticket}/communications", **{"$filter": "createdDate gt 2021-03-04T09:00:00Z"}
    ).get_json()
    assert later == {"value": []}
    error(arm.get(f"{ticket}/communications", **{"$top": "11"}), 400, "InvalidInput")
    error(arm.get(f"{ticket}/communications/nope"), 404, "CommunicationNotFound")
    error(arm.get(f"{SUB}/supportTickets/nope/communications"), 404, "RequestNotFound")


def test_communication_names_and_bad_messages(app: Flask, world: World) -> None:
    linked(world)
    arm = Arm(app, "user@contoso.com")
    arm.create("t1")
    ticket = f"{SUB}/supportTickets/t1"
    ask = {"name": "m1", "type": "Microsoft.Support/communications"}
    assert arm.post(f"{ticket}/checkNameAvailability", ask).get_json() == {"nameAvailable": True}
    arm.put(f"{ticket}/communications/m1", {"properties": {"subject": "s", "body": "b"}})
    taken = arm.post(f"{ticket}/checkNameAvailability", ask).get_json()
    assert taken == {
        "nameAvailable": False,
        "reason": "Name is already in use",
        "message": "Name not available",
    }
    assert arm.post(f"{ticket}/checkNameAvailability", {**ask, "name": "?"}).get_json()["reason"] == "Invalid"
    error(
        arm.post(f"{ticket}/checkNameAvailability", {**ask, "type": "Microsoft.Support/supportTickets"}),
        400,
        "InvalidInput",
    )
    before = state(world)
    for bad in (
        {},
        {"properties": {"subject": "s"}},
        {"properties": {"subject": "s", "body": 3}},
        {"body": "b"},
    ):
        error(arm.put(f"{ticket}/communications/m2", bad), 400, "InvalidInput")
    error(
        arm.put(f"{ticket}/communications/m1", {"properties": {"subject": "s", "body": "b"}}),
        409,
        "CommunicationNameTaken",
    )
    error(
        arm.put(
            f"{SUB}/supportTickets/nope/communications/m2", {"properties": {"subject": "s", "body": "b"}}
        ),
        404,
        "RequestNotFound",
    )
    assert state(world) == before
    arm.patch(ticket, {"status": "closed"})
    before = state(world)
    error(
        arm.put(f"{ticket}/communications/m2", {"properties": {"subject": "s", "body": "b"}}),
        400,
        "InvalidInput",
    )
    assert state(world) == before


# --- the official SDK, in-process and live ------------------------------------------------------------------
class HarnessCredential:
    """A TokenCredential for the emulator: the harness's unsigned token for one account and world."""

    def __init__(self, upn: str, world: str) -> None:
        self.upn, self.world = upn, world

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken(mint_token(self.upn, world=self.world), int(time.time()) + 3600)


class BearerOverHttp(SansIOHTTPPolicy):  # type: ignore[type-arg]
    """azure-core refuses bearer tokens over plain http (the emulator's scheme): this policy sets the
    header without that check. It is the only constructor argument the SDK needs besides base_url."""

    def __init__(self, credential: HarnessCredential) -> None:
        self.credential = credential

    def on_request(self, request: PipelineRequest) -> None:  # type: ignore[type-arg]
        token = self.credential.get_token("https://management.azure.com/.default").token
        request.http_request.headers["Authorization"] = f"Bearer {token}"


def sdk_check(response: PipelineResponse) -> None:  # type: ignore[type-arg]
    """raw_response_hook: every answer the SDK receives is validated against the spec too."""
    http = response.http_response
    text = http.text()
    check(
        response.http_request.method,
        response.http_request.url,
        http.status_code,
        json.loads(text) if text else None,
    )


@pytest.fixture(scope="module", params=["inprocess", "live"])
def stack(request: pytest.FixtureRequest) -> Iterator[PortalStack]:
    with PortalStack(request.param) as started:
        yield started


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every wait the SDK asks its transport for (polling and retries both go through
    ``HttpTransport.sleep``), recorded instead of slept."""
    asked: list[float] = []
    monkeypatch.setattr(HttpTransport, "sleep", lambda self, duration: asked.append(duration))
    return asked


@pytest.fixture
def sdk_world(stack: PortalStack) -> Iterator[World]:
    created = stack.new_world(document=copy.deepcopy(CAST))
    try:
        yield created
    finally:
        stack.drop_world(created.name)


@pytest.fixture
def support(stack: PortalStack, sdk_world: World) -> Callable[[str], MicrosoftSupport]:
    def client(upn: str) -> MicrosoftSupport:
        credential = HarnessCredential(upn, sdk_world.name)
        return MicrosoftSupport(
            credential,
            SUBSCRIPTION,
            base_url=stack.url("azure_management"),
            authentication_policy=BearerOverHttp(credential),
            raw_response_hook=sdk_check,
        )

    return client


def sdk_ticket(title: str = "App down", **changes: Any) -> m.SupportTicketDetails:
    fields: dict[str, Any] = {
        "title": title,
        "description": "The site answers 503",
        "service_id": SERVICE_ID,
        "problem_classification_id": CLASSIFICATION_ID,
        "severity": "critical",
        "advanced_diagnostic_consent": "No",
        "contact_details": sdk_contact.ana(m),
        **changes,
    }
    return m.SupportTicketDetails(**fields)


@rule("R-AZ-01", "D6", "R-SFB-05")
def test_the_official_sdk_runs_the_whole_flow(
    support: Callable[[str], MicrosoftSupport], sdk_world: World, sleeps: list[float]
) -> None:
    """With the SDK's default settings: every create is answered at once, no wait is asked for."""
    contract_id = linked(sdk_world)
    client = support("user@contoso.com")
    checked = len(CHECKED)
    services = list(client.services.list())
    assert [s.display_name for s in services] == [p.display_name for p in CLOUD_PRODUCTS]
    service = client.services.get(APP_SERVICE.guid)
    assert service.id == SERVICE_ID
    classifications = list(client.problem_classifications.list(APP_SERVICE.guid))
    assert classifications[0].id == CLASSIFICATION_ID
    assert (
        client.problem_classifications.get(APP_SERVICE.guid, CONNECTIVITY.id).display_name == "Connectivity"
    )
    name_check = m.CheckNameAvailabilityInput(name="sdk-1", type="Microsoft.Support/supportTickets")
    assert client.support_tickets.check_name_availability(name_check).name_available is True

    created = client.support_tickets.begin_create("sdk-1", sdk_ticket()).result()
    assert created.name == "sdk-1" and created.severity == "critical" and created.status == "Open"
    assert created.contact_details.first_name == "Ana" and created.service_display_name == "Web App (Windows)"
    assert base64.b64decode(created.support_plan_id).decode() == contract_plan(contract_id)
    assert created.service_level_agreement.sla_minutes == 60 and created.require24_x7_response is False
    assert sdk_world.support_request_named("user@contoso.com", "sdk-1").severity == "A"
    for index in range(2, 26):
        client.support_tickets.begin_create(f"sdk-{index}", sdk_ticket(f"Ticket {index}")).result()
    assert client.support_tickets.get("sdk-3").title == "Ticket 3"
    pages = list(client.support_tickets.list(top=10).by_page())
    assert [len(list(p)) for p in pages] == [10, 10, 5]
    assert [t.name for t in client.support_tickets.list(top=10)] == [f"sdk-{i}" for i in range(1, 26)]

    closed = client.support_tickets.update(
        "sdk-2", m.UpdateSupportTicket(status="closed", severity="minimal")
    )
    assert closed.status == "Closed" and closed.severity == "minimal"
    assert [t.name for t in client.support_tickets.list(filter="status eq 'Closed'")] == ["sdk-2"]
    assert [t.name for t in client.support_tickets_no_subscription.list(filter="status eq 'Closed'")] == [
        "sdk-2"
    ]

    message = m.CommunicationDetails(subject="More", body="It is back")
    written = client.communications.begin_create("sdk-1", "msg-a", message).result()
    assert written.name == "msg-a" and written.body == "It is back" and written.sender == "user@contoso.com"
    for index in range(10):
        client.communications.begin_create(
            "sdk-1", f"msg-b{index}", m.CommunicationDetails(subject="s", body="b")
        ).result()
    names = [c.name for c in client.communications.list("sdk-1", top=5)]
    assert names == ["msg-a", *(f"msg-b{index}" for index in range(10))]
    assert client.communications.get("sdk-1", "msg-b3").subject == "s"
    taken = client.communications.check_name_availability(
        "sdk-1", m.CheckNameAvailabilityInput(name="msg-a", type="Microsoft.Support/communications")
    )
    assert taken.name_available is False
    assert sdk_world.state.contracts[contract_id].cloud.used == 0  # unlimited (D6)
    sdk_answers = CHECKED[checked:]  # the raw_response_hook validated each of them against the spec
    assert len(sdk_answers) > 40, sdk_answers
    assert not any("/operationsStatus/" in c for c in sdk_answers), "expected no polls, found some"
    long_waits = [delay for delay in sleeps if delay >= 1]
    assert long_waits == [], f"expected no wait of 1 s or more, found {long_waits} (of {sleeps})"


def test_the_official_sdk_polls_as_the_world_asks(
    support: Callable[[str], MicrosoftSupport], sdk_world: World, sleeps: list[float]
) -> None:
    """lro_polls: 2, lro_retry_after: 2: each create is polled, waiting the Retry-After it was told."""
    linked(sdk_world)
    sdk_world.set_lro(polls=2, retry_after=2)
    client = support("user@contoso.com")
    checked = len(CHECKED)
    created = client.support_tickets.begin_create("polled", sdk_ticket()).result()
    assert created.name == "polled" and created.status == "Open"
    polls = [c for c in CHECKED[checked:] if "/operationsStatus/" in c]
    assert polls == [polls[0]] * 3 and polls[0].endswith(" 200"), polls  # 2 x InProgress, then done
    assert sleeps == [2, 2], f"expected the SDK to wait 2 s twice, found {sleeps}"
    sleeps.clear()
    written = client.communications.begin_create(
        "polled", "m1", m.CommunicationDetails(subject="s", body="b")
    ).result()
    assert written.name == "m1" and sleeps == [2, 2], sleeps


@rule("D6")
def test_the_official_sdk_gets_the_backends_refusals(
    support: Callable[[str], MicrosoftSupport], sdk_world: World
) -> None:
    client = support("engineer@outlook.com")
    before = state(sdk_world)
    with pytest.raises(HttpResponseError) as refused:
        client.support_tickets.begin_create("sdk-1", sdk_ticket()).result()
    assert refused.value.error is not None and refused.value.error.code == "NoSupportPlan"
    assert state(sdk_world) == before
    with pytest.raises(ResourceNotFoundError) as unknown:
        client.support_tickets.get("sdk-1")
    assert unknown.value.error is not None and unknown.value.error.code == "RequestNotFound"
    with pytest.raises(HttpResponseError) as bad:
        client.support_tickets.begin_create("sdk-2", sdk_ticket(severity="urgent"))
    assert (
        bad.value.status_code == 400
        and bad.value.error is not None
        and bad.value.error.code == "InvalidInput"
    )
    with pytest.raises(ResourceNotFoundError) as no_service:
        client.services.get("nope")
    assert no_service.value.error is not None and no_service.value.error.code == "ProductNotFound"
    assert state(sdk_world) == before


# --- ARM's headers ------------------------------------------------------------------------------------------
def test_every_answer_carries_arms_request_ids(app: Flask, world: World) -> None:
    arm = Arm(app, "user@contoso.com")
    ok = arm.get(f"{TENANT}/services")
    refused = arm.get(f"{TENANT}/services/nope")
    route = arm.get(f"{SUB}/nothing")
    ids = [answer.headers["x-ms-request-id"] for answer in (ok, refused, route)]
    assert len(set(ids)) == 3 and all(len(i) == 36 for i in ids), ids
    assert all(answer.headers["x-ms-correlation-request-id"] for answer in (ok, refused, route))
    assert "x-ms-client-request-id" not in ok.headers  # not asked for
    sent = {
        "x-ms-client-request-id": "9C4D50EE-2D56-4CD3-8152-34347DC9F2B0",
        "x-ms-correlation-request-id": "corr-1",
    }
    answer = arm.get(f"{TENANT}/services", headers=sent)
    assert answer.headers["x-ms-correlation-request-id"] == "corr-1"
    assert "x-ms-client-request-id" not in answer.headers
    echoed = arm.get(f"{TENANT}/services", headers={**sent, "x-ms-return-client-request-id": "true"})
    assert echoed.headers["x-ms-client-request-id"] == "9C4D50EE-2D56-4CD3-8152-34347DC9F2B0"
    assert "x-ms-request-id" not in app.test_client().get("/_harness/health").headers


# --- quota tickets ------------------------------------------------------------------------------------------
QUOTAS = PRODUCTS["service-and-subscription-limits-quotas"]


def test_a_quota_ticket_carries_its_quota_details(app: Flask, world: World) -> None:
    linked(world)
    arm = Arm(app, "user@contoso.com")
    service = f"{TENANT}/services/06bfd9d3-516b-d5c6-5802-169c800dec89"
    classifications = arm.get(f"{service}/problemClassifications").get_json()["value"]
    assert [(c["name"], c["properties"]["displayName"]) for c in classifications] == [
        ("831b2fb3-4db3-3d32-af35-bbb3d3eaeba2", "Batch")
    ]
    details = {
        "quotaChangeRequestVersion": "1.0",
        "quotaChangeRequestSubType": "Account",
        "quotaChangeRequests": [{"region": "EastUS", "payload": '{"AccountName":"test","NewLimit":200}'}],
    }
    body = ticket_body(
        serviceId=service,
        problemClassificationId=classifications[0]["id"],
        quotaTicketDetails=details,
    )
    ticket = arm.create("quota", body)["properties"]
    assert ticket["quotaTicketDetails"] == details
    assert ticket["serviceDisplayName"] == "Service and subscription limits (quotas)"
    assert world.support_request_named("user@contoso.com", "quota").product == QUOTAS.id


def test_billing_and_subscription_management_are_services(app: Flask) -> None:
    arm = Arm(app, "user@contoso.com")
    billing = arm.get(f"{TENANT}/services/517f2da6-78fd-0498-4e22-ad26996b1dfc").get_json()
    assert billing["properties"] == {"displayName": "Billing", "resourceTypes": []}
    access = arm.get(
        f"{TENANT}/services/517f2da6-78fd-0498-4e22-ad26996b1dfc/problemClassifications/"
        "44114011-6a66-e902-c00f-e419b6b4509f"
    ).get_json()
    assert access["properties"]["displayName"] == "Cost Management / Access control issues"
    management = arm.get(f"{TENANT}/services/f3dc5421-79ef-1efa-41a5-42bf3cbb52c6").get_json()
    assert management["properties"]["displayName"] == "Subscription management"
    linux = arm.get(f"{TENANT}/services/cddd3eb5-1830-b494-44fd-782f691479dc").get_json()
    assert linux["properties"]["displayName"] == "Virtual Machine running Linux"


# --- file workspaces, files, chat transcripts -------------------------------------------------------------
def test_file_workspaces_and_their_files(app: Flask, world: World) -> None:
    arm = Arm(app, "user@contoso.com")
    workspace = f"{SUB}/fileWorkspaces/ws-1"
    made = arm.put(workspace, None)  # Azure's CLI sends no body
    assert made.status_code == 201, made.get_json()
    assert made.headers["Location"] == f"http://localhost{workspace}?api-version=2024-04-01"
    assert made.get_json() == {
        "id": workspace,
        "name": "ws-1",
        "type": "Microsoft.Support/fileWorkspaces",
        "properties": {"createdOn": "2021-03-04T09:00:00Z", "expirationTime": "2021-03-05T09:00:00Z"},
    }
    assert arm.get(workspace).get_json() == made.get_json()
    assert (
        arm.get(f"{TENANT}/fileWorkspaces/ws-1").get_json()["id"]
        == "/providers/Microsoft.Support/fileWorkspaces/ws-1"
    )
    content = b"0123456789" * 30  # 300 bytes in chunks of 200: 200 and 100
    sizes = {"properties": {"fileSize": 300, "chunkSize": 200, "numberOfChunks": 2}}
    declared = arm.put(f"{workspace}/files/log.txt", sizes)
    assert declared.status_code == 201 and declared.get_json()["properties"] == {
        "createdOn": "2021-03-04T09:00:00Z",
        "fileSize": 300,
        "chunkSize": 200,
        "numberOfChunks": 2,
    }
    for index, part in enumerate((content[:200], content[200:])):
        chunk = {"chunkIndex": index, "content": base64.b64encode(part).decode()}
        uploaded = arm.post(f"{workspace}/files/log.txt/upload", chunk)
        assert uploaded.status_code == 204 and not uploaded.data
    assert [f["name"] for f in arm.get(f"{workspace}/files").get_json()["value"]] == ["log.txt"]
    assert arm.get(f"{workspace}/files/log.txt").get_json() == declared.get_json()
    ask = {"name": "ws-1", "type": "Microsoft.Support/fileWorkspaces"}
    assert arm.post(f"{SUB}/checkNameAvailability", ask).get_json()["nameAvailable"] is False
    linked(world)
    ticket = arm.create("with-files", ticket_body(fileWorkspaceName="ws-1"))
    assert ticket["properties"]["fileWorkspaceName"] == "ws-1"
    # bad uploads: a 400 naming the field
    bad_chunks = [
        ({"chunkIndex": 2, "content": "AA=="}, "chunkIndex"),
        ({"chunkIndex": 0, "content": "not base64!"}, "content"),
        ({"chunkIndex": 0, "content": base64.b64encode(b"short").decode()}, "content"),
        ({"chunkIndex": 0}, "content"),
    ]
    for chunk, field in bad_chunks:
        message = error(arm.post(f"{workspace}/files/log.txt/upload", chunk), 400, "InvalidInput")
        assert field in message, message
    too_big = {"properties": {"fileSize": 6 * 1024 * 1024, "chunkSize": 1024, "numberOfChunks": 1}}
    assert "fileSize" in error(arm.put(f"{workspace}/files/big", too_big), 400, "InvalidInput")
    wrong = {"properties": {"fileSize": 300, "chunkSize": 100, "numberOfChunks": 2}}
    assert "numberOfChunks" in error(arm.put(f"{workspace}/files/wrong", wrong), 400, "InvalidInput")
    error(arm.get(f"{workspace}/files/nope"), 404, "FileNotFound")
    error(arm.get(f"{SUB}/fileWorkspaces/nope"), 404, "FileWorkspaceNotFound")
    error(Arm(app, "admin@contoso.com").get(workspace), 404, "FileWorkspaceNotFound")  # per account
    world.advance_clock("P1D")  # a workspace lives one day
    error(arm.get(workspace), 404, "FileWorkspaceNotFound")
    error(arm.get(workspace, version="2020-04-01"), 400, "InvalidApiVersionParameter")


def test_a_chunk_of_two_and_a_half_megabytes_is_uploaded(app: Flask) -> None:
    arm = Arm(app, "user@contoso.com")
    workspace = f"{SUB}/fileWorkspaces/big"
    arm.put(workspace, None)
    size = 5 * 1024 * 1024 // 2
    sizes = {"properties": {"fileSize": size, "chunkSize": size, "numberOfChunks": 1}}
    assert arm.put(f"{workspace}/files/dump.bin", sizes).status_code == 201
    chunk = {"chunkIndex": 0, "content": base64.b64encode(b"x" * size).decode()}
    assert arm.post(f"{workspace}/files/dump.bin/upload", chunk).status_code == 204


def test_chat_transcripts_of_a_ticket(app: Flask, world: World) -> None:
    linked(world)
    arm = Arm(app, "user@contoso.com")
    arm.create("t1")
    assert arm.get(f"{SUB}/supportTickets/t1/chatTranscripts").get_json() == {"value": []}
    assert arm.get(f"{TENANT}/supportTickets/t1/chatTranscripts").get_json() == {"value": []}
    error(arm.get(f"{SUB}/supportTickets/t1/chatTranscripts/c1"), 404, "ChatTranscriptNotFound")
    error(arm.get(f"{SUB}/supportTickets/nope/chatTranscripts"), 404, "RequestNotFound")


# --- api-version 2020-04-01 ---------------------------------------------------------------------------------
#: SupportTicketDetailsProperties of api-version 2020-04-01 (azure-rest-api-specs, specification/
#: support/resource-manager/Microsoft.Support/stable/2020-04-01/support.json).
PROPERTIES_2020 = {
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


OLD = "2020-04-01"


def test_api_version_2020_04_01_has_its_own_shapes(app: Flask, world: World) -> None:
    contract_id = linked(world)
    arm = Arm(app, "user@contoso.com")
    body = ticket_body(advancedDiagnosticConsent=None, problemStartTime="2021-03-04T08:00:00Z")
    created = arm.put(f"{SUB}/supportTickets/old", body, version="2020-04-01")
    assert created.status_code == 200, created.get_json()
    properties = created.get_json()["properties"]
    assert set(properties) <= PROPERTIES_2020, set(properties) - PROPERTIES_2020
    assert properties["supportPlanType"] == "SignatureCloudSupport" and properties["title"] == "App down"
    assert world.support_request_named("user@contoso.com", "old").contract_id == contract_id
    newer = arm.get(f"{SUB}/supportTickets/old").get_json()["properties"]  # the same ticket in 2024-04-01
    assert newer["supportPlanId"] and newer["advancedDiagnosticConsent"] == "No"
    classification = arm.get(CLASSIFICATION_ID, version="2020-04-01").get_json()
    assert classification["properties"] == {"displayName": "Connectivity"}
    error(
        arm.put(f"{SUB}/supportTickets/old2", ticket_body(), version="2020-04-01"),
        400,
        "InvalidInput",  # advancedDiagnosticConsent is not a property of 2020-04-01
    )
    error(arm.get(f"{TENANT}/supportTickets", version="2020-04-01"), 400, "InvalidApiVersionParameter")
    closed = arm.patch(f"{SUB}/supportTickets/old", {"status": "closed"}, version="2020-04-01")
    assert closed.get_json()["properties"]["status"] == "Closed"
    error(
        arm.patch(f"{SUB}/supportTickets/old", {"advancedDiagnosticConsent": "Yes"}, version=OLD),
        400,
        "InvalidInput",
    )


# --- input checks, bounded memory, thread-safe polls ------------------------------------------------
BAD_CONTACTS: list[tuple[str, dict[str, Any], str]] = [
    (
        "not an email",
        ticket_body(contactDetails=contact(primaryEmailAddress="not an email")),
        "primaryEmailAddress",
    ),
    ("blank first name", ticket_body(contactDetails=contact(firstName="  ")), "firstName"),
    ("blank time zone", ticket_body(contactDetails=contact(preferredTimeZone="")), "preferredTimeZone"),
    (
        "bad additional email",
        ticket_body(contactDetails=contact(additionalEmailAddresses=["x"])),
        "additionalEmailAddresses",
    ),
    ("title with NUL", ticket_body(title="App\x00down"), "properties.title"),
    ("title with a line break", ticket_body(title="App\ndown"), "properties.title"),
    ("description with ESC", ticket_body(description="bad \x1b[31m"), "properties.description"),
]


@pytest.mark.parametrize(("case", "body", "field"), BAD_CONTACTS, ids=[c[0] for c in BAD_CONTACTS])
def test_contact_details_and_texts_are_checked(
    app: Flask, world: World, case: str, body: dict[str, Any], field: str
) -> None:
    linked(world)
    arm = Arm(app, "user@contoso.com")
    before = state(world)
    message = error(arm.put(f"{SUB}/supportTickets/t1", body), 400, "InvalidInput")
    assert field in message, f"expected {field} named, found {message!r}"
    assert state(world) == before
    arm.create("t2", ticket_body(description="Line one\nline two\ttabbed"))  # prose keeps its lines
    patched = arm.patch(f"{SUB}/supportTickets/t2", {"contactDetails": {"primaryEmailAddress": "bad"}})
    error(patched, 400, "InvalidInput")


def test_check_name_availability_of_2020_04_01_has_no_file_workspaces(app: Flask) -> None:
    arm = Arm(app, "user@contoso.com")
    ask = {"name": "ws-1", "type": "Microsoft.Support/fileWorkspaces"}
    error(arm.post(f"{SUB}/checkNameAvailability", ask, version="2020-04-01"), 400, "InvalidInput")
    assert arm.post(f"{SUB}/checkNameAvailability", ask).get_json() == {"nameAvailable": True}


def test_expired_workspaces_and_old_operations_are_purged(app: Flask, world: World) -> None:
    from portals.azure_management.state import MAX_OPERATIONS, state_of

    linked(world)
    arm = Arm(app, "user@contoso.com")
    arm.put(f"{SUB}/fileWorkspaces/ws-old", None)
    world.set_lro(polls=1, retry_after=1)
    first = arm.put(f"{SUB}/supportTickets/t1", ticket_body()).headers["Azure-AsyncOperation"]
    world.advance_clock("P1DT1M")  # the workspace expired one day after it was made
    arm.put(f"{SUB}/fileWorkspaces/ws-new", None)
    arm.put(f"{SUB}/supportTickets/t2", ticket_body())
    kept = state_of(world)
    assert [w.name for w in kept.workspaces.values()] == ["ws-new"], f"found {list(kept.workspaces)}"
    assert len(kept.operations) == 1, f"expected the new operation only, found {len(kept.operations)}"
    error(arm.follow(first), 404, "OperationNotFound")
    for index in range(MAX_OPERATIONS + 5):
        world.create_azure_request("user@contoso.com", "app-service", "t", "d", name=f"bulk-{index}")
        kept.start(world, "user@contoso.com", "", f"bulk-{index}")
    assert len(kept.operations) == MAX_OPERATIONS, (
        f"expected at most {MAX_OPERATIONS}, found {len(kept.operations)}"
    )


def test_a_poll_counts_under_the_lock(app: Flask, world: World) -> None:
    import threading

    from portals.azure_management.state import state_of

    linked(world)
    world.set_lro(polls=3, retry_after=1)
    arm = Arm(app, "user@contoso.com")
    status_url = arm.put(f"{SUB}/supportTickets/t1", ticket_body()).headers["Azure-AsyncOperation"]
    path = urlsplit(status_url)
    headers = {"Authorization": f"Bearer {mint_token('user@contoso.com', world=WORLD)}"}
    answers: list[str] = []
    poller = threading.Thread(
        target=lambda: answers.append(
            app.test_client().get(f"{path.path}?{path.query}", headers=headers).get_json()["status"]
        )
    )
    kept = state_of(world)
    with kept.lock:
        poller.start()
        poller.join(0.5)
        assert poller.is_alive(), f"expected the poll to wait for the lock, found it answered {answers}"
    poller.join(10)
    assert answers == ["InProgress"], f"found {answers}"


@pytest.mark.parametrize(
    ("portal", "upn", "path"),
    [
        ("azure_management", "user@contoso.com", f"/{SUB}/supportTickets?api-version={API}"),
        ("azure_management", "user@contoso.com", f"/{TENANT}/services?api-version={API}"),
        ("partner_center_api", "agent@wingtip.com", "//v1/servicerequests"),
    ],
)
def test_a_leading_double_slash_is_a_404_live_and_in_process(
    stack: PortalStack, sdk_world: World, portal: str, upn: str, path: str
) -> None:
    """Servers keep a leading ``//`` in the path (waitress, the in-process bridge), and werkzeug
    drops it before routing: the APIs still answer it as no route, as a ``//`` anywhere else."""
    import requests

    token = mint_token(upn, world=sdk_world.name)
    url = stack.url(portal, path)
    answer = requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert answer.status_code == 404, f"expected 404 for {path}, found {answer.status_code}: {answer.text}"
    body = answer.json()
    code = body["error"]["code"] if portal == "azure_management" else body["data"][0]
    assert code == "RouteNotFound", f"expected RouteNotFound, found {body}"
