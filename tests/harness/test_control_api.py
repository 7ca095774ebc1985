"""The control API (``/_harness``), the request journal and fault injection, over Flask test clients
of the Azure portal (and Partner Center, for a journal spanning two portals)."""

from __future__ import annotations

import copy
import gc
import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
import requests
from cast import CAST, activate
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from portals.azure_portal import create_app
from portals.backend import WorldRegistry
from portals.web.context import runtime
from portals.web.faults import DroppedConnection
from portals.web.journal import BODY_LIMIT, JournalBudget, store_for
from portals.web.tokens import mint_token

WORLD = "cast"
USER = "user@contoso.com"


@pytest.fixture
def app(registry: WorldRegistry) -> Flask:
    return create_app(registry)


@pytest.fixture
def control(app: Flask) -> FlaskClient:
    return app.test_client()


def as_user(upn: str = USER, world: str = WORLD) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(upn)}", "X-Harness-World": world}


def products(client: FlaskClient, world: str = WORLD) -> Any:
    return client.get("/api/products", headers=as_user(world=world))


def add_fault(client: FlaskClient, world: str = WORLD, **rule: Any) -> dict[str, Any]:
    response = client.post(f"/_harness/worlds/{world}/faults", json=rule)
    assert response.status_code == 201, response.json
    return response.json


def entries(client: FlaskClient, world: str = WORLD) -> list[dict[str, Any]]:
    response = client.get(f"/_harness/worlds/{world}/journal")
    assert response.status_code == 200
    return response.json["value"]


def state_of(client: FlaskClient) -> list[Any]:
    """Everything a bad call must leave alone: every world's whole state and the cast's rules."""
    worlds = client.get("/_harness/worlds").json["value"]
    details = [client.get(f"/_harness/worlds/{w['name']}").json for w in worlds]
    return [details, client.get(f"/_harness/worlds/{WORLD}/faults").json]


# --- health and worlds -----------------------------------------------------------------------------
def test_health(control: FlaskClient) -> None:
    assert control.get("/_harness/health").json == {
        "status": "ok",
        "portal": "azure",
        "version": "0.1.0",
        "worlds": 2,
        "portals": {
            "partner_center": "http://partner.center.test",
            "support_for_business": "http://serviceshub.test",
            "azure": "http://portal.azure.test",
            "azure_management": "http://management.azure.test",
            "partner_center_api": "http://api.partnercenter.test",
        },
        # the default journal budget, as the README gives it
        "journal": {
            "entries": 0,
            "bytes": 0,
            "max_entries": 20_000,
            "max_bytes": 64 * 1024 * 1024,
            "max_entries_per_world": 5000,
        },
    }


def test_create_worlds_from_json_yaml_a_bare_document_or_nothing(control: FlaskClient) -> None:
    created = control.post("/_harness/worlds", json={"name": "one", "seed": "s1", "document": CAST})
    assert created.status_code == 201 and created.headers["Location"] == "/_harness/worlds/one"
    assert created.json["name"] == "one" and created.json["seed"] == "s1"
    assert created.json["organisations"] == len(CAST["organisations"])
    yaml = "world: {azure_link_mode: diagnostic}\naccounts:\n  - {upn: me@outlook.com, kind: msa}\n"
    from_yaml = control.post("/_harness/worlds?name=two", data=yaml, content_type="application/yaml")
    assert from_yaml.status_code == 201
    assert from_yaml.json["azure_link_mode"] == "diagnostic" and from_yaml.json["accounts"] == 1
    bare = control.post("/_harness/worlds?name=three", json=CAST)
    assert bare.status_code == 201 and bare.json["accounts"] == len(CAST["accounts"])
    anonymous = control.post("/_harness/worlds")
    assert anonymous.status_code == 201 and anonymous.json["organisations"] == 0
    names = [w["name"] for w in control.get("/_harness/worlds").json["value"]]
    assert names == ["default", WORLD, "one", "two", "three", anonymous.json["name"]]


@pytest.mark.parametrize("wrapped", [True, False], ids=["document field", "bare document"])
def test_a_seed_document_as_an_object_has_the_texts_1_mb_limit(control: FlaskClient, wrapped: bool) -> None:
    """Seed documents are limited to 1 MB, given as text or as a JSON object (its JSON size)."""
    big = copy.deepcopy(CAST)
    big["organisations"][0]["name"] = "x" * 1_900_000
    body = {"name": "big", "document": big} if wrapped else big
    refused = control.post("/_harness/worlds?name=big", json=body)
    assert refused.status_code == 400, f"expected 400, found {refused.status_code}"
    error = refused.json["error"]
    assert error["code"] == "InvalidSeed", f"expected InvalidSeed, found {error}"
    assert "is over 1000000 bytes" in error["message"], error["message"]
    assert "big" not in [w["name"] for w in control.get("/_harness/worlds").json["value"]]


