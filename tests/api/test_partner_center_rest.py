"""The Partner Center REST API (``/v1``): each endpoint's shape, seek paging, PascalCase in and
camelCase out, and Partner Center's error shape for every kind of error, with no state change."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from cast import CAST
from flask import Flask
from flask.testing import FlaskClient

from harness.stack import PortalStack
from portals.backend import World, WorldRegistry
from portals.backend.catalog import SUPPORT_TOPICS
from portals.partner_center_api import create_app
from portals.partner_center_api.api import tenant_id
from portals.web.tokens import mint_token

WORLD = "cast"
TOPIC = SUPPORT_TOPICS[1]  # Technical benefits
#: Wingtip with seven customers, for paging.
CUSTOMERS = [{"id": f"customer-{n}", "name": f"Customer {n}"} for n in range(1, 8)]


@pytest.fixture
def registry() -> WorldRegistry:
    document = copy.deepcopy(CAST)
    wingtip = next(o for o in document["organisations"] if o["id"] == "wingtip")
    wingtip["customers"] = [*wingtip["customers"], *CUSTOMERS]
    registry = WorldRegistry()
    registry.create(WORLD, document)
    return registry


@pytest.fixture
def world(registry: WorldRegistry) -> World:
    return registry.get(WORLD)


@pytest.fixture
def app(registry: WorldRegistry) -> Flask:
    return create_app(registry)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def auth(upn: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(upn)}", "X-Harness-World": WORLD, **extra}


def pc_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """Partner Center's error shape, with the backend's refusal code in ``data``."""
    body = response.get_json()
    assert response.status_code == status, (response.status_code, body)
    assert set(body) == {"code", "description", "data", "source"}, body
    assert body["code"] == status
    assert body["data"][0] == code, body
    assert body["source"] == "PartnerCenter"
    assert isinstance(body["description"], str) and body["description"]
    return body


def new_request(client: FlaskClient, upn: str = "admin@contoso.com", **fields: Any) -> dict[str, Any]:
    body = {
        "Title": "Activate fails",
        "Description": "The Activate button answers an error",
        "Severity": "Critical",
        "SupportTopicId": TOPIC.id,
        **fields,
    }
    response = client.post("/v1/servicerequests/en-US", json=body, headers=auth(upn))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


# --- profile and support topics ----------------------------------------------------------------------
def test_mpn_profile(client: FlaskClient) -> None:
    body = client.get("/v1/profiles/mpn", headers=auth("user@contoso.com")).get_json()
    assert body["partnerName"] == "Contoso"
    assert body["mpnId"].isdigit()
    assert body["profileType"] == "MpnProfile"
    assert body["attributes"] == {"objectType": "MpnProfile"}


@pytest.mark.rule("R-PC-02")
def test_mpn_profile_of_a_csp_only_partner_is_refused(client: FlaskClient) -> None:
    pc_error(client.get("/v1/profiles/mpn", headers=auth("agent@adatum.com")), 403, "NotAuthorized")


def test_support_topics(client: FlaskClient) -> None:
    body = client.get("/v1/servicerequests/supporttopics", headers=auth("user@contoso.com")).get_json()
    assert body["totalCount"] == len(SUPPORT_TOPICS) == len(body["items"])
    assert body["attributes"] == {"objectType": "Collection"}
    first = body["items"][0]
    assert set(first) == {"name", "description", "id", "attributes"}
    assert first["attributes"] == {"objectType": "SupportTopic"}
    assert [t["id"] for t in body["items"]] == [t.id for t in SUPPORT_TOPICS]


# --- customers -----------------------------------------------------------------------------------------
@pytest.mark.rule("R-CSP-01")
def test_customers_seek_paging_follows_links_next(client: FlaskClient, world: World) -> None:
    expected = [tenant_id(c.tenant) for c in world.customers("agent@wingtip.com")]
    assert len(expected) == 9
    seen, pages = [], 0
    response = client.get("/v1/customers?size=4", headers=auth("agent@wingtip.com"))
    while True:
        body = response.get_json()
        assert response.status_code == 200, body
        assert body["attributes"] == {"objectType": "Collection"}
        assert body["totalCount"] == len(body["items"]) <= 4
        pages += 1
        seen += [item["id"] for item in body["items"]]
        following = body["links"].get("next")
        if following is None:
            break
        assert following["uri"] == "/v1/customers?size=4&seekOperation=next"
        assert following["method"] == "GET"
        headers = {h["key"]: h["value"] for h in following["headers"]}
        assert set(headers) == {"MS-ContinuationToken"}
        response = client.get(following["uri"], headers=auth("agent@wingtip.com", **headers))
    assert pages == 3
    assert seen == expected


@pytest.mark.rule("R-CSP-01")
def test_customer_shape(client: FlaskClient) -> None:
    body = client.get("/v1/customers", headers=auth("agent@wingtip.com")).get_json()
    assert "next" not in body["links"]
    woodgrove = body["items"][0]
    assert woodgrove == {
        "id": tenant_id("woodgrove.onmicrosoft.com"),
        "companyProfile": {
            "tenantId": tenant_id("woodgrove.onmicrosoft.com"),
            "domain": "woodgrove.onmicrosoft.com",
            "companyName": "Woodgrove Bank",
            "attributes": {"objectType": "CustomerCompanyProfile"},
        },
        "relationshipToPartner": "reseller",
        "attributes": {"objectType": "Customer"},
    }


@pytest.mark.rule("R-CSP-01")
@pytest.mark.parametrize(
    ("upn", "code"),
    [
        ("user@wingtip.com", "RoleRequired"),
        ("admin@wingtip.com", "RoleRequired"),
        ("admin@contoso.com", "NotAuthorized"),
    ],
)
def test_customers_need_an_admin_agent_of_a_csp_partner(client: FlaskClient, upn: str, code: str) -> None:
    pc_error(client.get("/v1/customers", headers=auth(upn)), 403, code)


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ("size=0", {}),
        ("size=501", {}),
        ("size=two", {}),
        ("size=2&seekOperation=previous", {"MS-ContinuationToken": "x"}),
        ("size=2&seekOperation=next", {}),
        ("size=2&seekOperation=next", {"MS-ContinuationToken": "not-a-token"}),
        ("size=2&seekOperation=next", {"MS-ContinuationToken": "eyJvZmZzZXQiOjk5fQ"}),  # offset 99
    ],
)
def test_bad_paging_is_a_400(client: FlaskClient, query: str, headers: dict[str, str]) -> None:
    response = client.get(f"/v1/customers?{query}", headers=auth("agent@wingtip.com", **headers))
    pc_error(response, 400, "InvalidInput")


# --- the partner's service requests --------------------------------------------------------------------
def test_create_takes_pascal_case_and_answers_camel_case_201(client: FlaskClient) -> None:
    contact = {
        "FirstName": "Ada",
        "LastName": "Lovelace",
        "Email": "ada@contoso.com",
        "PhoneNumber": "+1 555",
    }
    response = client.post(
        "/v1/servicerequests/en-US",
        json={
            "Title": "Activate fails",
            "Description": "The Activate button answers an error",
            "Severity": "Critical",
            "SupportTopicId": TOPIC.id,
            "PrimaryContact": contact,
            "Status": "none",  # what the SDKs send back in a whole object: read-only, ignored
            "Id": None,
        },
        headers=auth("admin@contoso.com"),
    )
    body = response.get_json()
    assert response.status_code == 201, body
    assert response.headers["Location"] == f"/v1/servicerequests/{body['id']}"
    assert body == {
        "id": body["id"],
        "title": "Activate fails",
        "description": "The Activate button answers an error",
        "severity": "critical",
        "supportTopicId": TOPIC.id,
        "supportTopicName": TOPIC.name,
        "status": "open",
        "organization": {"id": tenant_id("contoso.onmicrosoft.com"), "name": "Contoso"},
        "primaryContact": {
            "firstName": "Ada",
            "lastName": "Lovelace",
            "email": "ada@contoso.com",
            "phoneNumber": "+1 555",
        },
        "createdDate": "2021-03-04T09:00:00Z",
        "lastModifiedDate": "2021-03-04T09:00:00Z",
        "attributes": {"objectType": "ServiceRequest"},
    }
    assert len(body["id"]) == 16 and body["id"].isdigit()


def test_create_takes_camel_case_and_topic_names_too(client: FlaskClient) -> None:
    body = {
        "title": "Invoice",
        "description": "Missing invoice",
        "supportTopicId": "Billing",
        "severity": "minimal",
    }
    response = client.post("/v1/servicerequests/es-ES", json=body, headers=auth("user@contoso.com"))
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["supportTopicName"] == "Billing"
    assert created["severity"] == "minimal"
    assert created["primaryContact"] is None


def test_get_and_list_service_requests(client: FlaskClient) -> None:
    created = new_request(client)
    got = client.get(f"/v1/servicerequests/{created['id']}", headers=auth("admin@contoso.com"))
    assert got.status_code == 200 and got.get_json() == created
    listed = client.get("/v1/servicerequests", headers=auth("admin@contoso.com")).get_json()
    assert listed["totalCount"] == 1 and listed["items"] == [created]
    others = client.get("/v1/servicerequests", headers=auth("user@contoso.com")).get_json()
    assert others["items"] == []


def test_patch_closes_and_changes_severity_and_contact(client: FlaskClient, world: World) -> None:
    created = new_request(client)
    world.advance_clock("PT2H")
    response = client.patch(
        f"/v1/servicerequests/{created['id']}",
        json={"Status": "Closed", "Severity": "Moderate", "PrimaryContact": {"Email": "new@contoso.com"}},
        headers=auth("admin@contoso.com"),
    )
    body = response.get_json()
    assert response.status_code == 200, body
    assert body["status"] == "closed"
    assert body["severity"] == "moderate"
    assert body["primaryContact"] == {"email": "new@contoso.com"}
    assert body["lastModifiedDate"] == "2021-03-04T11:00:00Z"
    assert body["createdDate"] == created["createdDate"]
    again = client.get(f"/v1/servicerequests/{created['id']}", headers=auth("admin@contoso.com")).get_json()
    assert again == body
    reopened = client.patch(
        f"/v1/servicerequests/{created['id']}", json={"status": "open"}, headers=auth("admin@contoso.com")
    )
    assert reopened.get_json()["status"] == "open"


# --- CSP customer requests -------------------------------------------------------------------------------
@pytest.mark.rule("R-CSP-01")
def test_customer_service_requests_by_tenant_guid_domain_or_id(client: FlaskClient, world: World) -> None:
    created = world.create_customer_support_request(
        "agent@wingtip.com", "woodgrove", "azure", "VM down", "The VM does not start"
    )
    for key in (tenant_id("woodgrove.onmicrosoft.com"), "woodgrove.onmicrosoft.com", "woodgrove"):
        response = client.get(f"/v1/customers/{key}/servicerequests", headers=auth("agent@wingtip.com"))
        body = response.get_json()
        assert response.status_code == 200, body
        assert body["totalCount"] == 1
        item = body["items"][0]
        assert item["id"] == created.id
        assert item["supportTopicId"] is None
        assert item["supportTopicName"] == "Virtual Machine running Windows"
        assert item["organization"] == {
            "id": tenant_id("woodgrove.onmicrosoft.com"),
            "name": "Woodgrove Bank",
        }
        assert "remaining" not in response.get_data(as_text=True).lower()
    single = client.get(f"/v1/servicerequests/{created.id}", headers=auth("agent@wingtip.com"))
    assert single.get_json()["id"] == created.id
    empty = client.get("/v1/customers/relecloud/servicerequests", headers=auth("agent@wingtip.com"))
    assert empty.get_json()["items"] == []


@pytest.mark.rule("R-CSP-01")
def test_customer_service_requests_refusals(client: FlaskClient) -> None:
    path = "/v1/customers/woodgrove/servicerequests"
    pc_error(client.get(path, headers=auth("user@wingtip.com")), 403, "RoleRequired")
    pc_error(client.get(path, headers=auth("admin@contoso.com")), 403, "NotAuthorized")
    unknown = "/v1/customers/nobody.onmicrosoft.com/servicerequests"
    pc_error(client.get(unknown, headers=auth("agent@wingtip.com")), 404, "CustomerNotFound")


@pytest.mark.rule("R-SFB-05")
def test_no_answer_shows_remaining_incidents(client: FlaskClient, world: World) -> None:
    world.activate_benefits("admin@contoso.com")
    world.create_customer_support_request("agent@wingtip.com", "woodgrove", "azure", "VM", "down")
    created = new_request(client)
    paths = [
        ("admin@contoso.com", "/v1/profiles/mpn"),
        ("admin@contoso.com", "/v1/servicerequests"),
        ("admin@contoso.com", f"/v1/servicerequests/{created['id']}"),
        ("agent@wingtip.com", "/v1/customers"),
        ("agent@wingtip.com", "/v1/customers/woodgrove/servicerequests"),
    ]
    for upn, path in paths:
        response = client.get(path, headers=auth(upn))
        assert response.status_code == 200, (path, response.get_json())
        assert "remaining" not in response.get_data(as_text=True).lower()
        assert "incident" not in response.get_data(as_text=True).lower()


# --- identity -------------------------------------------------------------------------------------------
def test_the_tokens_world_claim_selects_the_world(client: FlaskClient) -> None:
    token = mint_token("admin@contoso.com", world=WORLD)
    response = client.get("/v1/profiles/mpn", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.get_json()["partnerName"] == "Contoso"


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({"X-Harness-World": WORLD}, "AuthenticationRequired"),
        ({"X-Harness-World": WORLD, "Authorization": "Basic abc"}, "AuthenticationRequired"),
        ({"X-Harness-World": WORLD, "Authorization": "Bearer not.a-jwt"}, "AuthenticationRequired"),
        (
            {"X-Harness-World": WORLD, "Authorization": f"Bearer {mint_token('ghost@contoso.com')}"},
            "AccountNotFound",
        ),
    ],
)
def test_no_valid_token_is_a_401(client: FlaskClient, headers: dict[str, str], code: str) -> None:
    response = client.get("/v1/servicerequests", headers=headers)
    pc_error(response, 401, code)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_login_hint_or_cookie_is_no_identity(client: FlaskClient) -> None:
    client.set_cookie("account", "admin@contoso.com", domain="localhost")
    response = client.get("/v1/profiles/mpn?login_hint=admin@contoso.com", headers={"X-Harness-World": WORLD})
    pc_error(response, 401, "AuthenticationRequired")


@pytest.mark.rule("D8")
def test_a_personal_account_is_refused(client: FlaskClient) -> None:
    pc_error(
        client.get("/v1/profiles/mpn", headers=auth("engineer@outlook.com")), 403, "PartnerAccountRequired"
    )


# --- every other error kind, in Partner Center's shape, changing nothing ------------------------------
def _oversized() -> dict[str, Any]:
    return {"Title": "x", "Description": "y" * 70_000, "SupportTopicId": TOPIC.id}


CREATE = "/v1/servicerequests/en-US"
ERRORS: list[tuple[str, str, str, dict[str, Any], int, str]] = [
    # (name, method, path, {json | data + content_type}, status, refusal code)
    (
        "unknown topic",
        "POST",
        CREATE,
        {"json": {"Title": "t", "Description": "d", "SupportTopicId": "nope"}},
        404,
        "SupportTopicNotFound",
    ),
    ("unknown route", "GET", "/v1/nothing-here", {}, 404, "RouteNotFound"),
    ("unknown request", "GET", "/v1/servicerequests/2103040000000999", {}, 404, "RequestNotFound"),
    (
        "patch unknown request",
        "PATCH",
        "/v1/servicerequests/2103040000000999",
        {"json": {"Status": "closed"}},
        404,
        "RequestNotFound",
    ),
    ("method", "DELETE", "/v1/servicerequests/2103040000000001", {}, 405, "MethodNotAllowed"),
    ("post to an id", "POST", "/v1/servicerequests/2103040000000001", {"json": {}}, 405, "MethodNotAllowed"),
    ("post customers", "POST", "/v1/customers", {"json": {}}, 405, "MethodNotAllowed"),
    (
        "malformed JSON",
        "POST",
        CREATE,
        {"data": "{not json", "content_type": "application/json"},
        400,
        "InvalidInput",
    ),
    (
        "not JSON",
        "POST",
        CREATE,
        {"data": "Title=x", "content_type": "application/x-www-form-urlencoded"},
        400,
        "InvalidInput",
    ),
    ("a list", "POST", CREATE, {"json": [1, 2]}, 400, "InvalidInput"),
    (
        "wrong type",
        "POST",
        CREATE,
        {"json": {"Title": 5, "Description": "d", "SupportTopicId": TOPIC.id}},
        400,
        "InvalidInput",
    ),
    (
        "unknown field",
        "POST",
        CREATE,
        {"json": {"Title": "t", "Description": "d", "SupportTopicId": TOPIC.id, "Colour": "red"}},
        400,
        "InvalidInput",
    ),
    (
        "missing field",
        "POST",
        CREATE,
        {"json": {"Title": "t", "SupportTopicId": TOPIC.id}},
        400,
        "InvalidInput",
    ),
    (
        "twice",
        "POST",
        CREATE,
        {"json": {"Title": "t", "title": "u", "Description": "d", "SupportTopicId": TOPIC.id}},
        400,
        "InvalidInput",
    ),
    (
        "bad severity",
        "POST",
        CREATE,
        {"json": {"Title": "t", "Description": "d", "SupportTopicId": TOPIC.id, "Severity": "Urgent"}},
        400,
        "InvalidInput",
    ),
    (
        "bad contact",
        "POST",
        CREATE,
        {
            "json": {
                "Title": "t",
                "Description": "d",
                "SupportTopicId": TOPIC.id,
                "PrimaryContact": {"Fax": "1"},
            }
        },
        400,
        "InvalidInput",
    ),
    (
        "empty title",
        "POST",
        CREATE,
        {"json": {"Title": " ", "Description": "d", "SupportTopicId": TOPIC.id}},
        400,
        "InvalidInput",
    ),
    ("oversized", "POST", CREATE, {"json": _oversized()}, 413, "PayloadTooLarge"),
]


@pytest.mark.rule("D11")
@pytest.mark.parametrize(
    ("method", "path", "send", "status", "code"),
    [case[1:] for case in ERRORS],
    ids=[case[0] for case in ERRORS],
)
def test_every_error_has_the_partner_center_shape_and_changes_nothing(
    client: FlaskClient, world: World, method: str, path: str, send: dict[str, Any], status: int, code: str
) -> None:
    before = json.dumps(world.snapshot(), sort_keys=True)
    response = client.open(path, method=method, headers=auth("admin@contoso.com"), **send)
    pc_error(response, status, code)
    assert json.dumps(world.snapshot(), sort_keys=True) == before
    if status == 405:
        assert response.headers["Allow"]


@pytest.mark.rule("D11")
@pytest.mark.parametrize(
    "body",
    [
        {"Status": "attentionNeeded"},
        {"Severity": "Urgent"},
        {"Status": "none"},
        {},
        {"PrimaryContact": {"Email": 5}},
        {"PrimaryContact": "ada"},
        {"Status": "closed", "Colour": "red"},
    ],
)
def test_refused_patches_change_nothing(client: FlaskClient, world: World, body: dict[str, Any]) -> None:
    created = new_request(client)
    before = json.dumps(world.snapshot(), sort_keys=True)
    response = client.patch(
        f"/v1/servicerequests/{created['id']}", json=body, headers=auth("admin@contoso.com")
    )
    pc_error(response, 400, "InvalidInput")
    assert json.dumps(world.snapshot(), sort_keys=True) == before


def test_other_portals_requests_are_not_partner_center_service_requests(
    client: FlaskClient, world: World
) -> None:
    view = world.activate_benefits("admin@contoso.com")
    world.add_contract("admin@contoso.com", view.access_id or "", view.contract_id or "")
    sfb = world.create_support_request(
        "admin@contoso.com", "sfb", product="windows-10", title="t", description="d"
    )
    path = f"/v1/servicerequests/{sfb.id}"
    pc_error(client.get(path, headers=auth("admin@contoso.com")), 404, "RequestNotFound")
    before = json.dumps(world.snapshot(), sort_keys=True)
    pc_error(
        client.patch(path, json={"Status": "closed"}, headers=auth("admin@contoso.com")),
        404,
        "RequestNotFound",
    )
    assert json.dumps(world.snapshot(), sort_keys=True) == before


def test_errors_are_localized(client: FlaskClient) -> None:
    response = client.get(
        "/v1/servicerequests/123", headers=auth("admin@contoso.com", **{"Accept-Language": "es-ES"})
    )
    body = pc_error(response, 404, "RequestNotFound")
    assert body["description"].startswith("Solicitud de soporte técnico desconocida")


def test_an_unexpected_failure_is_a_500_in_the_same_shape(
    client: FlaskClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(upn: str) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(world, "partner_profile", broken)
    pc_error(client.get("/v1/profiles/mpn", headers=auth("admin@contoso.com")), 500, "InternalError")


def test_the_control_api_keeps_its_own_shape(client: FlaskClient) -> None:
    response = client.get("/_harness/worlds/nope/journal")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "WorldNotFound"


# --- through the harness -------------------------------------------------------------------------------
@pytest.fixture
def stack() -> Iterator[PortalStack]:
    with PortalStack("inprocess") as running:
        yield running


@pytest.mark.rule("R-CSP-01")
def test_through_the_inprocess_stack(stack: PortalStack) -> None:
    stack.new_world("pc-rest", copy.deepcopy(CAST))
    base = "http://api.partnercenter.test"
    assert stack.urls["partner_center_api"] == base
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {mint_token('agent@wingtip.com', world='pc-rest')}"

    first = session.get(f"{base}/v1/customers", params={"size": 1}).json()
    token = first["links"]["next"]["headers"][0]
    second = session.get(base + first["links"]["next"]["uri"], headers={token["key"]: token["value"]}).json()
    names = [i["companyProfile"]["companyName"] for i in first["items"] + second["items"]]
    assert names == ["Woodgrove Bank", "Relecloud"]

    created = session.post(
        f"{base}/v1/servicerequests/en-US",
        json={
            "Title": "Customers",
            "Description": "A customer is missing",
            "SupportTopicId": "Customer management",
        },
    )
    assert created.status_code == 201, created.text
    request_id = created.json()["id"]
    closed = session.patch(f"{base}/v1/servicerequests/{request_id}", json={"Status": "Closed"})
    assert closed.json()["status"] == "closed"

    missing = session.get(f"{base}/v1/servicerequests/0")
    assert missing.status_code == 404
    assert missing.json()["data"] == ["RequestNotFound"]
    assert missing.json()["source"] == "PartnerCenter"
