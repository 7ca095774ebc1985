"""Partner Center: pages and JSON API over the backend (R-PC-*, R-EN-01..03, R-CSP-01, R-AZ-09, D2, D8,
D9, D11). Texts are compared after HTML unescaping, so "don't" reads as the catalog writes it."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from cast import activate
from conftest import WORLD, bearer, error_of, page_client, refusal_header, submit
from flask import Flask

from portals.azure_portal import create_app as create_azure_app
from portals.backend import World, WorldRegistry
from portals.partner_center import create_app

rule = pytest.mark.rule
BENEFITS = "/dashboard/mpn/membership/benefits/technical"
ACTIVATE = f"{BENEFITS}/activate"
SERVICE = "/commerce/customers/woodgrove/servicemanagement"
CONTOSO = ("admin@contoso.com", "mpn@contoso.com", "agent@contoso.com", "user@contoso.com")
ACTIVATORS = CONTOSO[:2]
OTHERS = CONTOSO[2:]
NOT_AUTHORIZED = {
    "en-US": "You are not authorized for this action",
    "es-ES": "No está autorizado para esta acción",
    "it-IT": "Non si è autorizzati per questa azione",
}
NO_BENEFITS = {
    "en-US": "It looks like you don't have any benefits yet",
    "es-ES": "Parece que aún no tiene ninguna beneficios",
    "it-IT": "Sembra che non ci siano ancora vantaggi",
}
#: The seeds' wording of the account menu's link (the rulebook's in English).
SIGN_IN_DIFFERENT_ACCOUNT = {
    "en-US": "Sign in with a different account",
    "es-ES": "Iniciar sesión con otra cuenta",
    "it-IT": "Accedi con un altro account",
}
#: D2's pending state, as the pages name it (a project label).
ACTIVATION_IN_PROGRESS = {
    "en-US": "Activation in progress",
    "es-ES": "Activación en curso",
    "it-IT": "Attivazione in corso",
}
#: D8's refusal (a project text), for engineer@outlook.com.
PARTNER_ACCOUNT_REQUIRED = {
    "en-US": "Partner Center needs a work account (AAD) of a partner organisation; "
    "engineer@outlook.com is not one",
    "es-ES": "Centro de partners necesita una cuenta profesional (AAD) de una organización asociada; "
    "engineer@outlook.com no lo es",
    "it-IT": "Partner Center richiede un account aziendale (AAD) di un'organizzazione partner; "
    "engineer@outlook.com non lo è",
}
NEW = {"workload": "azure", "product": "app-service", "severity": "B", "title": "VM down", "description": "d"}


@pytest.fixture
def app(registry: WorldRegistry) -> Flask:
    return create_app(registry)


def text(response: Any) -> str:
    return html.unescape(response.text)


def marked(response: Any, name: str) -> str | None:
    """The text inside the first element with ``data-testid=name``, or None."""
    found = re.search(rf'data-testid="{name}"[^>]*>(.*?)<', response.text, re.S)
    return html.unescape(found.group(1)).strip() if found else None


def cell(response: Any, row: str) -> str | None:
    """The entitlement table's cell for one row (text only), or None."""
    found = re.search(rf'data-row="{row}"[^>]*>(.*?)</td>', response.text, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else None


def set_state(world: World, state: str) -> None:
    """Put Contoso's benefits in one of the three states of the page."""
    if state == "pending":
        world.set_activation_delay("P3D")
    if state != "not_activated":
        world.activate_benefits("admin@contoso.com")


# --- navigation ------------------------------------------------------------------------------------
def test_root_redirects_to_the_dashboard_and_pages_need_a_sign_in(app: Flask) -> None:
    client = page_client(app, "user@contoso.com")
    assert client.get("/").headers["Location"].endswith("/dashboard")
    dashboard = client.get("/dashboard")
    assert dashboard.status_code == 200
    for path in (BENEFITS, "/commerce/customers/list", "/support/partnersupport"):
        assert f'href="{path}"' in dashboard.text
    anonymous = app.test_client()
    for path in ("/dashboard", BENEFITS, "/commerce/customers/list", SERVICE, "/support/partnersupport"):
        response = anonymous.get(f"{path}?world={WORLD}")
        assert response.status_code == 302 and "/signin" in response.headers["Location"]


@rule("D8")
@pytest.mark.parametrize(
    "path", ["/dashboard", BENEFITS, "/commerce/customers/list", "/support/partnersupport"]
)
def test_msa_and_non_partner_accounts_are_refused_everywhere(app: Flask, path: str) -> None:
    for upn in ("engineer@outlook.com", "consultant@external.example"):
        response = page_client(app, upn).get(path)
        assert response.status_code == 403 and 'data-code="PartnerAccountRequired"' in response.text
        expected = f"Partner Center needs a work account (AAD) of a partner organisation; {upn} is not one"
        assert expected in text(response)
    api = app.test_client().get("/api/me", headers=bearer("engineer@outlook.com"))
    assert api.status_code == 403 and error_of(api)["code"] == "PartnerAccountRequired"


def test_me_names_the_account(app: Flask) -> None:
    me = app.test_client().get("/api/me", headers=bearer("agent@wingtip.com")).get_json()
    assert me == {
        "upn": "agent@wingtip.com",
        "kind": "aad",
        "organisation": "wingtip",
        "roles": ["admin_agent"],
    }


# --- Technical benefits ----------------------------------------------------------------------------
@rule("R-PC-01", "R-PC-05", "R-PC-06", "R-PC-07", "R-PC-08")
@pytest.mark.parametrize("state", ["not_activated", "pending", "active"])
@pytest.mark.parametrize("upn", CONTOSO)
def test_the_page_for_every_role_and_state(app: Flask, world: World, upn: str, state: str) -> None:
    set_state(world, state)
    page = page_client(app, upn).get(BENEFITS)
    assert page.status_code == 200
    assert (
        marked(page, "appropriate-roles")
        == "Appropriate roles: Global admin | MPN partner admin | Admin agent"
    )
    assert 'data-benefit="product_support_incidents"' in page.text and 'data-benefit="tpd"' in page.text
    assert (
        "Product support incidents" in page.text and "Presales and deployment technical services" in page.text
    )
    button = re.search(r'data-testid="activate" data-can-activate="(\w+)"', page.text)
    assert (button is not None) == (state == "not_activated")
    if button:
        assert button.group(1) == ("true" if upn in ACTIVATORS else "false")
    assert (marked(page, "activation-pending") is not None) == (state == "pending")
    assert (marked(page, "access-id") is not None) == (state == "active")
    assert (marked(page, "contract-id") is not None) == (state == "active")


def tpd_card(response: Any) -> str:
    """The TPD card's text (tags dropped, spaces collapsed)."""
    found = re.search(r'<section class="card" data-benefit="tpd"[^>]*>(.*?)</section>', response.text, re.S)
    assert found is not None, "no TPD card on the page"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


# The TPD line of the seeds (es-ES: "Servicios técnicos de preventa e implementación (TPD): [más
# información](technical-benefits.md)"); the Italian edition has none, so it-IT is the project's wording.
TPD_CARD = {
    "es-ES": (
        "Servicios técnicos de preventa e implementación (TPD)",
        "Servicios técnicos de preventa e implementación (TPD): más información",
    ),
    "en-US": (
        "Presales and deployment technical services (TPD)",
        "Presales and deployment technical services (TPD): more information",
    ),
    "it-IT": (
        "Servizi tecnici di prevendita e distribuzione (TPD)",
        "Servizi tecnici di prevendita e distribuzione (TPD): altre informazioni",
    ),
}


@rule("R-PC-01")
@pytest.mark.parametrize("state", ["not_activated", "pending", "active"])
@pytest.mark.parametrize("lang", list(TPD_CARD))
def test_the_tpd_card_has_its_line_and_more_information_link_in_every_state(
    app: Flask, world: World, state: str, lang: str
) -> None:
    set_state(world, state)
    page = page_client(app, "user@contoso.com", lang).get(BENEFITS)
    assert page.status_code == 200
    heading, line = TPD_CARD[lang]
    card = tpd_card(page)
    assert card.startswith(f"{heading} {line}"), card
    link = re.search(r'<a data-testid="tpd-more-information" href="([^"]+)" target="_blank"', page.text)
    assert (
        link is not None and link.group(1) == "https://learn.microsoft.com/partner-center/technical-benefits"
    )
    # independent of the product support card: no button, IDs or pending notice inside it
    for testid in ("activate", "access-id", "contract-id", "activation-pending"):
        assert testid not in card


@rule("R-PC-01")
@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        (
            "es-ES",
            "El soporte técnico proporciona solución de problemas para un problema específico, un mensaje "
            "de error o una funcionalidad que no funciona según lo previsto.",
        ),
        (
            "it-IT",
            "Il supporto tecnico fornisce la risoluzione di un problema, un messaggio di errore o una "
            "funzionalità specifica che non funziona come previsto.",
        ),
    ],
)
def test_the_product_support_card_says_what_technical_support_is(
    app: Flask, lang: str, sentence: str
) -> None:
    page = page_client(app, "user@contoso.com", lang).get(BENEFITS)
    assert page.status_code == 200 and marked(page, "support-scope") == sentence


