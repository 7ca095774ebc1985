"""Steps of the ``@ui`` scenarios: what a person clicks and reads in headless Chromium (Playwright's
sync API), found by the pages' ``data-testid`` hooks and visible texts. The world is still built by
the Given steps of the other modules (through the control API); no rule of the rulebook lives here.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import parse
from behave import given, register_type, then, when
from behave.runner import Context

import portals.backend  # its seed-document names load their pydantic models on first use
from steps.common import BENEFITS_PAGE, FICTITIOUS, instant, scene

if TYPE_CHECKING:  # Playwright is the `browser` extra: the other steps load without it
    from playwright.sync_api import Page

GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
PORTAL_NAMES = {
    "Partner Center": "partner_center",
    "Support for Business": "support_for_business",
    "the Azure portal": "azure",
}
register_type(
    PortalName=parse.with_pattern("|".join(map(re.escape, PORTAL_NAMES)))(lambda text: PORTAL_NAMES[text])
)


# --- the scenario's browser page -------------------------------------------------------------------
def expect(target: Any) -> Any:
    """Playwright's ``expect`` (imported when a ``@ui`` step runs, so the other steps load without
    the ``browser`` extra)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def page(context: Context) -> Page:
    """The scenario's page: a fresh browser context on first use, in the browser's language."""
    if getattr(context, "ui_page", None) is None:
        context.ui_page = context.ui.new_page(getattr(context, "ui_locale", None))
    return context.ui_page


def visit(context: Context, portal: str, path: str, upn: str) -> Page:
    """Open a portal page in the scenario's world (``?world=``) signed in as ``upn``, the way the
    portals' cross-portal links do it (``login_hint``): one page load instead of a detour through
    the sign-in page (the Spanish feature walks that page itself)."""
    tab = page(context)
    query = urlencode({"world": scene(context).ensure_world(), "login_hint": upn})
    tab.goto(f"{context.ui.urls[portal]}{path}?{query}")
    return tab


def pick_account(tab: Page, upn: str) -> None:
    tab.get_by_role("button", name=upn, exact=True).click()
    tab.wait_for_load_state()


def ids(context: Context) -> tuple[str, str]:
    found = getattr(context, "ui_ids", None)
    assert found, "expected an Access ID and a Contract ID read earlier, found none"
    return found


# --- Given ------------------------------------------------------------------------------------------
@given("the browser speaks {language:Language}")
def browser_language(context: Context, language: str) -> None:
    """The browser's language (its Accept-Language), set before the first page opens."""
    assert getattr(context, "ui_page", None) is None, (
        "expected the language before the first page, found a page"
    )
    context.ui_locale = language


@given('I know the Access ID and Contract ID of "{org}"')
def know_ids(context: Context, org: str) -> None:
    """As if read from Partner Center earlier: the IDs to type into the pages."""
    context.ui_ids = scene(context).benefits_ids(org)


# --- opening pages ----------------------------------------------------------------------------------
@when('I open the Technical benefits page as "{upn}"')
def open_benefits(context: Context, upn: str) -> None:
    visit(context, "partner_center", BENEFITS_PAGE, upn)


@when('I open Customers in Partner Center as "{upn}"')
def open_customers(context: Context, upn: str) -> None:
    visit(context, "partner_center", "/commerce/customers/list", upn)


@when('I start a support request in Support for Business as "{upn}" for "{product}"')
def start_request(context: Context, upn: str, product: str) -> None:
    """Step 1 (product, fictitious summary and details), then Next: step 2 (R-SFB-06)."""
    tab = visit(context, "support_for_business", "/supportforbusiness/create", upn)
    describe_problem(context, product)
    tab.get_by_test_id("step1-form").locator("button[type=submit]").click()
    tab.wait_for_load_state()


@when('I open Support for Business as "{upn}"')
def open_sfb(context: Context, upn: str) -> None:
    """Step 1 of a new support request: the product list."""
    visit(context, "support_for_business", "/supportforbusiness/create", upn)


@when('I open Support plans in the Azure portal as "{upn}"')
def open_azure_plans(context: Context, upn: str) -> None:
    visit(context, "azure", "/help-support/plans", upn)


@when("I reload the page")
def reload(context: Context) -> None:
    page(context).reload()


# --- acting on a page ---------------------------------------------------------------------------------
@when('I press "{label}"')
def press(context: Context, label: str) -> None:
    tab = page(context)
    tab.get_by_role("button", name=label, exact=True).click()
    tab.wait_for_load_state()


@when('I click "{label}"')
def click_link(context: Context, label: str) -> None:
    tab = page(context)
    tab.get_by_role("link", name=label, exact=True).first.click()
    tab.wait_for_load_state()