def test_world_detail_reset_delete_and_reset_all(control: FlaskClient, registry: WorldRegistry) -> None:
    detail = control.get(f"/_harness/worlds/{WORLD}").json
    assert detail["name"] == WORLD and "user@contoso.com" in detail["state"]["accounts"]
    activate(registry.get(WORLD))
    assert control.get(f"/_harness/worlds/{WORLD}").json["contracts"] == 1
    reset = control.post(f"/_harness/worlds/{WORLD}/reset")
    assert reset.status_code == 200 and reset.json["contracts"] == 0
    assert registry.get(WORLD).state.contracts == {}
    assert control.delete(f"/_harness/worlds/{WORLD}").status_code == 204
    assert control.get(f"/_harness/worlds/{WORLD}").status_code == 404
    control.post("/_harness/worlds", json={"name": "extra"})
    everything = control.post("/_harness/reset")
    assert everything.status_code == 200 and [w["name"] for w in everything.json["value"]] == ["default"]
    assert registry.names() == ["default"]


def test_control_calls_ignore_the_world_a_client_names_for_the_portals(control: FlaskClient) -> None:
    headers = {"X-Harness-World": "not-yet", "Authorization": f"Bearer {mint_token(USER)}"}
    control.set_cookie("world", "nowhere")
    assert control.post("/_harness/worlds", json={"name": "not-yet"}, headers=headers).status_code == 201


# --- clock, settings, snapshots --------------------------------------------------------------------
def test_clock(control: FlaskClient, registry: WorldRegistry) -> None:
    base = f"/_harness/worlds/{WORLD}/clock"
    assert control.get(base).json == {"world": WORLD, "now": "2021-03-04T09:00:00Z"}
    assert control.post(f"{base}/advance", json={"by": "P3DT2H"}).json["now"] == "2021-03-07T11:00:00Z"
    assert control.post(f"{base}/set", json={"to": "2021-06-01T00:00:00Z"}).json["now"] == (
        "2021-06-01T00:00:00Z"
    )
    assert registry.get(WORLD).now.isoformat() == "2021-06-01T00:00:00+00:00"


def test_settings(control: FlaskClient, registry: WorldRegistry) -> None:
    base = f"/_harness/worlds/{WORLD}/settings"
    defaults = {"lro_polls": 0, "lro_retry_after": 1}
    assert control.get(base).json == {"azure_link_mode": "spurious", "activation_delay": "P0D", **defaults}
    changed = control.patch(base, json={"azure_link_mode": "diagnostic", "activation_delay": "P3D"})
    assert changed.json == {"azure_link_mode": "diagnostic", "activation_delay": "P3D", **defaults}
    assert registry.get(WORLD).state.settings.azure_link_mode.value == "diagnostic"
    assert control.patch(base, json={"activation_delay": 1}).json["activation_delay"] == "P1D"
    polls = control.patch(base, json={"lro_polls": 3, "lro_retry_after": 2}).json
    assert (polls["lro_polls"], polls["lro_retry_after"]) == (3, 2)
    assert registry.get(WORLD).state.settings.lro_polls == 3
    before = registry.get(WORLD).snapshot()
    for bad in ({"lro_polls": -1}, {"lro_polls": 101}, {"lro_retry_after": 0}, {"lro_retry_after": "5"}):
        refused = control.patch(base, json={**bad, "activation_delay": "P9D"})
        assert refused.status_code == 400, (bad, refused.json)
        assert next(iter(bad)) in refused.json["error"]["message"], refused.json
    assert registry.get(WORLD).snapshot() == before


def test_snapshot_and_restore_under_another_name(control: FlaskClient, registry: WorldRegistry) -> None:
    activate(registry.get(WORLD))
    snapshot = control.get(f"/_harness/worlds/{WORLD}/snapshot").json
    restored = control.put("/_harness/worlds/copy/snapshot", json=snapshot)
    assert restored.status_code == 201 and restored.json["contracts"] == 1
    assert registry.get("copy").snapshot()["state"] == {**snapshot["state"], "name": "copy"}
    again = control.put("/_harness/worlds/copy/snapshot", json=snapshot)
    assert again.status_code == 200


STATE_SEED = """
world: {start: 2021-03-10}
organisations:
  - {id: northwind, membership: silver, competencies: [{name: Application Development, level: silver}],
     benefits: {activated: 2021-03-05, used: {cloud: 5}}}
accounts:
  - upn: user@northwind.com
    organisation: northwind
    contracts: [{contract: northwind, added_in: azure, at: 2021-03-06}]
"""