@rule("R-PC-05", "R-PC-06")
@pytest.mark.parametrize("activator", ACTIVATORS)
def test_activation_through_the_page_shows_the_ids_to_every_user(app: Flask, activator: str) -> None:
    redirect, pressed = submit(page_client(app, activator), ACTIVATE)
    assert (
        redirect.headers["Location"].startswith(f"{BENEFITS}?outcome=") and refusal_header(redirect) is None
    )
    assert pressed.status_code == 200 and marked(pressed, "activated") == "Technical benefits activated"
    ids = (marked(pressed, "access-id"), marked(pressed, "contract-id"))
    assert re.fullmatch(r"[0-9a-f-]{36}", ids[0] or "") and re.fullmatch(r"\d{10}", ids[1] or "")
    for upn in CONTOSO:
        page = page_client(app, upn).get(BENEFITS)
        assert (marked(page, "access-id"), marked(page, "contract-id")) == ids
        assert marked(page, "activated") is None  # the notice is for the page Activate led to
    redirect, again = submit(page_client(app, activator), ACTIVATE)
    assert refusal_header(redirect) == "409 AlreadyActivated" and 'data-code="AlreadyActivated"' in again.text


@rule("R-PC-05")
@pytest.mark.parametrize("upn", OTHERS)
def test_activation_by_other_roles_is_refused_on_the_page(app: Flask, world: World, upn: str) -> None:
    before = world.snapshot()
    redirect, refused = submit(page_client(app, upn), ACTIVATE)
    assert refusal_header(redirect) == "403 RoleRequired" and 'data-code="RoleRequired"' in refused.text
    assert "Global admin, MPN partner admin" in text(refused)
    assert marked(refused, "activate") == "Activate" and marked(refused, "access-id") is None
    assert world.snapshot() == before


