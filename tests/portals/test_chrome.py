"""What every portal page shares: the portal switcher, the banner, names in the request's language, the
outcome a form post carries through its redirect (Post/Redirect/Get), the icon."""

from __future__ import annotations

import html
import re
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from cast import activate
from conftest import WORLD, bearer, page_client, submit
from flask import Flask

from portals.azure_portal import create_app as create_azure
from portals.backend import World, WorldRegistry
from portals.partner_center import create_app as create_pc
from portals.support_for_business import create_app as create_sfb
from portals.web import outcome
from portals.web.outcome import OUTCOME_MAX_AGE

rule = pytest.mark.rule
START = {
    "partner_center": ("partner.center.test", "/dashboard/mpn/membership/benefits/technical"),
    "support_for_business": ("serviceshub.test", "/supportforbusiness/create"),
    "azure": ("portal.azure.test", "/help-support/plans"),
}
#: The portals' names as the seeds write them (es-ES, it-IT); en-US the project's.
NAMES = {
    "en-US": ["Partner Center", "Support for Business", "Azure portal"],
    "es-ES": ["Centro de partners", "Soporte técnico para empresas", "Azure Portal"],
    "it-IT": ["Partner Center", "Supporto per le aziende", "Portale di Azure"],
}
PAGES = {
    "partner_center": "/dashboard/mpn/membership/benefits/technical",
    "support_for_business": "/supportforbusiness/create",
    "azure": "/help-support",
}


@pytest.fixture
def apps(registry: WorldRegistry) -> dict[str, Flask]:
    return {
        "partner_center": create_pc(registry),
        "support_for_business": create_sfb(registry),
        "azure": create_azure(registry),
    }


def switcher(page: Any) -> list[tuple[str, str, str, bool]]:
    """(portal, href, name, current) of each link of the portal switcher."""
    found = re.search(r'<nav class="portal-switcher".*?</nav>', page.text, re.S)
    assert found is not None, "no portal switcher on the page"
    links = re.findall(
        r'<a href="([^"]+)" data-portal="(\w+)"( aria-current="page")?>([^<]+)</a>', found.group(0)
    )
    return [
        (portal, html.unescape(href), html.unescape(name), bool(current))
        for href, portal, current, name in links
    ]


@pytest.mark.parametrize("lang", ["en-US", "es-ES", "it-IT"])
@pytest.mark.parametrize("portal", list(PAGES))
def test_every_page_has_a_portal_switcher_carrying_world_language_and_account(
    apps: dict[str, Flask], portal: str, lang: str
) -> None:
    page = page_client(apps[portal], "admin@contoso.com", lang).get(PAGES[portal])
    assert page.status_code == 200
    links = switcher(page)
    assert [name for _, _, name, _ in links] == NAMES[lang]
    assert [key for key, _, _, current in links if current] == [portal]
    for key, href, _, _ in links:
        url = urlsplit(href)
        assert (url.hostname, url.path) == START[key]
        assert parse_qs(url.query) == {"world": [WORLD], "lang": [lang], "login_hint": ["admin@contoso.com"]}


@pytest.mark.parametrize(
    ("lang", "brand", "title"),
    [
        ("en-US", "Support for Business", "Create a support request · Support for Business"),
        (
            "es-ES",
            "Soporte técnico para empresas",
            "Crear una solicitud de soporte técnico · Soporte técnico para empresas",
        ),
        ("it-IT", "Supporto per le aziende", "Crea una richiesta di supporto · Supporto per le aziende"),
    ],
)
def test_the_portals_name_is_the_seeds_in_each_language(
    apps: dict[str, Flask], lang: str, brand: str, title: str
) -> None:
    page = page_client(apps["support_for_business"], "user@contoso.com", lang).get(
        PAGES["support_for_business"]
    )
    assert re.search(r'<a class="brand" href="/">([^<]+)</a>', page.text).group(1) == brand  # type: ignore[union-attr]
    assert html.unescape(re.search(r"<title>([^<]+)</title>", page.text).group(1)) == title  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("lang", "mode", "shown"),
    [
        ("en-US", "spurious", "spurious"),
        ("es-ES", "diagnostic", "de diagnóstico"),
        ("it-IT", "spurious", "spurio"),
    ],
)
def test_the_banner_names_the_link_mode_in_the_pages_language(
    apps: dict[str, Flask], world: World, lang: str, mode: str, shown: str
) -> None:
    world.set_azure_link_mode(mode)
    page = page_client(apps["azure"], "user@contoso.com", lang).get("/help-support")
    found = re.search(r'data-testid="link-mode" data-mode="(\w+)">([^<]+)<', page.text)
    assert found is not None and (found.group(1), html.unescape(found.group(2))) == (mode, shown)
    assert f'href="/_harness/dashboard/{WORLD}"' in page.text  # the world's dashboard, from every page


