"""The Partner Center REST API (``/v1`` on api.partnercenter.test): the public API's shapes over the
shared backend, so programs written against Partner Center's REST API or its SDKs can run the seeds'
flows. Shapes are translated here; every rule stays in the backend."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the package is imported for its spec too: Flask only when an app is made
    from flask import Flask

    from portals.backend import WorldRegistry


def create_app(registry: WorldRegistry | None = None, config: dict[str, Any] | None = None) -> Flask:
    from portals.partner_center_api.api import LocaleConverter, api, call_headers, identify
    from portals.partner_center_api.spec import SPEC
    from portals.web.app import create_portal_app

    app = create_portal_app(SPEC, registry, config)
    app.before_request(identify)  # after the shared resolver: the world and the token's upn are known
    app.after_request(call_headers)
    app.url_map.converters["locale"] = LocaleConverter  # before the routes that use it
    app.url_map.merge_slashes = False  # "//" in a path: 404 in the API's shape, not a redirect page
    app.register_blueprint(api)
    return app
