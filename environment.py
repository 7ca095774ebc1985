"""behave hooks and fixtures: one portal stack per run, a fresh world per scenario, a HAR for each
failure. The run's stack and browser, each scenario's world and ``@ui`` page are behave fixtures
(``use_fixture``; ``@ui`` through ``use_fixture_by_tag``), cleaned up when their scope ends.

Userdata (``-D name=value``):
- ``mode``: ``inprocess`` (default), ``live`` (loopback servers) or ``target`` (a running
  ``portal-harness serve``; ``target`` is any of its portals' base URL, ``token`` its control token);
- ``reports``: where failed scenarios' HAR files go (default ``reports``; ``<reports>/har/``).

The hooks work wherever the feature files are (``portal-harness run /tmp/x/my.feature`` gives
behave this project's ``steps/`` and this file; ``harness.behave_main``).

``@ui`` scenarios drive the pages in headless Chromium: one browser per run, started when the
first of them runs, and a fresh browser context per scenario. In-process and live, the browser
talks to a live twin of the stack (same registry, ``.test`` host names mapped to its ports), so
it shows the URLs in-process clients see; against a target it uses the target's URLs. A failed
``@ui`` scenario leaves ``<reports>/ui/<name>.png`` (full page) and ``.html``; every failed
scenario leaves ``<reports>/failures/<name>.json`` naming its files, which the runner prints.
"""

from __future__ import annotations

import itertools
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from behave.fixture import fixture, use_fixture, use_fixture_by_tag
from behave.model import Feature, Scenario, Status, Step
from behave.runner import Context

from harness.browser import Browser, chromium_problem, save_page, skip_line
from harness.clients import PortalError
from harness.cucumber import location
from harness.stack import Clients, PortalStack
from portals.backend.rules import RULES
from steps.common import Portals, Scene, slug

WORLD_NAME_LIMIT = 100
HAR_NAME_LIMIT = 200


@dataclass
class UiRun:
    """The ``@ui`` part of a run: a live stack for the browser and the browser itself, both started
    by the first ``@ui`` scenario (a run without one never starts Chromium)."""

    stack: PortalStack | None
    target_urls: dict[str, str]
    problem: str | None = None
    browser: Browser | None = None
    live: PortalStack | None = None
    urls: dict[str, str] = field(default_factory=dict)

    def new_page(self, locale: str | None = None) -> Any:
        """A Playwright page in a fresh context; the browser (and its stack) start on first use."""
        if self.browser is None:
            if self.stack is not None:
                self.live = self.stack.live_twin(hostnames=True).start()
                self.urls, host_map = dict(self.live.public_urls), self.live.host_map()
            else:
                self.urls, host_map = dict(self.target_urls), {}
            self.browser = Browser(host_map).start()
        return self.browser.new_page(locale)

    def stop(self) -> None:
        if self.browser is not None:
            self.browser.stop()
        if self.live is not None:
            self.live.stop()


# --- fixtures (behave's own: set up here, cleaned up when their scope ends) -----------------------------
@fixture
def portal_stack(context: Context) -> Iterator[Portals]:
    """The portals for the whole run: a stack in-process or live, or a running ``serve``
    (``-D mode=target``); stopped when the run ends."""
    userdata = context.config.userdata
    mode = userdata.get("mode", "inprocess")
    context.stack = None
    if mode == "target":
        token = userdata.get("token") or os.environ.get("PORTAL_HARNESS_TOKEN")
        context.portals = Portals.from_target(userdata.get("target", "http://127.0.0.1:8403"), token)
    elif mode in ("inprocess", "live"):
        context.stack = PortalStack(mode).start()
        context.portals = Portals(
            dict(context.stack.urls), context.stack.control_token, registry=context.stack.registry
        )
    else:
        raise ValueError(f"-D mode must be inprocess, live or target, not {mode!r}")
    try:
        yield context.portals
    finally:
        if context.stack is not None:
            context.stack.stop()


@fixture
def ui_browser(context: Context) -> Iterator[UiRun]:
    """The ``@ui`` part of the run: Chromium and its live stack, started by the first ``@ui``
    scenario that opens a page, stopped when the run ends."""
    context.ui = UiRun(context.stack, dict(context.portals.urls), chromium_problem())
    try:
        yield context.ui
    finally:
        context.ui.stop()


@fixture
def ui_tagged(context: Context) -> Iterator[None]:
    """``@ui`` (a feature's or a scenario's tag): without Chromium its scenarios are skipped, saying
    how to get it."""
    if context.ui.problem:
        scenario = getattr(context, "scenario", None)
        (scenario or context.feature).skip(reason=skip_line(context.ui.problem))
    yield


@fixture
def ui_page(context: Context) -> Iterator[None]:
    """A ``@ui`` scenario's browser page (a fresh browser context, opened by its first step that
    needs one), closed when the scenario ends, after after_scenario has kept its screenshot."""
    context.ui_page = None
    try:
        yield
    finally:
        if context.ui_page is not None:
            close_page(context.ui_page)
            context.ui_page = None


