"""The Support for Business portal: pages and JSON API over the backend (R-SFB-*, D4, D7, D11)."""

from __future__ import annotations

import re

import pytest
from cast import activate
from conftest import WORLD, bearer, error_of, page_client, refusal_header, submit
from flask import Flask
from werkzeug.test import TestResponse

from portals.backend import World, WorldRegistry
from portals.support_for_business import create_app

rule = pytest.mark.rule
DETAILS = {"product": "windows-10", "title": "Blue screen", "description": "Fictitious details"}
STEP2 = "/supportforbusiness/create/step2"
SUBMIT = "/supportforbusiness/create/submit"
ADD = "/supportforbusiness/contracts/add"
JSON = "application/json"
EXPANDERS = {
    "en-US": (
        "Do you need to purchase or add more support plans",
        "Would you like to see unavailable support plans?",
    ),
    "es-ES": (
        "Do you need to purchase or add more support plans "
        "(¿Necesita comprar o agregar más planes de soporte técnico?)",
        "Would you like to see unavailable support plans? "
        "(¿Desea ver planes de soporte técnico no disponibles?)",
    ),
    "it-IT": (
        "Do you need to purchase or add more support plans "
        "(È necessario acquistare o aggiungere altri piani di supporto)",
        "Would you like to see unavailable support plans? "
        "(Si desidera visualizzare i piani di supporto non disponibili?)",
    ),
}


@pytest.fixture
def app(registry: WorldRegistry) -> Flask:
    return create_app(registry)


def section(html: str, testid: str) -> str:
    """The element carrying ``data-testid``, up to its closing tag: enough to tell the two lists apart."""
    match = re.search(rf'data-testid="{testid}".*?</(fieldset|ul|form)>', html, re.S)
    assert match, f"no {testid} in the page"
    return match.group(0)


def add_by_api(app: Flask, upn: str, ids: tuple[str, str]) -> TestResponse:
    body = {"access_id": ids[0], "contract_id": ids[1]}
    return app.test_client().post("/api/contracts", json=body, headers=bearer(upn))


def use_all_incidents(app: Flask, upn: str, count: int) -> None:
    for _ in range(count):
        response = app.test_client().post("/api/requests", json=DETAILS, headers=bearer(upn))
        assert response.status_code == 201, response.data


# --- step 1 and step 2 ------------------------------------------------------------------------------
def options(html: str, testid: str) -> list[str]:
    """The product IDs of one ``<optgroup>`` of step 1, in page order."""
    match = re.search(rf'<optgroup label="([^"]*)" data-testid="{testid}">(.*?)</optgroup>', html, re.S)
    assert match, f"no {testid} group on step 1"
    return re.findall(r'<option value="([^"]+)"', match.group(2))


def group_label(html: str, testid: str) -> str:
    match = re.search(rf'<optgroup label="([^"]*)" data-testid="{testid}">', html)
    assert match, f"no {testid} group on step 1"
    return match.group(1)


@rule("R-SFB-01", "D7")
def test_root_redirects_and_step1_groups_covered_then_older_than_n1_products(app) -> None:  # type: ignore[no-untyped-def]
    client = page_client(app, "user@contoso.com")
    root = client.get("/")
    assert root.status_code == 302 and root.headers["Location"].endswith("/supportforbusiness/create")
    page = client.get("/supportforbusiness/create")
    assert page.status_code == 200 and 'data-testid="step1-form"' in page.text
    text = page.text
    assert options(text, "covered-products") == [
        "windows-10",
        "windows-8.1",
        "windows-server-2019",
        "windows-server-2016",
        "sql-server-2019",
        "sql-server-2017",
        "exchange-server-2019",
        "exchange-server-2016",
        "sharepoint-server-2019",
        "sharepoint-server-2016",
    ]
    older = options(text, "older-products")
    assert older[:4] == ["windows-8", "windows-7", "windows-vista", "windows-xp"], older
    assert older[-1] == "office-sharepoint-server-2007", older
    assert len(older) == 21, older
    assert text.index('data-testid="covered-products"') < text.index('data-testid="older-products"')
    for unreleased in (
        "windows-11",
        "windows-server-2022",
        "sql-server-2022",
        "sharepoint-server-subscription-edition",
    ):
        assert f'value="{unreleased}"' not in text, unreleased
    assert 'value="windows-8.1" data-family="windows-client" data-released="2013-11-13"' in text
    assert 'name="title"' in text and 'name="description"' in text


@rule("R-SFB-01", "D7", "D10")
def test_step1_moves_with_the_world_clock(app, world: World) -> None:  # type: ignore[no-untyped-def]
    client = page_client(app, "user@contoso.com")
    world.set_clock("2021-10-04T09:00:00Z")
    text = client.get("/supportforbusiness/create").text
    assert options(text, "covered-products")[:2] == ["windows-11", "windows-10"]
    assert options(text, "older-products")[:3] == ["windows-8.1", "windows-8", "windows-7"]
    world.set_clock("2022-11-16T09:00:00Z")
    text = client.get("/supportforbusiness/create").text
    covered = options(text, "covered-products")
    assert [p for p in covered if p.startswith(("windows-server", "sql-server"))] == [
        "windows-server-2022",
        "windows-server-2019",
        "sql-server-2022",
        "sql-server-2019",
    ], covered
    assert covered[-2:] == ["sharepoint-server-subscription-edition", "sharepoint-server-2019"], covered


