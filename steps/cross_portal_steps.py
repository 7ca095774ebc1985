"""CSP: Customers > customer > Service management > New request > workload (R-CSP-01), and the
partner's "Cloud Solution Provider" contract it adds to the customer (D12)."""

from __future__ import annotations

from behave import then, when
from behave.runner import Context

from steps.common import FICTITIOUS, Scene, scene, slug


@when('"{upn}" opens Customers in Partner Center')
def open_customers(context: Context, upn: str) -> None:
    scene(context).attempt(upn, lambda c: c.pc.customers())


@then('the customers are "{names}"')
def customers_are(context: Context, names: str) -> None:
    listed = ", ".join(customer["name"] for customer in scene(context).succeeded())
    assert listed == names, f"expected the customers {names!r}, found {listed!r}"


@when('"{upn}" opens "{customer}" > Service management > New request for the "{workload}" workload')
def new_customer_request(context: Context, upn: str, customer: str, workload: str) -> None:
    scene(context).attempt(upn, lambda c: c.pc.new_customer_request(slug(customer), workload, **FICTITIOUS))


@then('the Azure portal opens on the new request for "{customer}"')
def azure_opens_request(context: Context, customer: str) -> None:
    """Follow the workload portal's address Partner Center answers with, as a browser would."""
    the_scene = scene(context)
    created = the_scene.succeeded()
    expected = f"{the_scene.portals.urls['azure']}/support/requests/"
    assert created["azure_url"].startswith(expected), f"expected {expected}…, found {created['azure_url']}"
    page = the_scene.clients().session.get(created["azure_url"], headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200, f"expected the request's page (200), found {page.status_code}"
    request_id = created["request"]["id"]
    assert request_id in page.text, f"expected request {request_id} on the page, found it missing"
    assert slug(customer) in page.text, (
        f"expected the customer {slug(customer)} on the page, found it missing"
    )


@when('"{upn}" submits New request for "{customer}" on the Service management page')
def submit_service_request_page(context: Context, upn: str, customer: str) -> None:
    the_scene = scene(context)
    path = f"/commerce/customers/{slug(customer)}/servicemanagement/newrequest"
    form = {"workload": "azure", "product": "app-service", "severity": "C", **FICTITIOUS}
    the_scene.open_page(upn, the_scene.clients(upn).pc, path, **form)


@then('the browser lands on the Azure portal\'s page of the new request for "{customer}"')
def lands_on_azure(context: Context, customer: str) -> None:
    the_scene = scene(context)
    page = the_scene.page
    assert page is not None and page.status_code == 200, f"expected a page (200), found {page}"
    expected = f"{the_scene.portals.urls['azure']}/support/requests/"
    assert page.url.startswith(expected), f"expected the browser on {expected}…, found {page.url}"
    assert slug(customer) in page.text, (
        f"expected the customer {slug(customer)} on the page, found it missing"
    )


# --- D12: the partner's "Cloud Solution Provider" contract ---------------------------------------------
def service_page(context: Context, upn: str, customer: str) -> list[str]:
    """The contract IDs the customer's Service management page lists under Support plans."""
    the_scene = scene(context)
    path = f"/commerce/customers/{slug(customer)}/servicemanagement"
    page = the_scene.open_page(upn, the_scene.clients(upn).pc, path)
    assert page.status_code == 200, f"expected the Service management page, found {page.status_code}"
    return [
        row.attrs["data-contract"]
        for row in the_scene.marked("customer-plans").iter()
        if "data-contract" in row.attrs
    ]


@then('"{upn}" sees no support plan for "{customer}"')
def sees_no_customer_plan(context: Context, upn: str, customer: str) -> None:
    plans = scene(context).clients(upn).pc.customer_support_plans(slug(customer))
    assert plans == [], f"expected no support plan for {customer}, found {plans}"
    listed = service_page(context, upn, customer)
    assert listed == [], f"expected the Service management page to list no plan, found {listed}"


@then('the request is filed on the Cloud Solution Provider contract of "{org}"')
def filed_on_csp_contract(context: Context, org: str) -> None:
    """The partner's one CSP contract (read from the world's state), and the request's."""
    the_scene = scene(context)
    created = the_scene.succeeded()["request"]
    contracts = [c["contract_id"] for c in the_scene.contracts(org) if c["kind"] == "csp"]
    assert contracts == [created["contract_id"]], (
        f"expected {org}'s one CSP contract {contracts}, found {created}"
    )
    assert created["plan"] == "csp", f"expected the csp plan, found {created['plan']}"
    context.csp_contract = created["contract_id"]


@then('the request is filed on the same Cloud Solution Provider contract of "{org}"')
def filed_on_same_csp_contract(context: Context, org: str) -> None:
    the_scene = scene(context)
    created = the_scene.succeeded()["request"]
    contracts = [c["contract_id"] for c in the_scene.contracts(org) if c["kind"] == "csp"]
    expected = [context.csp_contract]
    assert contracts == expected, f"expected {org} to have the one CSP contract {expected}, found {contracts}"
    assert created["contract_id"] == context.csp_contract, (
        f"expected the request on contract {context.csp_contract}, found {created['contract_id']}"
    )


@then(
    '"{upn}" sees that contract as the one support plan of "{customer}", added on {date} in the Azure portal'
)
def sees_csp_contract(context: Context, upn: str, customer: str, date: str) -> None:
    plans = scene(context).clients(upn).pc.customer_support_plans(slug(customer))
    found = [(p.display_name, p.contract_id, p.added_at[:10], p.portal) for p in plans]
    expected = [("Cloud Solution Provider", context.csp_contract, date, "azure")]
    assert found == expected, f"expected {expected}, found {found}"
    listed = service_page(context, upn, customer)
    assert listed == [context.csp_contract], (
        f"expected the page to list {context.csp_contract}, found {listed}"
    )


def contracts_listed(the_scene: Scene) -> list[str]:
    """The contract IDs of the customer's support plans table on the open page."""
    return [
        row.attrs["data-contract"]
        for row in the_scene.marked("customer-plans").iter()
        if "data-contract" in row.attrs
    ]


@then('the Azure portal shows that contract among the support plans of "{customer}" to "{upn}"')
def azure_shows_csp_contract(context: Context, customer: str, upn: str) -> None:
    """D12: the contract was added to the customer in the workload's portal, whose support plans list
    it. Followed as a person goes: Partner Center's Service management page, its link to the Azure
    portal's Support plans of the customer; and the Azure portal's JSON API."""
    the_scene = scene(context)
    the_scene.visit(upn, "partner_center", f"/commerce/customers/{slug(customer)}/servicemanagement")
    page = the_scene.follow("Support plans in the Azure portal")
    expected = f"{the_scene.portals.urls['azure']}/help-support/plans"
    assert page.status_code == 200 and page.url.startswith(expected), (
        f"expected the Azure portal's Support plans page (200) at {expected}…, "
        f"found {page.status_code} {page.url}"
    )
    heading = the_scene.marked("customer").text()
    assert heading == f"Support plans of {customer}", f"expected the plans of {customer}, found {heading!r}"
    listed = contracts_listed(the_scene)
    assert listed == [context.csp_contract], (
        f"expected the Azure portal to list {context.csp_contract}, found {listed}"
    )
    plans = the_scene.clients(upn).azure.customer_support_plans(slug(customer))
    found = [(p.display_name, p.contract_id) for p in plans]
    assert found == [("Cloud Solution Provider", context.csp_contract)], (
        f"expected the Azure portal API to list the CSP contract {context.csp_contract}, found {found}"
    )


@then('the Azure portal\'s page of the request lists that contract among the support plans of "{customer}"')
def azure_request_page_lists_csp_contract(context: Context, customer: str) -> None:
    the_scene = scene(context)
    created = the_scene.succeeded()["request"]
    upn = the_scene.actor
    assert upn is not None, "expected an account to have filed the request, found none"
    page = the_scene.visit(upn, "azure", f"/support/requests/{created['id']}")
    assert page.status_code == 200, f"expected the request's page (200), found {page.status_code}"
    listed = contracts_listed(the_scene)
    assert listed == [context.csp_contract], (
        f"expected the request's page to list {customer}'s plan {context.csp_contract}, found {listed}"
    )