@rule("R-AZ-05")
def test_a_refusal_carried_by_the_redirect_follows_the_language_link(
    apps: dict[str, Flask], world: World
) -> None:
    """After the spurious error, the page's language links keep it: es-ES shows the seed's text."""
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)
    client = page_client(apps["azure"], "user@contoso.com")
    _, page = submit(client, "/help-support/plans/link", {"access_id": ids[0], "contract_id": ids[1]})
    links = dict(re.findall(r'<a href="([^"]+)" hreflang="([\w-]+)"', page.text))
    spanish = client.get(html.unescape(next(href for href, code in links.items() if code == "es-ES")))
    assert spanish.status_code == 200 and '<html lang="es-ES">' in spanish.text
    message = re.search(r'role="alert" data-code="AccessIdAlreadyAssociated">([^<]+)<', spanish.text)
    assert message is not None and html.unescape(message.group(1)) == (
        "Este identificador de acceso ya está asociado a una cuenta. Póngase en contacto con el "
        "administrador técnico de cuentas para obtener un nuevo identificador de acceso."
    )
    assert (
        client.get(html.unescape(next(iter(links)))).text.count('data-code="AccessIdAlreadyAssociated"') == 1
    )


def test_an_outcome_is_shown_only_in_its_world_and_portal_while_it_is_fresh(
    apps: dict[str, Flask], registry: WorldRegistry, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)
    client = page_client(apps["azure"], "user@contoso.com")
    redirect, _ = submit(client, "/help-support/plans/link", {"access_id": ids[0], "contract_id": ids[1]})
    carried = parse_qs(urlsplit(redirect.headers["Location"]).query)["outcome"][0]
    assert (
        'data-code="AccessIdAlreadyAssociated"' in client.get(f"/help-support/plans?outcome={carried}").text
    )
    forged = carried[:-3] + ("AAA" if not carried.endswith("AAA") else "BBB")
    assert 'data-code="' not in client.get(f"/help-support/plans?outcome={forged}").text
    registry.create("other", {"accounts": [{"upn": "user@contoso.com"}]})
    elsewhere = page_client(apps["azure"], None).get(
        f"/help-support/plans?world=other&login_hint=user@contoso.com&outcome={carried}"
    )
    assert elsewhere.status_code == 200 and 'data-code="' not in elsewhere.text  # another world
    sfb = page_client(apps["support_for_business"], "user@contoso.com")
    assert (
        'data-code="' not in sfb.get(f"/supportforbusiness/requests?outcome={carried}").text
    )  # another portal
    later = time.time() + OUTCOME_MAX_AGE + 1
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    assert 'data-code="' not in client.get(f"/help-support/plans?outcome={carried}").text  # expired
    assert len(carried) <= outcome.MAX_TOKEN


def test_request_lists_show_names_and_the_contract_id_secondary(apps: dict[str, Flask], world: World) -> None:
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)
    world.create_support_request(
        "user@contoso.com", "azure", product="app-service", title="VM", description="d"
    )
    world.create_support_request("user@contoso.com", "sfb", product="windows-10", title="PC", description="d")
    azure = page_client(apps["azure"], "user@contoso.com", "es-ES").get("/support/requests")
    row = re.search(r"<tr data-request-id=.*?</tr>", azure.text, re.S).group(0)  # type: ignore[union-attr]
    cells = [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split())
        for c in re.findall(r"<td>(.*?)</td>", row, re.S)
    ]
    assert cells[1:] == [
        "VM",
        "App Service",
        f"Soporte técnico Signature Cloud {ids[1]}",
        "2021-03-04",
        "Abierta",
    ]
    assert f'<span class="secondary">{ids[1]}</span>' in row
    sfb = page_client(apps["support_for_business"], "user@contoso.com", "it-IT").get(
        "/supportforbusiness/requests"
    )
    row = re.search(r"<tr data-request-id=.*?</tr>", sfb.text, re.S).group(0)  # type: ignore[union-attr]
    cells = [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split())
        for c in re.findall(r"<td>(.*?)</td>", row, re.S)
    ]
    assert cells[1:] == [
        "PC",
        "Windows 10",
        f"Contratto di supporto per i partner {ids[1]}",
        "2021-03-04",
        "Aperta",
    ]