@rule("R-SFB-01", "D7")
@pytest.mark.parametrize(
    ("lang", "covered", "older"),
    [
        ("en-US", "Covered under the n-1 policy", "Older than n-1, not covered"),
        ("es-ES", "Cubiertos por la directiva n-1", "Anteriores a n-1, no cubiertos"),
        ("it-IT", "Coperti dal criterio n-1", "Precedenti a n-1, non coperti"),
    ],
)
def test_step1_groups_are_named_in_three_languages(app, lang: str, covered: str, older: str) -> None:  # type: ignore[no-untyped-def]
    text = page_client(app, "user@contoso.com", lang=lang).get("/supportforbusiness/create").text
    assert (group_label(text, "covered-products"), group_label(text, "older-products")) == (covered, older)


@rule("R-SFB-01", "D7", "D11")
def test_step2_for_a_product_not_yet_released_goes_back_to_step1_saying_why(app, world: World) -> None:  # type: ignore[no-untyped-def]
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)
    client = page_client(app, "user@contoso.com")
    before = world.snapshot()
    page = client.get(STEP2, query_string={**DETAILS, "product": "windows-11"})
    assert page.status_code == 422 and 'data-code="ProductNotReleased"' in page.text
    assert "Windows 11 is not released yet: its lifecycle starts on 2021-10-04" in page.text
    redirect, refused = submit(client, SUBMIT, {**DETAILS, "product": "windows-11"})
    assert refusal_header(redirect) == "422 ProductNotReleased"
    assert 'data-code="ProductNotReleased"' in refused.text and 'data-testid="step1-form"' in refused.text
    assert world.snapshot() == before


@rule("R-SFB-06", "R-SFB-05")
@pytest.mark.parametrize("method", ["get", "post"])
def test_step2_shows_dates_and_remaining_and_creates_nothing(app, world: World, method: str) -> None:  # type: ignore[no-untyped-def]
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)
    client = page_client(app, "user@contoso.com")
    before = world.snapshot()
    if method == "get":
        page = client.get(STEP2, query_string=DETAILS)
    else:  # step 1's answers posted: the same step 2, as a GET (Post/Redirect/Get)
        redirect, page = submit(client, STEP2, DETAILS)
        assert redirect.headers["Location"].startswith(f"{STEP2}?product=windows-10&title=Blue")
    assert page.status_code == 200
    available = section(page.text, "available-plans")
    assert f'data-plan="{ids[1]}" data-remaining="20"' in available
    assert "2021-03-04" in available and "2022-03-04" in available and "Remaining incidents" in available
    assert f'type="radio" name="plan" value="{ids[1]}"' in available
    assert 'data-testid="add-contract-form"' in page.text
    assert world.snapshot() == before
    assert world.support_requests("user@contoso.com") == []


@rule("D11", "R-SFB-06")
@pytest.mark.parametrize(
    ("details", "status", "code"),
    [
        ({**DETAILS, "title": ""}, 400, "InvalidInput"),
        ({**DETAILS, "title": "a\x00b"}, 400, "InvalidInput"),
        ({**DETAILS, "title": "a\r\nb"}, 400, "InvalidInput"),
        ({**DETAILS, "description": "stops\x1b[31m"}, 400, "InvalidInput"),
        ({"product": "windows-10", "title": "x"}, 400, "InvalidInput"),
        ({**DETAILS, "product": "no-such-product"}, 404, "ProductNotFound"),
        ({**DETAILS, "product": "app-service"}, 404, "ProductNotFound"),
    ],
)
def test_step2_with_bad_details_goes_back_to_step1(app, world, details, status, code) -> None:  # type: ignore[no-untyped-def]
    client = page_client(app, "user@contoso.com")
    before = world.snapshot()
    page = client.get(STEP2, query_string=details)
    assert page.status_code == status and f'data-code="{code}"' in page.text
    assert 'data-testid="step1-form"' in page.text
    assert world.snapshot() == before


# --- Add contract -------------------------------------------------------------------------------------
@rule("R-SFB-03", "R-SFB-07", "R-SFB-02")
@pytest.mark.parametrize("upn", ["consultant@external.example", "engineer@outlook.com"])
def test_add_contract_page_from_accounts_outside_the_organisation(app, world, upn: str) -> None:  # type: ignore[no-untyped-def]
    ids = activate(world)
    client = page_client(app, upn)
    empty = client.get(STEP2, query_string=DETAILS)
    assert "data-plan=" not in section(empty.text, "available-plans")
    redirect, added = submit(client, ADD, {**DETAILS, "access_id": ids[0], "contract_id": ids[1]})
    assert refusal_header(redirect) is None and added.status_code == 200
    assert f"Contract {ids[1]} added" in added.text
    assert f'data-plan="{ids[1]}" data-remaining="20"' in section(added.text, "available-plans")
    assert 'name="title" value="Blue screen"' in added.text  # back at step 2 with the same details
    again = client.get(STEP2, query_string=DETAILS)  # the IDs are needed the first time only
    assert f'data-plan="{ids[1]}"' in section(again.text, "available-plans")