@rule("R-PC-07", "D2", "R-PC-06")
@pytest.mark.parametrize("lang", ["en-US", "es-ES", "it-IT"])
def test_pending_for_three_days_then_active(app: Flask, world: World, lang: str) -> None:
    world.set_activation_delay("P3D")
    redirect, pressed = submit(page_client(app, "admin@contoso.com", lang=lang), ACTIVATE)
    assert refusal_header(redirect) is None and pressed.status_code == 200
    assert ACTIVATION_IN_PROGRESS[lang] in (marked(pressed, "activation-pending") or "")
    assert "2021-03-07" in pressed.text
    assert marked(pressed, "access-id") is None
    redirect, again = submit(page_client(app, "mpn@contoso.com", lang=lang), ACTIVATE)
    assert refusal_header(redirect) == "409 ActivationPending"
    assert 'data-code="ActivationPending"' in again.text
    world.advance_clock("P2D")
    assert marked(page_client(app, "user@contoso.com").get(BENEFITS), "access-id") is None
    world.advance_clock("P1D")
    ids = world.technical_benefits("admin@contoso.com")
    for upn in CONTOSO:
        page = page_client(app, upn, lang=lang).get(BENEFITS)
        assert marked(page, "access-id") == ids.access_id and marked(page, "contract-id") == ids.contract_id


@rule("R-PC-05", "R-PC-07", "D2")
def test_activation_through_the_api(app: Flask, world: World) -> None:
    client = app.test_client()
    refused = client.post(
        ACTIVATE.replace("/dashboard/mpn/membership", "/api"), headers=bearer("agent@contoso.com")
    )
    assert refused.status_code == 403 and error_of(refused)["code"] == "RoleRequired"
    world.set_activation_delay("P3D")
    pending = client.post("/api/benefits/technical/activate", headers=bearer("admin@contoso.com"), json={})
    assert pending.status_code == 202
    assert pending.get_json()["state"] == "pending" and pending.get_json()["access_id"] is None
    again = client.post("/api/benefits/technical/activate", headers=bearer("mpn@contoso.com"))
    assert again.status_code == 409 and error_of(again)["code"] == "ActivationPending"
    world.advance_clock("P3D")
    view = client.get("/api/benefits/technical", headers=bearer("user@contoso.com")).get_json()
    assert view["state"] == "active" and view["access_id"] and view["contract_id"]
    assert view["labels"]["tpd"] == "Presales and deployment technical services (TPD)"
    assert view["appropriate_roles"] == ["role_global_admin", "role_mpn_partner_admin", "role_admin_agent"]


@rule("R-PC-05", "R-PC-06")
def test_activation_without_delay_answers_200_with_the_ids(app: Flask) -> None:
    active = app.test_client().post("/api/benefits/technical/activate", headers=bearer("mpn@contoso.com"))
    assert active.status_code == 200
    assert active.get_json()["state"] == "active" and active.get_json()["contract_id"]


@rule("R-PC-03", "R-EN-01", "R-EN-02", "R-EN-03")
@pytest.mark.parametrize(
    ("upn", "offer", "cells", "applies"),
    [
        (
            "admin@contoso.com",
            "Gold",
            {
                "on_premises": "20 incidents",
                "cloud_competencies": "Unlimited",
                "other_competencies": "10 incidents",
            },
            "cloud_competencies",
        ),
        (
            "admin@fabrikam.com",
            "Gold",
            {
                "on_premises": "20 incidents",
                "cloud_competencies": "Unlimited",
                "other_competencies": "10 incidents",
            },
            "other_competencies",
        ),
        (
            "admin@northwind.com",
            "Silver",
            {
                "on_premises": "15 incidents",
                "cloud_competencies": "Unlimited",
                "other_competencies": "5 incidents",
            },
            "other_competencies",
        ),
        (
            "admin@wingtip.com",
            "Silver",
            {
                "on_premises": "15 incidents",
                "cloud_competencies": "Unlimited",
                "other_competencies": "5 incidents",
            },
            "cloud_competencies",
        ),
        ("admin@tailspin.com", "Action Pack", {"on_premises": "10 incidents", "cloud": "Not included"}, None),
    ],
)
def test_the_entitlement_table_of_each_offer(
    app: Flask, upn: str, offer: str, cells: dict[str, str], applies: str | None
) -> None:
    page = page_client(app, upn).get(BENEFITS)
    assert marked(page, "offer") == offer
    for row, value in cells.items():
        shown = cell(page, row) or ""
        assert shown.startswith(value), (row, shown)
        assert ("Applies to your organisation" in shown) == (row == applies)
    assert (
        "Small and Midmarket Cloud Solutions" in page.text and "Enterprise Mobility Management" in page.text
    )


@rule("R-EN-01", "R-EN-02")
def test_the_entitlement_table_as_json(app: Flask) -> None:
    rows = app.test_client().get("/api/entitlements").get_json()["value"]
    table = {
        r["membership"]: (
            r["on_premises_incidents"],
            r["has_cloud"],
            r["cloud_incidents_for_cloud_competencies"],
            r["cloud_incidents_for_other_competencies"],
        )
        for r in rows
    }
    assert table == {
        "action_pack": (10, False, None, None),
        "silver": (15, True, None, 5),
        "gold": (20, True, None, 10),
    }


@rule("R-PC-02", "R-PC-04")
@pytest.mark.parametrize("lang", ["en-US", "es-ES", "it-IT"])
@pytest.mark.parametrize(
    ("upn", "code", "status", "texts"),
    [
        ("agent@adatum.com", "NotAuthorized", 403, NOT_AUTHORIZED),
        ("admin@litware.com", "NoBenefits", 404, NO_BENEFITS),
    ],
)
def test_refusal_texts_in_three_languages(
    app: Flask, lang: str, upn: str, code: str, status: int, texts: dict[str, str]
) -> None:
    page = page_client(app, upn, lang=lang).get(BENEFITS)
    assert page.status_code == status and f'data-code="{code}"' in page.text
    assert texts[lang] in text(page)
    assert marked(page, "switch-account") == SIGN_IN_DIFFERENT_ACCOUNT[lang]
    assert 'href="/signin?next=' in page.text
    headers = {**bearer(upn), "Accept-Language": lang}
    api = app.test_client().get("/api/benefits/technical", headers=headers)
    assert api.status_code == status and error_of(api)["message"] == texts[lang]


