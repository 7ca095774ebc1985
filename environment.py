"""behave hooks: one portal stack per run, a fresh world per scenario, a HAR for each failure.

Userdata (``-D name=value``):
- ``mode``: ``inprocess`` (default), ``live`` (loopback servers) or ``target`` (a running
  ``portal-harness serve``; ``target`` is any of its portals' base URL, ``token`` its control token);
- ``reports``: where failed scenarios' HAR files go (default ``reports``; ``<reports>/har/``).
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from behave.model import Feature, Scenario
from behave.runner import Context

from harness.clients import PortalError
from harness.stack import Clients, PortalStack
from portals.backend.rules import RULES
from steps.common import Portals, Scene, slug

WORLD_NAME_LIMIT = 100
HAR_NAME_LIMIT = 200


def before_all(context: Context) -> None:
    userdata = context.config.userdata
    mode = userdata.get("mode", "inprocess")
    context.reports = Path(userdata.get("reports", "reports"))
    context.stack = None
    if mode == "target":
        token = userdata.get("token") or os.environ.get("PORTAL_HARNESS_TOKEN")
        context.portals = Portals.from_target(userdata.get("target", "http://127.0.0.1:8403"), token)
    elif mode in ("inprocess", "live"):
        context.stack = PortalStack(mode).start()
        context.portals = Portals(dict(context.stack.urls), context.stack.control_token)
    else:
        raise ValueError(f"-D mode must be inprocess, live or target, not {mode!r}")
    context.run_id = secrets.token_hex(3)
    context.scenarios = 0

    def clients(upn: str | None = None) -> Clients:
        """The clients of one account in the current scenario's world."""
        return context.scene.clients(upn)

    context.clients = clients


def before_scenario(context: Context, scenario: Scenario) -> None:
    """A fresh seed document and world name; the world is created when a step first needs it."""
    context.scenarios += 1
    name = f"bdd-{context.run_id}-{context.scenarios}-{slug(scenario.name)}"[:WORLD_NAME_LIMIT].rstrip("-")
    seed: dict[str, Any] = {"world": {"seed": slug(scenario.name)}, "organisations": [], "accounts": []}
    context.scene = Scene(world=name, portals=context.portals, control=context.portals.control(), seed=seed)


def after_scenario(context: Context, scenario: Scenario) -> None:
    """Keep a failed scenario's journal as HAR, then drop its world."""
    the_scene: Scene = context.scene
    if not the_scene.created:
        return
    try:
        if scenario.status.has_failed():
            save_har(context, the_scene, scenario)
    finally:
        try:
            the_scene.control.delete_world(the_scene.world)
        except PortalError as error:
            print(f"could not delete world {the_scene.world}: {error}")


def save_har(context: Context, the_scene: Scene, scenario: Scenario) -> None:
    feature: Feature = scenario.feature
    name = f"{slug(feature.name)}-{slug(scenario.name)}"[:HAR_NAME_LIMIT]
    path = context.reports / "har" / f"{name}.har"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(the_scene.control.har(the_scene.world), indent=1), encoding="utf-8")
    print(f"HAR of the failed scenario {scenario.name!r}: {path}")


def after_all(context: Context) -> None:
    if getattr(context, "stack", None) is not None:
        context.stack.stop()
    check_rule_coverage(context)


def check_rule_coverage(context: Context) -> None:
    """The rulebook asks the suite to fail when a rule ID has no scenario: checked when the whole
    features directory was parsed (tag filters do not matter: tags are read, not run)."""
    runner = context._runner
    features_dir = Path(context.config.base_dir, "features").resolve()
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