@rule("R-SFB-03", "R-SFB-07", "D4")
@pytest.mark.parametrize("upn", ["consultant@external.example", "engineer@outlook.com"])
def test_add_contract_json_and_quiet_re_add(app, world, upn: str) -> None:  # type: ignore[no-untyped-def]
    ids = activate(world)
    first = add_by_api(app, upn, ids)
    assert first.status_code == 201
    plan = first.get_json()["plan"]
    assert plan["contract_id"] == ids[1] and plan["remaining_incidents"] == 20 and plan["available"]
    assert plan["display_name"] == "Partner support contract"
    before = world.snapshot()
    second = add_by_api(app, upn, ids)
    assert second.status_code == 201 and second.get_json() == first.get_json()
    assert world.snapshot() == before


@rule("D4", "R-SFB-07")
def test_quiet_re_add_on_the_page(app, world) -> None:  # type: ignore[no-untyped-def]
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)
    before = world.snapshot()
    client = page_client(app, "user@contoso.com")
    redirect, again = submit(client, ADD, {**DETAILS, "access_id": ids[0], "contract_id": ids[1]})
    assert refusal_header(redirect) is None and "data-code=" not in again.text
    assert f"Contract {ids[1]} added" in again.text
    assert world.snapshot() == before


@rule("D3", "D11")
def test_wrong_id_pair_is_contract_not_found(app, world) -> None:  # type: ignore[no-untyped-def]
    access_id, _ = activate(world)
    _, other_contract = activate(world, "admin@fabrikam.com")
    before = world.snapshot()
    client = page_client(app, "engineer@outlook.com")
    redirect, page = submit(client, ADD, {**DETAILS, "access_id": access_id, "contract_id": other_contract})
    assert refusal_header(redirect) == "404 ContractNotFound" and 'data-code="ContractNotFound"' in page.text
    assert "No support contract has this Access ID and Contract ID" in page.text
    assert f'value="{other_contract}"' in section(
        page.text, "add-contract-form"
    )  # what was typed stays in the form
    response = add_by_api(app, "engineer@outlook.com", (access_id, other_contract))
    assert response.status_code == 404 and error_of(response)["code"] == "ContractNotFound"
    assert world.snapshot() == before


@rule("R-EN-04", "R-PC-07")
def test_pending_activation_cannot_be_added(app, world) -> None:  # type: ignore[no-untyped-def]
    world.set_activation_delay("P3D")
    world.activate_benefits("admin@contoso.com")
    contract = next(iter(world.state.contracts.values()))
    ids = (contract.access_id, contract.contract_id)
    before = world.snapshot()
    redirect, page = submit(
        page_client(app, "user@contoso.com"), ADD, {**DETAILS, "access_id": ids[0], "contract_id": ids[1]}
    )
    assert (
        refusal_header(redirect) == "409 ActivationPending" and 'data-code="ActivationPending"' in page.text
    )
    response = add_by_api(app, "user@contoso.com", ids)
    assert response.status_code == 409 and error_of(response)["code"] == "ActivationPending"
    assert world.snapshot() == before


# --- Submit ---------------------------------------------------------------------------------------------
@rule("R-SFB-04", "D7", "R-SFB-05")
def test_submit_creates_the_request_and_uses_one_incident(app, world) -> None:  # type: ignore[no-untyped-def]
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)
    client = page_client(app, "user@contoso.com")
    created = client.post(SUBMIT, data={**DETAILS, "severity": "B", "plan": ids[1]})
    assert created.status_code == 303
    location = created.headers["Location"]
    assert re.search(r"/supportforbusiness/requests/\d{16}\?created=1&world=cast$", location)
    detail = client.get(location)
    assert detail.status_code == 200 and 'data-testid="request-created"' in detail.text
    assert 'data-remaining="19"' in detail.text
    assert world.remaining_incidents("user@contoso.com") == {ids[1]: 19}
    listing = client.get("/supportforbusiness/requests")
    request_id = location.split("/")[-1].split("?")[0]
    assert f'data-request-id="{request_id}"' in listing.text

    headers = bearer("user@contoso.com")
    api = app.test_client()
    made = api.post("/api/requests", json={**DETAILS, "plan": ids[1]}, headers=headers)
    assert made.status_code == 201 and made.get_json()["portal"] == "sfb"
    assert made.get_json()["contract_id"] == ids[1]
    counts = api.get("/api/remaining-incidents", headers=headers).get_json()
    assert counts == {"value": [{"contract_id": ids[1], "remaining_incidents": 18}]}
    listed = api.get("/api/requests", headers=headers).get_json()["value"]
    assert [r["id"] for r in listed] == [request_id, made.get_json()["id"]]
    assert api.get(f"/api/requests/{request_id}", headers=headers).get_json()["title"] == "Blue screen"