@pytest.mark.rule("D13")
def test_a_state_seed_in_yaml_and_reset_after_restore(control: FlaskClient, registry: WorldRegistry) -> None:
    created = control.post("/_harness/worlds?name=five", data=STATE_SEED, content_type="application/yaml")
    assert created.status_code == 201, created.json
    assert (created.json["now"], created.json["contracts"]) == ("2021-03-10T00:00:00Z", 1)
    contract = next(iter(registry.get("five").state.contracts.values()))
    assert (contract.cloud.limit, contract.cloud.used) == (5, 5)
    # a snapshot a day later, restored, then changed: reset goes back to the snapshot
    control.post("/_harness/worlds/five/clock/advance", json={"by": "P1D"})
    snapshot = control.get("/_harness/worlds/five/snapshot").json
    assert control.put("/_harness/worlds/five/snapshot", json=snapshot).status_code == 200
    control.post("/_harness/worlds/five/clock/advance", json={"by": "P5D"})
    reset = control.post("/_harness/worlds/five/reset")
    assert reset.status_code == 200 and reset.json["now"] == "2021-03-11T00:00:00Z", reset.json
    assert control.get("/_harness/worlds/five/snapshot").json["state"] == snapshot["state"]
    # a state the portals cannot reach: 400 naming the field, nothing created
    refused = control.post(
        "/_harness/worlds?name=six",
        data=STATE_SEED.replace("cloud: 5", "cloud: 6"),
        content_type="application/yaml",
    )
    assert (refused.status_code, refused.json["error"]["code"]) == (400, "InvalidSeed"), refused.json
    expected = "organisations[0].benefits.used.cloud: 6 is more than the Signature Cloud pool's 5 incidents"
    assert expected in refused.json["error"]["message"], refused.json
    assert "six" not in registry


# --- faults ---------------------------------------------------------------------------------------
def test_fault_answers_with_status_body_and_headers_then_lists_its_hits(control: FlaskClient) -> None:
    rule = add_fault(
        control, path="/api/products", status=503, body={"why": "down"}, headers={"Retry-After": "5"}
    )
    assert rule["id"] == "f1" and rule["hits"] == 0 and rule["times"] is None
    answer = products(control)
    assert answer.status_code == 503 and answer.json == {"why": "down"}
    assert answer.headers["Retry-After"] == "5" and answer.headers["X-Harness-Fault"] == "f1"
    text = add_fault(control, path="/api/supportplans", status=500, body="oops")
    plain = control.get("/api/supportplans", headers=as_user())
    assert plain.text == "oops" and plain.mimetype == "text/plain" and text["id"] == "f2"
    listed = control.get(f"/_harness/worlds/{WORLD}/faults").json["value"]
    assert [(r["id"], r["hits"]) for r in listed] == [("f1", 1), ("f2", 1)]


def test_a_refused_fault_rule_takes_no_id(control: FlaskClient) -> None:
    """A refused request changes nothing: the next accepted rule is still f1."""
    for bad in ({"status": 99}, {"latency_ms": -1}, {"portal": "nowhere"}):
        refused = control.post(f"/_harness/worlds/{WORLD}/faults", json=bad)
        assert refused.status_code == 400, (bad, refused.status_code, refused.json)
    rule = add_fault(control, status=503)
    assert rule["id"] == "f1", f"expected the first accepted rule to be f1, found {rule['id']}"


def test_fault_without_a_body_answers_like_a_portal_error(control: FlaskClient) -> None:
    add_fault(control, status=429)
    error = products(control).json["error"]
    assert error["code"] == "InjectedFault" and error["status"] == 429


def test_times_limits_a_rule_then_the_portal_answers(control: FlaskClient) -> None:
    add_fault(control, status=500, times=2)
    assert [products(control).status_code for _ in range(4)] == [500, 500, 200, 200]
    rule = control.get(f"/_harness/worlds/{WORLD}/faults").json["value"][0]
    assert rule["hits"] == 2 and rule["remaining"] == 0


def test_probability_zero_never_and_one_always(control: FlaskClient) -> None:
    add_fault(control, status=500, probability=0)
    assert all(products(control).status_code == 200 for _ in range(20))
    add_fault(control, status=502, probability=1)
    assert all(products(control).status_code == 502 for _ in range(20))


def test_probability_draws_repeat_for_worlds_of_the_same_seed(control: FlaskClient) -> None:
    def run(name: str) -> list[int]:
        control.post("/_harness/worlds", json={"name": name, "seed": "same", "document": CAST})
        add_fault(control, name, status=500, probability=0.5)
        return [products(control, name).status_code for _ in range(30)]

    first, second = run("a"), run("b")
    assert first == second and {200, 500} == set(first)


def test_latency_delays_the_portal_answer(control: FlaskClient) -> None:
    add_fault(control, latency_ms=150)
    began = time.perf_counter()
    answer = products(control)
    assert answer.status_code == 200 and time.perf_counter() - began >= 0.15
    assert entries(control)[-1]["duration_ms"] >= 150 and entries(control)[-1]["fault"] == "f1"


@pytest.mark.parametrize(
    ("rule", "hit"),
    [
        ({"portal": "azure"}, True),
        ({"portal": "partner_center"}, False),
        ({"portal": "*", "method": "get"}, True),
        ({"method": "POST"}, False),
        ({"path": "/api/*"}, True),
        ({"path": "/api/prod?cts"}, True),
        ({"path": "/help-support*"}, False),
        ({"path": "^/api/(products|plans)$"}, True),
        ({"path": "^/products"}, False),
    ],
)
def test_rules_match_portal_method_and_path(control: FlaskClient, rule: dict[str, Any], hit: bool) -> None:
    add_fault(control, status=418, **rule)
    assert (products(control).status_code == 418) is hit


