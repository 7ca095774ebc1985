"""CSP: Customers > customer > Service management > New request > workload (R-CSP-01)."""

from __future__ import annotations

from behave import then, when
from behave.runner import Context

from steps.common import FICTITIOUS, scene, slug


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
