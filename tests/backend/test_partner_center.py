"""Partner Center rules: technical benefits, activation, entitlements, paid plans."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cast import activate, cast_world, refused

from portals.backend.entitlements import entitlement_for
from portals.backend.model import Competency, Membership

rule = pytest.mark.rule


@rule("R-PC-01")
def test_page_shows_the_two_independent_benefits() -> None:
    view = cast_world().technical_benefits("user@contoso.com")
    assert view.benefits == ("product_support_incidents", "tpd")


@rule("R-PC-02")
def test_csp_only_account_is_not_authorized() -> None:
    world = cast_world()
    with refused("NotAuthorized") as caught:
        world.technical_benefits("agent@adatum.com")
    assert caught.error is not None
    assert caught.error.message() == "You are not authorized for this action"


@rule("R-PC-02", "D8")
def test_partner_center_needs_an_aad_account_of_a_partner() -> None:
    world = cast_world()
    for upn in ("engineer@outlook.com", "consultant@external.example"):
        with refused("PartnerAccountRequired"):
            world.technical_benefits(upn)
    with refused("AccountNotFound"):
        world.technical_benefits("nobody@contoso.com")


@rule("R-PC-03", "R-EN-01", "R-EN-02")
@pytest.mark.parametrize(
    ("org", "membership", "on_prem", "cloud"),
    [
        ("tailspin", "action_pack", 10, "none"),
        ("northwind", "silver", 15, 5),
        ("fabrikam", "gold", 20, 10),
        ("contoso", "gold", 20, "unlimited"),
    ],
)
def test_page_lists_the_offer_entitlement(org: str, membership: str, on_prem: int, cloud: object) -> None:
    view = cast_world().technical_benefits(f"admin@{org}.com")
    assert view.membership == membership
    ent = view.entitlement
    assert ent.on_premises_incidents == on_prem
    if cloud == "none":
        assert not ent.has_cloud
    else:
        assert ent.has_cloud
        assert ent.cloud_incidents == (None if cloud == "unlimited" else cloud)


@rule("R-EN-02", "R-EN-03")
@pytest.mark.parametrize(
    "competency",
    [
        "Security",
        "Cloud Business Applications",
        "Cloud Platform",
        "Cloud Productivity",
        "Enterprise Mobility Management",
        "Small and Midmarket Cloud Solutions",
    ],
)
def test_each_cloud_competency_gives_unlimited_signature(competency: str) -> None:
    for membership in (Membership.SILVER, Membership.GOLD):
        ent = entitlement_for(membership, [Competency(competency, membership.value)])
        assert ent.holds_cloud_competency and ent.cloud_incidents is None


@rule("R-EN-03")
def test_other_competencies_are_not_cloud() -> None:
    ent = entitlement_for(Membership.GOLD, [Competency("Data Analytics", "gold")])
    assert not ent.holds_cloud_competency and ent.cloud_incidents == 10
    assert entitlement_for(Membership.SILVER, []).cloud_incidents == 5


@rule("R-PC-04")
def test_no_membership_says_no_benefits_and_another_account_sees_them() -> None:
    world = cast_world()
    with refused("NoBenefits") as caught:
        world.technical_benefits("admin@litware.com")
    assert caught.error is not None
    assert caught.error.message("es-ES") == "Parece que aún no tiene ninguna beneficios"
    # signing in with the right account shows the benefits
    assert world.technical_benefits("admin@contoso.com").membership == "gold"


@rule("R-PC-04")
def test_membership_ended_means_no_benefits() -> None:
    world = cast_world()
    world.state.organisations["contoso"].membership_end = world.now + timedelta(days=1)
    world.advance_clock("P2D")
    with refused("NoBenefits"):
        world.technical_benefits("admin@contoso.com")


@rule("R-PC-05")
@pytest.mark.parametrize("upn", ["admin@contoso.com", "mpn@contoso.com"])
def test_global_and_mpn_admins_may_activate(upn: str) -> None:
    world = cast_world()
    assert world.technical_benefits(upn).can_activate
    assert world.activate_benefits(upn).state == "active"


@rule("R-PC-05")
@pytest.mark.parametrize("upn", ["agent@contoso.com", "user@contoso.com"])
def test_other_roles_may_not_activate(upn: str) -> None:
    world = cast_world()
    assert not world.technical_benefits(upn).can_activate
    with refused("RoleRequired") as caught:
        world.activate_benefits(upn)
    assert caught.error is not None
    assert "Global admin, MPN partner admin" in caught.error.message()
    assert "Amministratore globale" in caught.error.message("it-IT")
    assert world.technical_benefits(upn).state == "not_activated"
    assert world.state.contracts == {}


@rule("R-PC-06")
def test_ids_are_shown_to_every_user_after_activation() -> None:
    world = cast_world()
    access_id, contract_id = activate(world)
    for upn in ("mpn@contoso.com", "agent@contoso.com", "user@contoso.com"):
        view = world.technical_benefits(upn)
        assert (view.access_id, view.contract_id) == (access_id, contract_id)


@rule("R-PC-07", "D2")
def test_activation_is_pending_for_the_delay_and_shows_no_ids() -> None:
    world = cast_world(activation_delay="P3D")
    view = world.activate_benefits("admin@contoso.com")
    assert view.state == "pending" and view.access_id is None and view.contract_id is None
    assert view.ready_at == world.now + timedelta(days=3)
    with refused("ActivationPending"):
        world.activate_benefits("admin@contoso.com")
    world.advance_clock("P2DT23H")
    assert world.technical_benefits("user@contoso.com").state == "pending"
    world.advance_clock("PT1H")
    view = world.technical_benefits("user@contoso.com")
    assert view.state == "active" and view.access_id and view.contract_id


@rule("D2")
def test_default_delay_is_three_days_and_zero_gives_ids_at_once() -> None:
    from portals.backend import World

    assert World("plain").state.settings.activation_delay == timedelta(days=3)
    world = cast_world(activation_delay=0)
    assert world.activate_benefits("admin@contoso.com").state == "active"
    world.set_activation_delay("P5D")
    assert world.activate_benefits("admin@fabrikam.com").state == "pending"


@rule("R-PC-05")
def test_activating_twice_is_refused() -> None:
    world = cast_world()
    activate(world)
    with refused("AlreadyActivated"):
        world.activate_benefits("mpn@contoso.com")


@rule("R-PC-08")
def test_page_names_its_roles_and_serves_each_of_them() -> None:
    world = cast_world()
    for upn in ("admin@contoso.com", "mpn@contoso.com", "agent@contoso.com"):
        view = world.technical_benefits(upn)
        assert view.appropriate_roles == ("role_global_admin", "role_mpn_partner_admin", "role_admin_agent")


@rule("D1")
def test_activation_creates_one_contract_with_two_pools_and_a_term() -> None:
    world = cast_world()
    access_id, contract_id = activate(world, "admin@fabrikam.com")
    contract = world.state.contracts[contract_id]
    assert len(world.state.contracts) == 1
    assert len(access_id) == 36 and access_id.count("-") == 4
    assert contract_id.isdigit() and len(contract_id) == 10
    assert contract.on_premises is not None and contract.on_premises.limit == 20
    assert contract.cloud is not None and contract.cloud.limit == 10
    assert contract.end - contract.start == timedelta(days=365)


@rule("D1")
def test_ids_are_deterministic_from_the_world_seed() -> None:
    first, second = cast_world("a"), cast_world("b")
    assert activate(first) == activate(second)  # same seed "cast" in both documents
    other = cast_world("c", seed="another")
    assert activate(other) != activate(cast_world("d"))


@rule("D1")
def test_membership_end_date_ends_the_contract() -> None:
    world = cast_world()
    end = world.now + timedelta(days=100)
    world.state.organisations["contoso"].membership_end = end
    _, contract_id = activate(world)
    assert world.state.contracts[contract_id].end == end


@rule("R-AZ-09", "D9")
@pytest.mark.parametrize(("offer", "on_prem"), [("premier", True), ("advanced", False)])
def test_buying_a_paid_plan_creates_a_new_contract(offer: str, on_prem: bool) -> None:
    world = cast_world()
    benefits = activate(world, "admin@fabrikam.com")
    bought = world.purchase_support_plan("admin@fabrikam.com", offer)
    assert (bought.access_id, bought.contract_id) != benefits
    contract = world.state.contracts[bought.contract_id]
    assert (contract.on_premises is not None) is on_prem
    assert contract.cloud is not None and contract.cloud.limit is None


@rule("R-AZ-09", "D11")
def test_buying_needs_an_admin_and_a_known_offer() -> None:
    world = cast_world()
    with refused("RoleRequired"):
        world.purchase_support_plan("user@contoso.com", "premier")
    with refused("OfferNotFound"):
        world.purchase_support_plan("admin@contoso.com", "platinum")
    assert world.state.contracts == {}