def test_drop_connection_raises_through_the_wsgi_call_and_is_journaled(control: FlaskClient) -> None:
    add_fault(control, path="/api/*", drop_connection=True, times=1)
    with pytest.raises(DroppedConnection):
        products(control)
    assert products(control).status_code == 200
    dropped = entries(control)[0]
    assert dropped["status"] == 0 and dropped["fault"] == "f1" and "dropped" in dropped["error"]


def test_delete_one_rule_or_all(control: FlaskClient) -> None:
    add_fault(control, status=500, path="/api/products")
    add_fault(control, status=501, path="/api/supportplans")
    assert control.delete(f"/_harness/worlds/{WORLD}/faults/f1").status_code == 204
    assert control.delete(f"/_harness/worlds/{WORLD}/faults/f1").json["error"]["code"] == "FaultNotFound"
    assert [r["id"] for r in control.get(f"/_harness/worlds/{WORLD}/faults").json["value"]] == ["f2"]
    assert control.delete(f"/_harness/worlds/{WORLD}/faults").status_code == 204
    assert control.get(f"/_harness/worlds/{WORLD}/faults").json["value"] == []


def test_faults_and_journal_belong_to_their_world_and_end_with_a_reset(control: FlaskClient) -> None:
    add_fault(control, status=500)
    assert products(control, "default").status_code == 200
    assert entries(control, "default")[0]["url"].endswith("/api/products")
    assert products(control).status_code == 500
    control.post(f"/_harness/worlds/{WORLD}/reset")
    assert products(control).status_code == 200
    assert [e["status"] for e in entries(control)] == [200]
    assert control.get(f"/_harness/worlds/{WORLD}/faults").json["value"] == []


# --- journal --------------------------------------------------------------------------------------
def test_journal_records_requests_in_order_with_both_times(
    control: FlaskClient, registry: WorldRegistry
) -> None:
    ids = activate(registry.get(WORLD))
    products(control)
    control.get("/_harness/health")
    control.get("/_static/portal.css")
    control.get("/api/products", headers={"X-Harness-World": "no-such-world"})
    control.post("/_harness/worlds/cast/clock/advance", json={"by": "P1D"})
    link = {"access_id": ids[0], "contract_id": ids[1]}
    control.post("/api/supportplans/link?x=1", json=link, headers=as_user())
    first, second = entries(control)
    assert first["id"] < second["id"] and first["time"] <= second["time"]
    assert (first["portal"], first["method"], first["status"]) == ("azure", "GET", 200)
    assert first["world_time"] == "2021-03-04T09:00:00Z" and second["world_time"] == "2021-03-05T09:00:00Z"
    assert second["url"] == "http://localhost/api/supportplans/link?x=1" and second["status"] == 201
    assert json.loads(second["request"]["body"]) == link
    assert {"name": "X-Harness-World", "value": WORLD} in second["request"]["headers"]
    assert json.loads(second["response"]["body"])["plan"]["contract_id"] == ids[1]
    assert second["response"]["status_text"] == "CREATED" and second["duration_ms"] > 0
    assert second["fault"] is None
    assert control.delete(f"/_harness/worlds/{WORLD}/journal").status_code == 204
    assert entries(control) == []


def test_journal_truncates_long_bodies(control: FlaskClient) -> None:
    big = {"product": "app-service", "title": "t", "description": "x" * (BODY_LIMIT + 100)}
    control.post("/api/supportrequests", json=big, headers=as_user())
    sent = entries(control)[0]["request"]
    assert sent["body_truncated"] and len(sent["body"]) == BODY_LIMIT
    assert sent["body_size"] == len(json.dumps(big))


def test_journal_is_bounded_per_world_and_says_how_many_it_dropped(registry: WorldRegistry) -> None:
    client = create_app(registry, {"JOURNAL_BUDGET": JournalBudget(per_world=3)}).test_client()
    for _ in range(5):
        products(client)
    answer = client.get(f"/_harness/worlds/{WORLD}/journal").json
    assert [e["id"] for e in answer["value"]] == [3, 4, 5] and answer["dropped"] == 2
    har = json.loads(client.get(f"/_harness/worlds/{WORLD}/journal.har").data)["log"]
    assert har["_dropped"] == 2 and "2 older entries were dropped" in har["comment"]
    assert client.delete(f"/_harness/worlds/{WORLD}/journal").status_code == 204
    cleared = client.get(f"/_harness/worlds/{WORLD}/journal").json
    assert cleared["value"] == [] and cleared["dropped"] == 0, f"expected 0 dropped, found {cleared}"


