"""The emulated Support for Business portal: on-premises support requests in two steps, "Add contract"
and the one place remaining incidents are shown (R-SFB-01..08, D4, D7)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the package is imported for its spec too: Flask only when an app is made
    from flask import Flask

    from portals.backend import WorldRegistry


def create_app(registry: WorldRegistry | None = None, config: dict[str, Any] | None = None) -> Flask:
    from portals.support_for_business.api import api
    from portals.support_for_business.pages import pages
    from portals.support_for_business.spec import SPEC
    from portals.web.app import create_portal_app

    app = create_portal_app(SPEC, registry, config)
    app.register_blueprint(pages)
    app.register_blueprint(api)
    return app
