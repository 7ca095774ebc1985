"""The world dashboard (``/_harness/``): what it shows of a world, its forms going through the control
API's own input models and operations (Post/Redirect/Get, a flash message or the refusal naming the
field), CSRF, and the control token when the server has one."""

from __future__ import annotations

import html
import io
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from cast import CAST, activate
from flask import Flask
from flask.testing import FlaskClient

from portals.azure_portal import create_app
from portals.backend import World, WorldRegistry
from portals.web.tokens import mint_token

WORLD = "cast"
PAGE = f"/_harness/dashboard/{WORLD}"


@pytest.fixture
def app(registry: WorldRegistry) -> Flask:
    return create_app(registry)


@pytest.fixture
def world(registry: WorldRegistry) -> World:
    return registry.get(WORLD)


def text(response: Any) -> str:
    """The page's text as a reader sees it (tags dropped, entities decoded, spaces collapsed)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def csrf(page: Any) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page.get_data(as_text=True))
    assert found is not None, "no CSRF field on the page"
    return found.group(1)


def send(client: FlaskClient, path: str, data: dict[str, Any] | None = None, page: str = PAGE) -> Any:
    """Open ``page``, post one of its forms to ``path`` with the page's CSRF field: the 303."""
    token = csrf(client.get(page))
    answer = client.post(path, data={**(data or {}), "csrf": token})
    assert answer.status_code == 303, (answer.status_code, answer.get_data(as_text=True)[:400])
    return answer


def follow(client: FlaskClient, answer: Any) -> Any:
    return client.get(answer.headers["Location"])


def section(page: Any, anchor: str) -> str:
    """The text of one ``<section id=anchor>`` of the world page."""
    found = re.search(rf'<section id="{anchor}".*?</section>', page.get_data(as_text=True), re.S)
    assert found is not None, f"no section {anchor}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split())


def alert(page: Any) -> tuple[str, str] | None:
    """The refusal a page shows: (code, message)."""
    found = re.search(r'role="alert" data-code="(\w+)"[^>]*>([^<]*)<', page.get_data(as_text=True))
    return (found.group(1), html.unescape(found.group(2))) if found else None


def notice(page: Any) -> str | None:
    found = re.search(r'data-testid="done" data-kind="\w+">([^<]*)<', page.get_data(as_text=True))
    return html.unescape(found.group(1)) if found else None


# --- the worlds ---------------------------------------------------------------------------------------
def test_the_dashboard_lists_the_worlds_and_answers_without_the_slash_too(app: Flask) -> None:
    client = app.test_client()
    bare = client.get("/_harness")
    assert bare.status_code == 308 and bare.headers["Location"].endswith("/_harness/")
    page = client.get("/_harness/")
    assert page.status_code == 200 and page.mimetype == "text/html"
    rows = re.findall(r'<tr data-world="([^"]+)">', page.get_data(as_text=True))
    assert rows == ["default", "cast"]
    assert f'href="{PAGE}"' in page.get_data(as_text=True)
    assert "HttpOnly" in page.headers["Set-Cookie"] and "SameSite=Strict" in page.headers["Set-Cookie"]


def test_a_world_is_created_from_a_seed_document_typed_or_uploaded(
    app: Flask, registry: WorldRegistry
) -> None:
    client = app.test_client()
    seed = "organisations:\n  - {id: contoso, name: Contoso Ltd, membership: gold}\n"
    created = send(client, "/_harness/dashboard/worlds", {"name": "typed", "document": seed}, "/_harness/")
    assert created.headers["Location"].startswith("/_harness/dashboard/typed?outcome=")
    assert notice(follow(client, created)) == "World typed created"
    assert registry.get("typed").state.organisations["contoso"].name == "Contoso Ltd"
    token = csrf(client.get("/_harness/"))
    upload = {"name": "uploaded", "csrf": token, "document_file": (io.BytesIO(seed.encode()), "seed.yaml")}
    answer = client.post("/_harness/dashboard/worlds", data=upload, content_type="multipart/form-data")
    assert answer.status_code == 303 and "uploaded" in registry


