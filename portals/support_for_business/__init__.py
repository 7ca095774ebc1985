"""The emulated Support for Business portal: on-premises support requests in two steps, "Add contract"
and the one place remaining incidents are shown (R-SFB-01..08, D4, D7)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from portals.backend import WorldRegistry
from portals.web.app import create_portal_app


def create_app(registry: WorldRegistry | None = None, config: dict[str, Any] | None = None) -> Flask:
    from portals.support_for_business.api import api
    from portals.support_for_business.pages import pages

    app = create_portal_app(__name__, "support_for_business", "Support for Business", registry, config)
    app.register_blueprint(pages)
    app.register_blueprint(api)
    return app
