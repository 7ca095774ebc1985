"""Two tabs of one browser on two worlds (one cookie jar): each page's forms, and the redirect after
them (Post/Redirect/Get), act on the page's own world and speak its language, whatever the shared
``world`` and ``lang`` cookies say since the other tab was opened."""

from __future__ import annotations

import copy
import html
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from cast import CAST
from flask.testing import FlaskClient

from portals.azure_portal import create_app as create_azure
from portals.backend import WorldRegistry
from portals.partner_center import create_app as create_pc
from portals.support_for_business import create_app as create_sfb

BENEFITS = "/dashboard/mpn/membership/benefits/technical"
ADMIN = "admin@contoso.com"
USER = "user@contoso.com"


@pytest.fixture
def tabs(registry: WorldRegistry) -> WorldRegistry:
    for name in ("tab-a", "tab-b"):
        registry.create(name, copy.deepcopy(CAST))
    return registry


def form_action(page: Any, testid: str | None = None) -> str:
    """The action of the page's form (the one with ``data-testid=testid``, else the first in
    ``<main>``)."""
    text = page.get_data(as_text=True)
    pattern = (
        rf'<form [^>]*action="([^"]+)"[^>]*data-testid="{testid}"'
        if testid
        else r'<main>.*?<form [^>]*action="([^"]+)"'
    )
    found = re.search(pattern, text, re.S)
    assert found is not None, f"expected a form {testid or ''} on the page, found none"
    return html.unescape(found.group(1))


def banner(page: Any) -> tuple[str, str]:
    """(world named by the banner, the page's language)."""
    text = page.get_data(as_text=True)
    world = re.search(r'data-testid="world">([^<]+)<', text)
    lang = re.search(r'<html lang="([^"]+)"', text)
    assert world and lang, "expected the banner and <html lang>"
    return html.unescape(world.group(1)), lang.group(1)


def open_tab(client: FlaskClient, path: str, world: str, lang: str, upn: str) -> Any:
    page = client.get(f"{path}?world={world}&lang={lang}&login_hint={upn}")
    assert page.status_code == 200, f"expected the page of {world}, found {page.status_code}"
    return page


def test_activate_in_tab_one_acts_on_tab_ones_world_and_comes_back_in_its_language(
    tabs: WorldRegistry,
) -> None:
    client = create_pc(tabs).test_client()
    tab_a = open_tab(client, BENEFITS, "tab-a", "es-ES", ADMIN)
    open_tab(client, BENEFITS, "tab-b", "it-IT", ADMIN)  # the cookies now say tab-b, it-IT
    answer = client.post(form_action(tab_a))
    assert answer.status_code == 303, f"expected 303, found {answer.status_code}"
    states = {name: tabs.get(name).technical_benefits(ADMIN).state for name in ("tab-a", "tab-b")}
    assert states == {"tab-a": "active", "tab-b": "not_activated"}, f"found {states}"
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert (query.get("world"), query.get("lang")) == (["tab-a"], ["es-ES"]), f"found {query}"
    assert banner(client.get(answer.headers["Location"])) == ("tab-a", "es-ES")


def test_a_refused_form_in_tab_one_says_so_in_tab_ones_world_and_language(tabs: WorldRegistry) -> None:
    client = create_azure(tabs).test_client()
    tab_a = open_tab(client, "/help-support/plans", "tab-a", "it-IT", USER)
    open_tab(client, "/help-support/plans", "tab-b", "es-ES", USER)
    fields = {"access_id": "nope", "contract_id": "nope"}
    answer = client.post(form_action(tab_a, "link-form"), data=fields)
    assert answer.headers.get("X-Harness-Refusal") == "404 ContractNotFound", f"found {answer.headers}"
    page = client.get(answer.headers["Location"])
    assert banner(page) == ("tab-a", "it-IT")
    assert 'data-code="ContractNotFound"' in page.get_data(as_text=True), (
        "expected the refusal on tab 1's page"
    )


def test_step_one_of_support_for_business_goes_to_step_two_in_its_own_world(tabs: WorldRegistry) -> None:
    client = create_sfb(tabs).test_client()
    tab_a = open_tab(client, "/supportforbusiness/create", "tab-a", "es-ES", USER)
    open_tab(client, "/supportforbusiness/create", "tab-b", "it-IT", USER)
    text = tab_a.get_data(as_text=True)
    form = re.search(r'<form method="get".*?</form>', text, re.S)
    assert form is not None, "expected step 1's form"
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form.group(0)))
    assert hidden == {"world": "tab-a", "lang": "es-ES"}, f"found {hidden}"
    details = {**hidden, "product": "windows-10", "title": "Boot", "description": "Blue screen"}
    step2 = client.get(form_action(tab_a, "step1-form"), query_string=details)
    assert banner(step2) == ("tab-a", "es-ES")