#: What the seeds say after each refusal of the benefits page (es-ES and it-IT verbatim; en-US the
#: project's translation).
AFTER_REFUSAL = {
    "NotAuthorized": {
        "en-US": ["You must have an MPN-associated account."],
        "es-ES": ["Debe tener una cuenta asociada a MPN."],
        "it-IT": ["È necessario avere un account MPN associato."],
    },
    "NoBenefits": {
        "en-US": [
            "If your company has active membership offers but you cannot see them, you may have signed in "
            "with the wrong account.",
            "To check the account, select the Account icon at the top right of the page and select Sign in "
            "with a different account (if needed).",
        ],
        "es-ES": [
            "Si su empresa tiene ofertas de suscripción activas, pero no las puede ver, ha iniciado sesión "
            "con la cuenta incorrecta.",
            "Para comprobar la cuenta, seleccione el icono Cuenta en la parte superior derecha de la página "
            "y seleccione Iniciar sesión con otra cuenta (si es necesario).",
        ],
        "it-IT": [
            "Se l'azienda ha offerte di appartenenza attive ma non è possibile vederle, è possibile che "
            "l'accesso sia stato eseguito usando l'account errato.",
            "Per controllare l'account, selezionare l'icona Account in alto a destra nella pagina e "
            "selezionare Accedi con un altro account (se necessario).",
        ],
    },
}


@rule("R-PC-02", "R-PC-04")
@pytest.mark.parametrize("lang", ["en-US", "es-ES", "it-IT"])
@pytest.mark.parametrize(
    ("upn", "code"), [("agent@adatum.com", "NotAuthorized"), ("admin@litware.com", "NoBenefits")]
)
def test_the_refused_benefits_page_says_what_the_seeds_say_next(
    app: Flask, lang: str, upn: str, code: str
) -> None:
    page = page_client(app, upn, lang=lang).get(BENEFITS)
    assert f'data-code="{code}"' in page.text
    found = [html.unescape(p).strip() for p in re.findall(r'data-testid="after-refusal">([^<]*)<', page.text)]
    assert found == AFTER_REFUSAL[code][lang]
    others = [t for other, texts in AFTER_REFUSAL.items() if other != code for t in texts[lang]]
    assert not any(t in text(page) for t in others)


@rule("R-CSP-01", "R-PC-02")
def test_an_admin_agent_outside_csp_is_not_told_to_have_an_mpn_account(app: Flask) -> None:
    """The MPN sentence belongs to the benefits page (R-PC-02); CSP > Customers refuses a partner
    outside CSP with the same "not authorized" text but nothing about MPN."""
    page = page_client(app, "agent@contoso.com").get("/commerce/customers/list")
    assert page.status_code == 403 and 'data-code="NotAuthorized"' in page.text
    assert "after-refusal" not in page.text


@rule("R-EN-03", "R-PC-03")
@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        (
            "en-US",
            "Cloud competencies include: Security, Cloud Business Applications, Cloud Platform, Cloud "
            "Productivity, Enterprise Mobility Management, Small and Midmarket Cloud Solutions.",
        ),
        (
            "es-ES",
            "Las competencias en la nube incluyen: Competencia de seguridad, Cloud Business Applications, "
            "Cloud Platform, Cloud Productivity, Enterprise Mobility Management, Small and Midmarket Cloud "
            "Solutions.",
        ),
        (
            "it-IT",
            "Le competenze cloud includono: Competenza di sicurezza, Cloud Business Applications, "
            "Piattaforma cloud, Produttività cloud, Gestione della mobilità aziendale, Soluzioni cloud di "
            "piccole e medie dimensioni.",
        ),
    ],
)
def test_the_cloud_competencies_are_named_as_the_seeds_name_them(
    app: Flask, lang: str, sentence: str
) -> None:
    page = page_client(app, "user@contoso.com", lang=lang).get(BENEFITS)
    assert page.status_code == 200
    assert marked(page, "cloud-competencies") == sentence


@rule("D8")
@pytest.mark.parametrize("lang", ["en-US", "es-ES", "it-IT"])
def test_partner_account_required_in_three_languages(app: Flask, lang: str) -> None:
    page = page_client(app, "engineer@outlook.com", lang=lang).get(BENEFITS)
    assert page.status_code == 403 and 'data-code="PartnerAccountRequired"' in page.text
    assert PARTNER_ACCOUNT_REQUIRED[lang] in text(page)
    assert marked(page, "switch-account") == SIGN_IN_DIFFERENT_ACCOUNT[lang]


@rule("R-PC-04")
def test_signing_in_with_a_different_account_shows_the_benefits(app: Flask) -> None:
    client = page_client(app, "admin@litware.com")
    refused = client.get(BENEFITS)
    assert refused.status_code == 404
    switched = client.post("/signin", data={"upn": "user@contoso.com", "next": BENEFITS})
    assert switched.status_code == 303 and switched.headers["Location"] == BENEFITS
    page = client.get(BENEFITS)
    assert page.status_code == 200 and "Product support incidents" in page.text


