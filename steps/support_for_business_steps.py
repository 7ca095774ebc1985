"""Support for Business: Add contract, step 2 (plans and remaining incidents), on-premises requests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from behave import given, step, then, when
from behave.runner import Context

from steps.common import FICTITIOUS, Scene, instant, scene, slug

PARTNER_CONTRACT = "partner_support_contract"


def add(the_scene: Scene, upn: str, ids: tuple[str, str], must: bool = False) -> None:
    action = the_scene.must if must else the_scene.attempt
    action(upn, lambda c: c.sfb.add_contract(*ids))


def read_step2(the_scene: Scene, upn: str | None, product: str) -> None:
    """Step 2 for a product: (available, unavailable) plans; reading it creates nothing."""
    the_scene.step2 = the_scene.attempt(upn, lambda c: c.sfb.plans(product))
    the_scene.succeeded()


def step2(the_scene: Scene) -> tuple[list[Any], list[Any]]:
    assert the_scene.step2 is not None, "expected step 2 to be open, found it not opened yet"
    return the_scene.step2


def partner_contracts(plans: list[Any]) -> list[Any]:
    return [plan for plan in plans if plan.name == PARTNER_CONTRACT]


# --- Add contract (R-SFB-07, R-SFB-03, D3, D4) ---------------------------------------------------------
@when('"{upn}" adds the contract of "{org}" in Support for Business')
def add_contract(context: Context, upn: str, org: str) -> None:
    the_scene = scene(context)
    add(the_scene, upn, the_scene.benefits_ids(org))


@given('"{upn}" has added the contract of "{org}" in Support for Business')
@given('que "{upn}" agregó el contrato de "{org}" en Soporte técnico para empresas')
def has_added_contract(context: Context, upn: str, org: str) -> None:
    the_scene = scene(context)
    add(the_scene, upn, the_scene.benefits_ids(org), must=True)


@when(
    '"{upn}" adds the Access ID {access:IdRef} with the Contract ID {contract:IdRef} in Support for Business'
)
def add_id_pair(context: Context, upn: str, access: tuple[str, str], contract: tuple[str, str]) -> None:
    """Add contract with the two IDs typed as given: an organisation's (``of "Contoso"``) or a literal."""
    the_scene = scene(context)
    add(the_scene, upn, the_scene.id_pair(access, contract))


@when('"{upn}" adds the pending contract of "{org}" in Support for Business')
def add_pending_contract(context: Context, upn: str, org: str) -> None:
    the_scene = scene(context)
    add(the_scene, upn, the_scene.pending_ids(org))


@when('"{upn}" adds the contract of the bought plan in Support for Business')
def add_bought_contract(context: Context, upn: str) -> None:
    the_scene = scene(context)
    add(the_scene, upn, the_scene.bought_ids())


@then("the contract is added")
def contract_added(context: Context) -> None:
    plan = scene(context).succeeded()
    assert plan.contract_id and plan.available, f"expected an available plan with a Contract ID, found {plan}"


@then("the contract of the bought plan is added")
def bought_contract_added(context: Context) -> None:
    the_scene = scene(context)
    plan = the_scene.succeeded()
    contract_id = the_scene.bought_ids()[1]
    shown = (plan.contract_id, plan.available)
    assert shown == (contract_id, True), (
        f"expected the bought contract {contract_id} available, found {shown}"
    )


@then('"{upn}" has {count:d} association with the contract of "{org}"')
@then('"{upn}" has {count:d} associations with the contract of "{org}"')
def association_count(context: Context, upn: str, count: int, org: str) -> None:
    """D3, D4: the (account, contract) pairs in the world's state, counted."""
    the_scene = scene(context)
    contract_id = the_scene.benefits_ids(org)[1]
    found = [a for a in the_scene.associations(upn) if a["contract_id"] == contract_id]
    assert len(found) == count, f"expected {count} association of {upn} with {contract_id}, found {found}"


@then('"{upn}" has no contract associated')
def no_association(context: Context, upn: str) -> None:
    found = scene(context).associations(upn)
    assert found == [], f"expected no association of {upn} in the world, found {found}"


# --- step 2 (R-SFB-06, R-SFB-08) -------------------------------------------------------------------
@when('"{upn}" opens step 2 for "{product}"')
@when('"{upn}" abre el paso 2 para "{product}"')
def open_step2(context: Context, upn: str, product: str) -> None:
    read_step2(scene(context), upn, product)


@when('"{upn}" opens step 2 of a new request for "{product}"')
def open_step2_page(context: Context, upn: str, product: str) -> None:
    """The step 2 page itself, after step 1 with fictitious details."""
    the_scene = scene(context)
    query = urlencode({"product": product, **FICTITIOUS})
    page = the_scene.open_page(upn, the_scene.clients(upn).sfb, f"/supportforbusiness/create/step2?{query}")
    assert page.status_code == 200, f"expected step 2 (200), found {page.status_code}"