@fixture
def scenario_world(context: Context, scenario: Scenario) -> Iterator[Scene]:
    """A fresh seed document and world name for one scenario; the world is made when a step first
    needs it (through the stack's registry in-process and live, over the control API against a
    target), and dropped when the scenario ends (after after_scenario kept its HAR)."""
    number = next(context.numbers)
    name = f"bdd-{context.run_id}-{number}-{slug(scenario.name)}"[:WORLD_NAME_LIMIT].rstrip("-")
    seed: dict[str, Any] = {"world": {"seed": slug(scenario.name)}, "organisations": [], "accounts": []}
    the_scene = Scene(world=name, portals=context.portals, control=context.control, seed=seed)
    context.scene = the_scene
    try:
        yield the_scene
    finally:
        try:
            the_scene.drop_world()
        except PortalError as error:
            print(f"could not delete world {the_scene.world}: {error}")


#: Fixtures chosen by tag (``before_tag``).
FIXTURE_TAGS = {"ui": ui_tagged}


# --- hooks -----------------------------------------------------------------------------------------------
def before_all(context: Context) -> None:
    context.reports = Path(context.config.userdata.get("reports", "reports"))
    context.run_id = secrets.token_hex(3)
    context.numbers = itertools.count(1)  # each scenario's number, without setting context per scenario
    use_fixture(portal_stack, context)
    use_fixture(ui_browser, context)
    context.control = context.portals.control()  # one control client for every scenario

    def clients(upn: str | None = None) -> Clients:
        """The clients of one account in the current scenario's world."""
        return context.scene.clients(upn)

    context.clients = clients


def before_tag(context: Context, tag: str) -> None:
    if tag in FIXTURE_TAGS:
        use_fixture_by_tag(tag, context, FIXTURE_TAGS)


def before_scenario(context: Context, scenario: Scenario) -> None:
    if scenario.should_skip or (scenario.feature and scenario.feature.should_skip):
        return  # skipped by a fixture (no Chromium for @ui): no world, no page
    use_fixture(scenario_world, context, scenario)
    if "ui" in scenario.effective_tags:
        use_fixture(ui_page, context)


def before_step(context: Context, step: Step) -> None:
    """Tell the scene which step runs and whether it sets up (a Given, or an And/But after one,
    which behave gives the Given's type): a refusal fails such a step at once."""
    the_scene: Scene | None = getattr(context, "scene", None)
    if the_scene is not None:
        the_scene.step = f"{step.keyword} {step.name}"
        the_scene.setting_up = step.step_type == "given"


def after_scenario(context: Context, scenario: Scenario) -> None:
    """Keep what a failed scenario leaves (the page as a screenshot and HTML, the journal as HAR)
    and name it for the runner's summary and report; the fixtures then close the page and drop
    the world. A scenario whose steps passed but left a refusal no Then step checked fails here,
    naming it."""
    the_scene: Scene | None = getattr(context, "scene", None)
    if the_scene is None:
        return
    unchecked = the_scene.unchecked_refusals() if scenario.status == Status.passed else None
    if not (unchecked or scenario.status.has_failed()):
        return
    page = getattr(context, "ui_page", None)
    files = save_page(page, context.reports / "ui" / failure_name(scenario)) if page else []
    if the_scene.made:
        files.append(save_har(context, the_scene, scenario))
    index_failure(context, scenario, files)
    assert unchecked is None, unchecked


def close_page(page: Any) -> None:
    """Close the scenario's browser context; a browser that died says so but fails nothing more."""
    try:
        page.context.close()
    except Exception as error:
        print(f"could not close the browser context: {error}")


def failure_name(scenario: Scenario) -> str:
    feature: Feature = scenario.feature
    return f"{slug(feature.name)}-{slug(scenario.name)}"[:HAR_NAME_LIMIT]


def save_har(context: Context, the_scene: Scene, scenario: Scenario) -> Path:
    path = context.reports / "har" / f"{failure_name(scenario)}.har"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(the_scene.control.har(the_scene.world), indent=1), encoding="utf-8")
    print(f"HAR of the failed scenario {scenario.name!r}: {path}")
    return path


def index_failure(context: Context, scenario: Scenario, files: list[Path]) -> None:
    """``<reports>/failures/<name>.json``: the runner lists these files under the failed scenario
    (found by its location, which behave's JSON report gives too)."""
    if not files:
        return
    where = location(scenario.location.filename, scenario.location.line)
    entry = {"scenario": scenario.name, "location": where, "files": [str(f) for f in files]}
    path = context.reports / "failures" / f"{failure_name(scenario)}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(entry, indent=1), encoding="utf-8")


def after_all(context: Context) -> None:
    check_rule_coverage(context)


def check_rule_coverage(context: Context) -> None:
    """The rulebook asks the suite to fail when a rule ID has no scenario: checked when the whole
    features directory was parsed (tag filters do not matter: tags are read, not run)."""
    runner = context._runner
    features_dir = (Path(__file__).resolve().parent / "features").resolve()
    config = context.config
    if [Path(p).resolve() for p in config.paths] != [features_dir] or config.include_re or config.exclude_re:
        return
    tagged = {
        tag
        for feature in runner.features
        for scenario in feature.walk_scenarios()
        for tag in scenario.effective_tags
    }
    missing = [rule for rule in RULES if rule not in tagged]
    assert not missing, f"rule IDs with no scenario: {', '.join(missing)}"
