"""The Azure portal: Link support benefits, the plans of "+ New support request", cloud requests."""

from __future__ import annotations

from typing import Any

from behave import given, step, then, when
from behave.runner import Context

from steps.common import FICTITIOUS, Scene, body_json, json_keys, scene, value


def link(the_scene: Scene, upn: str, ids: tuple[str, str], must: bool = False) -> None:
    action = the_scene.must if must else the_scene.attempt
    action(upn, lambda c: c.azure.link_support_benefits(*ids))


def plans(the_scene: Scene, upn: str | None) -> list[Any]:
    """What "+ New support request" lists for the account."""
    return the_scene.clients(upn or the_scene.actor).azure.support_plans()


def plan_of(the_scene: Scene, plan_id: str, upn: str | None) -> Any:
    found = [plan for plan in plans(the_scene, upn) if plan.plan_id == plan_id]
    assert found, f"plan {plan_id} is not listed"
    return found[0]


# --- Link support benefits (R-AZ-02, D5) -------------------------------------------------------------
@when('"{upn}" links the support benefits of "{org}" in the Azure portal')
@when('"{upn}" vincula las ventajas de soporte técnico de "{org}" en el Azure Portal')
@when('"{upn}" collega i vantaggi del supporto di "{org}" nel portale di Azure')
def link_benefits(context: Context, upn: str, org: str) -> None:
    the_scene = scene(context)
    link(the_scene, upn, the_scene.benefits_ids(org))


@given('"{upn}" has linked the support benefits of "{org}" in the Azure portal')
@given('che "{upn}" ha collegato i vantaggi del supporto di "{org}" nel portale di Azure')
def has_linked_benefits(context: Context, upn: str, org: str) -> None:
    the_scene = scene(context)
    link(the_scene, upn, the_scene.benefits_ids(org), must=True)


@when('"{upn}" links the Access ID of "{org}" with the Contract ID "{contract_id}" in the Azure portal')
def link_wrong_pair(context: Context, upn: str, org: str, contract_id: str) -> None:
    the_scene = scene(context)
    link(the_scene, upn, (the_scene.benefits_ids(org)[0], contract_id))


@when('"{upn}" links the pending contract of "{org}" in the Azure portal')
def link_pending(context: Context, upn: str, org: str) -> None:
    the_scene = scene(context)
    link(the_scene, upn, the_scene.pending_ids(org))


@when('"{upn}" links the support benefits of the bought plan in the Azure portal')
def link_bought(context: Context, upn: str) -> None:
    the_scene = scene(context)
    link(the_scene, upn, the_scene.bought_ids())


@then("the Signature Cloud Support plan is linked")
def signature_linked(context: Context) -> None:
    assert scene(context).succeeded().kind == "signature", scene(context).answer


@then('the "{plan}" plan is linked')
def plan_linked(context: Context, plan: str) -> None:
    assert scene(context).succeeded().display_name == plan, scene(context).answer


@then('the Azure portal answers {status:d} "{code}"')
def azure_answers(context: Context, status: int, code: str) -> None:
    error = scene(context).refused()
    assert (error.status, error.code) == (status, code), f"{error.status} {error.code}: {error.message}"


# --- "+ New support request" (D6, R-AZ-04) ------------------------------------------------------------
@then('"+ New support request" lists the Signature Cloud Support plan of "{org}"')
@then('"+ New support request" for "{upn}" lists the Signature Cloud Support plan of "{org}"')
@then('"+ New Support Request" muestra el plan de soporte técnico de "{org}"')
def lists_signature_plan(context: Context, org: str, upn: str | None = None) -> None:
    the_scene = scene(context)
    contract_id = the_scene.benefits_ids(org)[1]
    assert plan_of(the_scene, contract_id, upn).kind == "signature"


@then('"+ New support request" lists the "{plan}" plan')
@then('"+ New support request" for "{upn}" lists the "{plan}" plan')
def lists_plan(context: Context, plan: str, upn: str | None = None) -> None:
    listed = [p.display_name for p in plans(scene(context), upn)]
    assert plan in listed, listed


@then('"+ New support request" lists no support plan')
@then('"+ New support request" for "{upn}" lists no support plan')
@then('"+ Nuovo Richiesta di supporto" non mostra nessun piano di supporto')
def lists_no_plan(context: Context, upn: str | None = None) -> None:
    assert plans(scene(context), upn) == []


# --- cloud support requests (R-AZ-01, R-AZ-06, D6) ---------------------------------------------------------
@step('"{upn}" creates a new support request for "{product}" in the Azure portal')
@when('"{upn}" crea una solicitud de soporte técnico para "{product}" en el Azure Portal')
def create_azure_request(context: Context, upn: str, product: str) -> None:
    scene(context).attempt(upn, lambda c: c.azure.create_support_request(product, **FICTITIOUS))


@when('"{upn}" creates {count:d} new support requests for "{product}" in the Azure portal')
@when('"{upn}" crea {count:d} richieste di supporto per "{product}" nel portale di Azure')
def create_azure_requests(context: Context, upn: str, count: int, product: str) -> None:
    for _ in range(count):
        scene(context).must(upn, lambda c: c.azure.create_support_request(product, **FICTITIOUS))


@then('the support request is created on the Signature Cloud Support plan of "{org}"')
@then('la solicitud se crea con el plan de soporte técnico de "{org}"')
def created_on_signature(context: Context, org: str) -> None:
    the_scene = scene(context)
    created = the_scene.succeeded()
    assert created.portal == "azure" and created.plan == the_scene.benefits_ids(org)[1], created


@then('the support request is created on the "{plan}" plan')
def created_on_plan(context: Context, plan: str) -> None:
    """The plan as "+ New support request" names it (a CSP flow answers with its request inside)."""
    the_scene = scene(context)
    created = the_scene.succeeded()
    plan_id = value(created["request"] if isinstance(created, dict) else created, "plan")
    assert plan_of(the_scene, plan_id, None).display_name == plan


# --- no remaining-incident count (R-SFB-05, D6) ------------------------------------------------------------
@when('"{upn}" lists the support requests in the Azure portal')
def list_azure_requests(context: Context, upn: str) -> None:
    scene(context).attempt(upn, lambda c: c.azure.support_requests())
    scene(context).succeeded()


@when('"{upn}" opens the Azure portal\'s Support plans page')
def open_plans_page(context: Context, upn: str) -> None:
    the_scene = scene(context)
    assert the_scene.open_page(upn, the_scene.clients(upn).azure, "/help-support/plans").status_code == 200


@when('"{upn}" opens the Azure portal\'s "+ New support request" page')
def open_new_request_page(context: Context, upn: str) -> None:
    the_scene = scene(context)
    assert the_scene.open_page(upn, the_scene.clients(upn).azure, "/help-support/new").status_code == 200


@then("no answer of the Azure portal in this scenario carries a remaining-incident count")
def no_remaining_count(context: Context) -> None:
    answers = list(scene(context).journal("azure"))
    assert len(answers) >= 6, f"only {len(answers)} Azure answers were journaled"
    for entry in answers:
        data = body_json(entry)
        keys = [k for k in json_keys(data) if "remaining" in k.lower() or "incident" in k.lower()]
        assert not keys, f"{entry['method']} {entry['url']} answers {keys}"
        assert "remaining incidents" not in entry["response"]["body"].lower(), entry["url"]