def test_a_bad_seed_document_is_refused_naming_the_field_and_creates_nothing(
    app: Flask, registry: WorldRegistry
) -> None:
    client = app.test_client()
    seed = "organisations:\n  - {id: contoso, membership: platinum}\n"
    before = sorted(registry.names())
    answer = send(client, "/_harness/dashboard/worlds", {"name": "bad", "document": seed}, "/_harness/")
    assert answer.headers["X-Harness-Refusal"] == "400 InvalidSeed"
    page = follow(client, answer)
    code, message = alert(page) or ("", "")
    assert code == "InvalidSeed"
    assert "organisations[0].membership: must be one of action_pack, silver, gold" in message
    assert "platinum" in page.get_data(as_text=True)  # the document comes back to be corrected
    assert sorted(registry.names()) == before


# --- one world ----------------------------------------------------------------------------------------
def test_the_world_page_shows_its_state(app: Flask, world: World) -> None:
    """Contracts with both pools and what remains, associations and where each was made, bought
    plans, the CSP contract per customer, the support requests with names, the journal."""
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)  # Support for Business
    world.create_support_request("user@contoso.com", "sfb", product="windows-10", title="t", description="d")
    world.create_support_request(
        "user@contoso.com", "azure", product="app-service", title="VM", description="d"
    )
    world.link_support_benefits("admin@contoso.com", *ids)  # the Azure portal
    bought = world.purchase_support_plan("admin@contoso.com", "premier")
    csp = world.create_customer_support_request(
        "agent@wingtip.com", "woodgrove", "azure", title="x", description="d"
    )
    client = app.test_client()
    client.get(
        "/api/products",
        headers={"Authorization": f"Bearer {mint_token('user@contoso.com')}", "X-Harness-World": WORLD},
    )
    page = client.get(PAGE)
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert re.search(rf'data-contract="{ids[1]}" data-state="active"', body)
    contracts = section(page, "contracts")
    assert f"Partner support contract {ids[1]} {ids[0]} Contoso Active 2021-03-04 2022-03-04" in contracts
    assert "19 of 20 left · 1 used Unlimited · 0 used" in contracts  # on-premises, then cloud
    associations = section(page, "associations")
    assert f"user@contoso.com Partner support contract {ids[1]} Support for Business" in associations
    assert f"admin@contoso.com Partner support contract {ids[1]} Azure portal" in associations
    plans = section(page, "plans")
    assert (
        f"Premier Support for Partners {bought.contract_id} {bought.access_id} Contoso admin@contoso.com"
        in plans
    )
    assert f"Woodgrove Bank Wingtip {csp.contract_id} Azure portal" in section(page, "csp")
    requests_ = section(page, "requests")
    assert (
        "Windows 10 Partner support contract" in requests_
        and "App Service Signature Cloud Support" in requests_
    )
    assert "Cloud Solution Provider" in requests_ and requests_.count(" Open ") == 3
    assert f"{csp.id} agent@wingtip.com" in requests_ and " Woodgrove Bank x " in requests_, requests_
    journal = section(page, "journal")
    assert "Azure portal · GET /api/products 200" in journal
    accounts = section(page, "accounts")
    assert "engineer@outlook.com MSA User Partner Center · Support for Business · Azure portal" in accounts
    assert "admin@contoso.com AAD Contoso Global admin" in accounts, accounts  # names, not IDs
    assert "consultant@external.example AAD external.example" in accounts, accounts