# --- CSP customers (R-CSP-01) ----------------------------------------------------------------------
@rule("R-CSP-01", "R-AZ-04")
def test_csp_flow_opens_the_request_in_the_azure_portal(app: Flask, registry: WorldRegistry) -> None:
    client = page_client(app, "agent@wingtip.com")
    listed = client.get("/commerce/customers/list")
    assert listed.status_code == 200 and "Woodgrove Bank" in listed.text and "Relecloud" in listed.text
    customer = client.get("/commerce/customers/woodgrove")
    assert customer.status_code == 200 and f'href="{SERVICE}"' in customer.text
    form = client.get(SERVICE)
    assert form.status_code == 200 and 'data-testid="new-request-form"' in form.text
    assert '<option value="azure">' in form.text and '<option value="app-service">' in form.text
    created = client.post(f"{SERVICE}/newrequest", data=NEW)
    assert created.status_code == 303
    location = created.headers["Location"]
    assert location.startswith("http://portal.azure.test/support/requests/")
    url = urlsplit(location)
    query = parse_qs(url.query)
    assert query["world"] == [WORLD] and query["login_hint"] == ["agent@wingtip.com"]
    assert query["lang"] == ["en-US"]  # the language goes along: the hosts share no cookie
    azure = create_azure_app(registry).test_client()
    page = azure.get(f"{url.path}?{url.query}")
    assert page.status_code == 200 and 'data-testid="request-created"' in page.text
    assert (
        marked(page, "customer") == "Woodgrove Bank"
        and 'data-customer="woodgrove"' in page.text
        and "Cloud Solution Provider" in page.text
    )
    assert url.path.rsplit("/", 1)[1] in page.text
    # D12: the request names the CSP contract it was filed on
    [request_] = registry.get(WORLD).support_requests("agent@wingtip.com")
    assert request_.contract_id is not None and marked(page, "contract-id") == request_.contract_id


@rule("R-CSP-01")
@pytest.mark.parametrize(
    ("upn", "code"),
    [
        ("admin@wingtip.com", "RoleRequired"),
        ("user@wingtip.com", "RoleRequired"),
        ("agent@contoso.com", "NotAuthorized"),
        ("engineer@outlook.com", "PartnerAccountRequired"),
    ],
)
def test_csp_pages_refuse_other_roles(app: Flask, world: World, upn: str, code: str) -> None:
    before = world.snapshot()
    client = page_client(app, upn)
    answers = [client.get(p) for p in ("/commerce/customers/list", "/commerce/customers/woodgrove", SERVICE)]
    redirect, page = submit(client, f"{SERVICE}/newrequest", NEW)
    assert refusal_header(redirect) == f"403 {code}"
    for answer in [*answers, page]:  # the page the refused post leads to refuses its reader too
        assert answer.status_code == 403 and f'data-code="{code}"' in answer.text
    api = app.test_client().post("/api/customers/woodgrove/servicerequests", json=NEW, headers=bearer(upn))
    assert api.status_code == 403 and error_of(api)["code"] == code
    assert world.snapshot() == before


@rule("R-CSP-01", "D11")
@pytest.mark.parametrize(
    ("path", "data", "status", "code"),
    [
        ("/commerce/customers/nobody/servicemanagement/newrequest", NEW, 404, "CustomerNotFound"),
        (f"{SERVICE}/newrequest", {**NEW, "product": "windows-10"}, 404, "ProductNotFound"),
        (f"{SERVICE}/newrequest", {**NEW, "workload": "dynamics"}, 404, "WorkloadNotFound"),
        (f"{SERVICE}/newrequest", {**NEW, "title": " "}, 400, "InvalidInput"),
        (f"{SERVICE}/newrequest", {**NEW, "severity": "Z"}, 400, "InvalidInput"),
    ],
)
def test_csp_form_refusals_come_back_with_their_status_and_the_form(
    app: Flask, world: World, path: str, data: dict[str, str], status: int, code: str
) -> None:
    before = world.snapshot()
    redirect, response = submit(page_client(app, "agent@wingtip.com"), path, data)
    assert refusal_header(redirect) == f"{status} {code}" and f'data-code="{code}"' in response.text
    assert world.snapshot() == before
    if "nobody" not in path:
        assert response.status_code == 200
        assert 'data-testid="new-request-form"' in response.text and ">d</textarea>" in response.text


@rule("R-CSP-01")
def test_csp_api(app: Flask, world: World) -> None:
    client = app.test_client()
    headers = bearer("agent@wingtip.com")
    customers = client.get("/api/customers", headers=headers).get_json()["value"]
    assert [c["id"] for c in customers] == ["woodgrove", "relecloud"]
    created = client.post("/api/customers/relecloud/servicerequests", json=NEW, headers=headers)
    assert created.status_code == 201
    body = created.get_json()
    assert body["request"]["customer"] == "relecloud" and body["request"]["plan"] == "csp"
    assert body["azure_url"].startswith(f"http://portal.azure.test/support/requests/{body['request']['id']}?")
    assert "world=cast" in body["azure_url"] and "login_hint=agent%40wingtip.com" in body["azure_url"]
    minimal = {"workload": "azure", "title": "t", "description": "d"}
    assert (
        client.post("/api/customers/woodgrove/servicerequests", json=minimal, headers=headers).status_code
        == 201
    )
    assert len(world.support_requests("agent@wingtip.com")) == 2


# --- the customer's support plans (D12) --------------------------------------------------------------
def plans_table(response: Any) -> list[list[str]]:
    """The rows of the customer's support plans table (cells as text), header first."""
    found = re.search(r'<table data-testid="customer-plans"[^>]*>(.*?)</table>', response.text, re.S)
    assert found is not None, "no support plans table on the page"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", found.group(1), re.S)
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)
        ]
        for r in rows
    ]


