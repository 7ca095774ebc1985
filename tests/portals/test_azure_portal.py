"""The Azure portal: pages and JSON API over the backend (R-AZ-*, D5, D6, R-SFB-05)."""

from __future__ import annotations

import html
import json
import re

import pytest
from cast import activate
from conftest import WORLD, bearer, error_of, page_client, refusal_header, submit

from portals.azure_portal import create_app
from portals.backend import World, WorldRegistry

rule = pytest.mark.rule
SPURIOUS_EN = "This Access ID is already associated with an account."
SPURIOUS_ES = "Este identificador de acceso ya está asociado a una cuenta."
SPURIOUS_IT = "Questo ID di accesso è già associato a un account."
NEW = {"product": "app-service", "title": "App down", "description": "Details"}


@pytest.fixture
def app(registry: WorldRegistry):  # type: ignore[no-untyped-def]
    return create_app(registry)


@rule("R-AZ-02", "R-AZ-01")
def test_link_page_then_plan_listed(app, world: World) -> None:  # type: ignore[no-untyped-def]
    access_id, contract_id = activate(world)
    client = page_client(app, "user@contoso.com")
    page = client.get("/help-support/plans")
    assert page.status_code == 200 and "Link support benefits" in page.text
    redirect, linked = submit(
        client, "/help-support/plans/link", {"access_id": access_id, "contract_id": contract_id}
    )
    assert redirect.headers["Location"].startswith("/help-support/plans?outcome=")
    assert refusal_header(redirect) is None and linked.status_code == 200
    assert f'data-plan="{contract_id}"' in linked.text and "Signature Cloud Support" in linked.text
    notice = f"Support benefits linked: Signature Cloud Support · {contract_id}"
    assert notice in html.unescape(linked.text)


@rule("R-AZ-05", "R-AZ-06")
@pytest.mark.parametrize(
    ("lang", "text"), [("en-US", SPURIOUS_EN), ("es-ES", SPURIOUS_ES), ("it-IT", SPURIOUS_IT)]
)
def test_spurious_error_page_in_three_languages_and_new_request_still_works(app, world, lang, text) -> None:  # type: ignore[no-untyped-def]
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)
    client = page_client(app, "user@contoso.com", lang=lang)
    redirect, refused = submit(
        client, "/help-support/plans/link", {"access_id": ids[0], "contract_id": ids[1]}
    )
    assert refusal_header(redirect) == "409 AccessIdAlreadyAssociated"  # D5's status and code
    assert text in refused.text and 'data-code="AccessIdAlreadyAssociated"' in refused.text
    assert f'value="{ids[0]}"' in refused.text  # the IDs typed are in the form again
    form = client.get("/help-support/new")
    assert f'<option value="{ids[1]}">' in form.text
    created, detail = submit(client, "/help-support/new", {**NEW, "plan": ids[1]})
    assert refusal_header(created) is None
    assert detail.status_code == 200 and 'data-testid="request-created"' in detail.text


@rule("R-AZ-08", "D5")
def test_diagnostic_mode_on_the_page_and_api(app, world) -> None:  # type: ignore[no-untyped-def]
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)
    world.set_azure_link_mode("diagnostic")
    client = page_client(app, "user@contoso.com")
    redirect, page = submit(client, "/help-support/plans/link", {"access_id": ids[0], "contract_id": ids[1]})
    assert refusal_header(redirect) == "409 AlreadyLinked"
    assert 'data-code="AlreadyLinked"' in page.text and "create a new support request" in page.text
    api = app.test_client().post(
        "/api/supportplans/link",
        json={"access_id": ids[0], "contract_id": ids[1]},
        headers=bearer("user@contoso.com"),
    )
    assert error_of(api)["code"] == "AlreadyLinked"


