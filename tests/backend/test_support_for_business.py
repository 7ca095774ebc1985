"""Support for Business rules: adding contracts, step 2's plans, on-premises requests."""

from __future__ import annotations

import pytest
from cast import activate, cast_world, refused

from portals.backend import Portal

rule = pytest.mark.rule
DETAILS = {"title": "Blue screen after update", "description": "Fictitious details for step 2"}


def request(world, upn: str, product: str = "windows-10", **extra):  # type: ignore[no-untyped-def]
    return world.create_support_request(upn, Portal.SUPPORT_FOR_BUSINESS, product=product, **DETAILS, **extra)


@rule("R-SFB-01", "R-SFB-08")
def test_a_product_older_than_n1_is_not_covered_and_moves_the_contract_to_unavailable() -> None:
    world = cast_world()
    ids = activate(world)
    world.add_contract("admin@contoso.com", *ids)
    plans = world.support_plans_for("admin@contoso.com", "windows-7")
    assert plans.available == ()
    assert [p.unavailable_reason for p in plans.unavailable] == ["ProductNotCovered"]
    with refused("ProductNotCovered") as no:
        request(world, "admin@contoso.com", "windows-7")
    assert no.error is not None and no.error.params == {
        "product": "Windows 7",
        "covered": ["Windows 10", "Windows 8.1"],
    }, no.error.params
    assert world.remaining_incidents("admin@contoso.com") == {ids[1]: 20}


@rule("R-SFB-02", "R-SFB-07", "D3")
def test_ids_are_needed_once_then_the_contract_stays_associated() -> None:
    world = cast_world()
    ids = activate(world)
    assert world.support_plans_for("user@contoso.com").available == ()
    world.add_contract("user@contoso.com", *ids)
    for _ in range(3):
        request(world, "user@contoso.com")  # no IDs needed again
    assert world.remaining_incidents("user@contoso.com") == {ids[1]: 17}


@rule("R-SFB-02", "D3")
def test_association_outlives_expiry_and_exhaustion() -> None:
    world = cast_world()
    ids = activate(world, "admin@tailspin.com")
    world.add_contract("admin@tailspin.com", *ids)
    for _ in range(10):
        request(world, "admin@tailspin.com")
    assert world.is_associated("admin@tailspin.com", ids[1])
    world.advance_clock("P366D")
    assert world.is_associated("admin@tailspin.com", ids[1])
    plans = world.support_plans_for("admin@tailspin.com")
    assert [p.unavailable_reason for p in plans.unavailable] == ["ContractExpired"]


@rule("R-SFB-03")
@pytest.mark.parametrize("upn", ["engineer@outlook.com", "consultant@external.example", "user@wingtip.com"])
def test_any_account_with_the_ids_may_use_on_premises_support(upn: str) -> None:
    world = cast_world()
    ids = activate(world)
    plan = world.add_contract(upn, *ids)
    assert plan.contract_id == ids[1]
    created = request(world, upn)
    assert created.portal is Portal.SUPPORT_FOR_BUSINESS and created.contract_id == ids[1]


@rule("R-SFB-04", "D7")
def test_a_request_is_created_in_sfb_and_uses_one_on_premises_incident() -> None:
    world = cast_world()
    ids = activate(world, "admin@northwind.com")
    world.add_contract("admin@northwind.com", *ids)
    created = request(world, "admin@northwind.com", "sql-server-2019", severity="B")
    assert created.portal is Portal.SUPPORT_FOR_BUSINESS
    assert created.product == "sql-server-2019" and created.severity == "B"
    assert world.support_request("admin@northwind.com", created.id) == created
    contract = world.state.contracts[ids[1]]
    assert contract.on_premises is not None and contract.on_premises.used == 1
    assert contract.cloud is not None and contract.cloud.used == 0


@rule("R-SFB-04")
def test_cloud_products_are_not_in_sfb() -> None:
    world = cast_world()
    world.add_contract("admin@contoso.com", *activate(world))
    with refused("ProductNotFound"):
        request(world, "admin@contoso.com", "app-service")


@rule("R-SFB-06")
def test_step_2_shows_dates_and_remaining_without_creating_anything() -> None:
    world = cast_world()
    ids = activate(world)
    world.add_contract("admin@contoso.com", *ids)
    before = world.snapshot()
    plans = world.support_plans_for("admin@contoso.com", "Windows 10")
    (plan,) = plans.available
    assert plan.contract_id == ids[1] and plan.remaining_incidents == 20
    assert plan.start == world.state.contracts[ids[1]].start and plan.end == world.state.contracts[ids[1]].end
    assert world.snapshot() == before


@rule("R-SFB-07", "D11")
def test_adding_a_wrong_pair_is_a_clear_no_such_contract() -> None:
    world = cast_world()
    access_id, contract_id = activate(world)
    with refused("ContractNotFound"):
        world.add_contract("admin@contoso.com", access_id, "1111111111")
    with refused("ContractNotFound"):
        world.add_contract("admin@contoso.com", "00000000-0000-4000-8000-000000000000", contract_id)
    assert world.state.associations == []


