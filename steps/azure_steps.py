"""The Azure portal: Link support benefits, the plans of "+ New support request", cloud requests."""

from __future__ import annotations

from typing import Any

from behave import given, step, then, when
from behave.runner import Context

from steps.common import FICTITIOUS, LANGUAGES, Scene, remaining_leaks, scene, value
from steps.markup import parse_html

#: The Azure Support API (ARM): the provider, and one subscription's scope of it.
PROVIDER = "/providers/Microsoft.Support"
SUBSCRIPTION = f"/subscriptions/132d901f-189d-4381-9214-fe68e27e05a1{PROVIDER}"
PAID_PLANS = ("Premier Support for Partners", "Advanced Support for Partners")
ARM_CONTACT = {
    "firstName": "Ana",
    "lastName": "García",
    "preferredContactMethod": "email",
    "primaryEmailAddress": "ana@example.com",
    "preferredTimeZone": "Romance Standard Time",
    "country": "ESP",
    "preferredSupportLanguage": "es-es",
}


def link(the_scene: Scene, upn: str, ids: tuple[str, str], must: bool = False) -> None:
    action = the_scene.must if must else the_scene.attempt
    action(upn, lambda c: c.azure.link_support_benefits(*ids))


def plans(the_scene: Scene, upn: str | None) -> list[Any]:
    """What "+ New support request" lists for the account."""
    return the_scene.clients(upn or the_scene.actor).azure.support_plans()


def plan_of(the_scene: Scene, plan_id: str, upn: str | None) -> Any:
    listed = plans(the_scene, upn)
    found = [plan for plan in listed if plan.plan_id == plan_id]
    assert found, f"expected plan {plan_id} listed, found {[p.plan_id for p in listed]}"
    return found[0]


def cloud_pool(the_scene: Scene, org: str) -> dict[str, Any]:
    """The Signature Cloud pool of the organisation's benefits contract, in the world's state."""
    contract_id = the_scene.benefits_ids(org)[1]
    [contract] = [c for c in the_scene.contracts(org) if c["contract_id"] == contract_id]
    assert contract["cloud"] is not None, f"expected a Signature Cloud pool in {org}'s contract, found none"
    return contract["cloud"]


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


@when('"{upn}" links the Access ID {access:IdRef} with the Contract ID {contract:IdRef} in the Azure portal')
def link_id_pair(context: Context, upn: str, access: tuple[str, str], contract: tuple[str, str]) -> None:
    """Link support benefits with the two IDs typed as given: an organisation's or a literal."""
    the_scene = scene(context)
    link(the_scene, upn, the_scene.id_pair(access, contract))


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
    linked = scene(context).succeeded()
    assert linked.kind == "signature", f"expected a Signature Cloud Support plan linked, found {linked}"


@then('the "{plan}" plan is linked')
def plan_linked(context: Context, plan: str) -> None:
    the_scene = scene(context)
    linked = the_scene.succeeded()
    assert linked.display_name == plan, f"expected the {plan!r} plan linked, found {linked.display_name!r}"
    if the_scene.bought is not None:
        contract_id = the_scene.bought_ids()[1]
        assert linked.contract_id == contract_id, (
            f"expected the bought contract {contract_id} linked, found {linked.contract_id}"
        )


@then('the Azure portal answers {status:d} "{code}"')
def azure_answers(context: Context, status: int, code: str) -> None:
    error = scene(context).refused()
    found = (error.status, error.code)
    assert found == (status, code), f"expected {status} {code}, found {found}: {error.message}"


# --- "+ New support request" (D6, R-AZ-04) ------------------------------------------------------------
@then('"+ New support request" lists the Signature Cloud Support plan of "{org}"')
@then('"+ New support request" for "{upn}" lists the Signature Cloud Support plan of "{org}"')
@then('"+ New Support Request" muestra el plan de soporte técnico de "{org}"')
def lists_signature_plan(context: Context, org: str, upn: str | None = None) -> None:
    the_scene = scene(context)
    contract_id = the_scene.benefits_ids(org)[1]
    kind = plan_of(the_scene, contract_id, upn).kind
    assert kind == "signature", f"expected a Signature Cloud Support plan for {contract_id}, found {kind}"


@then('"+ New support request" lists the "{plan}" plan')
@then('"+ New support request" for "{upn}" lists the "{plan}" plan')
def lists_plan(context: Context, plan: str, upn: str | None = None) -> None:
    listed = [p.display_name for p in plans(scene(context), upn)]
    assert plan in listed, f"expected the {plan!r} plan listed, found {listed}"


