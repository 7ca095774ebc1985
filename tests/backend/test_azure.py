"""Azure portal rules: linking, the spurious error and its diagnostic, plans, cloud requests."""

from __future__ import annotations

from dataclasses import fields

import pytest
from cast import activate, cast_world, refused

from portals.backend import Portal, translate
from portals.backend.views import AzurePlan

rule = pytest.mark.rule
DETAILS = {"title": "VM does not start", "description": "Details"}
SPURIOUS = (
    "This Access ID is already associated with an account. Please contact your Technical Account "
    "Manager to get a new Access ID."
)


def azure_request(world, upn: str, **extra):  # type: ignore[no-untyped-def]
    return world.create_support_request(upn, Portal.AZURE, product="app-service", **DETAILS, **extra)


@rule("R-AZ-01", "R-AZ-02")
@pytest.mark.parametrize("org", ["contoso", "fabrikam", "northwind"])
def test_gold_and_silver_link_and_use_signature(org: str) -> None:
    world = cast_world()
    ids = activate(world, f"admin@{org}.com")
    plan = world.link_support_benefits(f"admin@{org}.com", *ids)
    assert plan.kind == "signature" and plan.contract_id == ids[1]
    assert world.azure_support_plans(f"admin@{org}.com") == [plan]
    assert azure_request(world, f"admin@{org}.com").plan == ids[1]


@rule("R-AZ-03", "D5")
def test_action_pack_has_no_signature_cloud_support() -> None:
    world = cast_world()
    ids = activate(world, "admin@tailspin.com")
    with refused("NotEligibleForCloudSupport") as caught:
        world.link_support_benefits("admin@tailspin.com", *ids)
    assert caught.error is not None and "Support for Business" in caught.error.message()
    assert world.azure_support_plans("admin@tailspin.com") == []
    # ...even after the contract was added for on-premises support
    world.add_contract("admin@tailspin.com", *ids)
    with refused("NotEligibleForCloudSupport"):
        world.link_support_benefits("admin@tailspin.com", *ids)


@rule("R-AZ-05", "R-AZ-06", "D3", "D5")
def test_scenario_1_spurious_error_yet_new_support_request_works() -> None:
    world = cast_world()
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)  # added in Support for Business first
    with refused("AccessIdAlreadyAssociated") as caught:
        world.link_support_benefits("user@contoso.com", *ids)
    assert caught.error is not None
    assert caught.error.message() == SPURIOUS
    plans = world.azure_support_plans("user@contoso.com")
    assert [p.contract_id for p in plans] == [ids[1]]
    assert azure_request(world, "user@contoso.com").contract_id == ids[1]


@rule("R-AZ-05")
def test_linking_twice_in_azure_also_shows_it() -> None:
    world = cast_world()
    ids = activate(world)
    world.link_support_benefits("user@contoso.com", *ids)
    with refused("AccessIdAlreadyAssociated"):
        world.link_support_benefits("user@contoso.com", *ids)
    assert len(world.state.associations) == 1


@rule("R-AZ-07", "R-AZ-09", "D6", "D9")
def test_scenario_2_exhausted_pack_is_hidden_and_a_new_plan_is_needed() -> None:
    world = cast_world()
    ids = activate(world, "admin@fabrikam.com")  # Gold, other competencies: 10-pack
    world.link_support_benefits("admin@fabrikam.com", *ids)
    for _ in range(10):
        azure_request(world, "admin@fabrikam.com")
    assert world.azure_support_plans("admin@fabrikam.com") == []
    with refused("AccessIdAlreadyAssociated"):
        world.link_support_benefits("admin@fabrikam.com", *ids)
    with refused("NoIncidentsRemaining"):
        azure_request(world, "admin@fabrikam.com", plan=ids[1])
    with refused("NoSupportPlan"):
        azure_request(world, "admin@fabrikam.com")
    bought = world.purchase_support_plan("admin@fabrikam.com", "advanced")
    assert [p.contract_id for p in world.azure_support_plans("admin@fabrikam.com")] == [bought.contract_id]
    assert azure_request(world, "admin@fabrikam.com").contract_id == bought.contract_id


@rule("R-AZ-07")
def test_scenario_2_expired_contract_is_hidden() -> None:
    world = cast_world()
    ids = activate(world, "admin@northwind.com")
    world.add_contract("admin@northwind.com", *ids)
    world.advance_clock("P1Y")
    assert world.azure_support_plans("admin@northwind.com") == []
    with refused("AccessIdAlreadyAssociated"):
        world.link_support_benefits("admin@northwind.com", *ids)
    with refused("ContractExpired"):
        azure_request(world, "admin@northwind.com", plan=ids[1])


