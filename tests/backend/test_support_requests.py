"""Requests after creation: names, classifications, updates, communications; Partner Center's own
service requests and a customer's requests."""

from __future__ import annotations

import pytest
from cast import activate, cast_world, refused

from portals.backend import Portal
from portals.backend.catalog import SUPPORT_TOPICS, find_product, problem_classifications

rule = pytest.mark.rule
DETAILS = {"title": "VM down", "description": "details"}


def linked_world():  # type: ignore[no-untyped-def]
    world = cast_world()
    world.link_support_benefits("admin@fabrikam.com", *activate(world, "admin@fabrikam.com"))
    return world


@rule("D6")
def test_named_ticket_with_classification_and_contact() -> None:
    world = linked_world()
    product = find_product("app-service")
    assert product is not None
    classification = problem_classifications(product)[0].id
    created = world.create_support_request(
        "admin@fabrikam.com",
        "azure",
        product="app-service",
        name="ticket-1",
        problem_classification=classification,
        contact={"first_name": "Ada", "primary_email": "ada@fabrikam.com"},
        **DETAILS,
    )
    assert world.support_request_named("admin@fabrikam.com", "ticket-1") == created
    assert not world.request_name_available("admin@fabrikam.com", "ticket-1")
    assert world.request_name_available("user@contoso.com", "ticket-1")  # names are per account
    with refused("RequestNameTaken"):
        world.create_support_request(
            "admin@fabrikam.com", "azure", product="app-service", name="ticket-1", **DETAILS
        )
    with refused("ProblemClassificationNotFound"):
        world.create_support_request(
            "admin@fabrikam.com", "azure", product="app-service", problem_classification="nope", **DETAILS
        )
    assert world.state.contracts[created.contract_id].cloud.used == 1  # type: ignore[index,union-attr]


def test_classifications_are_stable_guids_per_product() -> None:
    product = find_product("app-service")
    assert product is not None
    first, again = problem_classifications(product), problem_classifications(product)
    assert first == again and len({c.id for c in first}) == len(first)
    assert problem_classifications(find_product("windows-10")) == ()  # type: ignore[arg-type]


@rule("D11")
def test_updates_and_refused_updates_change_nothing() -> None:
    world = linked_world()
    created = world.create_support_request("admin@fabrikam.com", "azure", product="app-service", **DETAILS)
    world.advance_clock("PT1H")
    updated = world.update_support_request(
        "admin@fabrikam.com", created.id, status="closed", severity="A", contact={"phone": "+1 555"}
    )
    assert (updated.status, updated.severity, updated.contact) == ("closed", "A", {"phone": "+1 555"})
    assert updated.updated_at == world.now
    before = world.snapshot()
    for bad in (
        {"status": "resolved"},
        {"severity": "Z"},
        {"contact": {"shoe_size": "42"}},
        {"contact": "x"},
    ):
        with refused("InvalidInput"):
            world.update_support_request("admin@fabrikam.com", created.id, **bad)
    with refused("RequestNotFound"):
        world.update_support_request("user@contoso.com", created.id, status="open")
    assert world.snapshot() == before


def test_communications() -> None:
    world = linked_world()
    created = world.create_support_request("admin@fabrikam.com", "azure", product="app-service", **DETAILS)
    first = world.add_communication("admin@fabrikam.com", created.id, "More detail", "It fails at boot")
    named = world.add_communication("admin@fabrikam.com", created.id, "Logs", "attached", name="logs-1")
    assert [c.name for c in created.communications] == [
        first.name,
        "logs-1",
    ] and named.sender == "admin@fabrikam.com"
    with refused("CommunicationNameTaken"):
        world.add_communication("admin@fabrikam.com", created.id, "Again", "dup", name="logs-1")
    assert world.communication("admin@fabrikam.com", created.id, "logs-1") == named
    with refused("CommunicationNotFound"):
        world.communication("admin@fabrikam.com", created.id, "nope")
    world.update_support_request("admin@fabrikam.com", created.id, status="closed")
    with refused("InvalidInput"):
        world.add_communication("admin@fabrikam.com", created.id, "Late", "closed already")