def test_the_journal_budget_spans_the_worlds_and_drops_the_oldest_entries_first(
    registry: WorldRegistry,
) -> None:
    """Across worlds: the entries recorded first go first, whichever world they belong to."""
    registry.create("other", copy.deepcopy(CAST))
    client = create_app(registry, {"JOURNAL_BUDGET": JournalBudget(entries=4)}).test_client()
    for world in (WORLD, WORLD, "other", WORLD, "other", "other"):
        products(client, world)
    cast, other = (client.get(f"/_harness/worlds/{w}/journal").json for w in (WORLD, "other"))
    assert [e["id"] for e in cast["value"]] == [3] and cast["dropped"] == 2
    assert [e["id"] for e in other["value"]] == [1, 2, 3] and other["dropped"] == 0
    usage = client.get("/_harness/health").json["journal"]
    assert (usage["entries"], usage["max_entries"]) == (4, 4)


def test_the_journal_budget_counts_bytes(registry: WorldRegistry) -> None:
    """A byte budget of three big entries keeps the last three, however many entries it allows."""
    big = {"product": "app-service", "title": "t", "description": "x" * 12_000}
    budget = JournalBudget(entries=1000, bytes=3 * 14_000)
    client = create_app(registry, {"JOURNAL_BUDGET": budget}).test_client()
    for _ in range(6):
        client.post("/api/supportrequests", json=big, headers=as_user())
    answer = client.get(f"/_harness/worlds/{WORLD}/journal").json
    assert [e["id"] for e in answer["value"]] == [4, 5, 6] and answer["dropped"] == 3
    assert client.get("/_harness/health").json["journal"]["bytes"] <= budget.bytes


def test_dropped_and_cleared_worlds_give_their_journal_budget_back(registry: WorldRegistry) -> None:
    registry.create("gone", copy.deepcopy(CAST))
    client = create_app(registry, {"JOURNAL_BUDGET": JournalBudget(entries=10)}).test_client()
    for _ in range(4):
        products(client, "gone")
        products(client)
    store = store_for(registry)
    assert store.usage()["entries"] == 8
    assert client.delete("/_harness/worlds/gone").status_code == 204
    gc.collect()
    assert store.usage()["entries"] == 4  # the dropped world's entries no longer count
    assert client.delete(f"/_harness/worlds/{WORLD}/journal").status_code == 204
    assert store.usage()["entries"] == 0
    for _ in range(10):
        products(client)
    assert [e["id"] for e in entries(client)] == list(range(5, 15))  # all ten fit again


def test_a_journal_budget_is_a_whole_number_of_at_least_one() -> None:
    for bad in ({"entries": 0}, {"bytes": -1}, {"per_world": 1.5}):
        with pytest.raises(ValueError, match="journal budget"):
            JournalBudget(**bad)  # type: ignore[arg-type]


def test_journal_spans_the_portals_of_a_stack(registry: WorldRegistry) -> None:
    partner_center = pytest.importorskip("portals.partner_center")
    azure = create_app(registry).test_client()
    pc = partner_center.create_app(registry).test_client()
    pc.get("/api/me", headers=as_user())
    products(azure)
    pc.get("/api/me", headers=as_user("admin@contoso.com"))
    for client in (azure, pc):
        assert [e["portal"] for e in entries(client)] == ["partner_center", "azure", "partner_center"]


# --- HAR ------------------------------------------------------------------------------------------
def test_har_is_a_valid_har_1_2_document(control: FlaskClient, registry: WorldRegistry) -> None:
    ids = activate(registry.get(WORLD))
    products(control)
    control.post(
        "/api/supportplans/link", json={"access_id": ids[0], "contract_id": ids[1]}, headers=as_user()
    )
    control.get(f"/help-support?world={WORLD}&lang=es")
    add_fault(control, drop_connection=True)
    with pytest.raises(DroppedConnection):
        products(control)
    response = control.get(f"/_harness/worlds/{WORLD}/journal.har")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{WORLD}.har"'
    log = json.loads(response.data)["log"]
    assert log["version"] == "1.2" and log["creator"] == {"name": "portal-harness", "version": "0.1.0"}
    har = log["entries"]
    assert len(har) == 4
    started = [datetime.fromisoformat(e["startedDateTime"].replace("Z", "+00:00")) for e in har]
    assert started == sorted(started)
    for entry in har:
        assert {"startedDateTime", "time", "request", "response", "cache", "timings"} <= set(entry)
        request, answer = entry["request"], entry["response"]
        assert {
            "method",
            "url",
            "httpVersion",
            "headers",
            "queryString",
            "cookies",
            "headersSize",
            "bodySize",
        } <= set(request)
        assert {
            "status",
            "statusText",
            "httpVersion",
            "headers",
            "cookies",
            "content",
            "redirectURL",
            "headersSize",
            "bodySize",
        } <= set(answer)
        assert {"size", "mimeType"} <= set(answer["content"]) and isinstance(entry["time"], (int, float))
        assert all(isinstance(entry["timings"][k], (int, float)) for k in ("send", "wait", "receive"))
        for pairs in (request["headers"], request["queryString"], request["cookies"], answer["headers"]):
            assert all(set(p) == {"name", "value"} for p in pairs)
    linked, page, dropped = har[1], har[2], har[3]
    assert linked["request"]["postData"]["mimeType"] == "application/json"
    assert json.loads(linked["request"]["postData"]["text"])["access_id"] == ids[0]
    assert (
        linked["response"]["status"] == 201
        and linked["response"]["content"]["mimeType"] == "application/json"
    )
    assert {"name": "lang", "value": "es"} in page["request"]["queryString"]
    assert {"name": "world", "value": "[redacted]"} in page["response"]["cookies"]
    assert "postData" not in page["request"]
    assert dropped["response"]["status"] == 0 and dropped["_fault"] == "f1" and dropped["_error"]
    kept = control.get(f"/_harness/worlds/{WORLD}/journal.har?secrets=keep").json["log"]["entries"]
    assert {"name": "world", "value": WORLD} in kept[2]["response"]["cookies"]