def test_sign_in_links_open_each_portal_as_the_account_in_the_world_and_language(app: Flask) -> None:
    page = app.test_client().get(f"{PAGE}?lang=it-IT").get_data(as_text=True)
    row = re.search(r'<tr data-account="agent@wingtip.com">.*?</tr>', page, re.S)
    assert row is not None
    links = {
        portal: html.unescape(href)
        for href, portal in re.findall(r'<a href="([^"]+)" data-portal="(\w+)">', row.group(0))
    }
    assert set(links) == {"partner_center", "support_for_business", "azure"}
    assert urlsplit(links["partner_center"])[:3] == (
        "http",
        "partner.center.test",
        "/dashboard/mpn/membership/benefits/technical",
    )
    assert urlsplit(links["support_for_business"])[1:3] == ("serviceshub.test", "/supportforbusiness/create")
    for href in links.values():
        assert parse_qs(urlsplit(href).query) == {
            "world": [WORLD],
            "lang": ["it-IT"],
            "login_hint": ["agent@wingtip.com"],
        }
    assert "Supporto per le aziende" in row.group(0) and "Portale di Azure" in row.group(0)


def test_the_clock_moves_through_the_forms_as_through_the_control_api(app: Flask, world: World) -> None:
    client = app.test_client()
    moved = send(client, f"{PAGE}/clock/advance", {"by": "P3D"})
    assert moved.headers["Location"].endswith("#clock")
    assert notice(follow(client, moved)) == "The clock now says 2021-03-07T09:00:00Z"
    assert world.now.isoformat() == "2021-03-07T09:00:00+00:00"
    set_to = send(client, f"{PAGE}/clock/set", {"to": "2021-06-01T00:00:00Z"})
    assert notice(follow(client, set_to)) == "The clock now says 2021-06-01T00:00:00Z"


def test_a_refused_form_says_what_the_json_api_says_and_changes_nothing(app: Flask, world: World) -> None:
    """The same input model: the dashboard's refusal is the control API's, word for word."""
    client = app.test_client()
    api = client.post(f"/_harness/worlds/{WORLD}/clock/advance", json={"by": "3 days"}).json["error"]
    before = world.snapshot()
    answer = send(client, f"{PAGE}/clock/advance", {"by": "3 days"})
    assert answer.headers["X-Harness-Refusal"] == "400 InvalidInput"
    page = follow(client, answer)
    assert alert(page) == ("InvalidInput", api["message"])
    assert api["message"].startswith("Invalid input: by: must be an ISO-8601 duration")
    assert 'value="3 days"' in section_html(page, "clock")  # what was typed, in the form again
    assert world.snapshot() == before
    spanish = client.get(f"{answer.headers['Location'].split('#')[0]}&lang=es-ES")  # the language link
    assert alert(spanish)[1].startswith("Entrada no válida: by: ")  # type: ignore[index]


def section_html(page: Any, anchor: str) -> str:
    found = re.search(rf'<section id="{anchor}".*?</section>', page.get_data(as_text=True), re.S)
    assert found is not None
    return found.group(0)


def test_settings(app: Flask, world: World) -> None:
    client = app.test_client()
    saved = send(client, f"{PAGE}/settings", {"azure_link_mode": "diagnostic", "activation_delay": "2"})
    assert notice(follow(client, saved)) == "Settings saved"
    settings = world.state.settings
    assert (settings.azure_link_mode.value, settings.activation_delay.days) == ("diagnostic", 2)
    before = world.snapshot()
    refused = follow(
        client, send(client, f"{PAGE}/settings", {"azure_link_mode": "loud", "activation_delay": "P1D"})
    )
    code, message = alert(refused) or ("", "")
    assert code == "InvalidInput" and message.startswith("Invalid input: azure_link_mode: ")
    assert world.snapshot() == before  # both fields are checked before either is applied


