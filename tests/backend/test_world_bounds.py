"""The clock's bounds hold for every date a world makes: an operation that would make a date past
them (a contract's start or end after 9000-12-31T23:59:59Z) is refused with InvalidInput before it
changes anything, so no sequence of operations makes a world whose own snapshot is refused."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cast import CAST, refused
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portals.backend import Refusal, World, build_world
from portals.backend.clock import EARLIEST, LATEST

ADMIN, USER, MSA, AGENT = "admin@contoso.com", "user@contoso.com", "engineer@outlook.com", "agent@wingtip.com"
#: The latest date a world takes, as the README states it.
LATEST_TEXT = "9000-12-31T23:59:59Z"


def _seed(start: str, **contoso: Any) -> dict[str, Any]:
    document = copy.deepcopy(CAST)
    document["world"].update(start=start)
    document["organisations"][0].update(contoso)
    return document


def test_a_seed_activated_near_the_upper_bound_is_refused_naming_the_contract_end() -> None:
    with refused("InvalidSeed") as found:
        build_world("late", _seed("9000-06-01", activated=True))
    message = found.error.message()
    assert "the contract would end after 9000-12-31T23:59:59Z" in message, message
    assert message.startswith("Invalid seed document: organisations[0]"), message


@pytest.mark.parametrize(
    ("start", "delay", "says"),
    [
        ("9000-06-01", "P0D", "the contract would end after 9000-12-31T23:59:59Z"),
        ("9000-12-31T23:59:59Z", "P0D", "the contract would end after 9000-12-31T23:59:59Z"),
        ("8950-01-01", "P36500D", "the contract would start after 9000-12-31T23:59:59Z"),
    ],
)
def test_activate_near_the_upper_bound_is_refused_and_changes_nothing(
    start: str, delay: str, says: str
) -> None:
    world = build_world("late", _seed(start))
    world.set_activation_delay(delay)
    before = world.snapshot()
    with refused("InvalidInput") as found:
        world.activate_benefits(ADMIN)
    assert says in found.error.message(), found.error.message()
    assert world.snapshot() == before


@pytest.mark.parametrize("offer", ["premier", "advanced"])
def test_a_purchase_whose_term_would_pass_the_upper_bound_is_refused_and_takes_no_id(offer: str) -> None:
    world = build_world("late", _seed("9000-06-01"))
    before = world.snapshot()
    with refused("InvalidInput") as found:
        world.purchase_support_plan(ADMIN, offer)
    assert "the contract would end after 9000-12-31T23:59:59Z" in found.error.message()
    assert world.snapshot() == before, "a refused purchase changed the world (IDs taken?)"


def test_the_latest_purchase_that_fits_ends_on_the_bound_and_its_snapshot_restores() -> None:
    world = build_world("late", _seed("8999-12-31T23:59:59Z"))
    bought = world.purchase_support_plan(ADMIN, "premier")
    assert bought.end == datetime(9000, 12, 31, 23, 59, 59, tzinfo=UTC), bought.end
    World.restore(world.snapshot())


def test_a_membership_that_ends_before_activation_is_refused_in_seeds() -> None:
    with refused("InvalidSeed") as found:
        build_world("ended", _seed("2021-03-04", activated=True, membership_end="2020-01-01"))
    assert found.error.message() == (
        "Invalid seed document: organisations[0].membership_end: 2020-01-01T00:00:00Z is not after the "
        "benefits' activation at 2021-03-04T00:00:00Z: the contract would end before it starts"
    )
    document = _seed("2021-03-10", benefits={"requested": "2021-03-05"}, membership_end="2021-03-07")
    document["world"]["activation_delay"] = "P3D"
    with refused("InvalidSeed") as found:
        build_world("ended", document)
    says = "organisations[0].membership_end: 2021-03-07T00:00:00Z is not after the benefits' activation at "
    assert says in found.error.message(), found.error.message()


def test_a_membership_that_ends_while_activation_is_pending_is_refused_by_activate() -> None:
    world = build_world("ending", _seed("2021-03-04", membership_end="2021-03-06"))
    world.set_activation_delay("P3D")
    before = world.snapshot()
    with refused("InvalidInput") as found:
        world.activate_benefits(ADMIN)
    assert "membership_end: the membership of 'contoso' ends at 2021-03-06T00:00:00Z" in found.error.message()
    assert world.snapshot() == before
    world.set_clock("2021-03-06")  # the membership has ended: no benefits at all (R-PC-04)
    with refused("NoBenefits"):
        world.activate_benefits(ADMIN)


# --- no operation sequence makes a world whose snapshot is refused ------------------------------------
def _near_bounds() -> st.SearchStrategy[datetime]:
    """Instants near the clock's upper bound (most) and its lower bound."""
    late = st.integers(0, 800 * 86400).map(lambda s: LATEST - timedelta(seconds=s))
    early = st.integers(0, 400 * 86400).map(lambda s: EARLIEST + timedelta(seconds=s))
    return st.one_of(late, late, early)


