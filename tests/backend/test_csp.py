"""The CSP cross-portal flow (R-CSP-01) as the backend holds it."""

from __future__ import annotations

import pytest
from cast import cast_world, refused

from portals.backend import Portal

rule = pytest.mark.rule
NEW = {"title": "Customer VM down", "description": "Opened from Service management"}


@rule("R-CSP-01", "R-AZ-04")
def test_admin_agent_opens_a_request_for_a_customer_in_azure() -> None:
    world = cast_world()
    assert [c.id for c in world.customers("agent@wingtip.com")] == ["woodgrove", "relecloud"]
    created = world.create_customer_support_request("agent@wingtip.com", "relecloud", "azure", **NEW)
    assert created.portal is Portal.AZURE and created.plan == "csp" and created.customer == "relecloud"
    assert world.support_requests("agent@wingtip.com", "azure") == [created]


@rule("R-CSP-01")
@pytest.mark.parametrize("upn", ["admin@wingtip.com", "user@wingtip.com"])
def test_other_roles_cannot(upn: str) -> None:
    world = cast_world()
    with refused("RoleRequired"):
        world.customers(upn)
    with refused("RoleRequired"):
        world.create_customer_support_request(upn, "woodgrove", "azure", **NEW)
    assert world.state.requests == {}


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