@rule("R-SFB-08")
def test_exhausted_contract_is_only_under_unavailable() -> None:
    world = cast_world()
    ids = activate(world, "admin@tailspin.com")
    world.add_contract("engineer@outlook.com", *ids)
    for _ in range(10):
        request(world, "engineer@outlook.com")
    plans = world.support_plans_for("engineer@outlook.com")
    assert plans.available == ()
    assert [(p.contract_id, p.unavailable_reason, p.remaining_incidents) for p in plans.unavailable] == [
        (ids[1], "NoIncidentsRemaining", 0)
    ]
    with refused("NoIncidentsRemaining"):
        request(world, "engineer@outlook.com")


@rule("R-SFB-08")
def test_expired_contract_is_only_under_unavailable_and_refused() -> None:
    world = cast_world()
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)
    world.advance_clock("P365D")
    plans = world.support_plans_for("user@contoso.com")
    assert plans.available == () and plans.unavailable[0].unavailable_reason == "ContractExpired"
    with refused("ContractExpired"):
        request(world, "user@contoso.com")


@rule("D4")
def test_adding_the_same_contract_again_is_quiet() -> None:
    world = cast_world()
    ids = activate(world)
    first = world.add_contract("user@contoso.com", *ids)
    second = world.add_contract("user@contoso.com", *ids)
    assert first == second
    assert len(world.state.associations) == 1


@rule("R-EN-04")
def test_pending_benefits_cannot_be_used_in_sfb() -> None:
    world = cast_world(activation_delay="P3D")
    world.activate_benefits("admin@contoso.com")
    contract = next(iter(world.state.contracts.values()))
    with refused("ActivationPending"):
        world.add_contract("admin@contoso.com", contract.access_id, contract.contract_id)
    assert world.state.associations == []


@rule("D11")
def test_no_plan_at_all_is_named() -> None:
    world = cast_world()
    with refused("NoSupportPlan"):
        request(world, "engineer@outlook.com")
    with refused("InvalidInput"):
        world.create_support_request(
            "engineer@outlook.com", "sfb", product="windows-10", title="", description="x"
        )
    with refused("PlanNotFound"):
        world.add_contract("admin@contoso.com", *activate(world))
        request(world, "admin@contoso.com", plan="9999999999")


# --- bought plans in Support for Business (R-AZ-09, D9) ---------------------------------------------------
@rule("R-AZ-09", "D9", "D11")
def test_a_request_on_an_advanced_plan_is_plan_not_available_and_changes_nothing() -> None:
    """Advanced Support for Partners covers cloud products only (R-AZ-09): the buyer has it, and it is
    a plan of the wrong kind for Support for Business, not an unknown one."""
    world = cast_world()
    advanced = world.purchase_support_plan("admin@contoso.com", "advanced")
    before = world.snapshot()
    with refused("PlanNotAvailable") as no:
        request(world, "admin@contoso.com", plan=advanced.contract_id)
    assert no.error is not None
    assert no.error.params == {"name": ["advanced_support"], "plan": advanced.contract_id}
    assert no.error.message("en-US") == (
        f"Advanced Support for Partners ({advanced.contract_id}) covers cloud products only: it cannot "
        "be used for on-premises products in Support for Business"
    )
    assert no.error.message("es-ES") == (
        f"Soporte técnico avanzado para asociados ({advanced.contract_id}) solo cubre productos en la "
        "nube: no se puede usar para productos locales en Soporte técnico para empresas"
    )
    with refused("PlanNotAvailable") as csp:
        request(world, "agent@wingtip.com", plan="csp")  # a CSP partner's plan is for Azure requests
    assert csp.error is not None and csp.error.params == {"name": ["cloud_solution_provider"], "plan": "csp"}
    with refused("PlanNotFound"):  # a plan the account does not have stays unknown
        request(world, "user@contoso.com", plan=advanced.contract_id)
    with refused("PlanNotAvailable"):  # adding its IDs is refused the same way
        world.add_contract("user@contoso.com", advanced.access_id, advanced.contract_id)
    assert world.snapshot() == before


@rule("R-SFB-01", "R-AZ-09", "D7", "D9")
@pytest.mark.parametrize("product", ["windows-8", "windows-xp", "sql-server-2005", "exchange-server-2007"])
def test_premier_covers_every_released_on_premises_version(product: str) -> None:
    """Premier Support for Partners is bought support, not the partner benefit the n-1 policy bounds
    (R-SFB-01): it covers every version Support for Business offers, older than n-1 included."""
    world = cast_world()
    ids = activate(world)
    world.add_contract("admin@contoso.com", *ids)
    premier = world.purchase_support_plan("admin@contoso.com", "premier")
    plans = world.support_plans_for("admin@contoso.com", product)
    assert [(p.contract_id, p.remaining_incidents) for p in plans.available] == [(premier.contract_id, None)]
    assert [(p.contract_id, p.unavailable_reason) for p in plans.unavailable] == [
        (ids[1], "ProductNotCovered")
    ]
    created = request(world, "admin@contoso.com", product)
    assert (created.product, created.contract_id) == (product, premier.contract_id)
    assert world.remaining_incidents("admin@contoso.com") == {ids[1]: 20, premier.contract_id: None}
    with refused("ProductNotCovered"):  # the partner contract stays bound by n-1
        request(world, "admin@contoso.com", product, plan=ids[1])
    with refused("ProductNotReleased"):  # and Premier covers released versions only
        request(world, "admin@contoso.com", "windows-11")