@rule("R-AZ-05")
def test_spurious_error_as_json(app, world) -> None:  # type: ignore[no-untyped-def]
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)
    headers = {**bearer("user@contoso.com"), "Accept-Language": "it-IT"}
    response = app.test_client().post(
        "/api/supportplans/link", json={"access_id": ids[0], "contract_id": ids[1]}, headers=headers
    )
    error = error_of(response)
    assert response.status_code == 409 and error["code"] == "AccessIdAlreadyAssociated"
    assert error["message"].startswith(SPURIOUS_IT)


@rule("R-AZ-03")
def test_action_pack_refused_on_link(app, world) -> None:  # type: ignore[no-untyped-def]
    ids = activate(world, "admin@tailspin.com")
    response = app.test_client().post(
        "/api/supportplans/link",
        json={"access_id": ids[0], "contract_id": ids[1]},
        headers=bearer("admin@tailspin.com"),
    )
    assert response.status_code == 422 and error_of(response)["code"] == "NotEligibleForCloudSupport"


@rule("R-SFB-05", "D6")
def test_no_azure_page_or_answer_carries_a_remaining_count(app, world) -> None:  # type: ignore[no-untyped-def]
    ids = activate(world, "admin@fabrikam.com")  # a 10-pack
    client = app.test_client()
    headers = bearer("admin@fabrikam.com")
    answers = [
        client.post(
            "/api/supportplans/link", json={"access_id": ids[0], "contract_id": ids[1]}, headers=headers
        )
    ]
    answers.append(client.post("/api/supportrequests", json=NEW, headers=headers))
    answers += [client.get(p, headers=headers) for p in ("/api/supportplans", "/api/supportrequests")]
    browser = page_client(app, "admin@fabrikam.com")
    answers += [browser.get(p) for p in ("/help-support/plans", "/help-support/new", "/support/requests")]
    for answer in answers:
        assert answer.status_code < 300
        text = answer.text.lower()
        assert "remaining" not in text and "restant" not in text and "rimanent" not in text
        assert "incidents" not in text and '"used"' not in text
    assert json.loads(answers[1].text)["plan"] == ids[1]