@rule("R-SFB-08", "R-SFB-02", "R-EN-01")
def test_no_incidents_left_moves_the_contract_to_unavailable_and_submit_is_refused(app, world) -> None:  # type: ignore[no-untyped-def]
    ids = activate(world, "admin@tailspin.com")  # Action Pack: 10 incidents
    assert add_by_api(app, "admin@tailspin.com", ids).status_code == 201
    use_all_incidents(app, "admin@tailspin.com", 10)
    client = page_client(app, "admin@tailspin.com")
    page = client.get(STEP2, query_string=DETAILS)
    assert "data-plan=" not in section(page.text, "available-plans")
    unavailable = section(page.text, "unavailable-plans")
    assert f'data-plan="{ids[1]}" data-remaining="0" data-reason="NoIncidentsRemaining"' in unavailable
    assert "No incidents left" in unavailable
    before = world.snapshot()
    redirect, refused = submit(client, SUBMIT, DETAILS)
    assert refusal_header(redirect) == "409 NoIncidentsRemaining"
    assert 'data-code="NoIncidentsRemaining"' in refused.text
    response = app.test_client().post("/api/requests", json=DETAILS, headers=bearer("admin@tailspin.com"))
    assert response.status_code == 409 and error_of(response)["code"] == "NoIncidentsRemaining"
    assert world.snapshot() == before


@rule("R-SFB-08", "R-SFB-01")
def test_expired_contract_and_older_product_are_unavailable(app, world) -> None:  # type: ignore[no-untyped-def]
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)
    client = page_client(app, "user@contoso.com")
    older = client.get(STEP2, query_string={**DETAILS, "product": "windows-7"})
    assert "data-plan=" not in section(older.text, "available-plans")
    assert 'data-reason="ProductNotCovered"' in section(older.text, "unavailable-plans")
    assert "Older than n-1, not covered" in section(older.text, "unavailable-plans")
    redirect, refused = submit(client, SUBMIT, {**DETAILS, "product": "windows-7"})
    assert (
        refusal_header(redirect) == "422 ProductNotCovered"
        and 'data-code="ProductNotCovered"' in refused.text
    )
    world.advance_clock("P366D")
    expired = client.get(STEP2, query_string=DETAILS)
    assert "data-plan=" not in section(expired.text, "available-plans")
    assert f'data-plan="{ids[1]}" data-remaining="20" data-reason="ContractExpired"' in expired.text
    assert "Expired" in section(expired.text, "unavailable-plans")
    redirect, refused = submit(client, SUBMIT, DETAILS)
    assert refusal_header(redirect) == "422 ContractExpired" and 'data-code="ContractExpired"' in refused.text


@rule("R-SFB-08")
@pytest.mark.parametrize(
    ("lang", "label", "offer", "scs", "pack", "hint"),
    [
        (
            "en-US",
            "Signature information",
            "Membership offer: Gold",
            "Signature Cloud Support:",
            "Signature 10-pack, 10 incidents left",
            "use it in the Azure portal",
        ),
        (
            "es-ES",
            "Información de la firma de asociado",
            "Oferta de pertenencia: Competencia Gold",
            "Soporte técnico Signature Cloud:",
            "Paquete Signature 10, 10 incidentes restantes",
            "úselo en Azure Portal",
        ),
        (
            "it-IT",
            "Informazioni sulla firma del partner",
            "Offerta di appartenenza: Competenza Gold",
            "Signature Cloud Support:",
            "Pacchetto Signature 10, 10 eventi imprevisti rimanenti",
            "usarlo nel portale di Azure",
        ),
    ],
)
def test_unavailable_plans_show_the_partners_signature_information(  # type: ignore[no-untyped-def]
    app, world, lang: str, label: str, offer: str, scs: str, pack: str, hint: str
) -> None:
    ids = activate(world, "admin@fabrikam.com")  # Gold, no cloud competency: a Signature 10-pack
    world.add_contract("user@contoso.com", *ids)
    client = page_client(app, "user@contoso.com", lang=lang)
    covered = client.get(STEP2, query_string=DETAILS)
    assert 'data-testid="signature-information"' not in covered.text
    older = client.get(STEP2, query_string={**DETAILS, "product": "windows-8"})
    unavailable = " ".join(section(older.text, "unavailable-plans").split())
    assert (
        'data-testid="signature-information" data-membership="gold" data-signature="pack" '
        'data-pack="10" data-remaining="10"'
    ) in unavailable
    for text in (label, offer, scs, pack, hint):
        assert text in unavailable, (text, unavailable)