def test_the_icon_is_served_and_never_journaled(apps: dict[str, Flask], registry: WorldRegistry) -> None:
    client = apps["azure"].test_client()
    icon = client.get(f"/favicon.ico?world={WORLD}")
    assert icon.status_code == 200 and icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert client.get("/favicon.ico?world=nowhere").status_code == 200  # it belongs to no world
    page = page_client(apps["azure"], "user@contoso.com").get("/help-support")
    assert '<link rel="icon" href="/_static/favicon.ico">' in page.text
    journal = client.get(f"/_harness/worlds/{WORLD}/journal").json["value"]
    assert [e["url"] for e in journal if "favicon" in e["url"] or "_static" in e["url"]] == []
    paths = [(e["method"], urlsplit(e["url"]).path) for e in journal]
    assert paths == [("GET", "/signin"), ("POST", "/signin"), ("GET", "/help-support")]  # the pages only


@pytest.mark.parametrize("portal", ["azure_management", "partner_center_api"])
def test_the_api_portals_serve_the_icon_and_static_files_without_a_token(
    registry: WorldRegistry, portal: str
) -> None:
    """A browser opening the Azure Support API's or Partner Center REST's port asks for the icon:
    answered as on the portals (not 401 nor 404), never journaled."""
    from portals.azure_management import create_app as create_arm
    from portals.partner_center_api import create_app as create_pc_api

    client = {"azure_management": create_arm, "partner_center_api": create_pc_api}[portal](
        registry
    ).test_client()
    answers = {path: client.get(f"{path}?world={WORLD}") for path in ("/favicon.ico", "/_static/favicon.ico")}
    found = {path: (a.status_code, a.data[:4]) for path, a in answers.items()}
    expected = {path: (200, b"\x00\x00\x01\x00") for path in answers}  # an ICO file
    assert found == expected, f"expected {expected}, found {found}"
    journal = client.get(f"/_harness/worlds/{WORLD}/journal").json["value"]
    assert [e["url"] for e in journal] == [], "expected the icon never journaled"


def test_the_sign_in_page_suggests_an_account_of_its_world(
    apps: dict[str, Flask], registry: WorldRegistry
) -> None:
    registry.create("tiny", {"accounts": [{"upn": "zoe@tiny.example"}]})
    page = apps["azure"].test_client().get("/signin?world=tiny")
    assert 'placeholder="zoe@tiny.example"' in page.text
    assert 'placeholder="admin@contoso.com"' in apps["azure"].test_client().get(f"/signin?world={WORLD}").text


def test_a_refused_sign_in_comes_back_with_the_name_typed(apps: dict[str, Flask]) -> None:
    client = apps["partner_center"].test_client()
    client.get(f"/signin?world={WORLD}&lang=it-IT")
    redirect, page = submit(
        client, "/signin", {"upn": "ghost@contoso.com", "next": "/commerce/customers/list"}
    )
    assert redirect.headers["X-Harness-Refusal"] == "401 AccountNotFound"
    assert urlsplit(redirect.headers["Location"]).path == "/signin"
    assert "Nessun account ghost@contoso.com esiste in questo mondo" in html.unescape(page.text)
    assert 'value="ghost@contoso.com"' in page.text and 'value="/commerce/customers/list"' in page.text


def test_json_apis_keep_their_statuses(apps: dict[str, Flask], world: World) -> None:
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)
    answer = (
        apps["azure"]
        .test_client()
        .post(
            "/api/supportplans/link",
            json={"access_id": ids[0], "contract_id": ids[1]},
            headers=bearer("user@contoso.com"),
        )
    )
    assert answer.status_code == 409 and "X-Harness-Refusal" not in answer.headers
