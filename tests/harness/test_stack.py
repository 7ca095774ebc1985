"""PortalStack in both modes: the same cross-portal flow, cookies and redirects, isolation, and
living beside a user's own ``responses`` mocks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
import responses
from cast import CAST

from harness.clients import PortalError
from harness.stack import PortalStack

MODES = ["inprocess", "live"]


@pytest.fixture(scope="module", params=MODES)
def stack(request: pytest.FixtureRequest) -> Iterator[PortalStack]:
    with PortalStack(request.param) as running:
        yield running


@pytest.mark.rule("R-AZ-05", "R-AZ-06", "R-SFB-07")
def test_cross_portal_flow_in_both_modes(stack: PortalStack) -> None:
    """Activate in Partner Center, add in Support for Business, link in Azure and get the spurious
    error, then create an Azure request anyway."""
    world = stack.new_world(document=CAST)
    admin = stack.clients(world, "admin@contoso.com")
    benefits = admin.pc.activate_benefits()
    assert benefits.state == "active" and benefits.access_id and benefits.contract_id
    user = stack.clients(world, "user@contoso.com")
    ids = (benefits.access_id, benefits.contract_id)
    user.sfb.add_contract(*ids)
    available, _ = user.sfb.plans("windows-10")
    assert [p.remaining_incidents for p in available] == [20]
    with pytest.raises(PortalError) as refused:
        user.azure.link_support_benefits(*ids)
    assert refused.value.status == 409 and refused.value.code == "AccessIdAlreadyAssociated"
    assert refused.value.message.startswith("This Access ID is already associated with an account.")
    assert [p.contract_id for p in user.azure.support_plans()] == [benefits.contract_id]
    created = user.azure.create_support_request("app-service", "VM down", "details")
    assert created.portal == "azure" and created.plan == benefits.contract_id


def test_pages_cookies_and_cross_portal_redirect(stack: PortalStack) -> None:
    world = stack.new_world(document=CAST)
    browser = requests.Session()
    pc = stack.urls["partner_center"]
    signin = browser.get(f"{pc}/signin?world={world.name}&lang=es-ES")
    assert signin.status_code == 200
    assert {"world", "lang"} <= set(browser.cookies.keys())  # two Set-Cookie headers in one answer
    answer = browser.post(
        f"{pc}/signin", data={"upn": "agent@wingtip.com", "next": "/commerce/customers/list"}
    )
    assert answer.status_code == 200 and "Woodgrove Bank" in answer.text  # redirect followed, cookies kept
    form = {
        "workload": "azure",
        "product": "app-service",
        "title": "Customer VM",
        "description": "down",
        "severity": "C",
    }
    redirected = browser.post(f"{pc}/commerce/customers/woodgrove/servicemanagement/newrequest", data=form)
    assert redirected.status_code == 200
    assert redirected.url.startswith(stack.url("azure", "/support/requests/"))
    assert "Woodgrove" in redirected.text or "woodgrove" in redirected.text
    # the language chosen in Partner Center holds in the Azure portal, in-process too, where the
    # portals' hosts share no cookie: the redirect carries it
    assert '<html lang="es-ES">' in redirected.text
    assert len(world.state.requests) == 1


def test_worlds_are_isolated(stack: PortalStack) -> None:
    first, second = stack.new_world(document=CAST), stack.new_world(document=CAST)
    stack.clients(first, "admin@contoso.com").pc.activate_benefits()
    assert stack.clients(second, "admin@contoso.com").pc.technical_benefits().state == "not_activated"


def test_worlds_per_scenario_leave_nothing_behind(stack: PortalStack) -> None:
    """Its cost is measured by bench/bench.py; here: created and dropped, nothing stays."""
    before = set(stack.registry.names())
    for _ in range(50):
        stack.drop_world(stack.new_world(document=CAST).name)
    assert set(stack.registry.names()) == before


def test_in_process_unknown_hosts_raise_and_loopback_passes() -> None:
    with PortalStack("live") as live, PortalStack("inprocess"):
        with pytest.raises(requests.ConnectionError):
            requests.get("http://unknown.example/", timeout=2)
        health = requests.get(live.url("azure", "/help-support"), allow_redirects=False, timeout=5)
        assert health.status_code == 302  # a real loopback server, reached through the passthrough


def test_in_process_stack_keeps_no_call_history() -> None:
    """``responses`` would keep every request and response until the stack stops; the stack's mock
    and its portal routes keep none (the journal, per world and bounded, is the record)."""
    with PortalStack("inprocess") as stack:
        world = stack.new_world(document=CAST)
        user = stack.clients(world, "user@contoso.com")
        for _ in range(40):
            assert user.azure.support_plans() == []
        assert stack._router is not None and stack._router.mock is not None
        mock = stack._router.mock
        assert len(mock.calls) == 0, f"expected no calls kept, found {len(mock.calls)}"
        kept = [len(route.calls) for route in mock.registered() if len(route.calls)]
        assert kept == [], f"expected no route to keep calls, found {kept}"
        with responses.RequestsMock() as mine:  # a user's own mock keeps the calls it was asked for
            mine.get("http://api.example/thing", body="mine")
            assert requests.get("http://api.example/thing", timeout=2).text == "mine"
            assert [call.request.url for call in mine.calls if "api.example" in call.request.url] == [
                "http://api.example/thing"
            ]
            assert mine.calls[0].response.text == "mine"


def test_user_responses_mock_started_inside_the_stack() -> None:
    with PortalStack("inprocess") as stack:
        world = stack.new_world(document=CAST)
        with responses.RequestsMock() as mine:  # strict: asserts all of its own mocks fire
            mine.get("http://api.example/thing", json={"mine": True})
            assert requests.get("http://api.example/thing", timeout=2).json() == {"mine": True}
            assert stack.clients(world, "admin@contoso.com").pc.technical_benefits().membership == "gold"


def test_user_activate_decorator_beside_the_stack() -> None:
    with PortalStack("inprocess") as stack:
        world = stack.new_world(document=CAST)

        @responses.activate
        def mine() -> None:
            responses.add(responses.GET, "http://api.example/x", body="x")
            assert requests.get("http://api.example/x", timeout=2).text == "x"
            assert stack.clients(world, "admin@contoso.com").pc.technical_benefits().state == "not_activated"

        mine()
        mine()  # the default mock is reset between activations; the portals come back each time


def test_stack_started_inside_a_user_mock() -> None:
    with responses.RequestsMock() as mine:
        mine.get("http://api.example/outer", body="outer")
        with PortalStack("inprocess") as stack:
            world = stack.new_world(document=CAST)
            assert requests.get("http://api.example/outer", timeout=2).text == "outer"
            assert stack.clients(world, "admin@contoso.com").pc.technical_benefits().state == "not_activated"
    with pytest.raises(requests.ConnectionError):
        requests.get("http://portal.azure.test/", timeout=2)  # both mocks gone: nothing routes there


def test_live_servers_stop_cleanly() -> None:
    stack = PortalStack("live").start()
    url = stack.url("azure", "/signin")
    assert requests.get(url, timeout=5).status_code == 200
    stack.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=2)


def test_live_stack_with_host_names_beside_an_in_process_one() -> None:
    """The browser's stack: loopback servers over the in-process stack's registry, whose pages and
    redirects name the .test hosts, and a map from every portal host to the port serving it."""
    with PortalStack("inprocess") as inprocess, inprocess.live_twin(hostnames=True) as live:
        world = inprocess.new_world(document=CAST)
        assert live.registry is inprocess.registry and live.mode == "live"
        assert live.public_urls["azure"] == "http://portal.azure.test" == inprocess.public_urls["azure"]
        assert live.urls["azure"].startswith("http://127.0.0.1:")
        hosts = {spec.hostname for spec in live.specs.values()}
        assert set(live.host_map()) == hosts
        assert live.host_map()["serviceshub.test"] == live.urls["support_for_business"].removeprefix(
            "http://"
        )
        browser = requests.Session()
        form = {
            "workload": "azure",
            "product": "app-service",
            "title": "t",
            "description": "d",
            "severity": "C",
        }
        url = f"{live.urls['partner_center']}/commerce/customers/woodgrove/servicemanagement/newrequest"
        answer = browser.post(
            f"{url}?world={world.name}&login_hint=agent@wingtip.com", data=form, allow_redirects=False
        )
        assert answer.status_code == 303
        assert answer.headers["Location"].startswith("http://portal.azure.test/support/requests/")
    with PortalStack("live") as plain:
        assert plain.public_urls == plain.urls  # without host names, pages name the loopback URLs


def _journal_statuses(session: requests.Session, stack: PortalStack, world: str) -> list[int]:
    answer = session.get(stack.url("azure", f"/_harness/worlds/{world}/journal"), timeout=5).json()
    return [entry["status"] for entry in answer["value"]]


def _drop(session: requests.Session, stack: PortalStack, world: str, times: int) -> None:
    rule = {"drop_connection": True, "times": times, "path": "/api/products"}
    assert session.post(stack.url("azure", f"/_harness/worlds/{world}/faults"), json=rule, timeout=5).ok


def test_a_dropped_connection_is_retried_as_urllib3_retries_it(stack: PortalStack) -> None:
    """Live and in-process alike: ``Retry(total=2)`` gets the answer after one dropped connection
    (journal ``[0, 200]``); requests' default (no retries) and a POST get ``ConnectionError``."""
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    world = stack.new_world().name
    products = stack.url("azure", "/api/products")
    headers = {"X-Harness-World": world}
    retrying = requests.Session()
    retrying.trust_env = False
    retrying.mount("http://", HTTPAdapter(max_retries=Retry(total=2)))
    _drop(retrying, stack, world, times=1)
    assert retrying.get(products, headers=headers, timeout=5).status_code == 200
    assert _journal_statuses(retrying, stack, world) == [0, 200]

    plain = requests.Session()
    plain.trust_env = False
    _drop(plain, stack, world, times=1)
    with pytest.raises(requests.ConnectionError, match="Connection aborted"):
        plain.get(products, headers=headers, timeout=5)
    _drop(plain, stack, world, times=3)  # more drops than Retry(total=2) allows
    with pytest.raises(requests.ConnectionError, match="Max retries exceeded"):
        retrying.get(products, headers=headers, timeout=5)
    assert _journal_statuses(retrying, stack, world) == [0, 200, 0, 0, 0, 0]
