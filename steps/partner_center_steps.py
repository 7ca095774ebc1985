"""Partner Center: the Technical benefits page, Activate, the entitlement table, paid plans."""

from __future__ import annotations

import re

from behave import step, then, when
from behave.runner import Context

from steps.common import BENEFITS_PAGE, scene, value


# --- Benefits > Technical benefits -------------------------------------------------------------------
@when('"{upn}" opens the Technical benefits page')
@when('"{upn}" abre la página Ventajas técnicas')
@when('"{upn}" apre la pagina Vantaggi tecnici')
def open_benefits(context: Context, upn: str) -> None:
    """The page as JSON (for the checks) and as HTML (for what a person reads on it)."""
    the_scene = scene(context)
    the_scene.attempt(upn, lambda c: the_scene.benefits(upn))
    the_scene.open_page(upn, the_scene.clients(upn).pc, BENEFITS_PAGE)


@when('"{upn}" presses Activate')
@when('"{upn}" pulsa el botón Activar')
@when('"{upn}" seleziona il pulsante Attiva')
def press_activate(context: Context, upn: str) -> None:
    scene(context).attempt(upn, lambda c: c.pc.activate_benefits())


@when('she signs in with the different account "{upn}"')
def sign_in_with_different_account(context: Context, upn: str) -> None:
    """The sign-in form behind "Sign in with a different account", back to the benefits page."""
    the_scene = scene(context)
    page = the_scene.sign_in_page(upn, BENEFITS_PAGE)
    assert page.status_code == 200 and upn in page.text, f"{page.status_code}: not signed in as {upn}"
    the_scene.attempt(upn, lambda c: the_scene.benefits(upn))


@then('the page shows the benefits "{first}" and "{second}"')
def shows_two_benefits(context: Context, first: str, second: str) -> None:
    page = scene(context).succeeded()
    assert [page["labels"][key] for key in page["benefits"]] == [first, second], page["benefits"]


@then('the TPD card reads "{text}"')
@then('la tarjeta TPD dice "{text}"')
def tpd_card_reads(context: Context, text: str) -> None:
    """R-PC-01: the card of the second benefit, as the page shows it."""
    card = scene(context).marked("tpd").text
    assert text in card, f"expected the TPD card to read {text!r}, found {card!r}"


@then('its "{label}" link opens "{url}" in a new tab')
@then('su enlace "{label}" abre "{url}" en una pestaña nueva')
def tpd_link(context: Context, label: str, url: str) -> None:
    link = scene(context).marked("tpd-more-information")
    found = (link.text, link.attrs.get("href"), link.attrs.get("target"))
    assert found == (label, url, "_blank"), f"expected {(label, url, '_blank')}, found {found}"


@then("the page lists the support benefits of the {offer:Offer} offer")
def lists_offer(context: Context, offer: str) -> None:
    page = scene(context).succeeded()
    assert page["membership"] == offer and page["entitlement"]["membership"] == offer, page["membership"]


@then('the page names the appropriate roles "{roles}"')
def names_roles(context: Context, roles: str) -> None:
    page = scene(context).succeeded()
    assert ", ".join(page["labels"][key] for key in page["appropriate_roles"]) == roles


@then("the Activate button is not offered")
def activate_not_offered_here(context: Context) -> None:
    assert value(scene(context).succeeded(), "can_activate") is False


@then('the Activate button is offered to "{upn}"')
def activate_offered(context: Context, upn: str) -> None:
    assert scene(context).benefits(upn)["can_activate"] is True


@then('the Activate button is not offered to "{upn}"')
def activate_not_offered(context: Context, upn: str) -> None:
    assert scene(context).benefits(upn)["can_activate"] is False


@then("the benefits are active")
def benefits_are_active(context: Context) -> None:
    assert value(scene(context).succeeded(), "state") == "active"


@then("the activation is in progress")
@then("l'attivazione è in corso")
def activation_in_progress(context: Context) -> None:
    answer = scene(context).succeeded()
    assert value(answer, "state") == "pending", value(answer, "state")


@then('the benefits of "{org}" are not activated')
def not_activated(context: Context, org: str) -> None:
    the_scene = scene(context)
    assert the_scene.benefits(the_scene.member(org))["state"] == "not_activated"


@then("the page shows the Access ID and Contract ID")
def shows_ids(context: Context) -> None:
    answer = scene(context).succeeded()
    assert value(answer, "access_id") and value(answer, "contract_id"), answer


@then("the page shows no Access ID or Contract ID")
def shows_no_ids(context: Context) -> None:
    answer = scene(context).succeeded()
    assert value(answer, "access_id") is None and value(answer, "contract_id") is None, answer