@rule("R-SFB-05")
def test_updates_never_give_back_or_use_incidents() -> None:
    world = linked_world()
    created = world.create_support_request("admin@fabrikam.com", "azure", product="app-service", **DETAILS)
    pool = world.state.contracts[created.contract_id].cloud  # type: ignore[index]
    world.update_support_request("admin@fabrikam.com", created.id, status="closed")
    world.update_support_request("admin@fabrikam.com", created.id, status="open")
    assert pool is not None and pool.used == 1


def test_partner_center_service_requests_and_profile() -> None:
    world = cast_world()
    topic = SUPPORT_TOPICS[1]
    created = world.create_partner_center_request("user@contoso.com", topic.name, **DETAILS)
    assert created.portal is Portal.PARTNER_CENTER and created.product == topic.id and created.plan == ""
    assert world.support_requests("user@contoso.com", Portal.PARTNER_CENTER) == [created]
    with refused("SupportTopicNotFound"):
        world.create_partner_center_request("user@contoso.com", "Weather", **DETAILS)
    with refused("PartnerAccountRequired"):
        world.create_partner_center_request("engineer@outlook.com", topic.id, **DETAILS)
    profile = world.partner_profile("user@contoso.com")
    assert (
        profile["organisation"] == "contoso"
        and profile["mpn_id"] == world.partner_profile("admin@contoso.com")["mpn_id"]
    )
    with refused("NotAuthorized"):
        world.partner_profile("agent@adatum.com")  # CSP only


@rule("R-CSP-01")
def test_a_customers_requests_for_admin_agents_only() -> None:
    world = cast_world()
    created = world.create_customer_support_request("agent@wingtip.com", "woodgrove", "azure", **DETAILS)
    assert world.customer_requests("agent@wingtip.com", "woodgrove") == [created]
    assert world.customer_requests("agent@wingtip.com", "woodgrove.onmicrosoft.com") == [created]  # by tenant
    assert world.customer_requests("agent@wingtip.com", "relecloud") == []
    assert world.customer_requests("agent@adatum.com", "woodgrove") == []  # another partner's customer view
    with refused("RoleRequired"):
        world.customer_requests("user@wingtip.com", "woodgrove")
    with refused("CustomerNotFound"):
        world.customer_requests("agent@wingtip.com", "nobody")


def test_client_properties_travel_with_the_request_and_its_snapshot() -> None:
    from portals.backend import World

    world = linked_world()
    created = world.create_support_request(
        "admin@fabrikam.com",
        "azure",
        product="app-service",
        properties={"advancedDiagnosticConsent": "Yes"},
        **DETAILS,
    )
    world.update_support_request("admin@fabrikam.com", created.id, properties={"secondaryConsent": []})
    restored = World.restore(world.snapshot()).support_request("admin@fabrikam.com", created.id)
    assert restored.properties == {"advancedDiagnosticConsent": "Yes", "secondaryConsent": []}


@rule("R-CSP-01")
def test_admin_agents_of_the_partner_read_its_customer_requests() -> None:
    world = cast_world()
    created = world.create_customer_support_request("agent@wingtip.com", "woodgrove", "azure", **DETAILS)
    from portals.backend.model import Account, AccountKind, Role

    world.add_account(
        Account(
            "agent2@wingtip.com",
            AccountKind.AAD,
            "agent2",
            "wingtip.onmicrosoft.com",
            "wingtip",
            [Role.ADMIN_AGENT],
        )
    )
    assert world.support_request("agent2@wingtip.com", created.id) == created
    for upn in ("user@wingtip.com", "agent@adatum.com"):  # not an agent / another partner
        with refused("RequestNotFound"):
            world.support_request(upn, created.id)
