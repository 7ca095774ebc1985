"""Partner Center: the Technical benefits page, Activate, the entitlement table, paid plans."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from behave import step, then, when
from behave.runner import Context

from steps.common import BENEFITS_PAGE, scene, value

GUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


# --- Benefits > Technical benefits -------------------------------------------------------------------
@when('"{upn}" opens the Technical benefits page')
@when('"{upn}" abre la página Ventajas técnicas')
@when('"{upn}" apre la pagina Vantaggi tecnici')
def open_benefits(context: Context, upn: str) -> None:
    """The page as JSON (for the checks) and as HTML in the scenario's browser, signed in as
    ``upn`` (for what a person reads and clicks on it)."""
    the_scene = scene(context)
    the_scene.attempt(upn, lambda c: the_scene.benefits(upn))
    the_scene.visit(upn, "partner_center", BENEFITS_PAGE)


@when('"{upn}" presses Activate')
@when('"{upn}" pulsa el botón Activar')
@when('"{upn}" seleziona il pulsante Attiva')
def press_activate(context: Context, upn: str) -> None:
    """Activate; when the benefits are active at once, the world's clock says when (D1's start)."""
    the_scene = scene(context)
    answer = the_scene.attempt(upn, lambda c: c.pc.activate_benefits())
    if answer is not None and answer.state == "active":
        the_scene.activated_on[str(answer.organisation)] = the_scene.now()


# --- "Sign in with a different account" (R-PC-04), as a person does it ----------------------------------
@when('she follows "{label}" in the account menu')
@when('sigue el enlace "{label}" del menú de la cuenta')
@when('segue il collegamento "{label}" nel menu dell\'account')
def follow_account_menu_link(context: Context, label: str) -> None:
    """Open the account menu (top right) of the open page and click its link ``label``."""
    page = scene(context).follow(label, within="account-menu")
    assert page.status_code == 200, (
        f"expected the link {label!r} to open a page (200), found {page.status_code}"
    )


@when('she picks the account "{upn}" on the sign-in page')
@when('elige la cuenta "{upn}" en la página de inicio de sesión')
@when('sceglie l\'account "{upn}" nella pagina di accesso')
def pick_account(context: Context, upn: str) -> None:
    """Press the account's button on the sign-in page the link led to; the browser follows the
    redirect back."""
    the_scene = scene(context)
    page = the_scene.press("upn", upn)
    the_scene.actor = upn
    assert page.status_code == 200, f"expected a page after signing in (200), found {page.status_code}"


@then('the page shows "{upn}" the Technical benefits of the {offer:Offer} offer')
@then('la página muestra a "{upn}" las ventajas técnicas de la oferta {offer:Offer}')
@then('la pagina mostra a "{upn}" i vantaggi tecnici dell\'offerta {offer:Offer}')
def page_shows_benefits(context: Context, upn: str, offer: str) -> None:
    """The Technical benefits page itself, signed in as ``upn``, with the offer's entitlement table
    and no error."""
    the_scene = scene(context)
    page = the_scene.page
    assert page is not None, "expected a page to be open, found none"
    path = urlsplit(page.url).path
    assert path == BENEFITS_PAGE, f"expected the browser on {BENEFITS_PAGE}, found it on {path}"
    document = the_scene.document()
    menu = document.find(data_testid="account-menu")
    signed_in = menu.find("summary").text() if menu and menu.find("summary") else None
    assert signed_in == upn, f"expected the page signed in as {upn}, found {signed_in}"
    alerts = [alert.text() for alert in document.find_all(role="alert")]
    assert alerts == [], f"expected no error on the page, found {alerts}"
    table = document.find("table", data_testid="entitlement")
    shown = table.attrs.get("data-offer") if table else None
    assert shown == offer, f"expected the entitlement table of the {offer} offer, found {shown}"


@then('the page shows the benefits "{first}" and "{second}"')
def shows_two_benefits(context: Context, first: str, second: str) -> None:
    page = scene(context).succeeded()
    shown = [page["labels"][key] for key in page["benefits"]]
    assert shown == [first, second], f"expected the benefits {[first, second]}, found {shown}"


@then('the TPD card reads "{text}"')
@then('la tarjeta TPD dice "{text}"')
def tpd_card_reads(context: Context, text: str) -> None:
    """R-PC-01: the card of the second benefit, as the page shows it."""
    card = scene(context).marked("tpd").text()
    assert text in card, f"expected the TPD card to read {text!r}, found {card!r}"


@then('its "{label}" link opens "{url}" in a new tab')
@then('su enlace "{label}" abre "{url}" en una pestaña nueva')
def tpd_link(context: Context, label: str, url: str) -> None:
    link = scene(context).marked("tpd-more-information")
    found = (link.text(), link.attrs.get("href"), link.attrs.get("target"))
    assert found == (label, url, "_blank"), f"expected {(label, url, '_blank')}, found {found}"


@then("the page lists the support benefits of the {offer:Offer} offer")
def lists_offer(context: Context, offer: str) -> None:
    page = scene(context).succeeded()
    shown = (page["membership"], page["entitlement"]["membership"])
    assert shown == (offer, offer), f"expected the {offer} offer and its entitlement, found {shown}"


@then('the page names the appropriate roles "{roles}"')
def names_roles(context: Context, roles: str) -> None:
    page = scene(context).succeeded()
    named = ", ".join(page["labels"][key] for key in page["appropriate_roles"])
    assert named == roles, f"expected the roles {roles!r}, found {named!r}"


@then("the Activate button is not offered")
def activate_not_offered_here(context: Context) -> None:
    offered = value(scene(context).succeeded(), "can_activate")
    assert offered is False, f"expected no Activate button, found can_activate={offered}"


@then('the Activate button is offered to "{upn}"')
def activate_offered(context: Context, upn: str) -> None:
    offered = scene(context).benefits(upn)["can_activate"]
    assert offered is True, f"expected the Activate button for {upn}, found can_activate={offered}"


@then('the Activate button is not offered to "{upn}"')
def activate_not_offered(context: Context, upn: str) -> None:
    offered = scene(context).benefits(upn)["can_activate"]
    assert offered is False, f"expected no Activate button for {upn}, found can_activate={offered}"


@then("the benefits are active")
def benefits_are_active(context: Context) -> None:
    state = value(scene(context).succeeded(), "state")
    assert state == "active", f"expected the benefits active, found them {state}"


@then("the activation is in progress")
@then("l'attivazione è in corso")
def activation_in_progress(context: Context) -> None:
    answer = scene(context).succeeded()
    state = value(answer, "state")
    assert state == "pending", f"expected the activation in progress (pending), found {state}"


@then('the benefits of "{org}" are not activated')
def not_activated(context: Context, org: str) -> None:
    the_scene = scene(context)
    state = the_scene.benefits(the_scene.member(org))["state"]
    assert state == "not_activated", f"expected {org}'s benefits not activated, found them {state}"


@then("the page shows the Access ID and Contract ID")
def shows_ids(context: Context) -> None:
    answer = scene(context).succeeded()
    shown = (value(answer, "access_id"), value(answer, "contract_id"))
    assert all(shown), f"expected an Access ID and a Contract ID, found {shown}"


@then("the page shows no Access ID or Contract ID")
def shows_no_ids(context: Context) -> None:
    answer = scene(context).succeeded()
    shown = (value(answer, "access_id"), value(answer, "contract_id"))
    assert shown == (None, None), f"expected no Access ID or Contract ID, found {shown}"


@then('"{upn}" sees the Access ID and Contract ID on the Technical benefits page')
@then('"{upn}" ve el identificador de acceso y el identificador de contrato')
@then("\"{upn}\" vede l'ID di accesso e l'ID contratto")
def user_sees_ids(context: Context, upn: str) -> None:
    the_scene = scene(context)
    page = the_scene.attempt(upn, lambda c: the_scene.benefits(upn))
    assert page is not None, f"expected {upn} to see the page, found the refusal {the_scene.error}"
    shown = (page["state"], bool(page["access_id"]), bool(page["contract_id"]))
    assert shown == ("active", True, True), (
        f"expected active benefits with both IDs, found {page['state']} with {page['access_id']!r} "
        f"and {page['contract_id']!r}"
    )


@then('"{upn}" sees no Access ID or Contract ID on the Technical benefits page')
def user_sees_no_ids(context: Context, upn: str) -> None:
    the_scene = scene(context)
    page = the_scene.attempt(upn, lambda c: the_scene.benefits(upn))
    assert page is not None, f"expected {upn} to see the page, found the refusal {the_scene.error}"
    shown = (page["access_id"], page["contract_id"])
    assert shown == (None, None), f"expected no Access ID or Contract ID, found {shown}"


@then('"{upn}" still sees the activation in progress')
def user_sees_pending(context: Context, upn: str) -> None:
    the_scene = scene(context)
    page = the_scene.attempt(upn, lambda c: the_scene.benefits(upn))
    assert page is not None, f"expected {upn} to see the page, found the refusal {the_scene.error}"
    shown = (page["state"], page["access_id"], page["contract_id"])
    assert shown == ("pending", None, None), (
        f"expected ('pending', no Access ID, no Contract ID), found {shown}"
    )


@then('"{upn}" sees the same Access ID and Contract ID as "{other}"')
def same_ids(context: Context, upn: str, other: str) -> None:
    the_scene = scene(context)
    theirs = the_scene.benefits(other)
    mine = the_scene.attempt(upn, lambda c: the_scene.benefits(upn))
    assert mine is not None, f"expected {upn} to see the page, found the refusal {the_scene.error}"
    expected, found = (theirs["access_id"], theirs["contract_id"]), (mine["access_id"], mine["contract_id"])
    assert found == expected, f"expected {other}'s IDs {expected}, found {found}"


@then("the Access ID is a GUID and the Contract ID has ten digits")
def id_forms(context: Context) -> None:
    answer = scene(context).succeeded()
    access_id, contract_id = value(answer, "access_id"), value(answer, "contract_id")
    assert re.fullmatch(GUID, access_id or ""), f"expected a GUID as the Access ID, found {access_id!r}"
    assert re.fullmatch(r"\d{10}", contract_id or ""), (
        f"expected ten digits as Contract ID, found {contract_id!r}"
    )


@then('the contract of "{org}" runs from {start} to {end}')
def contract_term(context: Context, org: str, start: str, end: str) -> None:
    the_scene = scene(context)
    page = the_scene.benefits(the_scene.member(org))
    shown = (page["contract_start"][:10], page["contract_end"][:10])
    assert shown == (start, end), f"expected the contract to run from {start} to {end}, found {shown}"


# --- entitlements (R-EN-01..03, D1) ------------------------------------------------------------------
@then("the page shows {count:d} incidents of Microsoft product support")
def on_premises_entitlement(context: Context, count: int) -> None:
    page = scene(context).succeeded()
    shown = page["entitlement"]["on_premises_incidents"]
    assert shown == count, f"expected {count} incidents of Microsoft product support, found {shown}"


@then(
    'the contract of "{org}" holds {on_premises:d} on-premises incidents'
    " and {cloud:Pool} Signature Cloud incidents"
)
def contract_pools(context: Context, org: str, on_premises: int, cloud: int | str | None) -> None:
    """The contract's two pools (D1), as the control API shows the world (``None``: unlimited)."""
    [contract] = scene(context).contracts(org)
    shown = contract["on_premises"]["limit"]
    assert shown == on_premises, f"expected {on_premises} on-premises incidents, found {shown}"
    if cloud == "none":
        assert contract["cloud"] is None, f"expected no Signature Cloud pool, found {contract['cloud']}"
    else:
        limit = contract["cloud"]["limit"] if contract["cloud"] is not None else "no pool"
        assert limit == cloud, f"expected a Signature Cloud limit of {cloud} (None: unlimited), found {limit}"


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
    expected = [list(row.cells) for row in context.table]
    assert table == expected, f"expected the table {expected}, found {table}"