OPERATIONS = st.one_of(
    st.tuples(st.just("set_clock"), _near_bounds()),
    st.tuples(st.just("advance"), st.integers(0, 800)),
    st.tuples(st.just("delay"), st.sampled_from([0, 1, 3, 30, 365, 36500])),
    st.tuples(st.just("activate"), st.sampled_from([ADMIN, "admin@wingtip.com", "admin@tailspin.com"])),
    st.tuples(st.just("purchase"), st.sampled_from(["premier", "advanced"])),
    st.tuples(st.just("add_contract"), st.tuples(st.sampled_from([USER, MSA]), st.integers(0, 3))),
    st.tuples(st.just("link"), st.tuples(st.sampled_from([USER, MSA]), st.integers(0, 3))),
    st.tuples(st.just("sfb_request"), st.sampled_from([USER, MSA, ADMIN])),
    st.tuples(st.just("azure_request"), st.sampled_from([USER, MSA, ADMIN])),
    st.tuples(st.just("csp_request"), st.sampled_from(["woodgrove", "relecloud"])),
)


def _ids(world: World) -> list[tuple[str, str]]:
    return [(c.access_id, c.contract_id) for c in world.state.contracts.values() if c.access_id is not None]


def _run(world: World, operation: str, value: Any) -> None:
    if operation == "set_clock":
        world.set_clock(value)
    elif operation == "advance":
        world.advance_clock(timedelta(days=value))
    elif operation == "delay":
        world.set_activation_delay(timedelta(days=value))
    elif operation == "activate":
        world.activate_benefits(value)
    elif operation == "purchase":
        world.purchase_support_plan(ADMIN, value)
    elif operation in ("add_contract", "link"):
        upn, index = value
        ids = _ids(world)
        access_id, contract_id = ids[index % len(ids)] if ids else ("none", "0000000000")
        if operation == "add_contract":
            world.add_contract(upn, access_id, contract_id)
        else:
            world.link_support_benefits(upn, access_id, contract_id)
    elif operation == "sfb_request":
        world.create_support_request(value, "sfb", product="windows-10", title="Down", description="-")
    elif operation == "azure_request":
        world.create_support_request(value, "azure", product="app-service", title="Down", description="-")
    else:
        world.create_customer_support_request(AGENT, value, "azure", title="Down", description="-")


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    start=_near_bounds(),
    membership_end=st.one_of(st.none(), _near_bounds()),
    operations=st.lists(OPERATIONS, min_size=1, max_size=12),
)
def test_no_operation_sequence_makes_a_world_whose_snapshot_is_refused(
    start: datetime, membership_end: datetime | None, operations: list[tuple[str, Any]]
) -> None:
    document = _seed(start.isoformat())
    if membership_end is not None:
        document["organisations"][0]["membership_end"] = membership_end.isoformat()
    document["world"]["activation_delay"] = "P3D"
    world = build_world("bounds", document)
    World.restore(world.snapshot())
    for operation, value in operations:
        before = world.snapshot()
        try:
            _run(world, operation, value)
        except Refusal:
            assert world.snapshot() == before, f"{operation}({value!r}) was refused but changed the world"
        World.restore(world.snapshot())  # raises InvalidInput naming the first problem, if any
