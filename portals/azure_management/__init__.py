"""The Azure Support REST API (Microsoft.Support, api-versions 2024-04-01 and 2020-04-01) on
``management.azure.test``: ARM's shapes over the shared backend, so programs written for Azure's
REST API or its SDK (``azure-mgmt-support``) run the seeds' flows. Shapes are translated here;
every rule stays in the backend, and no answer carries a remaining-incident count (R-SFB-05)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the package is imported for its spec too: Flask only when an app is made
    from flask import Flask

    from portals.backend import WorldRegistry


def create_app(registry: WorldRegistry | None = None, config: dict[str, Any] | None = None) -> Flask:
    from portals.azure_management.api import api, arm_headers, arm_request
    from portals.azure_management.errors import install_error_handlers
    from portals.azure_management.paths import install as match_in_any_case
    from portals.azure_management.spec import SPEC
    from portals.web.app import create_portal_app

    app = create_portal_app(SPEC, registry, config)
    install_error_handlers(app)
    app.before_request(arm_request)  # after the shared resolver: the world and the token's upn are known
    app.after_request(arm_headers)
    app.url_map.merge_slashes = False  # "//" in a path: 404 in the API's shape, not a redirect page
    app.register_blueprint(api)
    match_in_any_case(app)  # ARM's namespaces and resource types, in any case
    return app