@then('"{upn}" sees the Access ID and Contract ID on the Technical benefits page')
@then('"{upn}" ve el identificador de acceso y el identificador de contrato')
@then("\"{upn}\" vede l'ID di accesso e l'ID contratto")
def user_sees_ids(context: Context, upn: str) -> None:
    the_scene = scene(context)
    page = the_scene.attempt(upn, lambda c: the_scene.benefits(upn))
    assert page and page["state"] == "active" and page["access_id"] and page["contract_id"], page


@then('"{upn}" sees no Access ID or Contract ID on the Technical benefits page')
def user_sees_no_ids(context: Context, upn: str) -> None:
    the_scene = scene(context)
    page = the_scene.attempt(upn, lambda c: the_scene.benefits(upn))
    assert page and page["access_id"] is None and page["contract_id"] is None, page


@then('"{upn}" still sees the activation in progress')
def user_sees_pending(context: Context, upn: str) -> None:
    the_scene = scene(context)
    page = the_scene.attempt(upn, lambda c: the_scene.benefits(upn))
    assert page and page["state"] == "pending" and page["access_id"] is None, page


@then('"{upn}" sees the same Access ID and Contract ID as "{other}"')
def same_ids(context: Context, upn: str, other: str) -> None:
    the_scene = scene(context)
    theirs = the_scene.benefits(other)
    mine = the_scene.attempt(upn, lambda c: the_scene.benefits(upn))
    assert mine and (mine["access_id"], mine["contract_id"]) == (theirs["access_id"], theirs["contract_id"])


@then("the Access ID is a GUID and the Contract ID has ten digits")
def id_forms(context: Context) -> None:
    answer = scene(context).succeeded()
    guid = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    assert re.fullmatch(guid, value(answer, "access_id")), value(answer, "access_id")
    assert re.fullmatch(r"\d{10}", value(answer, "contract_id")), value(answer, "contract_id")


@then('the contract of "{org}" runs from {start} to {end}')
def contract_term(context: Context, org: str, start: str, end: str) -> None:
    the_scene = scene(context)
    page = the_scene.benefits(the_scene.member(org))
    assert (page["contract_start"][:10], page["contract_end"][:10]) == (start, end), page


# --- entitlements (R-EN-01..03, D1) ------------------------------------------------------------------
@then("the page shows {count:d} incidents of Microsoft product support")
def on_premises_entitlement(context: Context, count: int) -> None:
    page = scene(context).succeeded()
    assert page["entitlement"]["on_premises_incidents"] == count, page["entitlement"]


@then(
    'the contract of "{org}" holds {on_premises:d} on-premises incidents'
    " and {cloud:Pool} Signature Cloud incidents"
)
def contract_pools(context: Context, org: str, on_premises: int, cloud: int | str | None) -> None:
    """The contract's two pools (D1), as the control API shows the world (``None``: unlimited)."""
    [contract] = scene(context).contracts(org)
    assert contract["on_premises"]["limit"] == on_premises, contract["on_premises"]
    if cloud == "none":
        assert contract["cloud"] is None, contract["cloud"]
    else:
        assert contract["cloud"] is not None and contract["cloud"]["limit"] == cloud, contract["cloud"]


@then("Partner Center's entitlement table reads")
def entitlement_table(context: Context) -> None:
    def shown(count: int | None, has_cloud: bool = True) -> str:
        return "none" if not has_cloud else "unlimited" if count is None else str(count)

    rows = scene(context).clients().pc.entitlements()["value"]
    table = [
        [
            row["display_name"],
            str(row["on_premises_incidents"]),
            shown(row["cloud_incidents_for_cloud_competencies"], row["has_cloud"]),
            shown(row["cloud_incidents_for_other_competencies"], row["has_cloud"]),
        ]
        for row in rows
    ]
    assert table == [list(row.cells) for row in context.table], table


# --- paid support plans (R-AZ-09, D9) ----------------------------------------------------------------
@step('"{upn}" buys "{plan:PaidPlan}" in Partner Center')
def buy_plan(context: Context, upn: str, plan: str) -> None:
    the_scene = scene(context)
    the_scene.bought = the_scene.attempt(upn, lambda c: c.pc.purchase_support_plan(plan))


@then('the bought plan has an Access ID and a Contract ID other than those of the benefits of "{org}"')
def bought_plan_ids(context: Context, org: str) -> None:
    the_scene = scene(context)
    bought = the_scene.succeeded()
    assert bought.access_id and bought.contract_id
    assert {bought.access_id, bought.contract_id}.isdisjoint(the_scene.benefits_ids(org))
