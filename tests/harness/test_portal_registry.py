"""The portal registry: a throwaway portal declared here by its spec alone (a tiny Flask app, its
client and its error shape) is served by both stack modes with the control API, the journal and
fault rules, and by ``portal-harness serve --portal``; nothing else names it."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from cast import CAST
from flask import Blueprint, Flask, g, jsonify
from werkzeug.wrappers import Response

from harness.clients import PortalClient
from harness.control_client import ControlClient
from harness.stack import PortalStack
from portals.backend import Refusal, WorldRegistry
from portals.portal_spec import ApiStyle, PortalSpec
from portals.specs import PORTAL_SPECS, portal_specs
from portals.web.app import create_portal_app
from portals.web.context import current_upn, runtime
from portals.web.errors import status_of
from portals.web.tokens import mint_token

USER = "user@contoso.com"
BUILT_IN = ["partner_center", "support_for_business", "azure", "azure_management", "partner_center_api"]

# --- the throwaway portal: everything it takes is below ----------------------------------------------
echo = Blueprint("echo", __name__)


@echo.get("/api/hello")
def hello() -> Any:
    return jsonify(world=g.world.name, upn=current_upn(), portal=runtime().spec.key)


@echo.get("/api/benefits")
def benefits() -> Any:
    raise Refusal("NoBenefits")


def create_echo_app(registry: WorldRegistry | None = None, config: dict[str, Any] | None = None) -> Flask:
    app = create_portal_app(ECHO, registry, config)
    app.register_blueprint(echo)
    return app


def echo_error(refusal: Refusal) -> Response:
    """This portal's own error shape, so the test sees the spec's renderer at work."""
    response = jsonify(problem={"kind": refusal.code, "http": status_of(refusal)})
    response.status_code = status_of(refusal)
    return response


class EchoClient(PortalClient):
    portal = "echo"

    def hello(self) -> dict[str, Any]:
        return self.call("GET", "/api/hello")


ECHO = PortalSpec(
    key="echo",
    title="Echo portal",
    hostname="echo.portal.test",
    port_offset=9,
    alias="echo",
    start_page="/api/hello?world=default",
    app=create_echo_app,
    api=ApiStyle("echo", echo_error, ("/api/",)),
    client=EchoClient,
)


# --- both stack modes --------------------------------------------------------------------------------
@pytest.fixture(scope="module", params=["inprocess", "live"])
def stack(request: pytest.FixtureRequest) -> Iterator[PortalStack]:
    with PortalStack(request.param, specs=[*PORTAL_SPECS, ECHO]) as running:
        yield running


def test_the_extra_portal_is_served_with_its_client(stack: PortalStack) -> None:
    assert list(stack.urls) == [*BUILT_IN, "echo"]
    if stack.mode == "inprocess":
        assert stack.urls["echo"] == "http://echo.portal.test"
    else:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", stack.urls["echo"]), stack.urls["echo"]
    world = stack.new_world(document=CAST)
    answer = stack.clients(world, USER).echo.hello()
    assert answer == {"world": world.name, "upn": USER, "portal": "echo"}, answer
    pc = stack.clients(world, "admin@contoso.com").pc  # the project's portals are still there
    assert pc.technical_benefits().state == "not_activated"


def test_its_control_api_journal_and_faults(stack: PortalStack) -> None:
    control = ControlClient(stack.urls["echo"])
    health = control.health()
    assert health["portal"] == "echo", health
    assert health["portals"] == stack.urls and list(health["portals"]) == [*BUILT_IN, "echo"], health
    name = f"echo-{stack.mode}"
    control.create_world(name, CAST)
    client = stack.clients(name, USER).echo
    client.hello()
    control.add_fault(name, portal="echo", path="/api/hello", status=503, times=1)
    faulted = client.session.get(stack.url("echo", "/api/hello"), headers=client.headers(), timeout=10)
    assert (faulted.status_code, faulted.headers.get("X-Harness-Fault")) == (503, "f1"), faulted.headers
    assert client.hello()["world"] == name
    entries = control.journal(name)["value"]
    seen = [(e["portal"], e["method"], urlsplit(e["url"]).path, e["status"], e["fault"]) for e in entries]
    assert seen == [
        ("echo", "GET", "/api/hello", 200, None),
        ("echo", "GET", "/api/hello", 503, "f1"),
        ("echo", "GET", "/api/hello", 200, None),
    ], seen
    control.delete_world(name)


def test_its_refusals_take_the_shape_its_spec_names(stack: PortalStack) -> None:
    world = stack.new_world(document=CAST)
    session, headers = requests.Session(), {"X-Harness-World": world.name}
    refused = session.get(stack.url("echo", "/api/benefits"), headers=headers, timeout=10)
    assert refused.status_code == 404
    assert refused.json() == {"problem": {"kind": "NoBenefits", "http": 404}}, refused.text
    unrouted = session.get(stack.url("echo", "/api/nothing"), headers=headers, timeout=10)
    assert unrouted.json() == {"problem": {"kind": "RouteNotFound", "http": 404}}, unrouted.text
    page = session.get(stack.url("echo", "/nothing"), headers={**headers, "Accept": "text/html"}, timeout=10)
    assert page.status_code == 404 and page.headers["Content-Type"].startswith("text/html"), page.headers
    assert "<title>404 · Echo portal</title>" in page.text, page.text[:300]
    control = session.get(stack.url("echo", "/_harness/worlds/nowhere"), timeout=10)
    assert control.json()["error"]["code"] == "WorldNotFound" and control.json()["error"]["status"] == 404


# --- the ways to name an extra portal ---------------------------------------------------------------------
def test_the_environment_variable_adds_a_portal_to_every_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_HARNESS_PORTALS", f"{__name__}:ECHO")
    assert [spec.key for spec in portal_specs()] == [*BUILT_IN, "echo"]
    with PortalStack("inprocess") as stack:
        world = stack.new_world(document=CAST)
        assert stack.clients(world, USER).echo.hello()["portal"] == "echo"


def test_serve_runs_a_portal_named_by_module_and_spec(tmp_path: Path) -> None:
    seed = tmp_path / "cast.json"
    seed.write_text(json.dumps(CAST), encoding="utf-8")
    here = Path(__file__).parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(here), str(here.parent)])}
    cli = [sys.executable, "-m", "harness.cli", "serve", "--portal", f"{__name__}:ECHO"]
    shown = subprocess.run([*cli, "--help"], env=env, capture_output=True, text=True, timeout=60)
    help_text = " ".join(shown.stdout.split())
    assert "--echo-port PORT Echo portal's port" in help_text and "Echo portal +9" in help_text, shown.stdout
    process = subprocess.Popen(
        [*cli, "--base-port", "0", "--seed", str(seed)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Press Ctrl-C"):
                break
        urls = dict(re.findall(r"(\w+)=(http://[\d.:]+)", next(x for x in lines if "serving" in x)))
        assert list(urls) == [*BUILT_IN, "echo"], lines
        listing = f"  {'Echo portal':24} {urls['echo']}/api/hello?world=default\n"
        assert listing in lines, lines
        token = {"Authorization": f"Bearer {mint_token(USER)}"}
        answer = requests.get(f"{urls['echo']}/api/hello", headers=token, timeout=10)
        assert answer.json() == {"world": "default", "upn": USER, "portal": "echo"}, answer.text
        health = requests.get(f"{urls['echo']}/_harness/health", timeout=10).json()
        assert health["portal"] == "echo" and health["portals"] == urls, health
        journal = requests.get(f"{urls['azure']}/_harness/worlds/default/journal", timeout=10).json()
        assert [(e["portal"], e["status"]) for e in journal["value"]] == [("echo", 200)], journal
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=10)
    assert process.returncode == 0, lines


def test_serve_refuses_a_reference_that_names_no_spec(capsys: pytest.CaptureFixture[str]) -> None:
    from harness.cli import main

    assert main(["serve", "--base-port", "0", "--portal", "portals.specs:PORTAL_SPECS"]) == 2
    assert "names a tuple, not a PortalSpec" in capsys.readouterr().err
    assert main(["serve", "--base-port", "0", "--portal", "no_such_module:SPEC"]) == 2
    assert "No module named 'no_such_module'" in capsys.readouterr().err


# --- what a spec must say ----------------------------------------------------------------------------
def test_a_spec_needs_a_reserved_host_name_and_its_own_key_and_port() -> None:
    with pytest.raises(ValueError, match=r"hostname 'echo\.example\.com': a name under \.test"):
        PortalSpec("echo", "Echo", "echo.example.com", 9, "echo", "/", create_echo_app)
    with pytest.raises(ValueError, match="port_offset -1: 0 or more"):
        PortalSpec("echo", "Echo", "echo.test", -1, "echo", "/", create_echo_app)
    twin = PortalSpec("twin", "Twin", "twin.test", 0, "twin", "/", create_echo_app)
    with pytest.raises(ValueError, match="portals 'partner_center' and 'twin' have the same port_offset 0"):
        portal_specs([twin])
