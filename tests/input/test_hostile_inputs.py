"""Hostile input, each kind with its right answer: a 4xx naming the field and why, nothing changed,
never a 500, a hang, a script or a header of the client's making (issue 11's list)."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any

import pytest
from cast import CAST
from stage import LEAKS, NO_BODY, USER, WORLD, Route, Stage, build_stage, error_code, error_message, routes

from harness.cli import main
from portals.backend import Refusal, World
from portals.backend.inputs import load_document

DEEP = "[" * 5000 + "]" * 5000
DEEP_YAML = "world: " + "[" * 5000 + "]" * 5000
LATEST = "9000-12-31T23:59:59Z"


@pytest.fixture(scope="module")
def stage() -> Stage:
    return build_stage()


@pytest.fixture(autouse=True)
def fresh(stage: Stage) -> None:
    stage.reset()


def control(stage: Stage, method: str, path: str, **kwargs: Any) -> Any:
    return stage.client("azure").open(f"/_harness{path}", method=method, **kwargs)


def refused(response: Any, status: int, code: str, says: str) -> None:
    """The answer is ``status`` with ``code`` and a message containing ``says``, and no trace."""
    message = error_message(response)
    assert response.status_code == status, f"expected {status}, found {response.status_code}: {message}"
    assert error_code(response) == code, f"expected {code}, found {error_code(response)}: {message}"
    assert says in message, f"expected the message to say {says!r}, found {message!r}"
    assert not LEAKS.search(response.get_data(as_text=True))


def _body_routes() -> list[Route]:
    stage = build_stage()
    return [
        r
        for r in routes(stage)
        if r.method in ("POST", "PUT", "PATCH")
        and ((r.is_control and not r.is_dashboard) or stage.is_api(r))
        and r.rule not in NO_BODY
    ]


BODY_ROUTES = _body_routes()


# --- deep nesting ------------------------------------------------------------------------------------
@pytest.mark.parametrize("route", BODY_ROUTES, ids=str)
def test_deep_nesting_is_a_400_on_every_json_endpoint(stage: Stage, route: Route) -> None:
    before = stage.state()
    answer = stage.client(route.portal).open(
        f"{stage.path(route)}?api-version=2024-04-01",
        method=route.method,
        data=DEEP,
        content_type="application/json",
        headers=stage.headers(route),
    )
    refused(answer, 400, "InvalidInput", "nests arrays and objects deeper than 64 levels")
    assert stage.state() == before


def test_json_endpoints_are_found_in_every_api_style() -> None:
    portals = {r.portal for r in BODY_ROUTES}
    assert portals == {
        "partner_center",
        "support_for_business",
        "azure",
        "azure_management",
        "partner_center_api",
    }
    assert any(r.is_control for r in BODY_ROUTES) and len(BODY_ROUTES) >= 20, BODY_ROUTES


@pytest.mark.parametrize(
    ("content_type", "body", "says"),
    [
        ("application/yaml", DEEP_YAML, "nests sequences and mappings deeper than 64 levels"),
        ("application/json", json.dumps({"document": DEEP_YAML}), "nests sequences and mappings deeper"),
        ("application/json", json.dumps({"document": "[" * 100 + "]" * 100}), "deeper than 64 levels"),
        ("text/plain", '{"world": ' + DEEP + "}", "nests arrays and objects deeper than 64 levels"),
    ],
    ids=["yaml body", "yaml in a json body", "json text in a json body", "json as text"],
)
def test_deep_seed_documents_are_refused_in_milliseconds(
    stage: Stage, content_type: str, body: str, says: str
) -> None:
    before = stage.state()
    began = time.perf_counter()
    answer = control(stage, "POST", "/worlds?name=deep", data=body, content_type=content_type)
    assert time.perf_counter() - began < 1, "took longer than a second"
    refused(answer, 400, "InvalidSeed", says)
    assert stage.state() == before


BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]" for p, n in zip("abcdefgh", "bcdefghi", strict=True)]
)
#: The 8-level, 400-byte bomb the review found: every level doubles nine times.
ALIAS_BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{n}: &{n} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
    for p, n in zip("abcdefg", "bcdefgh", strict=True)
)


@pytest.mark.parametrize("document", [BILLION_LAUGHS, ALIAS_BOMB], ids=["billion laughs", "8-level bomb"])
def test_alias_bombs_are_refused_while_read_by_the_server_and_the_cli(
    stage: Stage, document: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = stage.state()
    began = time.perf_counter()
    answer = control(stage, "POST", "/worlds", data=document, content_type="application/yaml")
    assert time.perf_counter() - began < 0.5
    refused(answer, 400, "InvalidSeed", "has aliases that expand to more than 10000 values")
    assert stage.state() == before
    seed = tmp_path / "bomb.yaml"
    seed.write_text(document)
    began = time.perf_counter()
    assert main(["world", "--url", "http://127.0.0.1:9", "create", "--seed-file", str(seed)]) == 2
    assert time.perf_counter() - began < 0.5
    assert "has aliases that expand to more than 10000 values" in capsys.readouterr().err


def test_yaml_cycles_duplicate_keys_and_non_json_values_are_refused() -> None:
    cases = {
        "a: &a [*a]": "has an alias *a inside the value it names (a cycle)",
        "world: {seed: 1}\nworld: {seed: 2}": "found the key 'world' twice at line 2, column 1",
        "world: {seed: !!binary aGk=}": "world.seed: is a bytes, which is not a JSON value",
        "1: one": "has the key 1, which is not text",
        "world: {start: 2021-02-30}": "not valid YAML or JSON (day is out of range for month)",
        "world: {seed: " + "9" * 5000 + "}": "not valid YAML or JSON",
        "world: {seed: 9007199254740992}": "world.seed: 9007199254740992 is out of range",
        '{"world": {"seed": 1}, "world": {}}': "has the member 'world' twice",
    }
    for text, says in cases.items():
        with pytest.raises(Refusal) as caught:
            load_document(text)
        assert caught.value.code == "InvalidSeed" and says in caught.value.message(), (text, caught.value)


# --- out-of-range numbers and dates ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "says"),
    [
        ('{"activation_delay": 1e300}', "activation_delay: 1e+300 days is longer than 100 years (P36500D)"),
        (
            '{"activation_delay": "P99999999999D"}',
            "activation_delay: 'P99999999999D' is longer than 100 years",
        ),
        ('{"activation_delay": NaN}', "activation_delay: NaN is not a number JSON allows"),
        ('{"activation_delay": Infinity}', "activation_delay: Infinity is not a number JSON allows"),
        ('{"activation_delay": 1e999}', "activation_delay: inf is not a finite number"),
        ('{"activation_delay": -1}', "activation_delay: -1 days is less than zero"),
        (
            '{"activation_delay": 99999999999999999999}',
            "activation_delay: 99999999999999999999… is out of range",
        ),
    ],
)
def test_settings_out_of_range_are_a_400_naming_the_field(stage: Stage, body: str, says: str) -> None:
    before = stage.state()
    answer = control(stage, "PATCH", f"/worlds/{WORLD}/settings", data=body, content_type="application/json")
    refused(answer, 400, "InvalidInput", says)
    assert stage.state() == before


@pytest.mark.parametrize(
    ("verb", "body", "says"),
    [
        ("advance", {"by": "P99999999Y"}, "by: 'P99999999Y' is longer than 100 years (P36500D)"),
        ("advance", {"by": "P" + "9" * 400 + "D"}, "is longer than 100 years"),
        (
            "set",
            {"to": "9999-12-31T23:59:59Z"},
            f"to: 9999-12-31T23:59:59Z is not from 1970-01-01T00:00:00Z to {LATEST}",
        ),
        ("set", {"to": "0001-01-01"}, "to: 0001-01-01T00:00:00Z is not from 1970-01-01T00:00:00Z"),
        ("set", {"to": "9999-12-31T23:59:59-05:00"}, "to: '9999-12-31T23:59:59-05:00' is not from 1970"),
    ],
)
def test_clock_moves_out_of_range_are_a_400_naming_the_field(
    stage: Stage, verb: str, body: dict[str, str], says: str
) -> None:
    before = stage.state()
    refused(control(stage, "POST", f"/worlds/{WORLD}/clock/{verb}", json=body), 400, "InvalidInput", says)
    assert stage.state() == before


def test_the_clock_stops_at_its_upper_bound_and_no_operation_makes_a_later_date(stage: Stage) -> None:
    assert control(stage, "POST", f"/worlds/{WORLD}/clock/set", json={"to": LATEST}).json["now"] == LATEST
    before = stage.state()
    answer = control(stage, "POST", f"/worlds/{WORLD}/clock/advance", json={"by": "P1D"})
    refused(answer, 400, "InvalidInput", f"by: the clock would pass {LATEST}, the latest date a world takes")
    assert stage.state() == before
    assert (
        control(stage, "PATCH", f"/worlds/{WORLD}/settings", json={"activation_delay": 36500}).status_code
        == 200
    )
    before = stage.state()
    admin = {"Authorization": f"Bearer {_token('admin@fabrikam.com')}", "X-Harness-World": WORLD}
    pc = stage.client("partner_center")
    activated = pc.post("/api/benefits/technical/activate", headers=admin)
    refused(activated, 400, "InvalidInput", f"the contract would start after {LATEST}, the latest date")
    assert stage.state() == before
    refused(
        pc.post("/api/supportplans/purchase", json={"offer": "premier"}, headers=_as(USER)),
        403,
        "RoleRequired",
        "",
    )
    bought = pc.post(
        "/api/supportplans/purchase", json={"offer": "premier"}, headers=_as("admin@contoso.com")
    )
    refused(bought, 400, "InvalidInput", f"the contract would end after {LATEST}, the latest date")
    assert stage.state() == before, "a refused purchase changed the world (took IDs?)"
    snapshot = control(stage, "GET", f"/worlds/{WORLD}/snapshot").json
    restored = control(stage, "PUT", f"/worlds/{WORLD}/snapshot", json=snapshot)
    assert restored.status_code == 200, restored.get_data(as_text=True)


def test_a_world_started_near_the_upper_bound_refuses_activation_and_its_snapshot_restores(
    stage: Stage,
) -> None:
    late = {**copy.deepcopy(CAST), "world": {"start": "9000-06-01", "activation_delay": "P0D"}}
    late["organisations"] = [{**late["organisations"][0], "activated": True}]
    late["accounts"] = [a for a in late["accounts"] if a.get("organisation") in (None, "contoso")]
    answer = control(stage, "POST", "/worlds", json={"name": "late", "document": late})
    says = f"organisations[0]: Invalid input: the contract would end after {LATEST}"
    refused(answer, 400, "InvalidSeed", says)
    del late["organisations"][0]["activated"]
    assert control(stage, "POST", "/worlds", json={"name": "late", "document": late}).status_code == 201
    activated = stage.client("partner_center").post(
        "/api/benefits/technical/activate",
        headers={"Authorization": f"Bearer {_token('admin@contoso.com')}", "X-Harness-World": "late"},
    )
    refused(activated, 400, "InvalidInput", f"the contract would end after {LATEST}, the latest date")
    snapshot = control(stage, "GET", "/worlds/late/snapshot").json
    assert control(stage, "PUT", "/worlds/late/snapshot", json=snapshot).status_code == 200


def _token(upn: str) -> str:
    from portals.web.tokens import mint_token

    return mint_token(upn)


def _as(upn: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {_token(upn)}", "X-Harness-World": WORLD}


BAD_SEEDS = {
    "world:\n  activation_delay: 1.0e+300\n": "world.activation_delay: 1e+300 days is longer than 100 years",
    "world:\n  activation_delay: P99999999999D\n": "world.activation_delay: 'P99999999999D' is longer than",
    "world:\n  activation_delay: .nan\n": "world.activation_delay: nan is not a finite number",
    "world:\n  activation_delay: .inf\n": "world.activation_delay: inf is not a finite number",
    "world:\n  start: 9999-12-31T23:59:59Z\n": "world.start: 9999-12-31T23:59:59Z is not from 1970-01-01",
    "organisations:\n  - {id: a, membership: gold, benefits: {activated: 0001-01-01}}\n": (
        "organisations[0].benefits.activated: 0001-01-01T00:00:00Z is not from 1970-01-01"
    ),
    "world: {activation_delay: P3D}\n"
    "organisations: [{id: a, membership: gold, benefits: {activated: 1970-01-02}}]\n": (
        "organisations[0].benefits.activated: Activate would have been pressed at 1969-12-30T00:00:00Z"
    ),
    "organisations:\n  - {id: a, membership: gold, membership_end: 9999-12-31}\n": (
        "organisations[0].membership_end: 9999-12-31T00:00:00Z is not from"
    ),
}


@pytest.mark.parametrize(("document", "says"), BAD_SEEDS.items(), ids=range(len(BAD_SEEDS)))
def test_bad_seed_values_are_refused_by_the_control_api_and_serve(
    stage: Stage, document: str, says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = stage.state()
    answer = control(stage, "POST", "/worlds?name=seeded", data=document, content_type="application/yaml")
    refused(answer, 400, "InvalidSeed", says)
    assert stage.state() == before
    seed = tmp_path / "seed.yaml"
    seed.write_text(document)
    assert main(["serve", "--seed", str(seed), "--base-port", "0"]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err, err


# --- snapshots -------------------------------------------------------------------------------------------
def _broken(change: Any) -> dict[str, Any]:
    stage = build_stage()
    snapshot = stage.world.snapshot()
    change(snapshot["state"])
    return snapshot


def _first_contract(state: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in state["contracts"].values() if c["kind"] == "partner_benefits")


BAD_SNAPSHOTS: dict[str, tuple[Any, str]] = {
    "association of a contract that does not exist": (
        lambda s: s["associations"][0].update(contract_id="0000000001"),
        "snapshot state.associations[0].contract_id: no contract '0000000001'",
    ),
    "used -5": (
        lambda s: _first_contract(s)["on_premises"].update(used=-5),
        ".on_premises.used: -5 is below 0",
    ),
    "used above the limit": (  # Gold: 20 on-premises incidents (R-EN-01)
        lambda s: _first_contract(s)["on_premises"].update(used=21),
        ".on_premises.used: 21 is more than the pool's limit 20",
    ),
    "contract of an unknown organisation": (
        lambda s: _first_contract(s).update(organisation="ghost"),
        ".organisation: no organisation 'ghost'",
    ),
    "unknown product on a request": (
        lambda s: next(iter(s["requests"].values())).update(product="windows-95"),
        ".product: no product 'windows-95'",
    ),
    "negative counter": (
        lambda s: s["counters"].update(request=-1),
        "snapshot state.counters.request: -1 is not from 0",
    ),
    "counter of 10**30": (
        lambda s: s["counters"].update(request=10**30),
        "state.counters.request: 10000000000000000000… is out of range",
    ),
    "clock out of range": (
        lambda s: s.update(now="9999-12-31T00:00:00Z"),
        "snapshot state.now: must be from 1970",
    ),
    "delay of 1000 years": (
        lambda s: s["settings"].update(activation_delay="P365000D"),
        "snapshot state.settings.activation_delay: must be a duration from zero to 100 years",
    ),
    "account under another key": (
        lambda s: s["accounts"].update(ghost=s["accounts"]["user@contoso.com"]),
        "snapshot state.accounts.ghost.upn: 'user@contoso.com' is not its key 'ghost'",
    ),
}


@pytest.mark.parametrize(("case", "change_and_says"), BAD_SNAPSHOTS.items(), ids=list(BAD_SNAPSHOTS))
def test_inconsistent_snapshots_are_refused_naming_the_field(
    stage: Stage, case: str, change_and_says: tuple[Any, str]
) -> None:
    change, says = change_and_says
    snapshot = _broken(change)
    before = stage.state()
    for name in (WORLD, "restored"):
        answer = control(
            stage,
            "PUT",
            f"/worlds/{name}/snapshot",
            data=json.dumps(snapshot),
            content_type="application/json",
        )
        refused(answer, 400, "InvalidInput", says)
    assert stage.state() == before
    with pytest.raises(Refusal, match="snapshot state"):
        World.restore(json.loads(json.dumps(snapshot)))


def test_a_consistent_snapshot_of_the_stage_is_restored() -> None:
    stage = build_stage()
    answer = control(stage, "PUT", "/worlds/copy/snapshot", json=stage.world.snapshot())
    assert answer.status_code == 201, answer.json
    assert stage.registry.get("copy").snapshot()["state"] == {
        **stage.world.snapshot()["state"],
        "name": "copy",
    }


# --- reflected script ------------------------------------------------------------------------------------
SCRIPT = "<script>alert(1)</script>"


def _page_routes() -> list[Route]:
    stage = build_stage()
    return [  # the browser's icon belongs to no world: it answers for any
        r
        for r in routes(stage)
        if r.method == "GET" and not r.is_control and not stage.is_api(r) and r.rule != "/favicon.ico"
    ]


@pytest.mark.parametrize("route", _page_routes(), ids=str)
def test_no_page_reflects_a_script_nor_keeps_a_cookie_for_a_world_that_does_not_exist(
    stage: Stage, route: Route
) -> None:
    client = stage.client(route.portal)
    answer = client.get(f"{stage.path(route)}?world=%3Cscript%3Ealert(1)%3C/script%3E")
    assert answer.status_code == 404 and error_code(answer) == "WorldNotFound", answer.status_code
    assert SCRIPT not in answer.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in answer.text
    assert answer.headers.getlist("Set-Cookie") == []
    signed_in = client.get(
        f"{stage.path(route)}?world={WORLD}&login_hint=%3Cscript%3Ealert(1)%3C/script%3E&next=%3Cscript%3E"
    )
    assert signed_in.status_code < 500 and SCRIPT not in signed_in.text and "<script>" not in signed_in.text


def test_a_login_hint_sets_the_account_cookie_only_for_an_account_of_the_world(stage: Stage) -> None:
    client = stage.client("azure")
    unknown = client.get(f"/help-support?world={WORLD}&login_hint={'x' * 5000}")
    assert unknown.status_code == 302 and "/signin" in unknown.headers["Location"]
    assert not [c for c in unknown.headers.getlist("Set-Cookie") if c.startswith("account=")]
    known = client.get(f"/help-support?world={WORLD}&login_hint={USER}")
    assert known.status_code == 200 and f"account={USER};" in ";".join(known.headers.getlist("Set-Cookie"))


def test_the_sign_in_form_does_not_reflect_a_script(stage: Stage) -> None:
    client = stage.client("partner_center")
    refused = client.post(f"/signin?world={WORLD}", data={"upn": SCRIPT, "next": "//evil.example/" + SCRIPT})
    assert refused.status_code == 303 and refused.headers["X-Harness-Refusal"] == "401 AccountNotFound"
    assert refused.headers["Location"].startswith("/signin?next=/&outcome=")  # not to evil.example
    answer = client.get(refused.headers["Location"])  # the sign-in page, saying why, the name typed in
    assert answer.status_code == 200 and error_code(answer) == "AccountNotFound"
    assert "<script>" not in answer.text and "&lt;script&gt;" in answer.text, answer.text
    for target in (
        "//evil.example",
        "/\\evil.example",
        "/ok\r\nSet-Cookie: pwn=1",
        "//[",
        "https://evil.example",
    ):
        redirect = client.post(f"/signin?world={WORLD}", data={"upn": USER, "next": target})
        assert redirect.status_code == 303 and redirect.headers["Location"] == "/", (target, redirect.headers)


# --- fault rules -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("rule", "says"),
    [
        (
            {"status": 200, "headers": {"X-A": "1\r\nSet-Cookie: pwn=1"}},
            "headers.X-A: must be an HTTP header value",
        ),
        (
            {"status": 200, "headers": {"X-A": "1\nSet-Cookie: pwn=1"}},
            "headers.X-A: must be an HTTP header value",
        ),
        ({"status": 200, "headers": {"X-A\r\nSet-Cookie": "pwn=1"}}, "must be an HTTP header name"),
        ({"status": 200, "headers": {"X A": "1"}}, "must be an HTTP header name"),
        (
            {"status": 200, "headers": {"Transfer-Encoding": "chunked"}},
            "headers.Transfer-Encoding: is the server's to set",
        ),
        (
            {"status": 200, "headers": {"Content-Length": "0"}},
            "headers.Content-Length: is the server's to set",
        ),
        ({"status": 200, "headers": {"X-A": "é"}}, "headers.X-A: must be an HTTP header value"),
        (
            {"status": 200, "headers": {"x-harness-fault": "f9"}},
            "headers.x-harness-fault: is the harness's to set (X-Harness-Fault names the rule that answered)",
        ),
        ({"status": 500, "path": "^/(a)\\1$"}, "path: not a regular expression RE2 takes"),
        ({"status": 500, "path": "^" + "a" * 300}, "path: must be at most 200 characters"),
        ({"status": 500, "method": "GET\r\n"}, "method: must be an HTTP method"),
    ],
)
def test_fault_rules_that_would_inject_headers_or_backtrack_are_a_400(
    stage: Stage, rule: dict[str, Any], says: str
) -> None:
    before = stage.state()
    refused(control(stage, "POST", f"/worlds/{WORLD}/faults", json=rule), 400, "InvalidInput", says)
    assert stage.state() == before
    answer = stage.client("azure").get("/api/products", headers=_as(USER))
    assert answer.status_code == 200 and "pwn" not in str(answer.headers)


def test_a_backtracking_pattern_matches_in_linear_time(stage: Stage) -> None:
    added = control(stage, "POST", f"/worlds/{WORLD}/faults", json={"path": "^/(a+)+$", "status": 503})
    assert added.status_code == 201, added.json
    client = stage.client("azure")
    began = time.perf_counter()
    for path in ("/" + "a" * 28 + "!", "/" + "a" * 100_000 + "!"):
        assert client.get(f"{path}?world={WORLD}").status_code == 404
    assert time.perf_counter() - began < 1
    assert client.get(f"/aaaa?world={WORLD}").status_code == 503
    assert control(stage, "GET", "/health").status_code == 200


# --- sizes, tokens, the rest -------------------------------------------------------------------------------
def test_the_control_api_names_its_own_body_limit(stage: Stage) -> None:
    big = b"{" + b" " * (16 * 1024 * 1024) + b"}"
    refused(
        control(stage, "POST", "/worlds", data=big, content_type="application/json"),
        413,
        "PayloadTooLarge",
        "over 16777216 bytes",
    )
    small = stage.client("azure").post(
        "/api/supportplans/link", data=b" " * 70_000, headers=_as(USER), content_type="application/json"
    )
    refused(small, 413, "PayloadTooLarge", "over 65536 bytes")


def test_a_deep_bearer_token_or_continuation_token_is_a_4xx(stage: Stage) -> None:
    import base64

    deep = base64.urlsafe_b64encode(DEEP.encode()).decode().rstrip("=")
    header = base64.urlsafe_b64encode(b'{"alg":"none"}').decode().rstrip("=")
    answer = stage.client("azure").get(
        "/api/supportplans", headers={"Authorization": f"Bearer {header}.{deep}."}
    )
    refused(answer, 401, "AuthenticationRequired", "the token's parts are not base64url JSON")
    pc = stage.client("partner_center_api")
    agent = {"Authorization": f"Bearer {_token('agent@wingtip.com')}", "X-Harness-World": WORLD}
    page = pc.get("/v1/customers?size=1&seekOperation=next", headers={**agent, "MS-ContinuationToken": deep})
    refused(page, 400, "InvalidInput", "MS-ContinuationToken: not a token this API gave")


@pytest.mark.parametrize("claim", [{"x": 1}, 5, "", ["f"], True], ids=repr)
@pytest.mark.parametrize(
    ("portal", "path"),
    [
        ("azure", "/api/supportplans"),
        ("azure_management", "/providers/Microsoft.Support/services?api-version=2024-04-01"),
        ("partner_center_api", "/v1/servicerequests"),
    ],
)
def test_a_harness_world_claim_that_is_no_name_is_a_401_naming_the_claim(
    stage: Stage, claim: Any, portal: str, path: str
) -> None:
    from portals.web.tokens import mint_token

    token = mint_token(USER, harness_world=claim)  # as a client would write it, whatever its type
    answer = stage.client(portal).get(path, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401, f"expected 401, found {answer.status_code}: {answer.get_data()[:200]}"
    assert error_code(answer) == "AuthenticationRequired", answer.get_data()[:300]
    says = "the token's harness_world claim must be a world's name (text)"
    assert says in answer.get_data(as_text=True), answer.get_data()[:300]


def test_lone_surrogates_and_duplicate_members_are_refused(stage: Stage) -> None:
    sfb = stage.client("support_for_business")
    before = stage.state()
    lone = '{"product": "windows-10", "title": "\\ud800", "description": "x"}'
    refused(
        sfb.post("/api/requests", data=lone, content_type="application/json", headers=_as(USER)),
        400,
        "InvalidInput",
        "title: has a lone surrogate",
    )
    twice = '{"product": "windows-10", "title": "a", "title": "b", "description": "x"}'
    refused(
        sfb.post("/api/requests", data=twice, content_type="application/json", headers=_as(USER)),
        400,
        "InvalidInput",
        "has the member 'title' twice",
    )
    assert stage.state() == before


def test_a_state_seed_of_the_cast_still_builds() -> None:
    """The limits refuse nothing a real document says."""
    assert World.restore(build_stage().world.snapshot()).state.accounts
    document = copy.deepcopy(CAST)
    assert load_document(json.dumps(document)) == document
