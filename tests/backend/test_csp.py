"""The CSP cross-portal flow (R-CSP-01) and the partner's CSP contract it adds to customers (D12)
as the backend holds them."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from cast import activate, cast_world, refused

from portals.backend import Portal, World
from portals.backend.model import ContractKind

rule = pytest.mark.rule
NEW = {"title": "Customer VM down", "description": "Opened from Service management"}


AGENT = "agent@wingtip.com"
START = datetime(2021, 3, 4, 9, 0, tzinfo=UTC)  # the cast's clock


@rule("R-CSP-01", "R-AZ-04")
def test_admin_agent_opens_a_request_for_a_customer_in_azure() -> None:
    world = cast_world()
    assert [c.id for c in world.customers(AGENT)] == ["woodgrove", "relecloud"]
    created = world.create_customer_support_request(AGENT, "relecloud", "azure", **NEW)
    assert created.portal is Portal.AZURE and created.plan == "csp" and created.customer == "relecloud"
    assert world.support_requests(AGENT, "azure") == [created]


# --- D12: the partner's "Cloud Solution Provider" contract -------------------------------------------
def csp_contracts(world: World) -> list[str]:
    return [c.contract_id for c in world.state.contracts.values() if c.kind is ContractKind.CSP]


@rule("D12", "R-CSP-01")
def test_the_first_request_adds_the_partners_csp_contract_to_that_customer() -> None:
    world = cast_world()
    assert world.customer_support_plans(AGENT, "woodgrove") == []
    assert csp_contracts(world) == [] and world.state.customer_associations == []
    world.advance_clock("PT2H")
    created = world.create_customer_support_request(AGENT, "woodgrove", "azure", **NEW)
    [contract_id] = csp_contracts(world)
    assert re.fullmatch(r"[1-9]\d{9}", contract_id), contract_id  # a Contract ID like every other (D1)
    assert (created.plan, created.contract_id) == ("csp", contract_id)
    contract = world.state.contracts[contract_id]
    assert (contract.organisation, contract.access_id, contract.end) == ("wingtip", None, None)
    assert contract.on_premises is None and contract.cloud is None  # no incident pool to count (D6)
    [plan] = world.customer_support_plans(AGENT, "woodgrove")
    assert plan.to_dict() == {
        "plan_id": "csp",
        "name": "cloud_solution_provider",
        "kind": "csp",
        "contract_id": contract_id,
        "customer": "woodgrove",
        "portal": "azure",
        "added_at": "2021-03-04T11:00:00Z",
        "added_by": "agent@wingtip.com",
    }
    assert world.customer_support_plans(AGENT, "relecloud") == []  # only the customer it was added to


@rule("D12", "R-CSP-01")
def test_a_second_request_for_the_same_customer_reuses_the_contract() -> None:
    world = cast_world()
    first = world.create_customer_support_request(AGENT, "woodgrove", "azure", **NEW)
    world.advance_clock("P1D")
    second = world.create_customer_support_request(AGENT, "woodgrove", "azure", **NEW)
    assert first.id != second.id
    assert second.contract_id == first.contract_id and second.plan == "csp"
    assert len(csp_contracts(world)) == 1 and len(world.state.customer_associations) == 1
    [plan] = world.customer_support_plans(AGENT, "woodgrove")
    assert plan.contract_id == first.contract_id and plan.added_at == START  # added once, on the first day


@rule("D12", "R-CSP-01")
def test_a_request_for_another_customer_adds_the_same_contract_to_it() -> None:
    world = cast_world()
    first = world.create_customer_support_request(AGENT, "woodgrove", "azure", **NEW)
    world.advance_clock("P3D")
    other = world.create_customer_support_request(AGENT, "relecloud", "azure", **NEW)
    assert other.contract_id == first.contract_id  # one CSP contract per partner
    assert len(csp_contracts(world)) == 1
    assert [(a.customer, a.contract_id) for a in world.state.customer_associations] == [
        ("woodgrove", first.contract_id),
        ("relecloud", first.contract_id),
    ]
    [plan] = world.customer_support_plans(AGENT, "relecloud")
    assert plan.contract_id == first.contract_id and plan.added_at == datetime(2021, 3, 7, 9, 0, tzinfo=UTC)


@rule("D12")
def test_customer_plans_are_found_by_tenant_domain_and_refused_to_others() -> None:
    world = cast_world()
    created = world.create_customer_support_request(AGENT, "woodgrove", "azure", **NEW)
    [plan] = world.customer_support_plans(AGENT, "woodgrove.onmicrosoft.com")
    assert plan.contract_id == created.contract_id
    with refused("CustomerNotFound"):
        world.customer_support_plans(AGENT, "nobody")
    for upn, code in [("admin@wingtip.com", "RoleRequired"), ("agent@contoso.com", "NotAuthorized")]:
        with refused(code):
            world.customer_support_plans(upn, "woodgrove")


@rule("D12", "D6")
def test_the_csp_contract_counts_no_incident_and_no_id_pair_names_it() -> None:
    world = cast_world()
    activate(world, "admin@wingtip.com")
    for _ in range(6):  # more than Silver's 5-pack of other competencies
        created = world.create_customer_support_request(AGENT, "woodgrove", "azure", **NEW)
    assert created.contract_id is not None
    assert world.state.contracts[created.contract_id].cloud is None
    benefits = world.state.contracts[world.state.organisations["wingtip"].benefits_contract or ""]
    assert benefits.cloud is not None and benefits.cloud.used == 0  # the CSP flow used none of them
    for access_id in ("", "None", benefits.access_id):
        with refused("ContractNotFound"):
            world.add_contract("user@wingtip.com", access_id, created.contract_id)
        with refused("ContractNotFound"):
            world.link_support_benefits("user@wingtip.com", access_id, created.contract_id)
    # Partner Center's contract list keeps to contracts whose IDs a portal takes
    assert [c.kind for c in world.organisation_contracts("admin@wingtip.com")] == ["partner_benefits"]


@rule("D12", "R-AZ-04")
def test_the_partners_own_users_keep_the_plain_csp_plan() -> None:
    world = cast_world()
    world.create_customer_support_request(AGENT, "woodgrove", "azure", **NEW)
    assert [(p.plan_id, p.contract_id) for p in world.azure_support_plans("user@wingtip.com")] == [
        ("csp", None)
    ]
    own = world.create_support_request(
        "user@wingtip.com", "azure", product="app-service", plan="csp", title="t", description="d"
    )
    assert (own.plan, own.contract_id, own.customer) == ("csp", None, None)


@rule("D12")
def test_snapshots_carry_the_csp_contract_and_its_customers() -> None:
    world = cast_world()
    first = world.create_customer_support_request(AGENT, "woodgrove", "azure", **NEW)
    restored = World.restore(json.loads(json.dumps(world.snapshot())))
    assert restored.snapshot()["state"] == world.snapshot()["state"]
    assert restored.customer_support_plans(AGENT, "woodgrove") == world.customer_support_plans(
        AGENT, "woodgrove"
    )
    again = restored.create_customer_support_request(AGENT, "relecloud", "azure", **NEW)
    assert again.contract_id == first.contract_id and len(csp_contracts(restored)) == 1


@rule("D12")
def test_a_snapshot_from_before_csp_contracts_still_loads() -> None:
    world = cast_world()
    data = json.loads(json.dumps(world.snapshot()))
    del data["state"]["customer_associations"]
    for org in data["state"]["organisations"].values():
        del org["csp_contract"]
    restored = World.restore(data)
    assert restored.customer_support_plans(AGENT, "woodgrove") == []
    created = restored.create_customer_support_request(AGENT, "woodgrove", "azure", **NEW)
    assert [p.contract_id for p in restored.customer_support_plans(AGENT, "woodgrove")] == [
        created.contract_id
    ]


@rule("R-CSP-01")
@pytest.mark.parametrize("upn", ["admin@wingtip.com", "user@wingtip.com"])
def test_other_roles_cannot(upn: str) -> None:
    world = cast_world()
    with refused("RoleRequired"):
        world.customers(upn)
    with refused("RoleRequired"):
        world.create_customer_support_request(upn, "woodgrove", "azure", **NEW)
    assert world.state.requests == {}
    assert world.state.contracts == {} and world.state.customer_associations == []  # D12: nothing added


@rule("R-CSP-01", "D11")
def test_unknown_customer_or_workload_or_non_csp_partner_is_named() -> None:
    world = cast_world()
    with refused("CustomerNotFound"):
        world.create_customer_support_request("agent@wingtip.com", "nobody", "azure", **NEW)
    with refused("WorkloadNotFound"):
        world.create_customer_support_request("agent@wingtip.com", "woodgrove", "dynamics", **NEW)
    with refused("NotAuthorized"):
        world.customers("agent@contoso.com")  # Admin agent, but Contoso is not a CSP partner
    assert world.state.requests == {}


@rule("D12", "R-CSP-01", "D11")
@pytest.mark.parametrize(
    ("upn", "customer", "changes", "code"),
    [
        ("admin@wingtip.com", "woodgrove", {}, "RoleRequired"),
        ("user@wingtip.com", "woodgrove", {}, "RoleRequired"),
        ("agent@contoso.com", "woodgrove", {}, "NotAuthorized"),
        (AGENT, "nobody", {}, "CustomerNotFound"),
        (AGENT, "woodgrove", {"workload": "dynamics"}, "WorkloadNotFound"),
        (AGENT, "woodgrove", {"product": "windows-10"}, "ProductNotFound"),
        (AGENT, "woodgrove", {"title": " "}, "InvalidInput"),
        (AGENT, "woodgrove", {"severity": "Z"}, "InvalidInput"),
    ],
)
def test_a_refused_request_adds_no_contract(
    upn: str, customer: str, changes: dict[str, str], code: str
) -> None:
    world = cast_world()
    before = world.snapshot()
    details = {"workload": "azure", **NEW, **changes}
    with refused(code):
        world.create_customer_support_request(upn, customer, **details)
    assert world.snapshot() == before
    assert csp_contracts(world) == [] and world.customer_support_plans(AGENT, "woodgrove") == []