@rule("D12", "R-CSP-01")
def test_the_customer_pages_list_the_csp_contract_once_a_request_added_it(app: Flask, world: World) -> None:
    client = page_client(app, "agent@wingtip.com")
    header = ["Plan", "Contract ID", "Added", "Added in"]
    for path in ("/commerce/customers/woodgrove", SERVICE):
        assert plans_table(client.get(path)) == [header, ["No support plans yet"]]
    world.advance_clock("P1D")
    created = client.post(f"{SERVICE}/newrequest", data=NEW)
    assert created.status_code == 303
    [request_] = world.support_requests("agent@wingtip.com")
    assert request_.contract_id is not None
    row = ["Cloud Solution Provider", request_.contract_id, "2021-03-05", "Azure portal"]
    for path in ("/commerce/customers/woodgrove", SERVICE):
        assert plans_table(client.get(path)) == [header, row]
    # a second request reuses it: still one row, the same contract, the first day
    world.advance_clock("P1D")
    assert client.post(f"{SERVICE}/newrequest", data=NEW).status_code == 303
    assert plans_table(client.get(SERVICE)) == [header, row]
    # the other customer lists nothing until a request of its own
    assert plans_table(client.get("/commerce/customers/relecloud"))[1:] == [["No support plans yet"]]


@rule("D12", "R-CSP-01")
def test_the_customer_pages_link_to_the_customers_plans_in_the_azure_portal(
    app: Flask, world: World, registry: WorldRegistry
) -> None:
    """D12: the contract is added to the customer in the workload's portal, and its support plans are
    there too: the customer and Service management pages link to them, signing the agent in."""
    created = world.create_customer_support_request(
        "agent@wingtip.com", "woodgrove", "azure", title="t", description="d"
    )
    client = page_client(app, "agent@wingtip.com")
    expected = (
        "http://portal.azure.test/help-support/plans?world=cast&lang=en-US&customer=woodgrove"
        "&login_hint=agent%40wingtip.com"
    )
    for path in ("/commerce/customers/woodgrove", SERVICE):
        found = re.search(
            r'data-testid="azure-customer-plans" href="([^"]+)">([^<]+)<', client.get(path).text
        )
        assert found is not None, path
        assert (html.unescape(found.group(1)), found.group(2)) == (
            expected,
            "Support plans in the Azure portal",
        )
    url = urlsplit(expected)
    page = create_azure_app(registry).test_client().get(f"{url.path}?{url.query}")
    assert page.status_code == 200 and "Support plans of Woodgrove Bank" in page.text
    assert f'data-contract="{created.contract_id}"' in page.text


@rule("D12")
def test_the_customer_plans_in_spanish_and_italian(app: Flask, world: World) -> None:
    created = world.create_customer_support_request(
        "agent@wingtip.com", "woodgrove", "azure", title="t", description="d"
    )
    expected = {
        "es-ES": ["Proveedor de soluciones en la nube", created.contract_id, "2021-03-04", "Azure Portal"],
        "it-IT": ["Cloud Solution Provider", created.contract_id, "2021-03-04", "portale di Azure"],
    }
    for lang, row in expected.items():
        page = page_client(app, "agent@wingtip.com", lang).get("/commerce/customers/woodgrove")
        assert plans_table(page)[1] == row


@rule("D12", "R-CSP-01")
def test_customer_plans_and_requests_api(app: Flask, world: World) -> None:
    client = app.test_client()
    headers = bearer("agent@wingtip.com")
    plans = "/api/customers/woodgrove/supportplans"
    requests_ = "/api/customers/woodgrove/servicerequests"
    assert client.get(plans, headers=headers).get_json() == {"value": []}
    assert client.get(requests_, headers=headers).get_json() == {"value": []}
    first = client.post(requests_, json=NEW, headers=headers).get_json()["request"]
    second = client.post(requests_, json=NEW, headers=headers).get_json()["request"]
    contract_id = first["contract_id"]
    assert isinstance(contract_id, str) and re.fullmatch(r"[1-9]\d{9}", contract_id)
    assert (second["contract_id"], second["plan"]) == (contract_id, "csp")
    assert client.get(plans, headers={**headers, "Accept-Language": "es-ES"}).get_json() == {
        "value": [
            {
                "plan_id": "csp",
                "name": "cloud_solution_provider",
                "kind": "csp",
                "contract_id": contract_id,
                "customer": "woodgrove",
                "portal": "azure",
                "added_at": "2021-03-04T09:00:00Z",
                "added_by": "agent@wingtip.com",
                "display_name": "Proveedor de soluciones en la nube",
            }
        ]
    }
    listed = client.get(requests_, headers=headers).get_json()["value"]
    assert [(r["id"], r["contract_id"]) for r in listed] == [
        (first["id"], contract_id),
        (second["id"], contract_id),
    ]
    by_domain = client.get("/api/customers/woodgrove.onmicrosoft.com/supportplans", headers=headers)
    assert [p["contract_id"] for p in by_domain.get_json()["value"]] == [contract_id]
    assert client.get("/api/customers/relecloud/supportplans", headers=headers).get_json() == {"value": []}
    # the contract list of the partner keeps to contracts whose IDs a portal takes
    admin = client.get("/api/contracts", headers=bearer("admin@wingtip.com")).get_json()
    assert contract_id not in [c["contract_id"] for c in admin["value"]]


@rule("D12", "D11")
@pytest.mark.parametrize(
    ("upn", "customer", "status", "code"),
    [
        ("admin@wingtip.com", "woodgrove", 403, "RoleRequired"),
        ("user@wingtip.com", "woodgrove", 403, "RoleRequired"),
        ("agent@contoso.com", "woodgrove", 403, "NotAuthorized"),
        ("agent@wingtip.com", "nobody", 404, "CustomerNotFound"),
    ],
)
def test_customer_plans_api_refusals(
    app: Flask, world: World, upn: str, customer: str, status: int, code: str
) -> None:
    client = app.test_client()
    for path in (f"/api/customers/{customer}/supportplans", f"/api/customers/{customer}/servicerequests"):
        answer = client.get(path, headers=bearer(upn))
        assert answer.status_code == status and error_of(answer)["code"] == code