def _values(headers: list[dict[str, str]], name: str) -> list[str]:
    return [h["value"] for h in headers if h["name"].lower() == name.lower()]


def test_journal_and_har_redact_credentials_unless_asked_to_keep_them(control: FlaskClient) -> None:
    """Authorization, Cookie, Set-Cookie and X-Harness-Token are credentials: the journal and its
    HAR export say [redacted] instead (as browsers' HAR export leaves them out); ?secrets=keep
    keeps them, for a reader who needs the exact exchange."""
    token = mint_token(USER)
    sent = {"Authorization": f"Bearer {token}", "X-Harness-Token": "s3cret"}
    control.set_cookie("lang", "es-ES")
    assert control.get(f"/help-support?world={WORLD}", headers=sent).status_code == 200
    redacted = entries(control)[-1]
    for name in ("Authorization", "X-Harness-Token", "Cookie"):
        assert _values(redacted["request"]["headers"], name) == ["[redacted]"], (name, redacted)
    set_cookie = _values(redacted["response"]["headers"], "Set-Cookie")
    assert set_cookie and set(set_cookie) == {"[redacted]"}, set_cookie
    har = control.get(f"/_harness/worlds/{WORLD}/journal.har").json["log"]["entries"][-1]
    assert _values(har["request"]["headers"], "Authorization") == ["[redacted]"]
    assert har["request"]["cookies"] == [{"name": "lang", "value": "[redacted]"}]
    assert har["response"]["cookies"] == [{"name": "world", "value": "[redacted]"}]
    assert token not in json.dumps(har) and "s3cret" not in json.dumps(har)

    kept = control.get(f"/_harness/worlds/{WORLD}/journal?secrets=keep").json["value"][-1]
    assert _values(kept["request"]["headers"], "Authorization") == [f"Bearer {token}"]
    assert _values(kept["request"]["headers"], "X-Harness-Token") == ["s3cret"]
    kept_har = control.get(f"/_harness/worlds/{WORLD}/journal.har?secrets=keep").json["log"]["entries"][-1]
    assert kept_har["request"]["cookies"] == [{"name": "lang", "value": "es-ES"}]
    assert _values(kept_har["response"]["headers"], "Set-Cookie")[0].startswith(f"world={WORLD};")
    bad = control.get(f"/_harness/worlds/{WORLD}/journal?secrets=all")
    assert (
        bad.status_code == 400
        and bad.json["error"]["params"]["detail"] == "secrets: must be one of redact, keep"
    )
    # the message is in the client's language (its lang cookie), the reason too
    assert "secrets: debe ser uno de estos valores: redact, keep" in bad.json["error"]["message"]


# --- token --------------------------------------------------------------------------------------------
@pytest.fixture
def guarded(registry: WorldRegistry) -> FlaskClient:
    return create_app(registry, {"CONTROL_TOKEN": "s3cret"}).test_client()


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Harness-Token": "wrong"}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic s3cret"}],
)
def test_a_configured_token_guards_every_control_call(guarded: FlaskClient, headers: dict[str, str]) -> None:
    for method, path in [
        ("GET", "/_harness/health"),
        ("POST", "/_harness/reset"),
        ("GET", "/_harness/nothing"),
    ]:
        response = guarded.open(path, method=method, headers=headers)
        assert response.status_code == 401 and response.json["error"]["code"] == "HarnessTokenRequired"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert WORLD in runtime(guarded.application).registry


@pytest.mark.parametrize("headers", [{"X-Harness-Token": "s3cret"}, {"Authorization": "Bearer s3cret"}])
def test_the_token_opens_the_control_api_and_portals_need_none(
    guarded: FlaskClient, headers: dict[str, str]
) -> None:
    assert guarded.get("/_harness/health", headers=headers).status_code == 200
    assert products(guarded).status_code == 200