def test_fault_rules_are_added_and_removed(app: Flask) -> None:
    client = app.test_client()
    rule = {
        "portal": "azure",
        "method": "post",
        "path": "/api/*",
        "status": "503",
        "times": "1",
        "headers": "Retry-After: 5",
        "body": '{"down": true}',
    }
    added = follow(client, send(client, f"{PAGE}/faults", rule))
    assert notice(added) == "Fault rule f1 added"
    [listed] = client.get(f"/_harness/worlds/{WORLD}/faults").json["value"]
    assert (listed["method"], listed["status"], listed["times"], listed["headers"], listed["body"]) == (
        "POST",
        503,
        1,
        {"Retry-After": "5"},
        {"down": True},
    )
    refused = follow(client, send(client, f"{PAGE}/faults", {"status": "lots"}))
    assert (alert(refused) or ("", ""))[1].startswith("Invalid input: status: ")
    assert 'value="lots"' in section_html(refused, "faults")
    removed = follow(client, send(client, f"{PAGE}/faults/f1/delete"))
    assert notice(removed) == "Fault rule f1 removed"
    assert client.get(f"/_harness/worlds/{WORLD}/faults").json["value"] == []
    missing = follow(client, send(client, f"{PAGE}/faults/f9/delete"))
    assert alert(missing) == ("FaultNotFound", "No fault rule f9 in world cast")


def test_the_journal_is_filtered_and_each_entry_opens_to_its_request_and_answer(
    app: Flask, world: World
) -> None:
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)
    client = app.test_client()
    user = {"Authorization": f"Bearer {mint_token('user@contoso.com')}", "X-Harness-World": WORLD}
    client.get("/api/products", headers=user)
    client.post("/api/supportplans/link", json={"access_id": ids[0], "contract_id": ids[1]}, headers=user)
    page = client.get(f"{PAGE}?status=4xx&path=/link")
    entries = re.findall(
        r'<details data-entry="(\d+)" data-method="(\w+)" data-status="(\d+)"', page.get_data(as_text=True)
    )
    assert entries == [("2", "POST", "409")]
    opened = section(page, "journal")
    assert '"code": "AccessIdAlreadyAssociated"' in opened or '"code":"AccessIdAlreadyAssociated"' in opened
    assert "Authorization [redacted]" in opened  # credentials redacted, as in the JSON journal
    everything = re.findall(r'data-entry="(\d+)"', client.get(f"{PAGE}?portal=azure").get_data(as_text=True))
    assert everything == ["2", "1"]  # newest first
    assert re.findall(r'data-entry="(\d+)"', client.get(f"{PAGE}?status=200").get_data(as_text=True)) == ["1"]
    har = client.get(f"{PAGE}/journal.har")
    assert har.headers["Content-Disposition"] == 'attachment; filename="cast.har"'
    assert [e["response"]["status"] for e in har.json["log"]["entries"]] == [200, 409]
    cleared = follow(client, send(client, f"{PAGE}/journal/clear"))
    assert notice(cleared) == "Journal cleared" and 'data-entry="' not in cleared.get_data(as_text=True)


def test_the_status_filter_finds_the_spurious_error_a_form_posts_answer_names(
    app: Flask, world: World
) -> None:
    """The page's Link support benefits answers 303 with ``X-Harness-Refusal: 409 …``: the filters
    ``409`` and ``4xx`` find it (as the README's example says), ``303`` too, ``5xx`` does not."""
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)
    client = app.test_client()
    fields = {"access_id": ids[0], "contract_id": ids[1]}
    posted = client.post(f"/help-support/plans/link?world={WORLD}&login_hint=user@contoso.com", data=fields)
    assert posted.headers.get("X-Harness-Refusal") == "409 AccessIdAlreadyAssociated", posted.headers
    found = {}
    for status in ("409", "4xx", "303", "3xx", "5xx", "200"):
        page = client.get(f"{PAGE}?status={status}&path=/help-support/plans/link").get_data(as_text=True)
        found[status] = re.findall(r'data-method="(\w+)" data-status="(\d+)"', page)
    expected = {"409": [("POST", "303")], "4xx": [("POST", "303")], "303": [("POST", "303")]}
    expected.update({"3xx": [("POST", "303")], "5xx": [], "200": []})
    assert found == expected, f"expected {expected}, found {found}"