@when('I pick the account "{upn}"')
def pick(context: Context, upn: str) -> None:
    pick_account(page(context), upn)


@when('I expand "{label}"')
def expand(context: Context, label: str) -> None:
    """Open one of the page's expanders (a ``<details>`` whose summary reads ``label``)."""
    summary = page(context).locator("summary", has_text=label)
    summary.click()
    expect(summary.locator("xpath=..")).to_have_attribute("open", "")


@when("I enter the Access ID and Contract ID")
def enter_ids(context: Context) -> None:
    access_id, contract_id = ids(context)
    tab = page(context)
    tab.locator("input[name=access_id]:visible").fill(access_id)
    tab.locator("input[name=contract_id]:visible").fill(contract_id)


@when('I describe a problem with "{product}"')
def describe_problem(context: Context, product: str) -> None:
    """Choose the product by its name and type a fictitious summary and details."""
    tab = page(context)
    tab.locator("select[name=product]").select_option(label=product)
    tab.locator("input[name=title]").fill(FICTITIOUS["title"])
    tab.locator("textarea[name=description]").fill(FICTITIOUS["description"])


@when("I switch the page to {language:Language}")
def switch_language(context: Context, language: str) -> None:
    """The language links of the banner every page shows."""
    tab = page(context)
    tab.locator(".harness-banner .langs").get_by_role("link", name=language, exact=True).click()
    tab.wait_for_load_state()


# --- what the page shows ----------------------------------------------------------------------------
@then('the browser shows "{text}"')
def shows(context: Context, text: str) -> None:
    expect(page(context).locator("main")).to_contain_text(text)


@then('the browser shows the error "{message}"')
def shows_error(context: Context, message: str) -> None:
    expect(page(context).get_by_role("alert")).to_have_text(message)


@then("the browser shows an Access ID and a Contract ID")
def shows_ids(context: Context) -> None:
    """A GUID and ten digits, read from the page and kept for the next pages."""
    tab = page(context)
    access_id = tab.get_by_test_id("access-id").inner_text().strip()
    contract_id = tab.get_by_test_id("contract-id").inner_text().strip()
    assert GUID.match(access_id), f"expected a GUID as the Access ID, found {access_id!r}"
    assert re.fullmatch(r"\d{10}", contract_id), (
        f"expected ten digits as the Contract ID, found {contract_id!r}"
    )
    context.ui_ids = (access_id, contract_id)


@then("the browser shows the same Access ID and Contract ID")
def shows_same_ids(context: Context) -> None:
    access_id, contract_id = ids(context)
    tab = page(context)
    expect(tab.get_by_test_id("access-id")).to_have_text(access_id)
    expect(tab.get_by_test_id("contract-id")).to_have_text(contract_id)


@then("the browser shows no Access ID or Contract ID")
def shows_no_ids(context: Context) -> None:
    tab = page(context)
    expect(tab.get_by_test_id("access-id")).to_have_count(0)
    expect(tab.get_by_test_id("contract-id")).to_have_count(0)


@then("the browser shows step 2 with the partner support contract and {count:d} remaining incidents")
def shows_step2(context: Context, count: int) -> None:
    """The contract among the available plans, with its start and end dates (R-SFB-06)."""
    plan = page(context).get_by_test_id("available-plans").locator(f'[data-plan="{ids(context)[1]}"]')
    expect(plan).to_be_visible()
    expect(plan).to_have_attribute("data-remaining", str(count))
    expect(plan.locator("strong")).to_have_text(str(count))
    expect(plan.get_by_test_id("start-date")).to_have_text(re.compile(r"\d{4}-\d\d-\d\d"))
    expect(plan.get_by_test_id("end-date")).to_have_text(re.compile(r"\d{4}-\d\d-\d\d"))


@then('the unavailable support plans list the contract as "{reason}"')
def unavailable_lists(context: Context, reason: str) -> None:
    plan = page(context).get_by_test_id("unavailable-plans").locator(f'[data-plan="{ids(context)[1]}"]')
    expect(plan).to_be_visible()
    expect(plan).to_contain_text(reason)


@then('the unavailable support plans show the Signature information "{text}"')
def shows_signature(context: Context, text: str) -> None:
    """R-SFB-08: the partner's Signature information beside the unavailable contract."""
    plan = page(context).get_by_test_id("unavailable-plans").locator(f'[data-plan="{ids(context)[1]}"]')
    expect(plan.get_by_test_id("signature-information")).to_contain_text(text)


