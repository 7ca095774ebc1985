"""D13, the heart of it: a state reached through the portals (HTTP, in-process) and the same state
described by a seed document give the same world, exactly (the world's name and the document aside).

Each case walks the portals as people would, the control API moving the clock to each step's time,
then creates a world from the equivalent document through ``POST /_harness/worlds`` and compares
the two snapshots. The cases also name reset after restore through the control API.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from harness.stack import Clients, PortalStack

NOW = "2021-03-10T09:00:00Z"
ADMIN, USER, AGENT, ENGINEER = (
    "admin@contoso.com",
    "user@contoso.com",
    "agent@contoso.com",
    "engineer@outlook.com",
)

#: The people of every case: Contoso, a Silver partner with a non-cloud competency (R-EN-02: a
#: Signature 5-pack; R-EN-01: 15 on-premises incidents), also CSP with one customer.
PEOPLE: dict[str, Any] = {
    "world": {"seed": "equivalence", "start": NOW},
    "organisations": [
        {
            "id": "contoso",
            "name": "Contoso",
            "programs": ["mpn", "csp"],
            "membership": "silver",
            "competencies": [{"name": "Application Development", "level": "silver"}],
            "customers": [{"id": "woodgrove", "name": "Woodgrove Bank"}],
        }
    ],
    "accounts": [
        {"upn": ADMIN, "organisation": "contoso", "roles": ["global_admin"]},
        {"upn": USER, "organisation": "contoso"},
        {"upn": AGENT, "organisation": "contoso", "roles": ["admin_agent"]},
        {"upn": ENGINEER, "kind": "msa"},
    ],
}


class Walk:
    """A world of ``PEOPLE`` walked through the portals; ``at(time)`` moves its clock first."""

    def __init__(self, stack: PortalStack) -> None:
        self.stack = stack
        self.world = stack.new_world(document=copy.deepcopy(PEOPLE)).name
        self.control = stack.clients(self.world).control

    def at(self, when: str, upn: str) -> Clients:
        self.control.set_clock(self.world, when)
        return self.stack.clients(self.world, upn)

    def ids(self) -> tuple[str, str]:
        """The benefits' IDs, as the control API shows the contract (Partner Center hides pending ones)."""
        [contract] = [
            c
            for c in self.control.snapshot(self.world)["state"]["contracts"].values()
            if c["kind"] == "partner_benefits"
        ]
        return contract["access_id"], contract["contract_id"]

    def state(self) -> dict[str, Any]:
        self.control.set_clock(self.world, NOW)
        return comparable(self.control.snapshot(self.world))