def test_without_a_configured_token_there_is_no_check(control: FlaskClient) -> None:
    assert control.get("/_harness/health", headers={"X-Harness-Token": "anything"}).status_code == 200


# --- bad input ------------------------------------------------------------------------------------
BAD: list[tuple[str, str, Any, int, str]] = [
    ("POST", "/_harness/worlds", b"{not json", 400, "InvalidInput"),
    ("POST", "/_harness/worlds", [1, 2], 400, "InvalidInput"),
    ("POST", "/_harness/worlds", {"name": 5}, 400, "InvalidInput"),
    ("POST", "/_harness/worlds", {"name": "bad name!"}, 400, "InvalidInput"),
    ("POST", "/_harness/worlds", {"name": "n", "seed": True}, 400, "InvalidInput"),
    ("POST", "/_harness/worlds", {"name": WORLD}, 409, "WorldExists"),
    ("POST", "/_harness/worlds", {"name": "n", "colour": "red"}, 400, "InvalidInput"),
    (
        "POST",
        "/_harness/worlds",
        {"name": "n", "document": {"organisations": [{"id": "x y"}]}},
        400,
        "InvalidSeed",
    ),
    ("POST", "/_harness/worlds", {"name": "n", "document": "- a\n- list"}, 400, "InvalidSeed"),
    ("POST", "/_harness/worlds", {"world": {"azure_link_mode": "loud"}}, 400, "InvalidSeed"),
    ("POST", "/_harness/worlds", ("application/yaml", "world: [unclosed"), 400, "InvalidSeed"),
    (
        "POST",
        "/_harness/worlds",
        ("text/yaml", "accounts: [{upn: a, organisation: none}]"),
        400,
        "InvalidSeed",
    ),
    ("GET", "/_harness/worlds/nowhere", None, 404, "WorldNotFound"),
    ("POST", "/_harness/worlds/nowhere/reset", None, 404, "WorldNotFound"),
    ("DELETE", "/_harness/worlds/nowhere", None, 404, "WorldNotFound"),
    ("POST", "/_harness/worlds/nowhere/clock/advance", {"by": "P1D"}, 404, "WorldNotFound"),
    ("POST", f"/_harness/worlds/{WORLD}/clock/advance", {"by": "three days"}, 400, "InvalidInput"),
    ("POST", f"/_harness/worlds/{WORLD}/clock/advance", {"by": "-P1D"}, 400, "InvalidInput"),
    ("POST", f"/_harness/worlds/{WORLD}/clock/advance", {"by": 3}, 400, "InvalidInput"),
    ("POST", f"/_harness/worlds/{WORLD}/clock/advance", None, 400, "InvalidInput"),
    ("POST", f"/_harness/worlds/{WORLD}/clock/set", {"to": "June"}, 400, "InvalidInput"),
    ("PATCH", f"/_harness/worlds/{WORLD}/settings", {"azure_link_mode": "loud"}, 400, "InvalidInput"),
    (
        "PATCH",
        f"/_harness/worlds/{WORLD}/settings",
        {"activation_delay": "P5D", "azure_link_mode": "loud"},
        400,
        "InvalidInput",
    ),
    ("PATCH", f"/_harness/worlds/{WORLD}/settings", {"activation_delay": "-P1D"}, 400, "InvalidInput"),
    ("PATCH", f"/_harness/worlds/{WORLD}/settings", {"activation_delay": True}, 400, "InvalidInput"),
    ("POST", f"/_harness/worlds/{WORLD}/faults", None, 400, "InvalidInput"),
    ("POST", f"/_harness/worlds/{WORLD}/faults", "just text", 400, "InvalidInput"),
    ("POST", f"/_harness/worlds/{WORLD}/faults", {"path": "/api/*"}, 400, "InvalidInput"),
    ("POST", f"/_harness/worlds/{WORLD}/faults", {"status": 99}, 400, "InvalidInput"),
    ("POST", f"/_harness/worlds/{WORLD}/faults", {"status": "500"}, 400, "InvalidInput"),
    ("POST", f"/_harness/worlds/{WORLD}/faults", {"status": 500, "portal": "bing"}, 400, "InvalidInput"),
    ("POST", f"/_harness/worlds/{WORLD}/faults", {"status": 500, "method": "GE T"}, 400, "InvalidInput"),
    ("POST", f"/_harness/worlds/{WORLD}/faults", {"status": 500, "path": "^(unclosed"}, 400, "InvalidInput"),
    ("POST", f"/_harness/worlds/{WORLD}/faults", {"status": 500, "path": ""}, 400, "InvalidInput"),
    ("POST", f"/_harness/worlds/{WORLD}/faults", {"status": 500, "times": 0}, 400, "InvalidInput"),
    ("POST", f"/_harness/worlds/{WORLD}/faults", {"status": 500, "probability": 1.5}, 400, "InvalidInput"),
    ("POST", f"/_harness/worlds/{WORLD}/faults", {"status": 500, "probability": True}, 400, "InvalidInput"),
    ("POST", f"/_harness/worlds/{WORLD}/faults", {"status": 500, "headers": {"X": 1}}, 400, "InvalidInput"),
    (
        "POST",
        f"/_harness/worlds/{WORLD}/faults",
        {"status": 500, "drop_connection": True},
        400,
        "InvalidInput",
    ),
    ("POST", f"/_harness/worlds/{WORLD}/faults", {"latency_ms": 10**9}, 400, "InvalidInput"),
    ("POST", f"/_harness/worlds/{WORLD}/faults", {"body": "x", "latency_ms": 5}, 400, "InvalidInput"),
    ("POST", f"/_harness/worlds/{WORLD}/faults", {"status": 500, "colour": "red"}, 400, "InvalidInput"),
    ("DELETE", f"/_harness/worlds/{WORLD}/faults/f9", None, 404, "FaultNotFound"),
    ("PUT", f"/_harness/worlds/{WORLD}/snapshot", {"format": "other"}, 400, "InvalidInput"),
    (
        "PUT",
        f"/_harness/worlds/{WORLD}/snapshot",
        {"format": "portal-harness/world-snapshot@1", "state": 1},
        400,
        "InvalidInput",
    ),
    ("PUT", "/_harness/worlds/bad%20name/snapshot", {}, 400, "InvalidInput"),
    ("PUT", "/_harness/worlds/new/snapshot", b"[", 400, "InvalidInput"),
    ("GET", "/_harness/nothing-here", None, 404, "RouteNotFound"),
    ("PATCH", "/_harness/health", None, 405, "MethodNotAllowed"),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "code"), BAD, ids=[f"{b[0]} {b[1]} {b[2]!r}"[:80] for b in BAD]
)
def test_bad_input_is_a_4xx_and_changes_nothing(
    control: FlaskClient, method: str, path: str, body: Any, status: int, code: str
) -> None:
    add_fault(control, status=500, path="/never")
    before = state_of(control)
    if isinstance(body, tuple):
        response = control.open(path, method=method, data=body[1], content_type=body[0])
    elif isinstance(body, bytes):
        response = control.open(path, method=method, data=body, content_type="application/json")
    else:
        response = control.open(path, method=method, json=body)
    assert response.status_code == status, response.json
    error = response.json["error"]
    assert error["code"] == code and error["message"]
    assert state_of(control) == before


