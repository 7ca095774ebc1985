"""What a state store relies on: every operation that changes a world tells the world's registry
(under the world's lock, before it returns), no reading or refused operation does, and the registry
tells its observer of worlds created, reset, restored, dropped and cleared. Also the request indexes:
the same answers as a scan of every request, after filing and after a restore."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any

import pytest
from cast import CAST, activate, cast_world

from portals.backend import Portal, Refusal, World, WorldRegistry
from portals.backend.model import Account, AccountKind, Membership, Organisation, Program
from portals.backend.snapshot import state_data


class Recorder:
    """A registry observer that writes down what it is told, and whether the world's lock was held
    by the caller when it was told (another thread cannot take it then)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []
        self.unlocked: list[str] = []

    def _check_locked(self, world: World) -> None:
        taken: list[bool] = []
        probe = threading.Thread(target=lambda: taken.append(world.lock.acquire(blocking=False)))
        probe.start()
        probe.join()
        if taken[0]:
            world.lock.release()
            self.unlocked.append(world.name)

    def world_changed(self, world: World) -> None:
        self._check_locked(world)
        self.events.append(("changed", world.name))

    def world_removed(self, name: str) -> None:
        self.events.append(("removed", name))

    def cleared(self, default: World) -> None:
        self._check_locked(default)
        self.events.append(("cleared", default.name))


def operations(world: World) -> list[tuple[str, Callable[[], Any], bool]]:
    """(operation, a call of it, whether that call changes the world), covering every operation."""
    ids = activate(world, "admin@fabrikam.com")  # set-up: fabrikam's contract, for the calls below
    admin, user, agent = "admin@fabrikam.com", "user@contoso.com", "agent@wingtip.com"
    details = {"title": "VM down", "description": "details"}
    made: dict[str, Any] = {}

    def azure_request() -> None:
        made["ticket"] = world.create_azure_request(admin, "app-service", name="t-1", **details)

    gold = Organisation("initech", "Initech", "initech.example", [Program.MPN], membership=Membership.GOLD)
    newcomer = Account("x@initech.example", AccountKind.AAD, "X", organisation="initech")
    ticket = lambda: made["ticket"].id  # noqa: E731
    first_sfb = lambda: world.support_requests(user, Portal.SUPPORT_FOR_BUSINESS)[0].id  # noqa: E731
    northwind = world.state.organisations["northwind"]
    return [
        ("technical_benefits", lambda: world.technical_benefits(admin), False),
        ("activate_benefits", lambda: world.activate_benefits("admin@contoso.com"), True),
        ("activate_organisation", lambda: world.activate_organisation(northwind), True),
        ("organisation_contracts", lambda: world.organisation_contracts(admin), False),
        ("on_premises_catalog", world.on_premises_catalog, False),
        ("add_contract", lambda: world.add_contract(user, *ids), True),
        ("support_plans_for", lambda: world.support_plans_for(user, "windows-10"), False),
        ("remaining_incidents", lambda: world.remaining_incidents(user), False),
        ("link_support_benefits", lambda: world.link_support_benefits(admin, *ids), True),
        ("azure_support_plans", lambda: world.azure_support_plans(admin), False),
        ("create_sfb_request", lambda: world.create_sfb_request(user, "windows-10", **details), True),
        ("create_azure_request", azure_request, True),
        ("request_name_available", lambda: world.request_name_available(admin, "t-2"), False),
        ("support_request_named", lambda: world.support_request_named(admin, "t-1"), False),
        ("support_request", lambda: world.support_request(admin, ticket()), False),
        ("support_requests", lambda: world.support_requests(admin), False),
        ("support_requests_page", lambda: world.support_requests_page(admin, "azure", 0, 1), False),
        ("update_support_request", lambda: world.update_support_request(admin, ticket(), "closed"), True),
        ("add_communication", lambda: world.add_communication(user, first_sfb(), "subject", "body"), True),
        ("communication", lambda: world.communication(user, first_sfb(), "msg-1"), False),
        ("purchase_support_plan", lambda: world.purchase_support_plan("admin@contoso.com", "premier"), True),
        ("customers", lambda: world.customers(agent), False),
        ("csp_customer", lambda: world.csp_customer(agent, "woodgrove"), False),
        ("customer_support_plans", lambda: world.customer_support_plans(agent, "woodgrove"), False),
        (
            "create_customer_support_request",
            lambda: world.create_customer_support_request(agent, "woodgrove", "azure", **details),
            True,
        ),
        ("customer_requests", lambda: world.customer_requests(agent, "woodgrove"), False),
        ("partner_profile", lambda: world.partner_profile(admin), False),
        ("partner_service_requests", lambda: world.partner_service_requests(admin), False),
        (
            "create_partner_center_request",
            lambda: world.create_partner_center_request(admin, "Technical benefits", **details),
            True,
        ),
        ("advance_clock", lambda: world.advance_clock("P1D"), True),
        ("set_clock", lambda: world.set_clock("2021-04-01T00:00:00Z"), True),
        ("set_azure_link_mode", lambda: world.set_azure_link_mode("diagnostic"), True),
        ("set_activation_delay", lambda: world.set_activation_delay("P1D"), True),
        ("set_lro", lambda: world.set_lro(polls=2, retry_after=5), True),
        ("add_organisation", lambda: world.add_organisation(gold), True),
        ("activate_at_once", lambda: world.activate_at_once(gold), True),
        ("add_account", lambda: world.add_account(newcomer), True),
        ("snapshot", world.snapshot, False),
        ("overview", world.overview, False),
        ("request_plan_names", lambda: world.request_plan_names(world.support_requests(admin)), False),
    ]