@rule("R-SFB-08", "R-AZ-03")
@pytest.mark.parametrize(
    ("lang", "not_included", "seeds"),
    [
        ("en-US", "Not included", "If you have Microsoft Action Pack you get no cloud support"),
        (
            "es-ES",
            "No incluido",
            "Si tiene Microsoft Action Pack no obtiene soporte técnico en la nube porque no incluye Soporte "
            "técnico Signature Cloud: solo soporte técnico de productos de Microsoft (local).",
        ),
        (
            "it-IT",
            "Non incluso",
            "Se si dispone di Microsoft Action Pack non si ottiene il supporto cloud perché non include "
            "Signature Cloud Support , ma solo il supporto tecnico Microsoft (locale)",
        ),
    ],
)
def test_action_pack_signature_information_says_not_included(
    app, world, lang: str, not_included: str, seeds: str
) -> None:  # type: ignore[no-untyped-def]
    ids = activate(world, "admin@tailspin.com")
    world.add_contract("user@contoso.com", *ids)
    older = page_client(app, "user@contoso.com", lang=lang).get(
        STEP2, query_string={**DETAILS, "product": "windows-7"}
    )
    unavailable = " ".join(section(older.text, "unavailable-plans").split())
    assert 'data-membership="action_pack" data-signature="not_included"' in unavailable
    assert not_included in unavailable and seeds in unavailable, unavailable


@rule("R-SFB-08", "R-AZ-07", "D3")
@pytest.mark.parametrize(
    ("lang", "pack", "expired"),
    [
        ("en-US", "Signature 10-pack", "The contract expired on 2022-03-04: no incident can be used"),
        (
            "es-ES",
            "Paquete Signature 10",
            "El contrato expiró el 2022-03-04: no se puede usar ningún incidente",
        ),
        (
            "it-IT",
            "Pacchetto Signature 10",
            "Il contratto è scaduto il 2022-03-04: non è possibile usare alcun evento imprevisto",
        ),
    ],
)
def test_the_signature_information_of_an_expired_contract_says_it_expired(  # type: ignore[no-untyped-def]
    app, world, lang: str, pack: str, expired: str
) -> None:
    ids = activate(world, "admin@fabrikam.com")  # Gold, no cloud competency: a Signature 10-pack
    world.link_support_benefits("admin@fabrikam.com", *ids)
    for _ in range(3):
        world.create_support_request(
            "admin@fabrikam.com", "azure", product="app-service", title="x", description="y"
        )
    world.set_clock("2022-03-04T09:00:00Z")  # D1: 365 days after the activation of 2021-03-04 09:00
    client = page_client(app, "admin@fabrikam.com", lang=lang)
    page = client.get(STEP2, query_string=DETAILS)
    unavailable = " ".join(section(page.text, "unavailable-plans").split())
    assert f'data-plan="{ids[1]}"' in unavailable and 'data-reason="ContractExpired"' in unavailable
    assert 'data-signature="pack" data-pack="10" data-expired="2022-03-04"' in unavailable, unavailable
    assert pack in unavailable and expired in unavailable, unavailable
    for left in ("7 incidents left", "7 incidentes restantes", "7 eventi imprevisti rimanenti"):
        assert left not in unavailable, unavailable
    plans = app.test_client().get("/api/plans", headers=bearer("admin@fabrikam.com")).get_json()
    assert plans["unavailable"][0]["signature"] == {
        "membership": "gold",
        "signature_cloud_support": "pack",
        "pack_size": 10,
        "remaining_incidents": None,
        "expired_on": "2022-03-04",
    }


# --- languages -----------------------------------------------------------------------------------------
@rule("R-SFB-07", "R-SFB-08")
@pytest.mark.parametrize("lang", ["en-US", "es-ES", "it-IT"])
def test_both_expanders_carry_the_seeds_labels(app, world, lang: str) -> None:  # type: ignore[no-untyped-def]
    page = page_client(app, "user@contoso.com", lang=lang).get(STEP2, query_string=DETAILS)
    purchase, unavailable = EXPANDERS[lang]
    assert f"<summary>{purchase}</summary>" in page.text
    assert f"<summary>{unavailable}</summary>" in page.text


@rule("R-SFB-06")
@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en-US", ("Create a support request", "Remaining incidents", "Add contract", "Support requests")),
        (
            "es-ES",
            ("Crear una solicitud", "Incidentes restantes", "Agregar contrato", "Solicitudes de soporte"),
        ),
        (
            "it-IT",
            ("Crea una richiesta", "Eventi imprevisti rimanenti", "Aggiungi contratto", "Richieste di"),
        ),
    ],
)
def test_every_page_in_three_languages(app, world, lang: str, words: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)
    client = page_client(app, "user@contoso.com", lang=lang)
    step1 = client.get("/supportforbusiness/create")
    step2 = client.get(STEP2, query_string=DETAILS)
    detail = client.get(client.post(SUBMIT, data=DETAILS).headers["Location"])
    listing = client.get("/supportforbusiness/requests")
    for page in (step1, step2, detail, listing):
        assert page.status_code == 200 and f'<html lang="{lang}">' in page.text
    assert words[0] in step1.text
    assert words[1] in step2.text and words[2] in step2.text and words[1] in detail.text
    assert words[3] in listing.text