@rule("R-AZ-04")
def test_csp_plan_listed_and_usable(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    plans = client.get("/api/supportplans", headers=bearer("user@wingtip.com")).get_json()["value"]
    assert [(p["plan_id"], p["display_name"]) for p in plans] == [("csp", "Cloud Solution Provider")]
    created = client.post(
        "/api/supportrequests", json={**NEW, "plan": "csp"}, headers=bearer("user@wingtip.com")
    )
    assert created.status_code == 201 and created.get_json()["plan"] == "csp"
    assert created.get_json()["contract_id"] is None  # the partner's own users add no contract (R-AZ-04)


@rule("D12", "R-CSP-01")
def test_a_csp_customer_request_names_its_csp_contract(app, world: World) -> None:  # type: ignore[no-untyped-def]
    created = world.create_customer_support_request(
        "agent@wingtip.com", "woodgrove", "azure", title="t", description="d"
    )
    assert created.contract_id is not None
    answer = app.test_client().get(f"/api/supportrequests/{created.id}", headers=bearer("agent@wingtip.com"))
    assert answer.status_code == 200
    body = answer.get_json()
    assert (body["plan"], body["contract_id"], body["customer"]) == ("csp", created.contract_id, "woodgrove")
    page = page_client(app, "agent@wingtip.com").get(f"/support/requests/{created.id}")
    assert page.status_code == 200 and "Cloud Solution Provider" in page.text
    assert f'data-testid="contract-id">{created.contract_id}</dd>' in page.text


@rule("D11")
@pytest.mark.parametrize(
    ("body", "kwargs", "status", "fragment"),
    [
        (None, {"data": "{not json", "content_type": "application/json"}, 400, "not valid JSON"),
        (None, {"data": "x", "content_type": "text/plain"}, 400, "Content-Type"),
        ([1, 2], {}, 400, "JSON object"),
        ({"access_id": 5, "contract_id": "1"}, {}, 400, "access_id: must be a string"),
        ({"access_id": "a"}, {}, 400, "contract_id: is required"),
        ({"access_id": "a", "contract_id": "b", "x": 1}, {}, 400, "is not a known field"),
        ({"access_id": "a", "contract_id": "b"}, {}, 404, "No support contract"),
        (None, {"data": "{" + " " * 70000 + "}", "content_type": "application/json"}, 413, "over"),
    ],
)
def test_bad_input_is_a_clear_4xx_and_changes_nothing(app, world, body, kwargs, status, fragment) -> None:  # type: ignore[no-untyped-def]
    before = world.snapshot()
    client = app.test_client()
    if body is not None:
        kwargs = {"json": body}
    response = client.post("/api/supportplans/link", headers=bearer("user@contoso.com"), **kwargs)
    assert response.status_code == status
    assert fragment in error_of(response)["message"]
    assert world.snapshot() == before


@rule("D11")
def test_identity_problems_are_401(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    headers = {"X-Harness-World": WORLD}
    assert client.get("/api/supportplans", headers=headers).status_code == 401
    for value in ("Basic abc", "Bearer not-a-jwt", "Bearer a.b.c"):
        response = client.get("/api/supportplans", headers={**headers, "Authorization": value})
        assert response.status_code == 401 and error_of(response)["code"] == "AuthenticationRequired"
    unknown = client.get("/api/supportplans", headers=bearer("ghost@contoso.com"))
    assert unknown.status_code == 401 and error_of(unknown)["code"] == "AccountNotFound"


def test_unknown_world_and_route_and_method(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    assert (
        error_of(client.get("/api/supportplans", headers={"X-Harness-World": "nope"}))["code"]
        == "WorldNotFound"
    )
    assert error_of(client.get("/api/nothing"))["code"] == "RouteNotFound"
    assert error_of(client.delete("/api/supportplans"))["code"] == "MethodNotAllowed"
    page = client.get("/help-support/nothing")
    assert page.status_code == 404 and "<html" in page.text


def test_pages_redirect_to_sign_in_and_worlds_stay_apart(app, registry) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = client.get(f"/help-support/plans?world={WORLD}")
    assert response.status_code == 302 and "/signin" in response.headers["Location"]
    other = registry.create("other")
    ids = activate(registry.get(WORLD))
    headers = {**bearer("user@contoso.com"), "X-Harness-World": other.name}
    response = client.post(
        "/api/supportplans/link", json={"access_id": ids[0], "contract_id": ids[1]}, headers=headers
    )
    assert error_of(response)["code"] == "AccountNotFound"


@pytest.mark.parametrize(
    ("lang", "words"),
    [("es-ES", ["Elija una cuenta", "Iniciar sesión"]), ("it-IT", ["Scegliere un account", "Accedi"])],
)
def test_sign_in_page_speaks_the_language(app, lang: str, words: list[str]) -> None:  # type: ignore[no-untyped-def]
    page = app.test_client().get(f"/signin?world={WORLD}&lang={lang}")
    assert page.status_code == 200
    for word in words:
        assert word in page.text


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("es-ES", ["Solicitudes de soporte técnico", "mundo", "Gravedad"]),
        ("it-IT", ["Richieste di supporto", "mondo", "Gravità"]),
    ],
)
def test_azure_pages_speak_the_language(app, lang: str, words: list[str]) -> None:  # type: ignore[no-untyped-def]
    client = page_client(app, "user@wingtip.com", lang=lang)
    text = client.get("/help-support/new").text + client.get("/support/requests").text
    for word in words:
        assert word in text
    assert f'data-testid="world">{WORLD}</strong>' in text


def test_a_token_may_name_its_world(app, registry) -> None:  # type: ignore[no-untyped-def]
    """An official SDK sends only a credential: the token's harness_world claim picks the world."""
    from portals.web.tokens import mint_token

    token = mint_token("user@wingtip.com", world=WORLD)
    answer = app.test_client().get("/api/supportplans", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and answer.get_json()["value"][0]["plan_id"] == "csp"
    journal = app.test_client().get(f"/_harness/worlds/{WORLD}/journal").get_json()["value"]
    assert [entry["url"].rsplit("/", 1)[-1] for entry in journal] == ["supportplans"]
    header_wins = app.test_client().get(
        "/api/supportplans", headers={"Authorization": f"Bearer {token}", "X-Harness-World": "default"}
    )
    assert header_wins.status_code == 401  # no such account in the default world


# --- a CSP customer's support plans in the workload's portal (D12) -----------------------------------------
def customer_plan_rows(text: str) -> list[list[str]]:
    """The rows of the customer's support plans table on an Azure page (cells as text), header first."""
    found = re.search(r'<table data-testid="customer-plans"[^>]*>(.*?)</table>', text, re.S)
    assert found is not None, "no customer support plans table on the page"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", found.group(1), re.S)
    cells = (re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in rows)
    return [[html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in row] for row in cells]


CUSTOMER_PLANS = "/help-support/plans?customer=woodgrove"


@rule("D12", "R-CSP-01", "R-AZ-04")
def test_a_csp_customer_request_page_lists_the_customers_support_plans(app, world: World) -> None:  # type: ignore[no-untyped-def]
    created = world.create_customer_support_request(
        "agent@wingtip.com", "woodgrove", "azure", title="VM down", description="d"
    )
    page = page_client(app, "agent@wingtip.com").get(f"/support/requests/{created.id}")
    assert page.status_code == 200
    assert customer_plan_rows(page.text) == [
        ["Plan", "Contract ID", "Added", "Added in"],
        ["Cloud Solution Provider", created.contract_id, "2021-03-04", "Azure portal"],
    ]
    assert f'href="{CUSTOMER_PLANS}"' in page.text.replace("&amp;", "&")


@rule("D12", "R-CSP-01")
@pytest.mark.parametrize(
    ("lang", "title", "row"),
    [
        (
            "en-US",
            "Support plans of Woodgrove Bank",
            ["Cloud Solution Provider", "2021-03-04", "Azure portal"],
        ),
        (
            "es-ES",
            "Planes de soporte técnico de Woodgrove Bank",
            ["Proveedor de soluciones en la nube", "2021-03-04", "Azure Portal"],
        ),
        (
            "it-IT",
            "Piani di supporto di Woodgrove Bank",
            ["Cloud Solution Provider", "2021-03-04", "portale di Azure"],
        ),
    ],
)
def test_the_support_plans_page_opened_for_a_customer_lists_the_customers_plans(  # type: ignore[no-untyped-def]
    app, world: World, lang: str, title: str, row: list[str]
) -> None:
    client = page_client(app, "agent@wingtip.com", lang=lang)
    before = client.get(CUSTOMER_PLANS)
    assert before.status_code == 200 and title in before.text
    assert len(customer_plan_rows(before.text)) == 2 and 'data-testid="no-customer-plans"' in before.text
    assert 'data-testid="link-form"' not in before.text  # the customer's plans, not the agent's own
    created = world.create_customer_support_request(
        "agent@wingtip.com", "woodgrove", "azure", title="VM down", description="d"
    )
    page = client.get(CUSTOMER_PLANS)
    assert page.status_code == 200
    rows = customer_plan_rows(page.text)
    assert rows[1] == [row[0], created.contract_id, *row[1:]], rows
    other = client.get("/help-support/plans?customer=relecloud")
    assert 'data-testid="no-customer-plans"' in other.text and created.contract_id not in other.text


@rule("D12", "R-CSP-01", "D11")
@pytest.mark.parametrize(
    ("upn", "customer", "status", "code"),
    [
        ("user@wingtip.com", "woodgrove", 403, "RoleRequired"),
        ("agent@contoso.com", "woodgrove", 403, "NotAuthorized"),
        ("agent@wingtip.com", "fourth-coffee", 404, "CustomerNotFound"),
    ],
)
def test_a_customers_support_plans_are_for_the_admin_agent_of_its_partner(  # type: ignore[no-untyped-def]
    app, world: World, upn: str, customer: str, status: int, code: str
) -> None:
    world.create_customer_support_request(
        "agent@wingtip.com", "woodgrove", "azure", title="t", description="d"
    )
    page = page_client(app, upn).get(f"/help-support/plans?customer={customer}")
    assert page.status_code == status and f'data-code="{code}"' in page.text
    assert "customer-plans" not in page.text
    api = app.test_client().get(f"/api/supportplans?customer={customer}", headers=bearer(upn))
    assert api.status_code == status and error_of(api)["code"] == code


@rule("D12", "R-SFB-05")
def test_the_customers_support_plans_as_json(app, world: World) -> None:  # type: ignore[no-untyped-def]
    headers = bearer("agent@wingtip.com")
    client = app.test_client()
    assert client.get("/api/supportplans?customer=woodgrove", headers=headers).get_json() == {"value": []}
    created = world.create_customer_support_request(
        "agent@wingtip.com", "woodgrove", "azure", title="t", description="d"
    )
    answer = client.get(
        "/api/supportplans?customer=woodgrove", headers={**headers, "Accept-Language": "es-ES"}
    )
    assert answer.status_code == 200
    assert answer.get_json() == {
        "value": [
            {
                "plan_id": "csp",
                "name": "cloud_solution_provider",
                "kind": "csp",
                "contract_id": created.contract_id,
                "customer": "woodgrove",
                "portal": "azure",
                "added_at": "2021-03-04T09:00:00Z",
                "added_by": "agent@wingtip.com",
                "display_name": "Proveedor de soluciones en la nube",
            }
        ]
    }
    # by tenant too, as Partner Center's API takes it
    by_tenant = client.get("/api/supportplans?customer=woodgrove.onmicrosoft.com", headers=headers)
    assert [p["contract_id"] for p in by_tenant.get_json()["value"]] == [created.contract_id]


@rule("R-AZ-07", "R-AZ-09")
@pytest.mark.parametrize(
    ("lang", "sentence", "label"),
    [
        (
            "en-US",
            "See partner support plans below for paid partner support offers.",
            "Partner support plans",
        ),
        (
            "es-ES",
            "Consulte planes de soporte técnico para partners a continuación para obtener ofertas de soporte "
            "técnico de pago para asociados.",
            "Planes de soporte técnico para partners",
        ),
        (
            "it-IT",
            "Vedere i piani di supporto per i partner di seguito per le offerte di supporto a pagamento dei "
            "partner",
            "Piani di supporto per i partner",
        ),
    ],
)
def test_the_support_plans_page_points_to_the_paid_partner_support_plans(  # type: ignore[no-untyped-def]
    app, world: World, lang: str, sentence: str, label: str
) -> None:
    """R-AZ-07: a new support plan must be purchased; the seeds send the reader to the partner support
    plans below, which Partner Center sells (R-AZ-09). Shown beside the "purchase a new plan" error."""
    ids = activate(world)
    world.link_support_benefits("user@contoso.com", *ids)
    world.set_clock("2022-03-05T09:00:00Z")  # expired
    world.set_azure_link_mode("diagnostic")
    client = page_client(app, "user@contoso.com", lang=lang)
    redirect, page = submit(client, "/help-support/plans/link", {"access_id": ids[0], "contract_id": ids[1]})
    assert refusal_header(redirect) == "409 PurchaseNewPlan" and 'data-code="PurchaseNewPlan"' in page.text
    found = re.search(
        r'data-testid="partner-support-plans">\s*([^<]*?)\s*</p>\s*<p><a href="([^"]+)">([^<]+)</a>',
        page.text,
    )
    assert found is not None, page.text
    assert html.unescape(found.group(1)) == sentence and found.group(3) == label
    assert html.unescape(found.group(2)) == (  # the world, the language and the account go along
        f"http://partner.center.test/support/partnersupport?world=cast&lang={lang}&login_hint=user%40contoso.com"
    )
    assert 'data-testid="partner-support-plans"' in client.get("/help-support/plans").text