@then('the product list offers "{product}" under "{group}"')
def product_in_group(context: Context, product: str, group: str) -> None:
    """Step 1's product list: the option sits in the ``<optgroup>`` labelled ``group`` (D7)."""
    select = page(context).get_by_test_id("product-select")
    expect(
        select.locator(f'optgroup[label="{group}"] option', has_text=re.compile(rf"^{re.escape(product)}$"))
    ).to_have_count(1)


@then('the product list does not offer "{product}"')
def product_not_listed(context: Context, product: str) -> None:
    select = page(context).get_by_test_id("product-select")
    expect(select.locator("option", has_text=re.compile(rf"^{re.escape(product)}$"))).to_have_count(0)


@then("the support plan list offers the plan of the contract")
def offers_plan(context: Context) -> None:
    expect(page(context).get_by_test_id("plan-select")).to_contain_text(ids(context)[1])


@then("the browser shows no remaining incidents")
def no_remaining(context: Context) -> None:
    """Cloud portals never show remaining incidents (R-SFB-05)."""
    expect(page(context).locator("[data-remaining], [data-testid=remaining]")).to_have_count(0)
    text = page(context).locator("main").inner_text()
    assert "remaining" not in text.lower(), f"expected no 'remaining' on the page, found {text!r}"


@then("the browser shows the new support request")
def shows_new_request(context: Context) -> None:
    tab = page(context)
    expect(tab.get_by_test_id("request-created")).to_be_visible()
    expect(tab.get_by_test_id("request")).to_have_attribute("data-request-id", re.compile(r"^\d{16}$"))


@then('the browser is on {portal:PortalName} at "{path}"')
def browser_is_on(context: Context, portal: str, path: str) -> None:
    """The address bar: in-process and live it names the portal's ``.test`` host."""
    url = f"{context.ui.urls[portal]}{path}"
    expect(page(context)).to_have_url(re.compile(rf"^{re.escape(url)}"))


@then("the page is in {language:Language}")
def page_language(context: Context, language: str) -> None:
    expect(page(context).locator("html")).to_have_attribute("lang", language)


# --- the portal switcher and the account menu ------------------------------------------------------------
@when('I switch to "{name}" in the portal switcher')
def use_switcher(context: Context, name: str) -> None:
    """The strip above every portal's header: each portal by its name in the page's language."""
    tab = page(context)
    tab.get_by_test_id("portal-switcher").get_by_role("link", name=name, exact=True).click()
    tab.wait_for_load_state()


@then('the browser is signed in as "{upn}"')
def signed_in_as(context: Context, upn: str) -> None:
    expect(page(context).get_by_test_id("account-menu").locator("summary")).to_have_text(upn)


@then("the banner names the scenario's world")
def banner_names_world(context: Context) -> None:
    expect(page(context).get_by_test_id("world")).to_have_text(scene(context).world)


@then("the Azure portal's support plans list the contract")
def azure_lists_contract(context: Context) -> None:
    """The plans table of Help + support > Support plans has the contract's row (D3: associated once)."""
    expect(page(context).get_by_test_id("plans").locator(f'tr[data-plan="{ids(context)[1]}"]')).to_have_count(
        1
    )


#: Desktop and phone windows the account menu is checked at (CSS pixels).
WINDOWS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 740}}
#: For each item of the account menu (its summary, then its links): where a click at its centre
#: lands, found by ``document.elementFromPoint`` as the browser itself hit-tests a click.
MENU_HITS = """() => {
  const menu = document.querySelector('[data-testid="account-menu"]');
  const items = [menu.querySelector('summary'), ...menu.querySelectorAll('.menu a')];
  return items.map((item) => {
    item.scrollIntoView({block: 'nearest', inline: 'nearest'});
    const box = item.getBoundingClientRect();
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    const hit = document.elementFromPoint(x, y);
    return {
      item: item.textContent.trim(),
      reached: hit !== null && (hit === item || item.contains(hit)),
      hit: hit === null ? null : (hit.textContent || hit.tagName).trim().slice(0, 60),
      inside: box.left >= 0 && box.right <= window.innerWidth && box.width > 0 && box.height > 0,
    };
  });
}"""