# --- JSON reads ---------------------------------------------------------------------------------------
@rule("R-SFB-01", "R-SFB-06", "D7")
def test_api_products_and_plans(app, world) -> None:  # type: ignore[no-untyped-def]
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)
    client = app.test_client()
    headers = bearer("user@contoso.com")
    answer = client.get("/api/products", headers=headers).get_json()
    assert answer["date"] == "2021-03-04"
    products = {p["id"]: p for p in answer["value"]}
    assert products["windows-8.1"] == {
        "id": "windows-8.1",
        "name": "Windows 8.1",
        "family": "windows-client",
        "family_name": "Windows client",
        "version": "8.1",
        "released": "2013-11-13",
        "source": "https://learn.microsoft.com/lifecycle/products/windows-81",
        "covered": True,
    }
    assert products["windows-10"]["covered"] is True and products["windows-7"]["covered"] is False
    assert "windows-11" not in products and "app-service" not in products
    before = world.snapshot()
    plans = client.get("/api/plans?product=windows-10", headers=headers).get_json()
    assert [(p["contract_id"], p["remaining_incidents"]) for p in plans["available"]] == [(ids[1], 20)]
    assert plans["available"][0]["start"].startswith("2021-03-04") and plans["unavailable"] == []
    assert plans["available"][0]["signature"] is None
    older = client.get("/api/plans?product=windows-7", headers=headers).get_json()
    assert older["available"] == [] and older["unavailable"][0]["unavailable_reason"] == "ProductNotCovered"
    assert older["unavailable"][0]["signature"] == {
        "membership": "gold",
        "signature_cloud_support": "unlimited",
        "pack_size": None,
        "remaining_incidents": None,
        "expired_on": None,
    }
    assert client.get("/api/plans", headers=headers).get_json()["product"] == "windows-10"
    unknown = client.get("/api/plans?product=nope", headers=headers)
    assert unknown.status_code == 404 and error_of(unknown)["code"] == "ProductNotFound"
    unreleased = client.get("/api/plans?product=windows-11", headers={**headers, "Accept-Language": "es-ES"})
    error = error_of(unreleased)
    assert unreleased.status_code == 422 and error["code"] == "ProductNotReleased"
    assert error["params"] == {"product": "Windows 11", "released": "2021-10-04"}
    assert error["message"] == "Windows 11 aún no se ha publicado: su ciclo de vida empieza el 2021-10-04"
    assert world.snapshot() == before


@rule("R-SFB-01", "D7", "D10")
def test_api_products_follow_the_world_clock(app, world) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    headers = bearer("user@contoso.com")
    world.set_clock("2021-10-04T07:59:59Z")  # Windows 11's start, 00:00 at UTC-8, is 08:00 UTC
    answer = client.get("/api/products", headers=headers).get_json()
    assert "windows-11" not in {p["id"] for p in answer["value"]}
    world.set_clock("2021-10-04T08:00:00Z")
    answer = client.get("/api/products", headers=headers).get_json()
    windows = [(p["id"], p["covered"]) for p in answer["value"] if p["family"] == "windows-client"]
    assert answer["date"] == "2021-10-04"
    assert windows == [
        ("windows-11", True),
        ("windows-10", True),
        ("windows-8.1", False),
        ("windows-8", False),
        ("windows-7", False),
        ("windows-vista", False),
        ("windows-xp", False),
    ]


@rule("D7")
@pytest.mark.parametrize(
    ("lang", "families"),
    [
        (
            "en-US",
            ["Windows client", "Windows Server", "SQL Server", "Exchange Server", "SharePoint Server"],
        ),
        (
            "es-ES",
            ["Cliente de Windows", "Windows Server", "SQL Server", "Exchange Server", "SharePoint Server"],
        ),
        ("it-IT", ["Client Windows", "Windows Server", "SQL Server", "Exchange Server", "SharePoint Server"]),
    ],
)
def test_api_products_name_the_families_in_the_language_and_products_as_they_are(  # type: ignore[no-untyped-def]
    app, lang: str, families: list[str]
) -> None:
    headers = {**bearer("user@contoso.com"), "Accept-Language": lang}
    value = app.test_client().get("/api/products", headers=headers).get_json()["value"]
    assert list(dict.fromkeys(p["family_name"] for p in value)) == families
    windows = next(p for p in value if p["id"] == "windows-8.1")
    assert (windows["family"], windows["name"]) == ("windows-client", "Windows 8.1")


@rule("D7", "D10")
@pytest.mark.parametrize(
    ("lang", "message"),
    [
        (
            "en-US",
            "No on-premises product is released yet on 2001-06-01: the catalog starts with Windows XP on "
            "2001-12-31",
        ),
        (
            "es-ES",
            "Aún no se ha publicado ningún producto local el 2001-06-01: el catálogo empieza con Windows XP "
            "el 2001-12-31",
        ),
        (
            "it-IT",
            "Nessun prodotto locale è ancora stato rilasciato il 2001-06-01: il catalogo inizia con Windows "
            "XP il 2001-12-31",
        ),
    ],
)
def test_step1_before_any_release_says_so(app, world, lang: str, message: str) -> None:  # type: ignore[no-untyped-def]
    world.set_clock("2001-06-01T09:00:00Z")
    page = page_client(app, "user@contoso.com", lang=lang).get("/supportforbusiness/create")
    assert page.status_code == 200
    assert re.search(r'data-testid="no-products"[^>]*>\s*' + re.escape(message), page.text), page.text
    assert 'name="product"' not in page.text and "<optgroup" not in page.text
    answer = app.test_client().get("/api/products", headers=bearer("user@contoso.com")).get_json()
    assert answer == {"date": "2001-06-01", "value": []}