@then('"+ New support request" for "{upn}" does not list the "{plan}" plan')
def does_not_list_plan(context: Context, upn: str, plan: str) -> None:
    """Neither the Azure portal's plans (JSON) nor the "+ New support request" page's plan list."""
    the_scene = scene(context)
    listed = [p.display_name for p in plans(the_scene, upn)]
    assert plan not in listed, f"expected no {plan!r} plan for {upn}, found {listed}"
    page = the_scene.open_page(upn, the_scene.clients(upn).azure, "/help-support/new")
    select = parse_html(page.text).find("select", data_testid="plan-select")
    offered = [option.text() for option in select.find_all("option")] if select else []
    assert not [o for o in offered if plan in o], (
        f"expected no {plan!r} on the page for {upn}, found {offered}"
    )


@then('"+ New support request" lists no support plan')
@then('"+ New support request" for "{upn}" lists no support plan')
@then('"+ Nuovo Richiesta di supporto" non mostra nessun piano di supporto')
def lists_no_plan(context: Context, upn: str | None = None) -> None:
    listed = plans(scene(context), upn)
    assert listed == [], f"expected no support plan, found {listed}"


# --- cloud support requests (R-AZ-01, R-AZ-06, D6) ---------------------------------------------------------
@step('"{upn}" creates a new support request for "{product}" in the Azure portal')
@when('"{upn}" crea una solicitud de soporte técnico para "{product}" en el Azure Portal')
def create_azure_request(context: Context, upn: str, product: str) -> None:
    scene(context).attempt(upn, lambda c: c.azure.create_support_request(product, **FICTITIOUS))


@when('"{upn}" creates a new support request for "{product}" on the "{plan}" plan in the Azure portal')
def create_azure_request_on_plan(context: Context, upn: str, product: str, plan: str) -> None:
    """Choose the plan by its ID, as the plan list of "+ New support request" sends it."""
    scene(context).attempt(upn, lambda c: c.azure.create_support_request(product, plan=plan, **FICTITIOUS))


@when('"{upn}" creates {count:d} new support requests for "{product}" in the Azure portal')
@when('"{upn}" crea {count:d} richieste di supporto per "{product}" nel portale di Azure')
def create_azure_requests(context: Context, upn: str, count: int, product: str) -> None:
    the_scene = scene(context)
    the_scene.created = [
        the_scene.must(upn, lambda c: c.azure.create_support_request(product, **FICTITIOUS))
        for _ in range(count)
    ]


@then('the support request is created on the Signature Cloud Support plan of "{org}"')
@then('la solicitud se crea con el plan de soporte técnico de "{org}"')
def created_on_signature(context: Context, org: str) -> None:
    the_scene = scene(context)
    created = the_scene.succeeded()
    expected = ("azure", the_scene.benefits_ids(org)[1])
    assert (created.portal, created.plan) == expected, (
        f"expected an Azure request on plan {expected[1]}, found one of {created.portal} on {created.plan}"
    )


@then('the {count:d} support requests are created on the Signature Cloud Support plan of "{org}"')
def all_created_on_signature(context: Context, count: int, org: str) -> None:
    the_scene = scene(context)
    contract_id = the_scene.benefits_ids(org)[1]
    found = [(r.portal, r.plan) for r in the_scene.created]
    expected = [("azure", contract_id)] * count
    assert found == expected, f"expected {count} Azure requests on plan {contract_id}, found {found}"


@then('the support request is created on the "{plan}" plan')
def created_on_plan(context: Context, plan: str) -> None:
    """The plan as "+ New support request" names it (a CSP flow answers with its request inside)."""
    the_scene = scene(context)
    created = the_scene.succeeded()
    plan_id = value(created["request"] if isinstance(created, dict) else created, "plan")
    named = plan_of(the_scene, plan_id, None).display_name
    assert named == plan, f"expected the request on the {plan!r} plan, found it on {named!r} ({plan_id})"
    if plan in PAID_PLANS and the_scene.bought is not None:
        contract_id = the_scene.bought_ids()[1]
        assert plan_id == contract_id, (
            f"expected the request on the bought contract {contract_id}, found {plan_id}"
        )