def test_a_large_snapshot_is_accepted_beyond_the_portals_body_limit(control: FlaskClient) -> None:
    snapshot = control.get(f"/_harness/worlds/{WORLD}/snapshot").json
    snapshot["document"] = {"padding": "x" * 200_000, **CAST}
    assert control.put("/_harness/worlds/big/snapshot", json=snapshot).status_code == 201


# --- live servers: what a client sees when a rule drops the connection -------------------------------
def serve_werkzeug(app: Flask) -> tuple[str, Callable[[], None]]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server.shutdown


def serve_waitress(app: Flask) -> tuple[str, Callable[[], None]]:
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=2)
    threading.Thread(target=server.run, daemon=True).start()
    return f"http://127.0.0.1:{server.effective_port}", server.close  # type: ignore[union-attr]


@pytest.fixture(params=[serve_werkzeug, serve_waitress], ids=["werkzeug", "waitress"])
def live(request: pytest.FixtureRequest, app: Flask) -> Iterator[str]:
    url, stop = request.param(app)
    yield url
    stop()


def test_a_live_client_sees_a_connection_error_when_a_rule_drops(live: str) -> None:
    session = requests.Session()
    session.trust_env = False
    assert session.post(
        f"{live}/_harness/worlds/{WORLD}/faults", json={"drop_connection": True, "times": 1}
    ).ok
    with pytest.raises(requests.ConnectionError):
        session.get(f"{live}/api/products", headers=as_user(), timeout=5)
    assert session.get(f"{live}/api/products", headers=as_user(), timeout=5).status_code == 200
    assert [e["status"] for e in session.get(f"{live}/_harness/worlds/{WORLD}/journal").json()["value"]] == [
        0,
        200,
    ]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("garbage", "the body is not valid JSON"),
        ("[1, 2]", "the body must be a JSON object"),
        ('{"worlds": "all"}', "worlds: is not a known field"),
    ],
)
def test_a_reset_of_every_world_with_a_body_that_is_not_an_object_drops_nothing(
    control: FlaskClient, registry: WorldRegistry, body: str, says: str
) -> None:
    before = sorted(world.name for world in registry)
    answer = control.post("/_harness/reset", data=body, content_type="application/json")
    assert answer.status_code == 400, f"expected 400, found {answer.status_code}: {answer.data[:200]}"
    assert says in answer.json["error"]["message"], answer.json
    assert sorted(world.name for world in registry) == before, "a refused reset dropped worlds"
    assert control.post("/_harness/reset", data="{}", content_type="application/json").status_code == 200
    assert control.post("/_harness/reset").status_code == 200