# --- paid partner support plans (R-AZ-09, D9) ------------------------------------------------------
@rule("R-AZ-09", "D9")
@pytest.mark.parametrize("offer", ["premier", "advanced"])
def test_buying_a_plan_on_the_page(app: Flask, world: World, offer: str) -> None:
    client = page_client(app, "admin@contoso.com")
    page = client.get("/support/partnersupport")
    assert page.status_code == 200
    assert "Premier Support for Partners" in page.text and "Advanced Support for Partners" in page.text
    assert marked(page, "contracts") is not None and "No contracts yet" in page.text
    redirect, bought = submit(client, "/support/partnersupport/purchase", {"offer": offer})
    assert refusal_header(redirect) is None and bought.status_code == 200 and marked(bought, "purchased")
    contract_id = marked(bought, "contract-id")
    assert re.fullmatch(r"\d{10}", contract_id or "") and marked(bought, "access-id")
    [contract] = [c for c in world.organisation_contracts("user@contoso.com") if c.contract_id == contract_id]
    assert (contract.kind, marked(bought, "access-id")) == (offer, contract.access_id)
    again = client.get("/support/partnersupport")
    assert f'data-contract="{contract_id}"' in again.text and marked(again, "purchased") is None


@rule("R-AZ-09", "D9")
@pytest.mark.parametrize(
    ("lang", "premier", "advanced"),
    [
        (
            "en-US",
            "The top tier of Microsoft technical support: on-premises and cloud products",
            "Cloud products only",
        ),
        (
            "es-ES",
            "El nivel superior de soporte técnico de Microsoft: productos locales y en la nube",
            "Solo productos en la nube",
        ),
        (
            "it-IT",
            "Il livello principale di supporto tecnico di Microsoft: prodotti locali e cloud",
            "Solo prodotti cloud",
        ),
    ],
)
def test_the_offers_carry_the_seeds_scope(app: Flask, lang: str, premier: str, advanced: str) -> None:
    """The seeds' words for each offer ("el nivel superior de soporte técnico de Microsoft", "solo
    productos en la nube"), then what D9 makes Premier cover."""
    page = page_client(app, "admin@contoso.com", lang=lang).get("/support/partnersupport")
    scopes = re.findall(r'data-offer="(\w+)">\s*<h2>[^<]*</h2>\s*<p>([^<]*)</p>', page.text)
    assert [(offer, html.unescape(scope)) for offer, scope in scopes] == [
        ("premier", premier),
        ("advanced", advanced),
    ]


@rule("R-AZ-09", "D9")
def test_buying_is_refused_to_other_roles_and_unknown_offers(app: Flask, world: World) -> None:
    before = world.snapshot()
    path = "/support/partnersupport/purchase"
    cases = [
        ("user@contoso.com", {"offer": "premier"}, "403 RoleRequired"),
        ("admin@contoso.com", {"offer": "gold"}, "404 OfferNotFound"),
        ("admin@contoso.com", {}, "400 InvalidInput"),
    ]
    for upn, data, refused in cases:
        redirect, page = submit(page_client(app, upn), path, data)
        assert refusal_header(redirect) == refused
        assert page.status_code == 200 and f'data-code="{refused.split()[1]}"' in page.text
        assert marked(page, "purchased") is None
    assert world.snapshot() == before


@rule("R-AZ-09", "D9")
def test_buying_through_the_api_and_listing_contracts(app: Flask, world: World) -> None:
    client = app.test_client()
    activate(world)
    bought = client.post(
        "/api/supportplans/purchase", json={"offer": "advanced"}, headers=bearer("mpn@contoso.com")
    )
    assert bought.status_code == 201
    contract = bought.get_json()
    assert contract["kind"] == "advanced" and contract["display_name"] == "Advanced Support for Partners"
    listed = client.get("/api/contracts", headers=bearer("user@contoso.com")).get_json()["value"]
    assert [c["kind"] for c in listed] == ["partner_benefits", "advanced"]
    assert listed[1]["contract_id"] == contract["contract_id"]


# --- languages -------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en-US", "es-ES", "it-IT"])
def test_every_page_speaks_three_languages(app: Flask, world: World, lang: str) -> None:
    client = page_client(app, "agent@wingtip.com", lang=lang)
    expected = {
        "/dashboard": ("Technical benefits", "Customers", "Benefits"),
        BENEFITS: ("Technical benefits", "Activate", "Appropriate roles", "Signature Cloud Support"),
        "/commerce/customers/list": ("Customers",),
        "/commerce/customers/woodgrove": ("Service management",),
        SERVICE: ("Service management", "New request"),
        "/support/partnersupport": ("Premier Support for Partners", "Advanced Support for Partners", "Buy"),
    }
    for path, labels in expected.items():
        page = client.get(path)
        assert page.status_code == 200, path
        assert f'<html lang="{lang}">' in page.text
        for label in labels:
            shown = LABELS[label][lang]
            assert shown in text(page), f"expected {shown!r} on {path}, found it missing"