@rule("D11")
def test_requests_of_other_accounts_and_portals_are_not_found(app, world) -> None:  # type: ignore[no-untyped-def]
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)
    mine = world.create_support_request("user@contoso.com", "sfb", **DETAILS)
    azure = world.create_support_request(
        "user@contoso.com", "azure", product="app-service", title="x", description="y"
    )
    client = app.test_client()
    for upn, request_id in (("admin@contoso.com", mine.id), ("user@contoso.com", azure.id)):
        response = client.get(f"/api/requests/{request_id}", headers=bearer(upn))
        assert response.status_code == 404 and error_of(response)["code"] == "RequestNotFound"
        page = page_client(app, upn).get(f"/supportforbusiness/requests/{request_id}")
        assert page.status_code == 404 and 'data-code="RequestNotFound"' in page.text
    listed = client.get("/api/requests", headers=bearer("user@contoso.com")).get_json()["value"]
    assert [r["id"] for r in listed] == [mine.id]


# --- bad input ------------------------------------------------------------------------------------------
@rule("D11")
@pytest.mark.parametrize(
    ("path", "body", "kwargs", "status", "fragment"),
    [
        ("/api/contracts", None, {"data": "{not json", "content_type": JSON}, 400, "not valid"),
        ("/api/contracts", None, {"data": "x", "content_type": "text/plain"}, 400, "Content-Type"),
        ("/api/contracts", [1, 2], {}, 400, "JSON object"),
        ("/api/contracts", {"access_id": 5, "contract_id": "1"}, {}, 400, "access_id: must be a string"),
        ("/api/contracts", {"access_id": "a"}, {}, 400, "contract_id: is required"),
        ("/api/contracts", {"access_id": "a", "contract_id": "b", "x": 1}, {}, 400, "is not a known field"),
        ("/api/contracts", {"access_id": "a", "contract_id": "b"}, {}, 404, "No support contract"),
        ("/api/requests", {"product": "windows-10", "title": "x"}, {}, 400, "description: is required"),
        ("/api/requests", {**DETAILS, "title": 7}, {}, 400, "title: must be a string"),
        ("/api/requests", {**DETAILS, "title": "  "}, {}, 400, "title: must not be blank"),
        ("/api/requests", {**DETAILS, "title": "a\x00b"}, {}, 400, "title: must not contain control"),
        ("/api/requests", {**DETAILS, "title": "a\r\nb"}, {}, 400, "title: must be one line"),
        ("/api/requests", {**DETAILS, "description": "a\x1bb"}, {}, 400, "description: must not contain"),
        ("/api/requests", {**DETAILS, "severity": "Z"}, {}, 400, "severity: must be one of"),
        ("/api/requests", {**DETAILS, "plan": "0000000000"}, {}, 404, "Unknown support plan"),
        ("/api/requests", {**DETAILS, "product": "nope"}, {}, 404, "Unknown product"),
        ("/api/requests", {**DETAILS, "colour": "red"}, {}, 400, "is not a known field"),
        (
            "/api/requests",
            None,
            {"data": "{" + " " * 70000 + "}", "content_type": JSON},
            413,
            "over",
        ),
    ],
)
def test_bad_json_is_a_4xx_and_changes_nothing(app, world, path, body, kwargs, status, fragment) -> None:  # type: ignore[no-untyped-def]
    world.add_contract("user@contoso.com", *activate(world))
    before = world.snapshot()
    if body is not None:
        kwargs = {"json": body}
    response = app.test_client().post(path, headers=bearer("user@contoso.com"), **kwargs)
    assert response.status_code == status
    assert fragment in error_of(response)["message"]
    assert world.snapshot() == before


@rule("D11")
@pytest.mark.parametrize(
    ("path", "data", "status", "code"),
    [
        (SUBMIT, {**DETAILS, "severity": "Z"}, 400, "InvalidInput"),
        (SUBMIT, {**DETAILS, "title": "x" * 201}, 400, "InvalidInput"),
        (SUBMIT, {**DETAILS, "plan": "0000000000"}, 404, "PlanNotFound"),
        (SUBMIT, {"product": "windows-10"}, 400, "InvalidInput"),
        (ADD, {**DETAILS, "access_id": "a"}, 400, "InvalidInput"),
        (ADD, {**DETAILS, "access_id": "a" * 101, "contract_id": "b"}, 400, "InvalidInput"),
        (ADD, {**DETAILS, "access_id": "x" * 70000, "contract_id": "b"}, 413, "PayloadTooLarge"),
    ],
)
def test_bad_form_input_is_a_clear_4xx_and_changes_nothing(app, world, path, data, status, code) -> None:  # type: ignore[no-untyped-def]
    """A refused form comes back to step 2 (303) naming its status and code; a body too large for
    the server to read at all is answered at once."""
    world.add_contract("user@contoso.com", *activate(world))
    client = page_client(app, "user@contoso.com")
    before = world.snapshot()
    if status == 413:
        response = client.post(path, data=data)
        assert response.status_code == status and f'data-code="{code}"' in response.text
    else:
        redirect, response = submit(client, path, data)
        assert refusal_header(redirect) == f"{status} {code}" and f'data-code="{code}"' in response.text
    assert world.snapshot() == before


