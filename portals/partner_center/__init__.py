"""The emulated Partner Center: Technical benefits and their activation, CSP customers and their
service requests, paid partner support plans (R-PC-01..08, R-EN-01..02, R-CSP-01, R-AZ-09)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the package is imported for its spec too: Flask only when an app is made
    from flask import Flask

    from portals.backend import WorldRegistry


def create_app(registry: WorldRegistry | None = None, config: dict[str, Any] | None = None) -> Flask:
    from portals.partner_center.api import api
    from portals.partner_center.pages import pages
    from portals.partner_center.spec import SPEC
    from portals.web.app import create_portal_app

    app = create_portal_app(SPEC, registry, config)
    app.register_blueprint(pages)
    app.register_blueprint(api)
    return app


#: R-PC-01: where the TPD card's "more information" goes. The seeds link the Partner Center article
#: ``technical-benefits.md``; its public page is this one (Microsoft Learn picks the reader's language).
#: It opens in a new tab: the emulator does not describe TPD beyond what the seeds say.
TPD_MORE_INFORMATION = "https://learn.microsoft.com/partner-center/technical-benefits"