# --- the Signature Cloud pool, in the world's state (D6) ---------------------------------------------------
@then('the Signature Cloud pool of "{org}" has {count:d} incidents left')
def cloud_incidents_left(context: Context, org: str, count: int) -> None:
    pool = cloud_pool(scene(context), org)
    left = None if pool["limit"] is None else pool["limit"] - pool["used"]
    assert left == count, f"expected {count} Signature Cloud incidents left, found {left} ({pool})"


@then('the Signature Cloud pool of "{org}" is still unlimited, with no incident used')
def cloud_unlimited(context: Context, org: str) -> None:
    pool = cloud_pool(scene(context), org)
    assert pool == {"limit": None, "used": 0}, f"expected an unlimited pool with none used, found {pool}"


# --- no remaining-incident count (R-SFB-05, D6) ------------------------------------------------------------
@when('"{upn}" lists the support requests in the Azure portal')
def list_azure_requests(context: Context, upn: str) -> None:
    scene(context).attempt(upn, lambda c: c.azure.support_requests())
    scene(context).succeeded()


@when('"{upn}" opens the Azure portal\'s Support plans page')
def open_plans_page(context: Context, upn: str) -> None:
    the_scene = scene(context)
    page = the_scene.open_page(upn, the_scene.clients(upn).azure, "/help-support/plans")
    assert page.status_code == 200, f"expected the Support plans page (200), found {page.status_code}"


@when('"{upn}" opens the Azure portal\'s "+ New support request" page')
def open_new_request_page(context: Context, upn: str) -> None:
    the_scene = scene(context)
    page = the_scene.open_page(upn, the_scene.clients(upn).azure, "/help-support/new")
    assert page.status_code == 200, f"expected the + New support request page (200), found {page.status_code}"


@when('"{upn}" creates a support ticket for "{product}" through the Azure Support API')
def create_arm_ticket(context: Context, upn: str, product: str) -> None:
    """The Azure Support API's way: find the service and a problem classification, PUT the ticket
    (answered with the ticket at once, or, when the world asks for polls, followed to the end of its
    operation as azure-mgmt-support does), read the ticket."""
    the_scene = scene(context)
    arm = the_scene.arm(upn)
    services = the_scene.fetch(arm, "GET", f"{PROVIDER}/services", params=ARM_VERSION).json()["value"]
    [service] = [s for s in services if s["properties"]["displayName"] == product]
    path = f"{PROVIDER}/services/{service['name']}/problemClassifications"
    classification = the_scene.fetch(arm, "GET", path, params=ARM_VERSION).json()["value"][0]
    name = f"ticket-{len(the_scene.seen)}"
    properties = {
        "title": FICTITIOUS["title"],
        "description": FICTITIOUS["description"],
        "serviceId": service["id"],
        "problemClassificationId": classification["id"],
        "severity": "minimal",
        "advancedDiagnosticConsent": "No",
        "contactDetails": ARM_CONTACT,
    }
    ticket = f"{SUBSCRIPTION}/supportTickets/{name}"
    accepted = the_scene.fetch(arm, "PUT", ticket, params=ARM_VERSION, json={"properties": properties})
    assert accepted.status_code in (200, 202), (
        f"expected 200 OK or 202 Accepted, found {accepted.status_code}: {accepted.text}"
    )
    if accepted.status_code == 202:
        status = None
        for _ in range(5):
            status = the_scene.fetch(arm, "GET", accepted.headers["Azure-AsyncOperation"]).json()
            if status["status"] != "InProgress":
                break
        assert status is not None and status["status"] == "Succeeded", f"expected Succeeded, found {status}"
    the_scene.answer = the_scene.fetch(arm, "GET", ticket, params=ARM_VERSION).json()


ARM_VERSION = {"api-version": "2024-04-01"}
AZURE_PAGES = ("/help-support", "/help-support/plans", "/help-support/new", "/support/requests")
AZURE_API = ("/api/products", "/api/supportplans", "/api/supportrequests")
ARM_READS = (
    f"{PROVIDER}/services",
    f"{PROVIDER}/operations",
    f"{PROVIDER}/supportTickets",
    f"{SUBSCRIPTION}/supportTickets",
)