@then(
    "in English, Spanish and Italian, on a desktop and a phone, a click at the centre of each item of "
    "the account menu reaches that item"
)
def account_menu_items_reachable(context: Context) -> None:
    """The menu opened on the current page in each language (its banner's language links) and window
    size; each item must be the element at its own centre, inside the window."""
    tab = page(context)
    missed = []
    for language in ("en-US", "es-ES", "it-IT"):
        tab.locator(".harness-banner .langs").get_by_role("link", name=language, exact=True).click()
        tab.wait_for_load_state()
        for window, size in WINDOWS.items():
            tab.set_viewport_size(size)
            menu = tab.get_by_test_id("account-menu")
            if menu.get_attribute("open") is None:
                menu.locator("summary").click()
            expect(menu.locator(".menu a").first).to_be_visible()
            hits = tab.evaluate(MENU_HITS)
            assert len(hits) == 3, f"expected the account and its two links in the menu, found {hits}"
            missed += [
                f"{language} {window}: {h['item']!r} (a click there reaches {h['hit']!r})"
                for h in hits
                if not (h["reached"] and h["inside"])
            ]
    tab.set_viewport_size(WINDOWS["desktop"])
    assert missed == [], (
        f"expected each item of the account menu to take a click at its centre, found {missed}"
    )


#: The pages a person opens most, by portal; the world dashboard's (its list, the world's page, whose
#: journal then holds every page opened before it) on Partner Center's host.
MAIN_PAGES = (
    ("partner_center", BENEFITS_PAGE),
    ("partner_center", "/dashboard"),
    ("partner_center", "/commerce/customers/list"),
    ("partner_center", "/support/partnersupport"),
    ("support_for_business", "/supportforbusiness/create"),
    ("azure", "/help-support"),
    ("azure", "/help-support/plans"),
    ("azure", "/help-support/new"),
    ("azure", "/support/requests"),
    ("partner_center", "/_harness/"),
    ("partner_center", "/_harness/dashboard/{world}"),
)
#: How far a page reaches sideways past the window (0 when it does not scroll), and the elements
#: that stick out (not those inside a ``.table-scroll`` box, which scrolls on its own).
SIDEWAYS = """() => {
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest('.table-scroll'))
    .slice(0, 3)
    .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${(e.textContent || '').trim().slice(0, 40)}`);
  return {over: document.scrollingElement.scrollWidth - width, wide};
}"""


@then(
    'as "{upn}", no main page of the portals or the dashboard scrolls sideways on a phone, in English, '
    "Spanish and Italian"
)
def no_sideways_scroll(context: Context, upn: str) -> None:
    """Each of ``MAIN_PAGES`` at the phone's width (375 CSS pixels) in each language: the page's
    scrolling box is no wider than the window (wide tables scroll inside their own box)."""
    tab = page(context)
    world = scene(context).ensure_world()
    tab.set_viewport_size(WINDOWS["phone"])
    long_query = "x" * 300  # an unbroken URL, for the journal the dashboard shows last
    scrolling = []
    for language in ("en-US", "es-ES", "it-IT"):
        for portal, path in MAIN_PAGES:
            query = urlencode({"world": world, "lang": language, "login_hint": upn, "note": long_query})
            shown = path.format(world=world)
            tab.goto(f"{context.ui.urls[portal]}{shown}?{query}")
            found = tab.evaluate(SIDEWAYS)
            if found["over"] > 0:
                scrolling.append(f"{language} {shown}: {found['over']} px too wide ({found['wide']})")
    tab.set_viewport_size(WINDOWS["desktop"])
    assert scrolling == [], f"expected no page wider than the phone's 375 px, found {scrolling}"


@when('I click the centre of "{label}" in the account menu')
def click_menu_centre(context: Context, label: str) -> None:
    """Open the account menu and click where the item shows (the mouse, not the element)."""
    tab = page(context)
    menu = tab.get_by_test_id("account-menu")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()
    box = menu.get_by_role("link", name=label, exact=True).bounding_box()
    assert box is not None, f"expected {label!r} in the account menu, found it not shown"
    tab.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tab.wait_for_load_state()


# --- the world dashboard -----------------------------------------------------------------------------------
def dashboard_url(context: Context, path: str = "") -> str:
    """A page of the world dashboard, on Partner Center's host (every portal serves it)."""
    return f"{context.ui.urls['partner_center']}/_harness/{path}"


@when("I create the world on the dashboard from this seed document:")
def create_on_dashboard(context: Context) -> None:
    """The dashboard's "Create a world" form, with the scenario's world name and the docstring as its
    seed document (merged into what the Givens built, so the world's IDs repeat from run to run)."""
    the_scene = scene(context)
    the_scene.describe(portals.backend.parse_document(context.text))
    tab = page(context)
    tab.goto(dashboard_url(context))
    form = tab.get_by_test_id("create-form")
    form.locator("input[name=name]").fill(the_scene.world)
    form.locator("textarea[name=document]").fill(json.dumps(the_scene.seed, indent=1))
    form.locator("button[type=submit]").click()
    tab.wait_for_load_state()
    expect(tab.get_by_test_id("done")).to_have_attribute("data-kind", "created")
    the_scene.made = True  # made here: dropped when the scenario ends, as the fixture's own