# --- paid support plans (R-AZ-09, D9) ----------------------------------------------------------------
@step('"{upn}" buys "{plan:PaidPlan}" in Partner Center')
def buy_plan(context: Context, upn: str, plan: str) -> None:
    the_scene = scene(context)
    the_scene.bought = the_scene.attempt(upn, lambda c: c.pc.purchase_support_plan(plan))


@then('the bought plan has an Access ID and a Contract ID other than those of the benefits of "{org}"')
def bought_plan_ids(context: Context, org: str) -> None:
    """D9: new IDs, each of its own kind, each unlike the benefits contract's."""
    the_scene = scene(context)
    access_id, contract_id = the_scene.bought_ids()
    benefits_access_id, benefits_contract_id = the_scene.benefits_ids(org)
    assert re.fullmatch(GUID, access_id), (
        f"expected a GUID as the bought plan's Access ID, found {access_id!r}"
    )
    assert re.fullmatch(r"\d{10}", contract_id), (
        f"expected ten digits as the bought plan's Contract ID, found {contract_id!r}"
    )
    assert access_id != benefits_access_id, (
        f"expected an Access ID other than {org}'s benefits one {benefits_access_id}, found the same"
    )
    assert contract_id != benefits_contract_id, (
        f"expected a Contract ID other than {org}'s benefits one {benefits_contract_id}, found the same"
    )