def test_the_forms_refuse_what_the_json_api_refuses(
    app: Flask, world: World, registry: WorldRegistry
) -> None:
    """A padded name, an empty ``by``: the form's refusal is the JSON API's, word for word."""
    client = app.test_client()
    api = client.post("/_harness/worlds", json={"name": "  padded  "}).get_json()["error"]["message"]
    answer = send(client, "/_harness/dashboard/worlds", {"name": "  padded  "}, "/_harness/")
    assert answer.headers["X-Harness-Refusal"] == "400 InvalidInput"
    assert alert(follow(client, answer)) == ("InvalidInput", api) and "padded" not in registry
    api = client.post(f"/_harness/worlds/{WORLD}/clock/advance", json={"by": ""}).get_json()["error"][
        "message"
    ]
    empty = follow(client, send(client, f"{PAGE}/clock/advance", {"by": ""}))
    assert alert(empty) == ("InvalidInput", api), f"expected the API's {api!r}, found {alert(empty)}"


def test_a_typed_and_an_uploaded_seed_document_are_refused_together(
    app: Flask, registry: WorldRegistry
) -> None:
    client = app.test_client()
    seed = "organisations:\n  - {id: contoso, name: Contoso Ltd}\n"
    form = {
        "name": "both",
        "csrf": csrf(client.get("/_harness/")),
        "document": "organisations: []",
        "document_file": (io.BytesIO(seed.encode()), "seed.yaml"),
    }
    answer = client.post("/_harness/dashboard/worlds", data=form, content_type="multipart/form-data")
    assert answer.status_code == 303 and answer.headers["X-Harness-Refusal"] == "400 InvalidInput"
    expected = "Invalid input: document, document_file: give the seed document typed or uploaded, not both"
    assert alert(follow(client, answer)) == ("InvalidInput", expected) and "both" not in registry


def test_restoring_into_a_bad_world_name_says_the_name_rule(app: Flask, world: World) -> None:
    client = app.test_client()
    snapshot = client.get(f"{PAGE}/snapshot.json").data
    form = {"csrf": csrf(client.get(PAGE)), "snapshot": (io.BytesIO(snapshot), "s.json")}
    answer = client.post(
        "/_harness/dashboard/Bad%20Name/restore", data=form, content_type="multipart/form-data"
    )
    page = follow(client, answer)
    expected = (
        "InvalidInput",
        "Invalid input: world name: 1 to 100 letters, digits, '.', '_' or '-', "
        "starting with a letter or digit",
    )
    assert (page.status_code, alert(page)) == (200, expected), f"found {page.status_code}, {alert(page)}"


def test_a_fault_rules_probability_of_nan_is_not_a_number_from_the_form(app: Flask) -> None:
    client = app.test_client()
    answer = send(client, f"{PAGE}/faults", {"path": "*", "status": "503", "probability": "nan"})
    code, message = alert(follow(client, answer)) or ("", "")
    assert code == "InvalidInput" and "probability: must be" in message and "1.0 or less" not in message, (
        message
    )


@pytest.mark.parametrize("name", ["status", "path", "portal"])
def test_a_journal_filter_with_a_control_character_is_refused(app: Flask, name: str) -> None:
    page = app.test_client().get(f"{PAGE}?{name}=%00x")
    assert page.status_code == 400 and "\x00" not in page.get_data(as_text=True)
    assert alert(page) == ("InvalidInput", f"Invalid input: {name}: must not contain control characters")