@rule("R-AZ-08", "D5")
def test_diagnostic_mode_explains_instead() -> None:
    world = cast_world(azure_link_mode="diagnostic")
    ids = activate(world, "admin@northwind.com")  # Silver, other competencies: 5-pack
    world.add_contract("admin@northwind.com", *ids)
    with refused("AlreadyLinked") as caught:
        world.link_support_benefits("admin@northwind.com", *ids)
    assert caught.error is not None and "create a new support request" in caught.error.message()
    for _ in range(5):
        azure_request(world, "admin@northwind.com")
    with refused("PurchaseNewPlan") as caught:
        world.link_support_benefits("admin@northwind.com", *ids)
    assert caught.error is not None and "purchase a new support plan" in caught.error.message()
    world.set_azure_link_mode("spurious")
    with refused("AccessIdAlreadyAssociated"):
        world.link_support_benefits("admin@northwind.com", *ids)


@rule("D5")
def test_link_checks_run_in_order() -> None:
    world = cast_world()
    ids = activate(world, "admin@tailspin.com")
    world.add_contract("admin@tailspin.com", *ids)
    with refused("ContractNotFound"):  # pair first...
        world.link_support_benefits("admin@tailspin.com", ids[0], "1234567890")
    with refused("NotEligibleForCloudSupport"):  # ...then the cloud pool, before "associated"
        world.link_support_benefits("admin@tailspin.com", *ids)


@rule("R-AZ-04", "D6")
def test_csp_plan_needs_no_contract() -> None:
    world = cast_world()
    plans = world.azure_support_plans("agent@adatum.com")
    assert [(p.plan_id, p.name) for p in plans] == [("csp", "cloud_solution_provider")]
    assert translate(plans[0].name, "es-ES") == "Proveedor de soluciones en la nube"
    created = azure_request(world, "user@wingtip.com", plan="csp")
    assert created.plan == "csp" and created.contract_id is None
    with refused("PlanNotFound"):
        azure_request(world, "admin@contoso.com", plan="csp")


@rule("R-SFB-05", "D6")
def test_azure_plans_never_carry_a_remaining_count() -> None:
    names = {f.name for f in fields(AzurePlan)}
    assert not any("remaining" in n or "incident" in n or "used" in n for n in names)
    world = cast_world()
    ids = activate(world, "admin@fabrikam.com")
    world.link_support_benefits("admin@fabrikam.com", *ids)
    for plan in world.azure_support_plans("admin@fabrikam.com"):
        assert "remaining" not in str(plan.to_dict())


@rule("D6")
def test_unlimited_pool_uses_no_incident_and_a_pack_uses_one() -> None:
    world = cast_world()
    unlimited = activate(world)
    pack = activate(world, "admin@fabrikam.com")
    world.link_support_benefits("admin@contoso.com", *unlimited)
    world.link_support_benefits("admin@fabrikam.com", *pack)
    azure_request(world, "admin@contoso.com")
    azure_request(world, "admin@fabrikam.com")
    assert world.state.contracts[unlimited[1]].cloud.used == 0  # type: ignore[union-attr]
    assert world.state.contracts[pack[1]].cloud.used == 1  # type: ignore[union-attr]
    assert world.state.contracts[pack[1]].on_premises.used == 0  # type: ignore[union-attr]


@rule("R-EN-04")
def test_pending_benefits_cannot_be_linked() -> None:
    world = cast_world(activation_delay="P3D")
    world.activate_benefits("admin@contoso.com")
    contract = next(iter(world.state.contracts.values()))
    with refused("ActivationPending"):
        world.link_support_benefits("admin@contoso.com", contract.access_id, contract.contract_id)
    world.advance_clock("P3D")
    assert world.link_support_benefits("admin@contoso.com", contract.access_id, contract.contract_id)


@rule("D11")
def test_on_premises_products_are_not_azure_requests() -> None:
    world = cast_world()
    world.link_support_benefits("admin@contoso.com", *activate(world))
    with refused("ProductNotFound"):
        world.create_support_request("admin@contoso.com", "azure", product="windows-10", **DETAILS)
    with refused("InvalidInput"):
        azure_request(world, "admin@contoso.com", severity="Z")
