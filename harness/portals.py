"""Which portals a stack runs, their app factories and their reserved ``.test`` host names."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from flask import Flask

from portals.backend import WorldRegistry
from portals.web.hosts import PORTAL_HOSTS


@dataclass(frozen=True)
class PortalSpec:
    key: str
    module: str
    hosts: tuple[str, ...]

    def create_app(self, registry: WorldRegistry, config: dict[str, Any]) -> Flask:
        factory = importlib.import_module(self.module).create_app
        return factory(registry, config)


#: The portals of a stack; a package that is not there (yet) is left out by ``available_portals``.
PORTALS: dict[str, PortalSpec] = {
    "partner_center": PortalSpec(
        "partner_center", "portals.partner_center", (PORTAL_HOSTS["partner_center"],)
    ),
    "support_for_business": PortalSpec(
        "support_for_business", "portals.support_for_business", (PORTAL_HOSTS["support_for_business"],)
    ),
    "azure": PortalSpec("azure", "portals.azure_portal", (PORTAL_HOSTS["azure"],)),
    "azure_management": PortalSpec(
        "azure_management", "portals.azure_management", (PORTAL_HOSTS["azure_management"],)
    ),
    "partner_center_api": PortalSpec(
        "partner_center_api", "portals.partner_center_api", (PORTAL_HOSTS["partner_center_api"],)
    ),
}


def available_portals() -> dict[str, PortalSpec]:
    """The portals whose package exists in this checkout."""
    found = {}
    for key, spec in PORTALS.items():
        try:
            importlib.import_module(spec.module)
        except ModuleNotFoundError:
            continue
        found[key] = spec
    return found