def test_snapshot_download_restore_upload_reset_and_delete(
    app: Flask, world: World, registry: WorldRegistry
) -> None:
    client = app.test_client()
    activate(world)
    download = client.get(f"{PAGE}/snapshot.json")
    assert download.headers["Content-Disposition"] == 'attachment; filename="cast.snapshot.json"'
    assert download.json == client.get(f"/_harness/worlds/{WORLD}/snapshot").json
    send(client, f"{PAGE}/clock/advance", {"by": "P10D"})
    token = csrf(client.get(PAGE))
    restore = {"csrf": token, "snapshot": (io.BytesIO(download.data), "cast.snapshot.json")}
    answer = client.post(f"{PAGE}/restore", data=restore, content_type="multipart/form-data")
    assert notice(follow(client, answer)) == "Snapshot restored into world cast"
    assert registry.get(WORLD).now.isoformat() == "2021-03-04T09:00:00+00:00"
    broken = {"csrf": token, "snapshot": (io.BytesIO(b'{"format": "nope"}'), "x.json")}
    refused = follow(client, client.post(f"{PAGE}/restore", data=broken, content_type="multipart/form-data"))
    assert (alert(refused) or ("", ""))[0] == "InvalidInput"
    send(client, f"{PAGE}/clock/advance", {"by": "P1D"})
    assert notice(follow(client, send(client, f"{PAGE}/reset"))) == "World cast reset"
    assert registry.get(WORLD).now.isoformat() == "2021-03-04T09:00:00+00:00"  # the snapshot restored
    gone = send(client, f"{PAGE}/delete")
    assert gone.headers["Location"].startswith("/_harness/?outcome=") and WORLD not in registry
    assert notice(follow(client, gone)) == "World cast deleted"
    default = follow(
        client, send(client, "/_harness/dashboard/default/delete", page="/_harness/dashboard/default")
    )
    assert notice(default) == "The default world always exists: it was reset"


def test_a_post_without_the_sessions_csrf_field_is_refused_and_changes_nothing(
    app: Flask, world: World
) -> None:
    before = world.snapshot()
    client = app.test_client()
    client.get(PAGE)  # a session
    for data in ({"by": "P3D"}, {"by": "P3D", "csrf": "0" * 32}):
        answer = client.post(f"{PAGE}/clock/advance", data=data)
        assert answer.status_code == 403 and 'data-code="DashboardFormExpired"' in answer.get_data(
            as_text=True
        )
    other = app.test_client()  # another browser's field does not fit this session
    stolen = csrf(other.get(PAGE))
    assert client.post(f"{PAGE}/clock/advance", data={"by": "P3D", "csrf": stolen}).status_code == 403
    fresh = app.test_client()  # no session at all (a cross-site post sends no SameSite=Strict cookie)
    assert fresh.post(f"{PAGE}/clock/advance", data={"by": "P3D", "csrf": stolen}).status_code == 403
    assert world.snapshot() == before


def test_an_unknown_world_is_a_page_saying_so(app: Flask) -> None:
    page = app.test_client().get("/_harness/dashboard/nowhere?lang=es-ES")
    assert page.status_code == 404 and alert(page) == ("WorldNotFound", "No hay ningún mundo nowhere")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en-US", ("Clock", "Organisations", "Fault rules", "CSP contracts per customer")),
        ("es-ES", ("Reloj", "Organizaciones", "Reglas de fallo", "Contratos CSP por cliente")),
        ("it-IT", ("Orologio", "Organizzazioni", "Regole di guasto", "Contratti CSP per cliente")),
    ],
)
def test_the_dashboard_speaks_three_languages(app: Flask, lang: str, words: tuple[str, ...]) -> None:
    page = app.test_client().get(f"{PAGE}?lang={lang}")
    assert f'<html lang="{lang}">' in page.get_data(as_text=True)
    for word in words:
        assert word in text(page)


# --- the control token --------------------------------------------------------------------------------
@pytest.fixture
def guarded(registry: WorldRegistry) -> Flask:
    return create_app(registry, {"CONTROL_TOKEN": "s3cret"})