@rule("D11")
def test_identity_is_checked_before_the_body(app, world) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    headers = {"X-Harness-World": WORLD}
    for path in ("/api/contracts", "/api/requests"):
        response = client.post(path, data="{not json", content_type=JSON, headers=headers)
        assert response.status_code == 401 and error_of(response)["code"] == "AuthenticationRequired"
    for path in ("/api/plans", "/api/remaining-incidents", "/api/requests"):
        assert client.get(path, headers=headers).status_code == 401
    unknown = client.get("/api/plans", headers=bearer("ghost@contoso.com"))
    assert unknown.status_code == 401 and error_of(unknown)["code"] == "AccountNotFound"


def test_pages_redirect_to_sign_in(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    for path in ("/supportforbusiness/create", "/supportforbusiness/requests", f"{STEP2}?product=windows-10"):
        response = client.get(f"{path}{'&' if '?' in path else '?'}world={WORLD}")
        assert response.status_code == 302 and "/signin" in response.headers["Location"]


# --- bought plans (R-AZ-09, D9) ------------------------------------------------------------------------
@rule("R-AZ-09", "D9", "D11")
def test_a_request_on_an_advanced_plan_is_422_plan_not_available(app, world) -> None:  # type: ignore[no-untyped-def]
    advanced = world.purchase_support_plan("admin@contoso.com", "advanced")
    before = world.snapshot()
    body = {**DETAILS, "plan": advanced.contract_id}
    response = app.test_client().post("/api/requests", json=body, headers=bearer("admin@contoso.com"))
    error = error_of(response)
    assert (response.status_code, error["code"], error["reason"]) == (422, "PlanNotAvailable", "eligibility")
    assert error["message"] == (
        f"Advanced Support for Partners ({advanced.contract_id}) covers cloud products only: it cannot be "
        "used for on-premises products in Support for Business"
    )
    assert world.snapshot() == before


@rule("R-SFB-01", "R-AZ-09", "D7", "D9")
def test_premier_is_available_for_a_version_older_than_n1(app, world) -> None:  # type: ignore[no-untyped-def]
    ids = activate(world)
    world.add_contract("admin@contoso.com", *ids)
    premier = world.purchase_support_plan("admin@contoso.com", "premier")
    headers = bearer("admin@contoso.com")
    plans = app.test_client().get("/api/plans?product=windows-8", headers=headers).get_json()
    available = [(p["contract_id"], p["display_name"], p["remaining_incidents"]) for p in plans["available"]]
    assert available == [(premier.contract_id, "Premier Support for Partners", None)]
    assert [(p["contract_id"], p["unavailable_reason"]) for p in plans["unavailable"]] == [
        (ids[1], "ProductNotCovered")
    ]
    body = {**DETAILS, "product": "windows-8"}
    created = app.test_client().post("/api/requests", json=body, headers=headers)
    assert created.status_code == 201 and created.get_json()["contract_id"] == premier.contract_id


@rule("R-SFB-07")
@pytest.mark.parametrize(
    ("spoiled", "status", "code"),
    [
        ({"title": ""}, 400, "InvalidInput"),
        ({"description": "  "}, 400, "InvalidInput"),
        ({"title": "x" * 201}, 400, "InvalidInput"),
        ({"product": ""}, 400, "InvalidInput"),
        ({"product": "no-such-product"}, 404, "ProductNotFound"),
        ({"product": "windows-11"}, 422, "ProductNotReleased"),  # released 2021-10-05 (D7)
    ],
)
def test_add_contract_with_bad_step1_details_is_refused_and_adds_nothing(
    app: Flask, world: World, spoiled: dict[str, str], status: int, code: str
) -> None:
    ids = activate(world)
    client = page_client(app, "engineer@outlook.com")
    form = {**DETAILS, **spoiled, "access_id": ids[0], "contract_id": ids[1]}
    before = world.snapshot()
    redirect, page = submit(client, ADD, form)
    assert refusal_header(redirect) == f"{status} {code}", (
        f"expected the 303 to name {status} {code}, found {refusal_header(redirect)}"
    )
    assert page.status_code == status, f"expected step 1 again with {status}, found {page.status_code}"
    assert world.snapshot() == before, "a refused Add contract changed the world"
    assert world.support_plans_for("engineer@outlook.com").available == ()