@then('step 2 for "{product}" shows the partner support contract with {count:d} remaining incidents')
@then('step 2 for "{product}" shows the partner support contract with {count:d} remaining incident')
def step2_for_product_remaining(context: Context, product: str, count: int) -> None:
    the_scene = scene(context)
    read_step2(the_scene, the_scene.actor, product)
    step2_remaining(context, count)


@then("step 2 shows the partner support contract with {count:d} remaining incidents")
@then("el paso 2 muestra el contrato de soporte técnico para partners con {count:d} incidentes restantes")
def step2_remaining(context: Context, count: int) -> None:
    available, _ = step2(scene(context))
    shown = [plan.remaining_incidents for plan in partner_contracts(available)]
    assert shown == [count], (
        f"expected one partner support contract with {count} remaining incidents, found {shown}: {available}"
    )


@then(
    'step 2 shows the partner support contract starting when "{org}" activated its benefits'
    " and ending {days:d} days later"
)
def step2_term(context: Context, org: str, days: int) -> None:
    """D1, R-SFB-06: the start is the activation's moment on the world's clock, the end that plus
    ``days``; both computed here, not read from the contract."""
    the_scene = scene(context)
    activated = the_scene.activated_on.get(slug(org))
    assert activated is not None, f"expected the scenario to have seen {org}'s activation, found none"
    expected = (activated, activated + timedelta(days=days))
    plans = partner_contracts(step2(the_scene)[0])
    found = [(instant(plan.start), instant(plan.end)) for plan in plans]
    assert found == [expected], f"expected one contract running {expected}, found {found}"


@then(
    'the step 2 page shows the partner support contract of "{org}" with {count:d} remaining incidents,'
    " from the day it was activated to {days:d} days later"
)
def step2_page(context: Context, org: str, count: int, days: int) -> None:
    """The HTML page a person reads: the contract's line among the available plans, its dates and
    its remaining incidents (R-SFB-06)."""
    the_scene = scene(context)
    contract_id = the_scene.benefits_ids(org)[1]
    activated = the_scene.activated_on.get(slug(org))
    assert activated is not None, f"expected the scenario to have seen {org}'s activation, found none"
    fieldset = the_scene.document().find(data_testid="available-plans")
    assert fieldset is not None, "expected the available support plans on the page, found none"
    lines = fieldset.find_all("label", data_plan=contract_id)
    assert len(lines) == 1, (
        f"expected one line for contract {contract_id}, found {len(lines)}: {fieldset.text()}"
    )
    start, end = lines[0].find(data_testid="start-date"), lines[0].find(data_testid="end-date")
    remaining = lines[0].find("strong")
    shown = tuple(e.text() if e else None for e in (start, end, remaining))
    expected = (f"{activated:%Y-%m-%d}", f"{activated + timedelta(days=days):%Y-%m-%d}", str(count))
    assert shown == expected, f"expected (start, end, remaining) {expected}, found {shown}"


@then('step 2 for "{product}" shows no support plan')
def step2_for_product_none(context: Context, product: str) -> None:
    the_scene = scene(context)
    read_step2(the_scene, the_scene.actor, product)
    step2_none(context)


@then("step 2 shows no support plan")
def step2_none(context: Context) -> None:
    shown = step2(scene(context))
    assert shown == ([], []), f"expected no plan, available or not, found {shown}"


@then('step 2 for "{product}" shows no available support plan')
def step2_for_product_none_available(context: Context, product: str) -> None:
    the_scene = scene(context)
    read_step2(the_scene, the_scene.actor, product)
    step2_none_available(context)


@then("step 2 shows no available support plan")
def step2_none_available(context: Context) -> None:
    shown = step2(scene(context))[0]
    assert shown == [], f"expected no available plan, found {shown}"


@then("step 2 shows no unavailable support plan")
def step2_none_unavailable(context: Context) -> None:
    shown = step2(scene(context))[1]
    assert shown == [], f"expected no unavailable plan, found {shown}"


@then('step 2 for "{product}" shows {count:d} available support plan')
@then('step 2 for "{product}" shows {count:d} available support plans')
def step2_for_product_count(context: Context, product: str, count: int) -> None:
    the_scene = scene(context)
    read_step2(the_scene, the_scene.actor, product)
    step2_count(context, count)


@then("step 2 shows {count:d} available support plan")
@then("step 2 shows {count:d} available support plans")
def step2_count(context: Context, count: int) -> None:
    shown = step2(scene(context))[0]
    assert len(shown) == count, f"expected {count} available plans, found {len(shown)}: {shown}"


@then("step 2 offers the bought plan as its one available support plan")
def step2_offers_bought_plan(context: Context) -> None:
    """The plan bought earlier in the scenario, by its Contract ID, and nothing else available."""
    the_scene = scene(context)
    contract_id = the_scene.bought_ids()[1]
    shown = [plan.contract_id for plan in step2(the_scene)[0]]
    assert shown == [contract_id], f"expected only the bought plan {contract_id} available, found {shown}"


