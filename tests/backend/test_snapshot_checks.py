"""A snapshot is checked whole before a world is made of it: beyond references and ranges, its ID
counters (the next ID must be new), its IDs (each once), its contracts' dates and what each kind of
contract has, strict types, and D8's personal accounts. Each problem is an InvalidInput naming its
path; a restored world never reuses an ID."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from cast import activate, cast_world, refused

from portals.backend import World

ADMIN, USER = "admin@contoso.com", "user@contoso.com"


@pytest.fixture(scope="module")
def snapshot() -> dict[str, Any]:
    """A world with a benefits contract, a Premier plan, a CSP contract and requests."""
    world = cast_world("checked")
    ids = activate(world)
    world.add_contract(USER, *ids)
    world.purchase_support_plan(ADMIN, "premier")
    world.create_support_request(USER, "sfb", product="windows-10", title="Spooler", description="Stops")
    world.create_support_request(USER, "sfb", product="windows-10", title="Again", description="Stops")
    world.create_customer_support_request(
        "agent@wingtip.com", "woodgrove", "azure", title="VM", description="x"
    )
    return world.snapshot()


def _kind(state: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(c for c in state["contracts"].values() if c["kind"] == kind)


def _set_used(state: dict[str, Any], value: Any) -> None:
    _kind(state, "partner_benefits")["on_premises"]["used"] = value


def _premier_with_benefits_access_id(state: dict[str, Any]) -> None:
    _kind(state, "premier")["access_id"] = _kind(state, "partner_benefits")["access_id"].upper()


CASES: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "counters reset": (
        lambda s: s.update(counters={"request": 0, "contract_id": 0, "access_id": 0}),
        "snapshot state.counters.request: 0 is below 3, the highest request number's counter "
        "(the next ID would reuse one)",
    ),
    "counters removed": (
        lambda s: s.pop("counters"),
        "snapshot state.counters.request: 0 is below 3, the highest request number's counter",
    ),
    "access counter below the contracts with IDs": (
        lambda s: s["counters"].update(access_id=1),
        "snapshot state.counters.access_id: 1 is below 2, the number of contracts with an Access ID",
    ),
    "contract counter below the contracts": (
        lambda s: s["counters"].update(contract_id=2),
        "snapshot state.counters.contract_id: 2 is below 3, the number of contracts",
    ),
    "an Access ID twice": (_premier_with_benefits_access_id, "is also contract"),
    "end before start": (
        lambda s: _kind(s, "partner_benefits").update(end="2020-01-01T00:00:00Z"),
        ".end: 2020-01-01T00:00:00Z is before its start 2021-03-04T09:00:00Z",
    ),
    "no end on a benefits contract": (
        lambda s: _kind(s, "partner_benefits").update(end=None),
        ".end: is required for a partner_benefits contract",
    ),
    "no Access ID on a Premier contract": (
        lambda s: _kind(s, "premier").update(access_id=None),
        ".access_id: is required for a premier contract",
    ),
    "an end on the CSP contract": (
        lambda s: _kind(s, "csp").update(end="2022-01-01T00:00:00Z"),
        ".end: a Cloud Solution Provider contract has none (D12)",
    ),
    "used: true": (lambda s: _set_used(s, True), ".on_premises.used: must be an integer"),
    "used: '1'": (lambda s: _set_used(s, "1"), ".on_premises.used: must be an integer"),
    "a personal account in an organisation": (
        lambda s: s["accounts"]["engineer@outlook.com"].update(organisation="contoso"),
        "snapshot state.accounts.engineer@outlook.com.organisation: a personal (msa) account has no "
        "organisation (D8)",
    ),
    "a personal account with a role": (
        lambda s: s["accounts"]["engineer@outlook.com"].update(roles=["user", "global_admin"]),
        "snapshot state.accounts.engineer@outlook.com.roles: a personal (msa) account has no role but "
        "user (D8)",
    ),
    "an association twice": (
        lambda s: s["associations"].append(copy.deepcopy(s["associations"][0])),
        "snapshot state.associations[2]: account 'user@contoso.com' and contract ",
    ),
    "an association twice, the same words": (
        lambda s: s["associations"].append(copy.deepcopy(s["associations"][0])),
        "are associations[0] already",
    ),
    "an Access ID that is no GUID": (
        lambda s: _kind(s, "premier").update(access_id="hello"),
        ".access_id: 'hello' is not an Access ID: a GUID, "
        "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx in hexadecimal digits (D1)",
    ),
    "an Access ID in braces": (
        lambda s: _kind(s, "premier").update(access_id="{" + _kind(s, "premier")["access_id"] + "}"),
        "is not an Access ID: a GUID, xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx in hexadecimal digits (D1)",
    ),
    "an unknown counter": (
        lambda s: s["counters"].update(tickets=4),
        "snapshot state.counters.tickets: no such counter; the counters are access_id, contract_id "
        "and request",
    ),
    "an account key in upper case": (
        lambda s: s["accounts"].update(
            {"USER@contoso.com": s["accounts"].pop(USER) | {"upn": "USER@contoso.com"}}
        ),
        "snapshot state.accounts.USER@contoso.com: an account's key is its UPN in lower case "
        "('user@contoso.com')",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_snapshot_that_would_break_the_world_is_refused_naming_the_path(
    snapshot: dict[str, Any], case: str
) -> None:
    change, says = CASES[case]
    data = copy.deepcopy(snapshot)
    change(data["state"])
    with refused("InvalidInput") as found:
        World.restore(data)
    assert says in found.error.message(), f"expected {says!r} in {found.error.message()!r}"


def test_the_snapshot_as_taken_restores_and_goes_on_with_new_ids(snapshot: dict[str, Any]) -> None:
    world = World.restore(copy.deepcopy(snapshot))
    before = set(world.state.requests)
    created = world.create_support_request(USER, "sfb", product="windows-10", title="Third", description="-")
    assert created.id not in before and len(world.state.requests) == len(before) + 1
    bought = world.purchase_support_plan(ADMIN, "advanced")
    access_ids = [c.access_id for c in world.state.contracts.values() if c.access_id]
    assert len(set(access_ids)) == len(access_ids), f"an Access ID was reused: {bought.access_id}"
