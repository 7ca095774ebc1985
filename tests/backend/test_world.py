"""Worlds: isolation, the clock, seeds, snapshots, the registry, thread safety, purity."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest
from cast import CAST, activate, cast_world, refused

from portals.backend import Portal, Refusal, World, WorldRegistry, build_world
from portals.backend.clock import parse_duration
from portals.backend.seed import parse_document

rule = pytest.mark.rule


@rule("D10")
def test_each_world_has_its_own_clock_that_only_moves_when_told() -> None:
    a, b = cast_world("a"), cast_world("b")
    start = a.now
    a.advance_clock("P3D")
    assert a.now == start + timedelta(days=3) and b.now == start
    a.set_clock("2022-01-01")
    assert a.now == datetime(2022, 1, 1, tzinfo=UTC)
    with refused("InvalidInput"):
        a.advance_clock("-P1D")
    with refused("InvalidInput"):
        a.advance_clock("three days")


@rule("D10")
@pytest.mark.parametrize(
    ("text", "delta"),
    [
        ("P3D", timedelta(days=3)),
        ("PT12H", timedelta(hours=12)),
        ("P1W", timedelta(weeks=1)),
        ("P1Y", timedelta(days=365)),
        ("P1DT2H30M", timedelta(days=1, hours=2, minutes=30)),
    ],
)
def test_iso_durations(text: str, delta: timedelta) -> None:
    assert parse_duration(text) == delta


@rule("D10", "R-SFB-02")
def test_expiry_reads_the_world_clock() -> None:
    world = cast_world()
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)
    world.advance_clock("P364D")
    assert world.support_plans_for("user@contoso.com").available
    world.advance_clock("P1D")
    assert not world.support_plans_for("user@contoso.com").available


def test_worlds_never_see_each_other() -> None:
    registry = WorldRegistry()
    a = registry.create("a", CAST)
    b = registry.create("b", CAST)
    ids = activate(a)
    a.add_contract("user@contoso.com", *ids)
    assert b.state.contracts == {} and b.state.associations == []
    with refused("ContractNotFound"):
        b.add_contract("user@contoso.com", *ids)


def test_registry_creates_lists_resets_and_drops() -> None:
    registry = WorldRegistry()
    assert registry.names() == ["default"]
    world = registry.create("w1", CAST)
    unnamed = registry.create()
    assert registry.names() == ["default", "w1", unnamed.name]
    activate(world)
    with refused("WorldExists"):
        registry.create("w1")
    fresh = registry.reset("w1")
    assert fresh.state.contracts == {} and len(fresh.state.accounts) == len(CAST["accounts"])
    assert activate(fresh) == activate(cast_world("other"))  # same seed, same IDs after reset
    registry.drop("w1")
    assert "w1" not in registry
    with refused("WorldNotFound"):
        registry.get("w1")
    registry.drop("default")  # resets it instead: default always exists
    assert "default" in registry
    with refused("InvalidInput"):
        registry.create("bad name!")


@rule("D7", "D11")
def test_fifty_threads_on_a_ten_incident_pack() -> None:
    world = cast_world()
    ids = activate(world, "admin@tailspin.com")  # Action Pack: 10 on-premises incidents
    world.add_contract("engineer@outlook.com", *ids)
    results: list[str] = []
    barrier = threading.Barrier(50)

    def create() -> None:
        barrier.wait()
        try:
            world.create_support_request(
                "engineer@outlook.com",
                Portal.SUPPORT_FOR_BUSINESS,
                product="windows-10",
                title="Concurrent",
                description="One of fifty",
            )
            results.append("created")
        except Refusal as error:
            results.append(error.code)

    threads = [threading.Thread(target=create) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("created") == 10
    assert results.count("NoIncidentsRemaining") == 40
    assert world.remaining_incidents("engineer@outlook.com") == {ids[1]: 0}
    assert len(world.state.requests) == 10


def test_snapshot_round_trip_gives_an_identical_world() -> None:
    world = cast_world(activation_delay="P2D", azure_link_mode="diagnostic")
    world.activate_benefits("admin@fabrikam.com")
    world.advance_clock("P2D")
    view = world.technical_benefits("admin@fabrikam.com")
    world.add_contract("engineer@outlook.com", view.access_id, view.contract_id)  # type: ignore[arg-type]
    world.link_support_benefits("admin@fabrikam.com", view.access_id, view.contract_id)  # type: ignore[arg-type]
    world.create_support_request(
        "admin@fabrikam.com", "azure", product="app-service", title="t", description="d"
    )
    world.purchase_support_plan("admin@fabrikam.com", "premier")
    data = json.loads(json.dumps(world.snapshot()))  # through real JSON text
    restored = World.restore(data)
    # the same state and document; reset now returns to this snapshot's state
    assert restored.snapshot() == {**world.snapshot(), "origin": data["state"]}
    # the restored world goes on identically: same next IDs, same rules
    assert restored.purchase_support_plan("admin@fabrikam.com", "advanced") == world.purchase_support_plan(
        "admin@fabrikam.com", "advanced"
    )
    assert restored.state.settings.activation_delay == timedelta(days=2)
    with refused("AlreadyLinked"):
        restored.link_support_benefits("admin@fabrikam.com", view.access_id, view.contract_id)  # type: ignore[arg-type]


def test_the_azure_support_apis_polls_are_world_settings() -> None:
    world = build_world("polled", {"world": {"lro_polls": 2, "lro_retry_after": 5}})
    assert (world.state.settings.lro_polls, world.state.settings.lro_retry_after) == (2, 5)
    assert World.restore(json.loads(json.dumps(world.snapshot()))).state.settings.lro_polls == 2
    assert world.set_lro(retry_after=7) == (2, 7)
    for polls, retry in ((-1, None), (101, None), (None, 0), (None, 61), (True, None)):
        with refused("InvalidInput"):
            world.set_lro(polls, retry)  # type: ignore[arg-type]
    assert (world.state.settings.lro_polls, world.state.settings.lro_retry_after) == (2, 7)
    snapshot = world.snapshot()
    snapshot["state"]["settings"]["lro_retry_after"] = 0
    with refused("InvalidInput") as caught:
        World.restore(snapshot)
    assert caught.error is not None and "settings.lro_retry_after" in caught.error.message()
    assert build_world("plain", {}).state.settings.lro_polls == 0  # answered at once by default


def test_restore_refuses_what_is_not_a_snapshot() -> None:
    with refused("InvalidInput"):
        World.restore({"hello": 1})
    snap = cast_world().snapshot()
    snap["state"]["now"] = "yesterday"
    with refused("InvalidInput") as caught:
        World.restore(snap)
    assert caught.error is not None and "state.now" in caught.error.message()


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"organisations": [{"id": "a"}, {"id": "b", "membership": "platinum"}]},
            "organisations[1].membership: must be one of action_pack, silver, gold",
        ),
        (
            {"accounts": [{"upn": "x@y.com", "organisation": "ghost"}]},
            "accounts[0].organisation: no organisation",
        ),
        (
            {"accounts": [{"upn": "x@y.com", "kind": "msa", "roles": ["global_admin"]}]},
            "accounts[0]: a personal",
        ),
        (
            {"world": {"azure_link_mode": "loud"}},
            "world.azure_link_mode: must be one of spurious, diagnostic",
        ),
        ({"world": {"activation_delay": "soon"}}, "world.activation_delay: must be an ISO-8601 duration"),
        ({"world": {"lro_polls": 101}}, "world.lro_polls: "),
        ({"world": {"lro_retry_after": 0}}, "world.lro_retry_after: "),
        ({"world": {"lro_retry_after": "2"}}, "world.lro_retry_after: "),
        (
            {"organisations": [{"id": "a", "competencies": [{"name": "Security", "level": "bronze"}]}]},
            "organisations[0].competencies[0].level: must be one of silver, gold",
        ),
        ({"organisations": [{"id": "a"}, {"id": "a"}]}, "organisations[1].id: 'a' is used twice"),
        ({"organisations": [{"id": "a", "colour": "red"}]}, "organisations[0].colour: is not a known field"),
        ({"accounts": [{"kind": "aad"}]}, "accounts[0].upn: is required"),
        ({"organisations": [{"id": "a", "activated": True}]}, "organisations[0]: activated: needs"),
    ],
)
def test_bad_seed_documents_name_the_field(document: dict, message: str) -> None:
    registry = WorldRegistry()
    with refused("InvalidSeed") as caught:
        registry.create("seeded", document)
    assert caught.error is not None and message in caught.error.message(), caught.error.message()
    assert registry.names() == ["default"]  # no world half-created


def test_seed_documents_in_yaml_and_json() -> None:
    yaml_text = """
world: {seed: 7, start: 2021-06-01, activation_delay: P0D}
organisations:
  - id: contoso
    membership: gold
    activated: true
    competencies: [{name: Cloud Platform, level: gold}]
accounts:
  - {upn: admin@contoso.com, organisation: contoso, roles: [global_admin]}
"""
    from_yaml = build_world("y", parse_document(yaml_text))
    from_json = build_world("j", parse_document(json.dumps(parse_document(yaml_text), default=str)))
    assert from_yaml.technical_benefits("admin@contoso.com").state == "active"
    assert from_yaml.now == datetime(2021, 6, 1, tzinfo=UTC)
    assert (
        from_yaml.technical_benefits("admin@contoso.com").access_id
        == from_json.technical_benefits("admin@contoso.com").access_id
    )
    with refused("InvalidSeed"):
        parse_document("organisations: [unclosed")
    with refused("InvalidSeed"):
        parse_document("- just\n- a list\n")


def test_the_backend_imports_no_flask_or_werkzeug() -> None:
    code = (
        "import sys, portals.backend, portals.backend.seed, portals.backend.snapshot;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('flask', 'werkzeug')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