@when(
    '"{upn}" opens every Azure page and API answer, linking the contract of "{org}" again,'
    " in all three languages"
)
def read_every_azure_answer(context: Context, upn: str, org: str) -> None:
    """Every page of the Azure portal, every read of its JSON API and of the Azure Support API (each
    request, ticket, message and service), and Link support benefits on the page and the API, in
    en-US, es-ES and it-IT. Each answer is kept whole for the Then steps."""
    the_scene = scene(context)
    ids = the_scene.benefits_ids(org)
    link_body = {"access_id": ids[0], "contract_id": ids[1]}
    for lang in LANGUAGES:
        azure = the_scene.clients(upn).azure
        azure = type(azure)(azure.base_url, azure.world, upn, azure.session, lang)
        arm = the_scene.arm(upn, lang)
        filed = the_scene.fetch(azure, "GET", "/api/supportrequests").json()["value"]
        pages = [*AZURE_PAGES, *(f"/support/requests/{r['id']}" for r in filed)]
        for path in pages:
            page = the_scene.fetch(azure, "GET", path, accept="text/html")
            shown = parse_html(page.text).find("html")
            found = (page.status_code, shown.attrs.get("lang") if shown else None)
            assert found == (200, lang), f"expected {path} in {lang} (200), found {found}"
        the_scene.fetch(azure, "POST", "/help-support/plans/link", accept="text/html", data=link_body)
        for path in [*AZURE_API, *(f"/api/supportrequests/{r['id']}" for r in filed)]:
            the_scene.fetch(azure, "GET", path)
        the_scene.fetch(azure, "POST", "/api/supportplans/link", json=link_body)
        services = the_scene.fetch(arm, "GET", f"{PROVIDER}/services", params=ARM_VERSION).json()["value"]
        for service in services:
            the_scene.fetch(arm, "GET", f"{service['id']}/problemClassifications", params=ARM_VERSION)
        for path in ARM_READS:
            the_scene.fetch(arm, "GET", path, params=ARM_VERSION)
        tickets = the_scene.fetch(arm, "GET", f"{SUBSCRIPTION}/supportTickets", params=ARM_VERSION).json()
        for ticket in tickets["value"]:
            the_scene.fetch(arm, "GET", ticket["id"], params=ARM_VERSION)
            the_scene.fetch(arm, "GET", f"{ticket['id']}/communications", params=ARM_VERSION)
        body = {"name": "another-ticket", "type": "Microsoft.Support/supportTickets"}
        the_scene.fetch(arm, "POST", f"{SUBSCRIPTION}/checkNameAvailability", params=ARM_VERSION, json=body)


@then("no Azure answer in this scenario mentions remaining incidents or the counts {counts}")
def no_remaining_count(context: Context, counts: str) -> None:
    """R-SFB-05: every answer a step read whole, and every answer of the Azure portal and the Azure
    Support API in the world's journal, searched in every field and text."""
    the_scene = scene(context)
    wanted = [int(n) for n in counts.replace(" and ", ",").split(",")]
    answers = [(label, response.text) for label, response in the_scene.seen]
    journaled = {"azure": 0, "azure_management": 0}
    for portal in journaled:
        for entry in the_scene.journal(portal):
            answers.append((f"journal {entry['method']} {entry['url']}", entry["response"]["body"] or ""))
            journaled[portal] += 1
    assert min(journaled.values()) >= 30, f"expected the Azure answers in the journal, found {journaled}"
    assert len(answers) >= 100, f"expected the answers of every Azure page and API, found {len(answers)}"
    # The banner names the world after the scenario: the harness's words, not the portal's.
    leaks = [
        f"{label}: {leak}"
        for label, body in answers
        for leak in remaining_leaks(body.replace(the_scene.world, "<world>"), wanted)
    ]
    assert leaks == [], (
        f"expected no remaining-incident count in {len(answers)} Azure answers, found {leaks[:10]}"
    )


@then("the same search finds the {count:d} remaining incidents on step 2 of Support for Business")
def search_finds_step2(context: Context, count: int) -> None:
    """The search above can fail: on the portal that does show them, it finds the count."""
    the_scene = scene(context)
    sfb = the_scene.clients(the_scene.actor).sfb
    query = {"product": "windows-10", **FICTITIOUS}
    page = the_scene.fetch(sfb, "GET", "/supportforbusiness/create/step2", accept="text/html", params=query)
    plans = the_scene.fetch(sfb, "GET", "/api/plans", params={"product": "windows-10"})
    for answer in (page, plans):
        leaks = remaining_leaks(answer.text, [count])
        assert leaks, (
            f"expected the search to find {count} remaining incidents in {answer.url}, found nothing"
        )
