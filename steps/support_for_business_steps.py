"""Support for Business: Add contract, step 2 (plans and remaining incidents), on-premises requests."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from behave import given, step, then, when
from behave.runner import Context

from steps.common import FICTITIOUS, Scene, scene

PARTNER_CONTRACT = "partner_support_contract"


def add(the_scene: Scene, upn: str, ids: tuple[str, str], must: bool = False) -> None:
    action = the_scene.must if must else the_scene.attempt
    action(upn, lambda c: c.sfb.add_contract(*ids))


def read_step2(the_scene: Scene, upn: str | None, product: str) -> None:
    """Step 2 for a product: (available, unavailable) plans; reading it creates nothing."""
    the_scene.step2 = the_scene.attempt(upn, lambda c: c.sfb.plans(product))
    the_scene.succeeded()


def step2(the_scene: Scene) -> tuple[list[Any], list[Any]]:
    assert the_scene.step2 is not None, "step 2 was not opened"
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


@when('"{upn}" adds the Access ID of "{org}" with the Contract ID "{contract_id}" in Support for Business')
def add_wrong_pair(context: Context, upn: str, org: str, contract_id: str) -> None:
    the_scene = scene(context)
    add(the_scene, upn, (the_scene.benefits_ids(org)[0], contract_id))


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
    assert plan.contract_id and plan.available, plan


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
    assert page.status_code == 200, page.status_code


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
    assert [plan.remaining_incidents for plan in partner_contracts(available)] == [count], available


@then("step 2 shows the contract's start date {start} and end date {end}")
def step2_dates(context: Context, start: str, end: str) -> None:
    [plan] = partner_contracts(step2(scene(context))[0])
    assert (plan.start[:10], plan.end[:10]) == (start, end), plan


@then('step 2 for "{product}" shows no support plan')
def step2_for_product_none(context: Context, product: str) -> None:
    the_scene = scene(context)
    read_step2(the_scene, the_scene.actor, product)
    step2_none(context)


@then("step 2 shows no support plan")
def step2_none(context: Context) -> None:
    assert step2(scene(context)) == ([], []), step2(scene(context))


@then('step 2 for "{product}" shows no available support plan')
def step2_for_product_none_available(context: Context, product: str) -> None:
    the_scene = scene(context)
    read_step2(the_scene, the_scene.actor, product)
    step2_none_available(context)


@then("step 2 shows no available support plan")
def step2_none_available(context: Context) -> None:
    assert step2(scene(context))[0] == [], step2(scene(context))[0]


@then("step 2 shows no unavailable support plan")
def step2_none_unavailable(context: Context) -> None:
    assert step2(scene(context))[1] == [], step2(scene(context))[1]


@then('step 2 for "{product}" shows {count:d} available support plan')
@then('step 2 for "{product}" shows {count:d} available support plans')
def step2_for_product_count(context: Context, product: str, count: int) -> None:
    the_scene = scene(context)
    read_step2(the_scene, the_scene.actor, product)
    step2_count(context, count)


@then("step 2 shows {count:d} available support plan")
@then("step 2 shows {count:d} available support plans")
def step2_count(context: Context, count: int) -> None:
    assert len(step2(scene(context))[0]) == count, step2(scene(context))[0]


@then("the partner support contract is only under unavailable support plans, {reason:Unavailable}")
@then(
    "el contrato de soporte técnico para partners solo aparece entre los planes no disponibles, "
    "{reason:NoDisponible}"
)
def only_unavailable(context: Context, reason: str) -> None:
    available, unavailable = step2(scene(context))
    assert partner_contracts(available) == [], f"expected no available partner contract, found {available}"
    reasons = [plan.unavailable_reason for plan in partner_contracts(unavailable)]
    assert reasons == [reason], f"expected the partner contract unavailable as {reason}, found {reasons}"


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


@when('"{upn}" creates {count:d} support requests for "{product}" in Support for Business')
def create_requests(context: Context, upn: str, count: int, product: str) -> None:
    for _ in range(count):
        scene(context).must(upn, lambda c: c.sfb.create_support_request(product, **FICTITIOUS))


@when('"{upn}" creates a support request for "{product}" with an empty title in Support for Business')
def create_request_without_title(context: Context, upn: str, product: str) -> None:
    details = {**FICTITIOUS, "title": ""}
    scene(context).attempt(upn, lambda c: c.sfb.create_support_request(product, **details))


@then("the support request is created in Support for Business")
def request_created(context: Context) -> None:
    the_scene = scene(context)
    created = the_scene.succeeded()
    listed = the_scene.clients(the_scene.actor).sfb.support_requests()
    assert created.portal == "sfb" and created.id in [r.id for r in listed], created


@then('"{upn}" has {count:d} support requests in Support for Business')
def request_count(context: Context, upn: str, count: int) -> None:
    found = scene(context).clients(upn).sfb.support_requests()
    assert len(found) == count, f"expected {count} requests, found {[r.id for r in found]}"


@then('"{upn}" has no support request in Support for Business')
@then('"{upn}" no tiene ninguna solicitud de soporte técnico')
def no_requests(context: Context, upn: str) -> None:
    assert scene(context).clients(upn).sfb.support_requests() == []