#: The labels of the pages in the three languages: the seeds' wording where they give one (the
#: es-ES and it-IT articles), else the project's own (Buy, and the paid plans' capitalised names).
LABELS = {
    "Technical benefits": {
        "en-US": "Technical benefits",
        "es-ES": "Ventajas técnicas",
        "it-IT": "Vantaggi tecnici",
    },
    "Customers": {"en-US": "Customers", "es-ES": "Clientes", "it-IT": "Clienti"},
    "Benefits": {"en-US": "Benefits", "es-ES": "Beneficios", "it-IT": "Vantaggi"},
    "Activate": {"en-US": "Activate", "es-ES": "Activar", "it-IT": "Attiva"},
    "Appropriate roles": {
        "en-US": "Appropriate roles",
        "es-ES": "Roles adecuados",
        "it-IT": "Ruoli appropriati",
    },
    "Signature Cloud Support": {
        "en-US": "Signature Cloud Support",
        "es-ES": "Soporte técnico Signature Cloud",
        "it-IT": "Signature Cloud Support",
    },
    "Service management": {
        "en-US": "Service management",
        "es-ES": "Administración de servicios",
        "it-IT": "Gestione servizi",
    },
    "New request": {"en-US": "New request", "es-ES": "Nueva solicitud", "it-IT": "Nuova richiesta"},
    "Premier Support for Partners": {
        "en-US": "Premier Support for Partners",
        "es-ES": "Soporte técnico Premier para asociados",
        "it-IT": "Supporto tecnico Premier per i partner",
    },
    "Advanced Support for Partners": {
        "en-US": "Advanced Support for Partners",
        "es-ES": "Soporte técnico avanzado para asociados",
        "it-IT": "Supporto avanzato per i partner",
    },
    "Buy": {"en-US": "Buy", "es-ES": "Comprar", "it-IT": "Acquista"},
}


# --- bad input (D11) -------------------------------------------------------------------------------
PURCHASE = "/api/supportplans/purchase"
REQUESTS = "/api/customers/woodgrove/servicerequests"
ACTIVATE_API = "/api/benefits/technical/activate"
BIG = {"data": "{" + " " * 70000 + "}", "content_type": "application/json"}


@rule("D11")
@pytest.mark.parametrize(
    ("path", "upn", "kwargs", "status", "fragment"),
    [
        (
            PURCHASE,
            "admin@contoso.com",
            {"data": "{oops", "content_type": "application/json"},
            400,
            "not valid JSON",
        ),
        (PURCHASE, "admin@contoso.com", {"data": "x", "content_type": "text/plain"}, 400, "Content-Type"),
        (PURCHASE, "admin@contoso.com", {"json": ["premier"]}, 400, "JSON object"),
        (PURCHASE, "admin@contoso.com", {"json": {"offer": 5}}, 400, "offer: must be a string"),
        (PURCHASE, "admin@contoso.com", {"json": {}}, 400, "offer: is required"),
        (PURCHASE, "admin@contoso.com", {"json": {"offer": "premier", "x": 1}}, 400, "is not a known field"),
        (PURCHASE, "admin@contoso.com", {"json": {"offer": "gold"}}, 404, "Unknown support plan offer"),
        (PURCHASE, "admin@contoso.com", BIG, 413, "over"),
        (REQUESTS, "agent@wingtip.com", {"json": {**NEW, "title": 3}}, 400, "title: must be a string"),
        (
            REQUESTS,
            "agent@wingtip.com",
            {"json": {"title": "t", "description": "d"}},
            400,
            "workload: is required",
        ),
        (REQUESTS, "agent@wingtip.com", {"json": {**NEW, "workload": "x"}}, 404, "Unknown workload"),
        (REQUESTS, "agent@wingtip.com", {"json": {**NEW, "product": "nope"}}, 404, "Unknown product"),
        (REQUESTS, "agent@wingtip.com", {"json": {**NEW, "severity": "Z"}}, 400, "severity"),
        (REQUESTS, "agent@wingtip.com", {"json": {**NEW, "title": "x" * 201}}, 400, "title"),
        (REQUESTS.replace("woodgrove", "nobody"), "agent@wingtip.com", {"json": NEW}, 404, "No customer"),
        (REQUESTS, "agent@wingtip.com", BIG, 413, "over"),
        (
            ACTIVATE_API,
            "admin@contoso.com",
            {"data": "{oops", "content_type": "application/json"},
            400,
            "JSON",
        ),
        (ACTIVATE_API, "admin@contoso.com", {"json": {"now": True}}, 400, "is not a known field"),
        (ACTIVATE_API, "admin@contoso.com", {"json": [1]}, 400, "JSON object"),
    ],
)
def test_bad_input_is_a_clear_4xx_and_changes_nothing(
    app: Flask, world: World, path: str, upn: str, kwargs: dict[str, Any], status: int, fragment: str
) -> None:
    before = world.snapshot()
    response = app.test_client().post(path, headers=bearer(upn), **kwargs)
    assert response.status_code == status
    assert fragment in error_of(response)["message"]
    assert world.snapshot() == before


@rule("D11")
@pytest.mark.parametrize(
    ("path", "body"), [(PURCHASE, {"offer": "premier"}), (REQUESTS, NEW), (ACTIVATE_API, {})]
)
def test_identity_is_checked_before_the_body(
    app: Flask, world: World, path: str, body: dict[str, str]
) -> None:
    before = world.snapshot()
    response = app.test_client().post(
        path, data="{oops", content_type="application/json", headers={"X-Harness-World": WORLD}
    )
    assert response.status_code == 401 and error_of(response)["code"] == "AuthenticationRequired"
    ghost = app.test_client().post(path, json=body, headers=bearer("ghost@contoso.com"))
    assert ghost.status_code == 401 and error_of(ghost)["code"] == "AccountNotFound"
    assert world.snapshot() == before


@pytest.mark.parametrize("path", ["/api/me", "/api/benefits/technical", "/api/customers", "/api/contracts"])
def test_reads_need_an_account(app: Flask, path: str) -> None:
    response = app.test_client().get(path, headers={"X-Harness-World": WORLD})
    assert response.status_code == 401 and error_of(response)["code"] == "AuthenticationRequired"