@then("the partner support contract is only under unavailable support plans, {reason:Unavailable}")
@then(
    "el contrato de soporte técnico para partners solo aparece entre los planes no disponibles, "
    "{reason:NoDisponible}"
)
def only_unavailable(context: Context, reason: str) -> None:
    available, unavailable = step2(scene(context))
    assert partner_contracts(available) == [], f"expected no partner contract available, found {available}"
    reasons = [plan.unavailable_reason for plan in partner_contracts(unavailable)]
    assert reasons == [reason], f"expected it unavailable once for {reason}, found {reasons}"


@then("the Signature information shows the {offer:Offer} offer with {pool:Signature}")
@then("la información de la firma de asociado muestra la oferta {offer:Offer} con {pool:Signature}")
def signature_information(context: Context, offer: str, pool: dict[str, Any]) -> None:
    """R-SFB-08: the partner's Signature information beside the unavailable partner contract."""
    _, unavailable = step2(scene(context))
    found = [plan.signature for plan in partner_contracts(unavailable)]
    expected = {"membership": offer, **pool}
    assert found == [expected], f"expected the Signature information {expected}, found {found}"


# --- the on-premises catalog at the world's date (D7, R-SFB-01) -----------------------------------------
def catalog(the_scene: Scene) -> dict[str, bool]:
    """Step 1's products at the world's date: name -> covered (False: older than n-1)."""
    return {p.name: p.covered for p in the_scene.clients(the_scene.actor).sfb.products()}


@then('Support for Business does not offer "{product}"')
@then('Soporte técnico para empresas no ofrece "{product}"')
def not_offered(context: Context, product: str) -> None:
    offered = catalog(scene(context))
    assert product not in offered, f"expected {product} not to be offered, found it in {sorted(offered)}"


@then('Support for Business offers "{product}" as {covered:CatalogGroup}')
@then('Soporte técnico para empresas ofrece "{product}" entre los productos {covered:GrupoEs}')
def offered_in_group(context: Context, product: str, covered: bool) -> None:
    offered = catalog(scene(context))
    group = {True: "covered", False: "older than n-1"}
    assert product in offered, f"expected {product} to be offered, found only {sorted(offered)}"
    found = group[offered[product]]
    assert offered[product] is covered, f"expected {product} {group[covered]}, found it {found}"


@then('the covered versions of the "{family}" family are "{names}"')
def covered_versions(context: Context, family: str, names: str) -> None:
    """The family's covered versions, newest first, as step 1 lists them."""
    the_scene = scene(context)
    products = the_scene.clients(the_scene.actor).sfb.products()
    found = [p.name for p in products if p.family_name == family and p.covered]
    expected = [name.strip() for name in names.split(",")]
    assert found == expected, f"expected {expected} covered in {family}, found {found}"


# --- on-premises support requests (R-SFB-04, D7) -----------------------------------------------------------
@step('"{upn}" creates a support request for "{product}" in Support for Business')
@step('"{upn}" crea una solicitud de soporte técnico para "{product}" en Soporte técnico para empresas')
def create_request(context: Context, upn: str, product: str) -> None:
    scene(context).attempt(upn, lambda c: c.sfb.create_support_request(product, **FICTITIOUS))


@when('"{upn}" creates a support request for "{product}" on the bought plan in Support for Business')
def create_request_on_bought_plan(context: Context, upn: str, product: str) -> None:
    the_scene = scene(context)
    plan = the_scene.bought_ids()[1]
    the_scene.attempt(upn, lambda c: c.sfb.create_support_request(product, plan=plan, **FICTITIOUS))


@when('"{upn}" creates {count:d} support requests for "{product}" in Support for Business')
def create_requests(context: Context, upn: str, count: int, product: str) -> None:
    the_scene = scene(context)
    the_scene.created = [
        the_scene.must(upn, lambda c: c.sfb.create_support_request(product, **FICTITIOUS))
        for _ in range(count)
    ]


@when('"{upn}" creates a support request for "{product}" with an empty title in Support for Business')
def create_request_without_title(context: Context, upn: str, product: str) -> None:
    details = {**FICTITIOUS, "title": ""}
    scene(context).attempt(upn, lambda c: c.sfb.create_support_request(product, **details))


@then("the support request is created in Support for Business")
def request_created(context: Context) -> None:
    the_scene = scene(context)
    created = the_scene.succeeded()
    listed = [r.id for r in the_scene.clients(the_scene.actor).sfb.support_requests()]
    assert created.portal == "sfb", f"expected a Support for Business request, found one of {created.portal}"
    assert created.id in listed, f"expected request {created.id} among the account's requests, found {listed}"


@then('"{upn}" has {count:d} support requests in Support for Business')
def request_count(context: Context, upn: str, count: int) -> None:
    found = scene(context).clients(upn).sfb.support_requests()
    assert len(found) == count, f"expected {count} support requests of {upn}, found {len(found)}: {found}"


@then('"{upn}" has no support request in Support for Business')
@then('"{upn}" no tiene ninguna solicitud de soporte técnico')
def no_requests(context: Context, upn: str) -> None:
    found = scene(context).clients(upn).sfb.support_requests()
    assert found == [], f"expected no support request of {upn}, found {found}"