def registered_cast() -> tuple[WorldRegistry, World, Recorder]:
    registry = WorldRegistry()
    world = registry.put(cast_world("watched"))
    recorder = Recorder()
    registry.observe(recorder)
    return registry, world, recorder


def test_every_change_tells_the_registry_under_the_lock_and_no_read_does() -> None:
    _, world, recorder = registered_cast()
    calls = operations(world)
    for name, call, changes in calls:
        before, told = state_data(world.state), len(recorder.events)
        call()
        changed = state_data(world.state) != before
        assert changed == changes, f"{name}: expected {'a change' if changes else 'no change'}"
        assert recorder.events[told:] == ([("changed", "watched")] if changes else []), (
            f"{name}: expected {'one notice' if changes else 'none'}, found {recorder.events[told:]}"
        )
    assert recorder.unlocked == [], f"expected every notice under the world's lock: {recorder.unlocked}"
    marked = {n for n in dir(World) if getattr(getattr(World, n), "world_operation", None)}
    listed = {name for name, _, _ in calls}
    assert marked == listed, f"operations without a check here: {sorted(marked - listed)}"
    for name, _, changes in calls:
        expected = "changes" if changes else "reads"
        found = getattr(World, name).world_operation
        assert found == expected, f"{name}: expected @{expected}, found @{found}"


def test_a_refused_operation_tells_nobody() -> None:
    _, world, recorder = registered_cast()
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)
    told = len(recorder.events)
    for attempt in (
        lambda: world.activate_benefits("admin@contoso.com"),  # AlreadyActivated
        lambda: world.link_support_benefits("user@contoso.com", *ids),  # the spurious error (R-AZ-05)
        lambda: world.advance_clock("-P1D"),
        lambda: world.create_sfb_request("user@contoso.com", "windows-7", title="t", description="d"),
    ):
        with pytest.raises(Refusal):
            attempt()
    assert recorder.events[told:] == []


def test_nested_changes_tell_once_and_worlds_outside_a_registry_tell_nobody() -> None:
    _, world, recorder = registered_cast()
    told = len(recorder.events)
    world.activate_benefits("admin@contoso.com")  # runs activate_organisation inside
    assert recorder.events[told:] == [("changed", "watched")]
    loose = cast_world("loose")
    assert loose.on_change is None
    loose.advance_clock("P1D")  # nobody to tell, nothing raised


def test_the_registry_tells_its_observer_of_every_world_it_places_or_drops() -> None:
    registry = WorldRegistry()
    recorder = Recorder()
    registry.observe(recorder)
    made = registry.create("one", copy.deepcopy(CAST))
    registry.reset("one")
    registry.put(World.restore(made.snapshot(), "two"))
    registry.drop("two")
    registry.drop("default")  # resets it
    registry.clear()
    assert recorder.events == [
        ("changed", "one"),
        ("changed", "one"),
        ("changed", "two"),
        ("removed", "two"),
        ("changed", "default"),
        ("cleared", "default"),
    ]
    assert recorder.unlocked == []
    assert made.on_change is None  # replaced by the reset: its changes no longer reach anyone
    assert registry.holds(registry.get("default")) and not registry.holds(made)