def comparable(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A snapshot's state without the world's name (the document and reset origin are not state)."""
    state = copy.deepcopy(snapshot["state"])
    state.pop("name")
    return state


def document(**state: Any) -> dict[str, Any]:
    """``PEOPLE`` plus the state part of a document: ``benefits``, ``contracts`` (per account),
    ``plans``, ``requests``."""
    doc = copy.deepcopy(PEOPLE)
    if "benefits" in state:
        doc["organisations"][0]["benefits"] = state["benefits"]
    for upn, contracts in state.get("contracts", {}).items():
        next(a for a in doc["accounts"] if a["upn"] == upn)["contracts"] = contracts
    for key in ("plans", "requests"):
        if key in state:
            doc[key] = state[key]
    return doc


def activation_done(walk: Walk) -> dict[str, Any]:
    walk.at("2021-03-02T10:00:00Z", ADMIN).pc.activate_benefits()  # pending 3 days (D2)
    return document(benefits={"activated": "2021-03-05T10:00:00Z"})


def activation_pending(walk: Walk) -> dict[str, Any]:
    walk.at("2021-03-08T15:00:00Z", ADMIN).pc.activate_benefits()  # complete on 2021-03-11
    return document(benefits={"requested": "2021-03-08T15:00:00Z"})


def used_up_5_pack_through_azure(walk: Walk) -> dict[str, Any]:
    walk.at("2021-03-01", ADMIN).pc.activate_benefits()
    walk.at("2021-03-05", USER).azure.link_support_benefits(*walk.ids())
    times = [f"2021-03-0{day}T1{day}:00:00Z" for day in range(5, 10)]
    for number, when in enumerate(times, start=1):
        walk.at(when, USER).azure.create_support_request("app-service", f"Outage {number}", "Slow answers")
    return document(
        benefits={"activated": "2021-03-04", "used": {"cloud": 5}},
        contracts={USER: [{"contract": "contoso", "added_in": "azure", "at": "2021-03-05"}]},
        requests=[
            {
                "account": USER,
                "portal": "azure",
                "product": "app-service",
                "title": f"Outage {number}",
                "description": "Slow answers",
                "at": when,
            }
            for number, when in enumerate(times, start=1)
        ],
    )


def requests_in_support_for_business(walk: Walk) -> dict[str, Any]:
    walk.at("2021-03-01", ADMIN).pc.activate_benefits()
    access_id, contract_id = walk.ids()
    walk.at("2021-03-06", ENGINEER).sfb.add_contract(access_id, contract_id)
    engineer = walk.at("2021-03-07T08:00:00Z", ENGINEER)
    engineer.sfb.create_support_request("windows-10", "Blue screen", "After an update", severity="B")
    walk.at("2021-03-09", ENGINEER).sfb.create_support_request(
        "windows-10", "Printer", "Spooler stops", plan=contract_id
    )
    walk.at("2021-03-09T12:00:00Z", USER).azure.link_support_benefits(access_id, contract_id)
    return document(
        benefits={"requested": "2021-03-01"},
        contracts={
            ENGINEER: [{"contract": "contoso", "added_in": "support_for_business", "at": "2021-03-06"}],
            USER: [{"contract": "contoso", "added_in": "azure", "at": "2021-03-09T12:00:00Z"}],
        },
        requests=[
            {
                "account": ENGINEER,
                "portal": "support_for_business",
                "product": "windows-10",
                "title": "Blue screen",
                "description": "After an update",
                "severity": "B",
                "at": "2021-03-07T08:00:00Z",
            },
            {
                "account": ENGINEER,
                "portal": "sfb",
                "product": "windows-10",
                "plan": "contoso",
                "title": "Printer",
                "description": "Spooler stops",
                "at": "2021-03-09",
            },
        ],
    )


def bought_plan_and_a_request_on_it(walk: Walk) -> dict[str, Any]:
    walk.at("2021-03-01", ADMIN).pc.activate_benefits()
    walk.at("2021-03-04", USER).sfb.add_contract(*walk.ids())
    bought = walk.at("2021-03-06", ADMIN).pc.purchase_support_plan("advanced")
    walk.at("2021-03-07", USER).azure.link_support_benefits(bought.access_id, bought.contract_id)
    walk.at("2021-03-08", USER).azure.create_support_request(
        "storage-account", "Blobs", "Lost", plan=bought.contract_id
    )
    walk.at("2021-03-09", ADMIN).azure.create_support_request("microsoft-365", "Mail", "Bounces")
    walk.at("2021-03-09T10:00:00Z", AGENT).pc.new_customer_request(
        "woodgrove", "azure", title="Woodgrove VM", description="Does not start", product="app-service"
    )
    return document(
        benefits={"activated": "2021-03-04"},
        plans=[{"id": "advanced-1", "offer": "advanced", "bought_by": ADMIN, "at": "2021-03-06"}],
        contracts={
            USER: [
                {"contract": "contoso", "added_in": "support_for_business", "at": "2021-03-04"},
                {"contract": "advanced-1", "added_in": "azure", "at": "2021-03-07"},
            ]
        },
        requests=[
            {
                "account": USER,
                "portal": "azure",
                "product": "storage-account",
                "plan": "advanced-1",
                "title": "Blobs",
                "description": "Lost",
                "at": "2021-03-08",
            },
            {
                "account": ADMIN,
                "portal": "azure",
                "product": "microsoft-365",
                "title": "Mail",
                "description": "Bounces",
                "at": "2021-03-09",
            },
            {
                "account": AGENT,
                "portal": "azure",
                "customer": "woodgrove",
                "product": "app-service",
                "title": "Woodgrove VM",
                "description": "Does not start",
                "at": "2021-03-09T10:00:00Z",
            },
        ],
    )


CASES: dict[str, Callable[[Walk], dict[str, Any]]] = {
    "activation-done": activation_done,
    "activation-pending": activation_pending,
    "used-up-5-pack-through-azure": used_up_5_pack_through_azure,
    "requests-in-support-for-business": requests_in_support_for_business,
    "bought-plan-and-a-request-on-it": bought_plan_and_a_request_on_it,
}


@pytest.fixture(scope="module")
def stack() -> Iterator[PortalStack]:
    with PortalStack("inprocess") as running:
        yield running


@pytest.mark.rule("D13")
@pytest.mark.parametrize("case", list(CASES))
def test_a_state_reached_through_the_portals_equals_its_seed_document(stack: PortalStack, case: str) -> None:
    walk = Walk(stack)
    equivalent = CASES[case](walk)
    through_portals = walk.state()
    control = walk.control
    seeded = control.create_world(f"{walk.world}-seeded", equivalent)["name"]
    from_document = comparable(control.snapshot(seeded))
    assert from_document == through_portals, f"{case}: the seeded world differs from the walked one"
    assert through_portals["now"] == NOW and through_portals["contracts"], through_portals


@pytest.mark.rule("D13")
def test_the_cases_reach_the_states_they_are_named_for(stack: PortalStack) -> None:
    """Guard against an equivalence of two empty worlds: what each walked state holds."""
    found = {}
    for case, walk_it in CASES.items():
        walk = Walk(stack)
        walk_it(walk)
        state = walk.state()
        [benefits] = [c for c in state["contracts"].values() if c["kind"] == "partner_benefits"]
        found[case] = (benefits["start"], benefits["cloud"], benefits["on_premises"], len(state["requests"]))
    assert found == {
        "activation-done": ("2021-03-05T10:00:00Z", {"limit": 5, "used": 0}, {"limit": 15, "used": 0}, 0),
        "activation-pending": ("2021-03-11T15:00:00Z", {"limit": 5, "used": 0}, {"limit": 15, "used": 0}, 0),
        "used-up-5-pack-through-azure": (
            "2021-03-04T00:00:00Z",
            {"limit": 5, "used": 5},
            {"limit": 15, "used": 0},
            5,
        ),
        "requests-in-support-for-business": (
            "2021-03-04T00:00:00Z",
            {"limit": 5, "used": 0},
            {"limit": 15, "used": 2},
            2,
        ),
        "bought-plan-and-a-request-on-it": (
            "2021-03-04T00:00:00Z",
            {"limit": 5, "used": 0},
            {"limit": 15, "used": 0},
            3,
        ),
    }


# --- reset after restore, through the control API ----------------------------------------------------
@pytest.mark.rule("D13")
def test_control_api_reset_after_restore_returns_to_the_restored_snapshot(stack: PortalStack) -> None:
    walk = Walk(stack)
    control, world = walk.control, walk.world
    seeded = comparable(control.snapshot(world))
    used_up_5_pack_through_azure(walk)
    walked = control.snapshot(world)
    control.reset_world(world)
    assert comparable(control.snapshot(world)) == seeded  # built from a document: back to it
    control.restore(world, walked)
    later = walk.at("2021-03-20", USER).sfb.create_support_request(
        "windows-10", "Later", "Forgotten by reset"
    )
    assert later.id in comparable(control.snapshot(world))["requests"]
    control.reset_world(world)
    after_reset = comparable(control.snapshot(world))
    assert after_reset == comparable(walked), "reset after a restore returns to the restored snapshot"
    assert len(after_reset["requests"]) == 5 and after_reset["now"] == "2021-03-09T19:00:00Z", after_reset