def test_with_a_control_token_the_dashboard_asks_for_it(guarded: Flask, world: World) -> None:
    client = guarded.test_client()
    locked = client.get(PAGE)
    assert locked.status_code == 401 and 'data-testid="token-form"' in locked.get_data(as_text=True)
    assert "cast" not in text(locked).replace("/_harness/dashboard/cast", "")  # nothing of the world
    token = csrf(locked)
    wrong = client.post("/_harness/dashboard/token", data={"token": "guess", "next": PAGE, "csrf": token})
    assert wrong.status_code == 303 and wrong.headers["X-Harness-Refusal"] == "401 HarnessTokenWrong"
    assert "That is not this server's control token" in text(follow(client, wrong))
    assert not [c for c in wrong.headers.getlist("Set-Cookie") if c.startswith("harness_dashboard=")]
    right = client.post("/_harness/dashboard/token", data={"token": "s3cret", "next": PAGE, "csrf": token})
    assert right.status_code == 303 and right.headers["Location"] == PAGE
    [cookie] = [c for c in right.headers.getlist("Set-Cookie") if c.startswith("harness_dashboard=")]
    assert "HttpOnly" in cookie and "Path=/_harness" in cookie and "s3cret" not in cookie
    assert client.get(PAGE).status_code == 200
    assert notice(follow(client, send(client, f"{PAGE}/clock/advance", {"by": "P1D"}))) is not None
    # the JSON control API does not take the dashboard's cookie: programs send the token
    refused = client.get(f"/_harness/worlds/{WORLD}")
    assert refused.status_code == 401 and refused.json["error"]["code"] == "HarnessTokenRequired"
    assert client.get(f"/_harness/worlds/{WORLD}", headers={"X-Harness-Token": "s3cret"}).status_code == 200
    lock = send(client, "/_harness/dashboard/lock")
    assert client.get(PAGE).status_code == 401 and lock.status_code == 303


GIVEN = "This server was started with a control token (--control-token): its dashboard needs that token."
NOT_LOOPBACK = "This server does not listen on loopback only: its dashboard needs the control token that"


@pytest.mark.parametrize(
    ("host", "expected"),
    [("127.0.0.1", GIVEN), ("::1", GIVEN), ("0.0.0.0", NOT_LOOPBACK), ("10.1.2.3", NOT_LOOPBACK)],
)
def test_the_token_page_says_why_it_asks(registry: WorldRegistry, host: str, expected: str) -> None:
    app = create_app(registry, {"CONTROL_TOKEN": "s3cret", "LISTEN_HOST": host})
    assert expected in text(app.test_client().get(PAGE))


def test_serve_with_a_control_token_on_loopback_says_the_token_was_set() -> None:
    """``serve --control-token s3cret`` on loopback: a live stack with a token on 127.0.0.1."""
    import requests

    from harness.stack import PortalStack

    with PortalStack("live", control_token="s3cret") as stack:
        locked = requests.get(f"{stack.urls['partner_center']}/_harness/", timeout=10)
    assert locked.status_code == 401, f"expected 401, found {locked.status_code}"
    assert GIVEN in " ".join(html.unescape(re.sub(r"<[^>]+>", " ", locked.text)).split())
    assert "loopback" not in locked.text, "expected no word of loopback: the server listens there"


def test_the_token_form_goes_back_only_to_dashboard_pages(guarded: Flask) -> None:
    client = guarded.test_client()
    token = csrf(client.get("/_harness/"))
    for target in ("https://evil.example/", "//evil.example/_harness/", "/api/products"):
        answer = client.post(
            "/_harness/dashboard/token", data={"token": "s3cret", "next": target, "csrf": token}
        )
        assert answer.headers["Location"] == "/_harness/", target


def test_the_page_reads_a_copy_of_the_world_taken_at_one_moment(world: World) -> None:
    """``World.overview`` copies the state under the world's lock: later changes do not show in it."""
    ids = activate(world)
    taken = world.overview()
    world.advance_clock("P1D")
    world.add_contract("user@contoso.com", *ids)
    world.state.organisations["contoso"].name = "Renamed"
    assert taken.now.isoformat() == "2021-03-04T09:00:00+00:00" and taken.associations == ()
    assert taken.organisation("contoso").name == "Contoso"  # type: ignore[union-attr]
    assert len(taken.accounts) == len(CAST["accounts"]) and taken.contract(ids[1]).state == "active"  # type: ignore[union-attr]
