"""The emulated Azure portal: Help + support, Support plans, "Link support benefits" and
"+ New support request" (R-AZ-01..09, D5, D6). It never shows a remaining-incident count."""

from __future__ import annotations

from typing import Any

from flask import Flask

from portals.backend import WorldRegistry
from portals.web.app import create_portal_app


def create_app(registry: WorldRegistry | None = None, config: dict[str, Any] | None = None) -> Flask:
    from portals.azure_portal.api import api
    from portals.azure_portal.pages import pages

    app = create_portal_app(__name__, "azure", "Microsoft Azure", registry, config)
    app.register_blueprint(pages)
    app.register_blueprint(api)
    return app
