"""Chromium for the @ui scenarios: the launch flags, the host-resolver rules derived from a stack,
what is said when Chromium is missing, and (when it is there) one real page through the rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from cast import CAST

from harness import browser
from harness.stack import PortalStack


def test_flags_and_host_resolver_rules() -> None:
    args = browser.launch_args(
        {"partner.center.test": "127.0.0.1:4101", "serviceshub.test": "127.0.0.1:4102"}
    )
    assert args[: len(browser.FLAGS)] == list(browser.FLAGS)
    assert {"--headless", "--no-sandbox", "--disable-quic", "--no-first-run"} <= set(args)
    assert args[-1] == (
        "--host-resolver-rules=MAP partner.center.test 127.0.0.1:4101, MAP serviceshub.test 127.0.0.1:4102"
    )
    assert browser.launch_args({}) == list(browser.FLAGS)  # a target's URLs need no mapping


def test_every_portal_host_of_a_stack_gets_a_rule() -> None:
    """New portals in ``portals.specs.PORTAL_SPECS`` are mapped without touching the browser code."""
    with PortalStack("live", hostnames=True) as live:
        rules = browser.resolver_rules(live.host_map())
        for key, spec in live.specs.items():
            assert f"MAP {spec.hostname} 127.0.0.1:{live.servers[key].port}" in rules


def test_missing_chromium_is_one_line_saying_how_to_get_it(tmp_path: Path) -> None:
    missing = str(tmp_path / "chromium")
    problem = browser.chromium_problem(missing)
    assert problem == f"Chromium not found at {missing}"
    line = browser.skip_line(problem)
    assert "\n" not in line and "apt-get install chromium" in line and "make test" in line
    with pytest.raises(RuntimeError, match="UI scenarios skipped"):
        browser.Browser(path=missing).start()


@pytest.mark.skipif(bool(browser.chromium_problem()), reason=f"Chromium not found at {browser.CHROMIUM}")
def test_chromium_opens_a_portal_page_by_its_test_host_name(tmp_path: Path) -> None:
    with PortalStack("live", hostnames=True) as live, browser.Browser(live.host_map()) as chromium:
        world = live.new_world(document=CAST)
        page = chromium.new_page("it-IT")
        page.goto(f"http://partner.center.test/dashboard?world={world.name}&login_hint=admin@contoso.com")
        assert page.url.startswith("http://partner.center.test/dashboard")
        assert page.locator("html").get_attribute("lang") == "it-IT"  # the context's Accept-Language
        saved = browser.save_page(page, tmp_path / "ui" / "dashboard")
        assert [p.name for p in saved] == ["dashboard.png", "dashboard.html"]
        assert saved[0].read_bytes()[:4] == b"\x89PNG" and "Partner Center" in saved[1].read_text()
        page.context.close()