@when("I open the world's dashboard")
def open_dashboard(context: Context) -> None:
    page(context).goto(dashboard_url(context, f"dashboard/{scene(context).ensure_world()}"))


@when("I open the world's dashboard from the banner")
def open_dashboard_from_banner(context: Context) -> None:
    tab = page(context)
    tab.get_by_test_id("dashboard-link").click()
    tab.wait_for_load_state()
    expect(tab.get_by_test_id("world-name")).to_contain_text(scene(context).world)


@then('the dashboard shows the contract of "{org}" as {state}')
def dashboard_contract_state(context: Context, org: str, state: str) -> None:
    """The organisation's benefits contract (its ID read from the world's state) in the Contracts
    table, in ``state`` (pending, active or expired)."""
    contract_id = scene(context).pending_ids(org)[1]
    row = page(context).get_by_test_id("contracts").locator(f'tr[data-contract="{contract_id}"]')
    expect(row).to_have_attribute("data-state", state)


@when('I advance the clock by "{by}" on the dashboard')
def advance_on_dashboard(context: Context, by: str) -> None:
    tab = page(context)
    context.dashboard_clock = instant(tab.get_by_test_id("now").get_attribute("data-now") or "")
    form = tab.get_by_test_id("advance-form")
    form.locator("input[name=by]").fill(by)
    form.locator("button[type=submit]").click()
    tab.wait_for_load_state()


@then("the dashboard's simulated date is {days:d} days later, as the world's clock says")
def dashboard_clock_moved(context: Context, days: int) -> None:
    shown = instant(page(context).get_by_test_id("now").get_attribute("data-now") or "")
    expected = context.dashboard_clock + timedelta(days=days)
    assert shown == expected, f"expected the dashboard's date {expected}, found {shown}"
    now = scene(context).now()
    assert now == expected, f"expected the world's clock at {expected}, found {now}"


@when('I sign in as "{upn}" into {portal:PortalName} from the dashboard')
def sign_in_from_dashboard(context: Context, upn: str, portal: str) -> None:
    tab = page(context)
    row = tab.get_by_test_id("accounts").locator(f'tr[data-account="{upn}"]')
    row.locator(f'a[data-portal="{portal}"]').click()
    tab.wait_for_load_state()


@then('the browser shows the Access ID and Contract ID of "{org}"')
def shows_org_ids(context: Context, org: str) -> None:
    """The IDs of the organisation's contract, as the world's state has them (the control API)."""
    access_id, contract_id = scene(context).pending_ids(org)
    tab = page(context)
    expect(tab.get_by_test_id("access-id")).to_have_text(access_id)
    expect(tab.get_by_test_id("contract-id")).to_have_text(contract_id)


@when('I filter the journal by path "{path}"')
def filter_journal(context: Context, path: str) -> None:
    tab = page(context)
    form = tab.get_by_test_id("journal-filter")
    form.locator("input[name=path]").fill(path)
    form.locator("button[type=submit]").click()
    tab.wait_for_load_state()


def journal_entry(context: Context, method: str, path: str) -> Any:
    return (
        page(context)
        .get_by_test_id("journal")
        .locator(f'details[data-method="{method}"][data-path="{path}"]')
    )


@then('the journal has one {method} "{path}", answered {status:d} with the refusal "{refusal}"')
def journal_names_refusal(context: Context, method: str, path: str, status: int, refusal: str) -> None:
    """The entry of the form post: its status, and the refusal its 303 names (X-Harness-Refusal)."""
    entry = journal_entry(context, method, path)
    expect(entry).to_have_count(1)
    expect(entry).to_have_attribute("data-status", str(status))
    expect(entry.get_by_test_id("entry-refusal")).to_have_text(refusal)


@when('I open the journal entry of {method} "{path}"')
def open_journal_entry(context: Context, method: str, path: str) -> None:
    entry = journal_entry(context, method, path)
    entry.locator(":scope > summary").click()
    expect(entry).to_have_attribute("open", "")
    context.journal_entry = entry


@then("the entry shows the Access ID and Contract ID the form sent")
def entry_shows_ids(context: Context) -> None:
    access_id, contract_id = ids(context)
    body = context.journal_entry.locator('pre[data-part="request-body"]')
    expect(body).to_have_text(urlencode({"access_id": access_id, "contract_id": contract_id}))


@then('the entry shows the answer sending the browser back to "{path}"')
def entry_shows_location(context: Context, path: str) -> None:
    location = context.journal_entry.locator('[data-part="location"] code')
    expect(location).to_have_text(re.compile(rf"^{re.escape(path)}\?outcome="))