# --- request indexes -----------------------------------------------------------------------------------
def _scan(world: World, upn: str, portal: Portal | None = None) -> list[str]:
    """The definition the indexes must agree with: every request of the account, oldest first."""
    return [r.id for r in world.state.requests.values() if r.upn == upn and portal in (None, r.portal)]


def _many_requests() -> World:
    world = cast_world()
    ids = activate(world, "admin@fabrikam.com")
    world.add_contract("user@contoso.com", *ids)
    world.purchase_support_plan("admin@contoso.com", "premier")
    details = {"title": "t", "description": "d"}
    for n in range(30):
        world.create_azure_request("admin@contoso.com", "app-service", name=f"t-{n}", **details)
        if n % 3 == 0:
            world.create_sfb_request("admin@contoso.com", "windows-10", **details)
        if n % 5 == 0:
            world.create_sfb_request("user@contoso.com", "windows-10", **details)
    return world


@pytest.mark.parametrize("restored", [False, True])
def test_request_indexes_answer_as_a_scan_of_every_request(restored: bool) -> None:
    world = _many_requests()
    if restored:
        world = World.restore(world.snapshot())
    admin = "admin@contoso.com"
    for upn in (admin, "user@contoso.com", "admin@fabrikam.com"):
        assert [r.id for r in world.support_requests(upn)] == _scan(world, upn)
        for portal in Portal:
            assert [r.id for r in world.support_requests(upn, portal)] == _scan(world, upn, portal)
    tickets = _scan(world, admin, Portal.AZURE)
    assert len(tickets) == 30
    assert world.support_request_named(admin, "t-17").id == tickets[17]
    assert world.support_request_named("ADMIN@contoso.com", "t-0").id == tickets[0]
    assert not world.request_name_available(admin, "t-29") and world.request_name_available(admin, "t-30")
    with pytest.raises(Refusal):
        world.support_request_named("user@contoso.com", "t-1")  # names are per account
    sfb = _scan(world, admin, Portal.SUPPORT_FOR_BUSINESS)
    with pytest.raises(Refusal):
        world.support_request_named(admin, sfb[0])  # a number is no name


def test_pages_of_requests_with_and_without_a_test() -> None:
    world = _many_requests()
    admin = "admin@contoso.com"
    tickets = _scan(world, admin, Portal.AZURE)

    def pages(size: int, where: Callable[[Any], bool] | None = None) -> list[list[str]]:
        found, start, more = [], 0, True
        while more:
            page, more = world.support_requests_page(admin, Portal.AZURE, start, size, where)
            found.append([r.id for r in page])
            start += len(page)
        return found

    assert pages(7) == [tickets[i : i + 7] for i in range(0, 30, 7)]
    assert pages(30) == [tickets] and pages(100) == [tickets]
    even = [t for n, t in enumerate(tickets) if n % 2 == 0]
    assert pages(4, lambda r: int(r.name[2:]) % 2 == 0) == [even[i : i + 4] for i in range(0, 15, 4)]
    assert world.support_requests_page(admin, Portal.AZURE, 30, 5) == ([], False)
    assert world.support_requests_page(admin, Portal.AZURE, 0, 5, lambda r: False) == ([], False)
    with pytest.raises(Refusal):
        world.support_requests_page(admin, Portal.AZURE, 0, 0)


def test_idle_worlds_expire_and_the_observer_is_told() -> None:
    now = [1000.0]
    registry = WorldRegistry(clock=lambda: now[0])
    recorder = Recorder()
    registry.observe(recorder)
    registry.create("busy")
    registry.create("idle")
    now[0] += 50
    registry.get("busy")  # a request names it
    now[0] += 50
    assert registry.expire(60) == ["idle"]
    assert registry.names() == ["default", "busy"]
    assert recorder.events[-1] == ("removed", "idle")
    now[0] += 100
    assert registry.expire(60) == ["busy"]  # default never expires
    assert registry.names() == ["default"] and registry.expire(60) == []
