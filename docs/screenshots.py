"""Take the README's walkthrough screenshots from the real pages: ``portal-harness serve``'s stack
(loopback ports, the default world seeded with ``docs/walkthrough/seed.yaml``) clicked through in
headless Chromium from the world dashboard, one PNG per step into ``docs/walkthrough/``.

    .venv/bin/python docs/screenshots.py [--out DIR]

Run it again after a page changes, so the README keeps showing what a person really sees.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from harness.browser import Browser, chromium_problem, skip_line
from harness.stack import PortalStack
from portals.backend import WorldRegistry, load_document_file

HERE = Path(__file__).resolve().parent / "walkthrough"


def shoot(page: Any, out: Path, name: str) -> None:
    """The visible window only (1100x800): small files that still show the whole step."""
    path = out / f"{name}.png"
    page.screenshot(path=str(path))
    print(f"wrote {path}  ({page.url})")


def sign_in_from_dashboard(page: Any, dashboard: str, upn: str, portal: str) -> None:
    """The dashboard's world page, then its "sign in as" link of ``upn`` into ``portal``."""
    page.goto(dashboard)
    page.get_by_test_id("accounts").locator(f'tr[data-account="{upn}"] a[data-portal="{portal}"]').click()


def walk(urls: dict[str, str], page: Any, out: Path) -> None:
    """The steps of the README, as a person does them: from the dashboard, then the portals."""
    dashboard = f"{urls['partner_center']}/_harness/dashboard/default"
    # 0. The dashboard: the worlds, then the default world with its organisation and accounts.
    page.goto(f"{urls['partner_center']}/_harness/")
    page.get_by_role("link", name="default", exact=True).click()
    shoot(page, out, "0-dashboard")

    # 1. Partner Center, signed in from the dashboard as the Global admin: Activate, read the IDs.
    sign_in_from_dashboard(page, dashboard, "admin@contoso.com", "partner_center")
    page.get_by_test_id("activate").click()
    access_id = page.get_by_test_id("access-id").inner_text().strip()
    contract_id = page.get_by_test_id("contract-id").inner_text().strip()
    shoot(page, out, "1-partner-center-activate")

    # 2. Support for Business as a user: step 1, step 2, "Add contract", remaining incidents.
    sign_in_from_dashboard(page, dashboard, "user@contoso.com", "support_for_business")
    page.locator("select[name=product]").select_option(label="Windows 10")
    page.locator("input[name=title]").fill("Fictitious problem")
    page.locator("textarea[name=description]").fill("Only to read the remaining incidents at step 2")
    page.get_by_role("button", name="Next").click()
    page.locator("summary", has_text="Do you need to purchase or add more support plans").click()
    page.locator("input[name=access_id]").fill(access_id)
    page.locator("input[name=contract_id]").fill(contract_id)
    page.get_by_role("button", name="Add contract").click()
    page.get_by_test_id("available-plans").scroll_into_view_if_needed()
    shoot(page, out, "2-support-for-business-step-2")

    # 3. The portal switcher to the Azure portal (same world, language and account): Support plans,
    #    "Link support benefits" with the same IDs.
    page.get_by_test_id("portal-switcher").get_by_role("link", name="Azure portal", exact=True).click()
    page.locator("input[name=access_id]").fill(access_id)
    page.locator("input[name=contract_id]").fill(contract_id)
    shoot(page, out, "3-azure-link-support-benefits")

    # 4. The spurious error.
    page.get_by_role("button", name="Link support benefits").click()
    page.get_by_role("alert").wait_for()
    shoot(page, out, "4-azure-spurious-error")

    # 5. "+ New support request" lists the plan anyway, and the request is created.
    page.get_by_role("link", name="+ New support request").first.click()
    page.locator("select[name=product]").select_option(label="Virtual Machine running Windows")
    page.locator("input[name=title]").fill("VM does not start")
    page.locator("textarea[name=description]").fill("Created although linking showed the error")
    page.get_by_role("button", name="Create").click()
    page.get_by_test_id("request-created").wait_for()
    shoot(page, out, "5-azure-new-support-request")

    # 6. Back on the dashboard: the journal entry of the spurious error, opened.
    page.get_by_test_id("dashboard-link").click()
    form = page.get_by_test_id("journal-filter")
    form.locator("input[name=path]").fill("/help-support/plans/link")
    form.get_by_role("button").click()
    entry = page.locator('details[data-method="POST"][data-path="/help-support/plans/link"]')
    entry.locator(":scope > summary").click()
    entry.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -120)")
    shoot(page, out, "6-dashboard-journal")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=HERE, help=f"folder for the PNGs (default {HERE})")
    args = parser.parse_args(argv)
    problem = chromium_problem()
    if problem:
        print(skip_line(problem).replace("UI scenarios skipped", "no screenshots"), file=sys.stderr)
        return 1
    registry = WorldRegistry(load_document_file(str(HERE / "seed.yaml")))
    args.out.mkdir(parents=True, exist_ok=True)
    with PortalStack("live", registry) as stack, Browser() as chromium:
        walk(stack.urls, chromium.new_page("en-US"), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
