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


#: Partner Center's own codes: 3000 for what cannot be found (its documented MPN profile error),
#: 2000 for a request it will not take as sent; other errors carry their HTTP status.
PC_CODES = {400: 2000, 404: 3000, 405: 2000, 413: 2000}


def pc_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """Partner Center's error shape, with the backend's refusal code in ``data``."""
    body = response.get_json()
    assert response.status_code == status, (response.status_code, body)
    assert set(body) == {"code", "description", "data", "source"}, body
    assert body["code"] == PC_CODES.get(status, status), body
    assert body["data"][0] == code, body
    assert body["source"] == "PartnerFD"
    assert isinstance(body["description"], str) and body["description"]
    return body


def new_request(client: FlaskClient, upn: str = "admin@contoso.com", **fields: Any) -> dict[str, Any]:
    body = {
        "Title": "Activate fails",
        "Description": "The Activate button answers an error",
        "Severity": "Critical",
        "SupportTopicId": str(TOPIC.number),
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
    assert body["links"] == {"self": {"uri": "/profiles/mpn", "method": "GET", "headers": []}}
    assert body["attributes"] == {"objectType": "MpnProfile"}
    own = client.get(f"/v1/profiles/mpn?mpnId={body['mpnId']}", headers=auth("user@contoso.com"))
    assert own.get_json() == body


def test_an_unknown_mpn_id_is_partner_centers_3000(client: FlaskClient) -> None:
    """As "Get an MPN profile" documents its failure."""
    response = client.get("/v1/profiles/mpn?mpnId=9999999", headers=auth("user@contoso.com"))
    body = pc_error(response, 404, "PartnerNotFound")
    assert body["code"] == 3000
    assert body["description"] == "Partner Organization with partner_id 9999999 could not be found"


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
    assert [t["id"] for t in body["items"]] == [1001, 1002, 1003, 1004, 32444671]
    assert body["items"][4]["name"] == "Cannot manage my profile"


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
        assert following["uri"] == "/customers?size=4&seekOperation=next"  # as Partner Center writes it
        assert following["method"] == "GET"
        headers = {h["key"]: h["value"] for h in following["headers"]}
        assert set(headers) == {"MS-ContinuationToken"}
        response = client.get(f"/v1{following['uri']}", headers=auth("agent@wingtip.com", **headers))
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


@pytest.mark.parametrize(
    ("query", "named"), [("size=2&size=500", "size"), ("size=2&seekOperation=next&SIZE=3", "SIZE")]
)
def test_a_repeated_query_parameter_is_refused_naming_it(client: FlaskClient, query: str, named: str) -> None:
    response = client.get(f"/v1/customers?{query}", headers=auth("agent@wingtip.com"))
    body = pc_error(response, 400, "InvalidInput")
    assert body["description"].startswith(f"Invalid input: {named}: given more than once"), body


@pytest.mark.parametrize(
    "path", ["/v1//servicerequests", "//v1/servicerequests", "/v1/servicerequests//supporttopics"]
)
def test_a_double_slash_is_a_404_in_partner_centers_shape(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers=auth("admin@contoso.com"))
    pc_error(response, 404, "RouteNotFound")


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
            "SupportTopicId": str(TOPIC.number),
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
        "supportTopicId": "1002",
        "supportTopicName": TOPIC.name,
        "status": "open",
        "organization": {"id": tenant_id("contoso.onmicrosoft.com"), "name": "Contoso", "phoneNumber": None},
        "primaryContact": {
            "firstName": "Ada",
            "lastName": "Lovelace",
            "email": "ada@contoso.com",
            "phoneNumber": "+1 555",
        },
        "productId": None,
        "productName": None,
        "createdDate": "2021-03-04T09:00:00Z",
        "lastModifiedDate": "2021-03-04T09:00:00Z",
        "lastClosedDate": "0001-01-01T00:00:00",
        "countryCode": "US",
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
    assert created["supportTopicName"] == "Billing" and created["supportTopicId"] == "1003"
    assert created["severity"] == "minimal"
    # filled from the caller, as Partner Center does; the country from the agent's locale
    assert created["primaryContact"] == {
        "firstName": "user",
        "lastName": "",
        "email": "user@contoso.com",
        "phoneNumber": None,
    }
    assert created["countryCode"] == "ES"


def test_get_and_list_service_requests(client: FlaskClient) -> None:
    created = new_request(client)
    got = client.get(f"/v1/servicerequests/{created['id']}", headers=auth("admin@contoso.com"))
    assert got.status_code == 200 and got.get_json() == created
    listed = client.get("/v1/servicerequests", headers=auth("admin@contoso.com")).get_json()
    assert listed["totalCount"] == 1 and listed["items"] == [created]
    # "Retrieves Service Requests associated to the partner" (the SDK's ServiceRequests.Get): every
    # account of the partner sees them, and may read and update each; another partner sees none
    colleague = client.get("/v1/servicerequests", headers=auth("user@contoso.com")).get_json()
    assert [r["id"] for r in colleague["items"]] == [created["id"]], colleague
    own = new_request(client, upn="user@contoso.com", Title="Second")
    listed = client.get("/v1/servicerequests", headers=auth("admin@contoso.com")).get_json()
    assert [r["id"] for r in listed["items"]] == [created["id"], own["id"]], listed
    read = client.get(f"/v1/servicerequests/{created['id']}", headers=auth("user@contoso.com"))
    assert read.status_code == 200 and read.get_json()["title"] == "Activate fails", read.get_json()
    others = client.get("/v1/servicerequests", headers=auth("admin@fabrikam.com")).get_json()
    assert others["items"] == [], f"expected no request of another partner, found {others['items']}"
    pc_error(
        client.get(f"/v1/servicerequests/{created['id']}", headers=auth("admin@fabrikam.com")),
        404,
        "RequestNotFound",
    )


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
    assert body["lastClosedDate"] == "2021-03-04T11:00:00Z"
    assert body["lastUpdatedBy"] == {
        "firstName": "admin",
        "lastName": "",
        "email": "admin@contoso.com",
        "phoneNumber": None,
    }
    assert body["createdDate"] == created["createdDate"]
    again = client.get(f"/v1/servicerequests/{created['id']}", headers=auth("admin@contoso.com")).get_json()
    assert again == body
    reopened = client.patch(
        f"/v1/servicerequests/{created['id']}", json={"status": "open"}, headers=auth("admin@contoso.com")
    )
    assert reopened.get_json()["status"] == "open"


#: The documentation's create request ("Create a service request", REST request example): a whole
#: ServiceRequest in PascalCase, nulls and read-only fields included.
DOCUMENTED_CREATE = {
    "Title": "TrialSR",
    "Description": "Ignore this SR",
    "Severity": "critical",
    "SupportTopicId": "32444671",
    "SupportTopicName": None,
    "Id": None,
    "Status": "none",
    "Organization": None,
    "PrimaryContact": None,
    "LastUpdatedBy": None,
    "ProductName": None,
    "ProductId": None,
    "CreatedDate": "0001-01-01T00:00:00",
    "LastModifiedDate": "0001-01-01T00:00:00",
    "LastClosedDate": "0001-01-01T00:00:00",
    "FileLinks": None,
    "NewNote": None,
    "Notes": None,
    "CountryCode": None,
    "Attributes": {"ObjectType": "ServiceRequest"},
}


def test_the_documented_create_request_is_taken_as_sent(client: FlaskClient) -> None:
    sent = {
        "MS-RequestId": "f9a030bd-e492-4c1a-9c70-021f18234981",
        "MS-CorrelationId": "fd969070-4e5f-4c6b-a3c6-1941283b39ae",
        "X-Locale": "en-US",
    }
    response = client.post(CREATE, json=DOCUMENTED_CREATE, headers=auth("admin@contoso.com", **sent))
    body = response.get_json()
    assert response.status_code == 201, body
    assert response.headers["MS-RequestId"] == "f9a030bd-e492-4c1a-9c70-021f18234981"
    assert response.headers["MS-CorrelationId"] == "fd969070-4e5f-4c6b-a3c6-1941283b39ae"
    assert body["supportTopicId"] == "32444671" and body["supportTopicName"] == "Cannot manage my profile"
    assert body["severity"] == "critical" and body["status"] == "open"
    assert body["primaryContact"] == {
        "firstName": "admin",
        "lastName": "",
        "email": "admin@contoso.com",
        "phoneNumber": None,
    }
    assert body["organization"]["phoneNumber"] is None and body["organization"]["name"] == "Contoso"
    assert body["lastClosedDate"] == "0001-01-01T00:00:00" and body["countryCode"] == "US"
    assert body["productId"] is None and body["productName"] is None
    numbered = client.post(
        CREATE, json={**DOCUMENTED_CREATE, "SupportTopicId": 32444671}, headers=auth("admin@contoso.com")
    )
    assert numbered.status_code == 201 and numbered.get_json()["supportTopicId"] == "32444671"


def test_every_answer_echoes_the_call_ids_or_makes_them(client: FlaskClient) -> None:
    made = client.get("/v1/profiles/mpn", headers=auth("admin@contoso.com"))
    assert len(made.headers["MS-RequestId"]) == 36 and len(made.headers["MS-CorrelationId"]) == 36
    refused = client.get(
        "/v1/servicerequests/0", headers=auth("admin@contoso.com", **{"MS-RequestId": "r-1"})
    )
    assert refused.status_code == 404 and refused.headers["MS-RequestId"] == "r-1"


def test_a_new_note_is_added_by_patch(client: FlaskClient, world: World) -> None:
    created = new_request(client)
    world.advance_clock("PT1H")
    response = client.patch(
        f"/v1/servicerequests/{created['id']}",
        json={"NewNote": {"Text": "Sample Note"}},
        headers=auth("admin@contoso.com"),
    )
    body = response.get_json()
    assert response.status_code == 200, body
    assert body["notes"] == [
        {"createdByName": "admin", "createdDate": "2021-03-04T10:00:00Z", "text": "Sample Note"}
    ]
    assert body["status"] == "open" and body["lastModifiedDate"] == "2021-03-04T10:00:00Z"
    # the whole object sent back, as the SDKs send it, with a note: its read-only fields ignored
    whole = {**{k[0].upper() + k[1:]: v for k, v in body.items()}, "NewNote": {"Text": "Second"}}
    again = client.patch(
        f"/v1/servicerequests/{created['id']}", json=whole, headers=auth("admin@contoso.com")
    )
    assert [n["text"] for n in again.get_json()["notes"]] == ["Sample Note", "Second"], again.get_json()
    closing = client.patch(
        f"/v1/servicerequests/{created['id']}",
        json={"Status": "closed", "NewNote": {"Text": "Solved"}},
        headers=auth("admin@contoso.com"),
    ).get_json()
    assert closing["status"] == "closed" and closing["notes"][-1]["text"] == "Solved"
    before = json.dumps(world.snapshot(), sort_keys=True)
    pc_error(
        client.patch(
            f"/v1/servicerequests/{created['id']}",
            json={"NewNote": {"Text": "late"}},
            headers=auth("admin@contoso.com"),
        ),
        400,
        "InvalidInput",  # a closed request takes no note; reopen it with the note
    )
    assert json.dumps(world.snapshot(), sort_keys=True) == before
    reopened = client.patch(
        f"/v1/servicerequests/{created['id']}",
        json={"Status": "open", "NewNote": {"Text": "Again"}},
        headers=auth("admin@contoso.com"),
    ).get_json()
    assert reopened["status"] == "open" and reopened["notes"][-1]["text"] == "Again"


def counters(world: World) -> dict[str, int]:
    return dict(world.state.counters)


@pytest.mark.rule("D11")
def test_a_create_refused_for_its_note_files_nothing(client: FlaskClient, world: World) -> None:
    """The note is checked with the rest, before anything is filed: no request, no number used."""
    before, numbers = json.dumps(world.snapshot(), sort_keys=True), counters(world)
    body = {
        "Title": "Activate fails",
        "Description": "The Activate button answers an error",
        "SupportTopicId": str(TOPIC.number),
        "NewNote": {"Text": "   "},
    }
    refused = pc_error(client.post(CREATE, json=body, headers=auth("admin@contoso.com")), 400, "InvalidInput")
    assert refused["description"].startswith("Invalid input: newNote.text:"), refused
    assert json.dumps(world.snapshot(), sort_keys=True) == before
    assert counters(world) == numbers
    listed = client.get("/v1/servicerequests", headers=auth("admin@contoso.com")).get_json()
    assert listed["items"] == [], f"expected no request, found {listed['items']}"
    created = new_request(client, NewNote={"Text": "First note"})
    assert [n["text"] for n in created["notes"]] == ["First note"], created


@pytest.mark.rule("D11")
@pytest.mark.parametrize(
    "body",
    [
        {"Status": "open", "NewNote": {"Text": "   "}},
        {"Status": "open", "NewNote": {"Text": ""}},
        {"Severity": "Moderate", "NewNote": {}},
        {"Status": "open", "Severity": "Urgent"},
        {"Status": "open", "PrimaryContact": {"Email": "x" * 201}},
    ],
)
def test_a_refused_reopen_leaves_the_request_closed(
    client: FlaskClient, world: World, body: dict[str, Any]
) -> None:
    created = new_request(client)
    path = f"/v1/servicerequests/{created['id']}"
    closed = client.patch(path, json={"Status": "closed"}, headers=auth("admin@contoso.com"))
    assert closed.get_json()["status"] == "closed", closed.get_json()
    before = json.dumps(world.snapshot(), sort_keys=True)
    pc_error(client.patch(path, json=body, headers=auth("admin@contoso.com")), 400, "InvalidInput")
    assert json.dumps(world.snapshot(), sort_keys=True) == before
    found = client.get(path, headers=auth("admin@contoso.com")).get_json()["status"]
    assert found == "closed", f"expected closed, found {found}"


@pytest.mark.rule("R-CSP-01")
def test_notes_never_collide_with_message_names_chosen_through_arm(
    registry: WorldRegistry, client: FlaskClient, world: World
) -> None:
    """A CSP customer request is a ticket of the Azure Support API too (named by its number): a
    message named ``msg-2`` there does not make Partner Center's notes, which name none, collide."""
    from portals.azure_management import create_app as create_arm

    created = world.create_customer_support_request(
        "agent@wingtip.com", "woodgrove", "azure", "VM down", "The VM does not start"
    )
    arm = create_arm(registry).test_client()
    written = arm.put(
        f"/providers/Microsoft.Support/supportTickets/{created.id}/communications/msg-2?api-version=2024-04-01",
        json={"properties": {"subject": "Chosen", "body": "named msg-2 by its client"}},
        headers=auth("agent@wingtip.com"),
    )
    assert written.status_code == 200, written.get_json()
    path = f"/v1/servicerequests/{created.id}"
    for text in ("one", "two", "three"):
        noted = client.patch(path, json={"NewNote": {"Text": text}}, headers=auth("agent@wingtip.com"))
        assert noted.status_code == 200, f"expected 200, found {noted.status_code} {noted.get_json()}"
    names = [c.name for c in world.support_request("agent@wingtip.com", created.id).communications]
    assert len(set(names)) == 4 and names[0] == "msg-2", f"expected 4 distinct names, found {names}"


@pytest.mark.parametrize(
    ("path", "body", "named"),
    [
        ("/v1/servicerequests/zz-ZZZZ", {}, "locale: 'zz-ZZZZ'"),
        ("/v1/servicerequests/en-USA", {}, "locale: 'en-USA'"),
        ("/v1/servicerequests/en-US", {"CountryCode": "1X"}, "countryCode:"),
        ("/v1/servicerequests/en-US", {"Colour": "red"}, "colour: is not a known field"),
    ],
)
def test_a_bad_locale_or_country_or_key_is_refused_naming_it_in_camel_case(
    client: FlaskClient, world: World, path: str, body: dict[str, Any], named: str
) -> None:
    before = json.dumps(world.snapshot(), sort_keys=True)
    sent = {"Title": "t", "Description": "d", "SupportTopicId": str(TOPIC.number), **body}
    refused = pc_error(client.post(path, json=sent, headers=auth("admin@contoso.com")), 400, "InvalidInput")
    assert named in refused["description"], f"expected {named!r}, found {refused['description']!r}"
    assert json.dumps(world.snapshot(), sort_keys=True) == before


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
            "phoneNumber": None,
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
    return {"Title": "x", "Description": "y" * 70_000, "SupportTopicId": str(TOPIC.number)}


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
    ("post topics", "POST", "/v1/servicerequests/supporttopics", {"json": {}}, 405, "MethodNotAllowed"),
    ("a script as locale", "POST", "/v1/servicerequests/%3Cscript%3E", {"json": {}}, 400, "InvalidInput"),
    ("a long locale", "POST", "/v1/servicerequests/" + "e" * 100, {"json": {}}, 400, "InvalidInput"),
    ("locale of digits", "POST", "/v1/servicerequests/12-34", {"json": {}}, 400, "InvalidInput"),
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
        {"json": {"Title": 5, "Description": "d", "SupportTopicId": str(TOPIC.number)}},
        400,
        "InvalidInput",
    ),
    (
        "unknown field",
        "POST",
        CREATE,
        {"json": {"Title": "t", "Description": "d", "SupportTopicId": str(TOPIC.number), "Colour": "red"}},
        400,
        "InvalidInput",
    ),
    (
        "missing field",
        "POST",
        CREATE,
        {"json": {"Title": "t", "SupportTopicId": str(TOPIC.number)}},
        400,
        "InvalidInput",
    ),
    (
        "twice",
        "POST",
        CREATE,
        {"json": {"Title": "t", "title": "u", "Description": "d", "SupportTopicId": str(TOPIC.number)}},
        400,
        "InvalidInput",
    ),
    (
        "bad severity",
        "POST",
        CREATE,
        {
            "json": {
                "Title": "t",
                "Description": "d",
                "SupportTopicId": str(TOPIC.number),
                "Severity": "Urgent",
            }
        },
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
                "SupportTopicId": str(TOPIC.number),
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
        {"json": {"Title": " ", "Description": "d", "SupportTopicId": str(TOPIC.number)}},
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
    following = f"{base}/v1{first['links']['next']['uri']}"
    second = session.get(following, headers={token["key"]: token["value"]}).json()
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
    assert missing.json()["source"] == "PartnerFD" and missing.json()["code"] == 3000


@pytest.mark.parametrize(
    ("change", "named", "why"),
    [
        ({"Title": "a\x00b"}, "title", "must not contain control characters"),
        ({"Title": "a\nb"}, "title", "must be one line, without control characters"),
        ({"Description": "stops\x1b[31m"}, "description", "must not contain control characters"),
        (
            {"PrimaryContact": {"FirstName": "A\x00da", "Email": "ada@contoso.com"}},
            "primaryContact.firstName",
            "must not contain control characters",
        ),
        (
            {"PrimaryContact": {"FirstName": "Ada", "Email": "nope"}},
            "primaryContact.email",
            "must be an e-mail address such as ana@contoso.com",
        ),
        ({"NewNote": {"Text": "see \x1b]8;;x"}}, "newNote.text", "must not contain control characters"),
    ],
)
def test_create_checks_texts_as_the_azure_support_api_does(
    client: FlaskClient, change: dict[str, Any], named: str, why: str
) -> None:
    """Titles and names are one line, descriptions and notes prose, emails addresses: control
    characters and a non-address are refused naming the field, and nothing is created."""
    before = client.get("/v1/servicerequests", headers=auth("admin@contoso.com")).get_json()["totalCount"]
    sent = {
        "Title": "Activate fails",
        "Description": "The Activate button answers an error",
        "Severity": "Critical",
        "SupportTopicId": str(TOPIC.number),
        **change,
    }
    response = client.post("/v1/servicerequests/en-US", json=sent, headers=auth("admin@contoso.com"))
    body = pc_error(response, 400, "InvalidInput")
    assert f"{named}: {why}" in body["description"], f"expected {named}: {why}, found {body['description']}"
    after = client.get("/v1/servicerequests", headers=auth("admin@contoso.com")).get_json()["totalCount"]
    assert after == before, f"expected {before} requests, found {after}"
