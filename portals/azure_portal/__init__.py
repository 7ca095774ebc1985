"""The emulated Azure portal: Help + support, Support plans, "Link support benefits" and
"+ New support request" (R-AZ-01..09, D5, D6). It never shows a remaining-incident count."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the package is imported for its spec too: Flask only when an app is made
    from flask import Flask

    from portals.backend import WorldRegistry


def create_app(registry: WorldRegistry | None = None, config: dict[str, Any] | None = None) -> Flask:
    from portals.azure_portal.api import api
    from portals.azure_portal.pages import pages
    from portals.azure_portal.spec import SPEC
    from portals.web.app import create_portal_app

    app = create_portal_app(SPEC, registry, config)
    app.register_blueprint(pages)
    app.register_blueprint(api)
    return app
