"""The one list of portals: ``PORTAL_SPECS``, each declared by its own package. A portal added to
this list (or named by ``PORTAL_HARNESS_PORTALS`` / ``serve --portal``) gets a host name, a port,
a ``serve`` flag, a place in the stack, the health answer and the clients, with no other edit."""

from __future__ import annotations

import os
from collections.abc import Iterable

from portals.azure_management.spec import SPEC as AZURE_MANAGEMENT
from portals.azure_portal.spec import SPEC as AZURE_PORTAL
from portals.partner_center.spec import SPEC as PARTNER_CENTER
from portals.partner_center_api.spec import SPEC as PARTNER_CENTER_API
from portals.portal_spec import PortalSpec, resolve
from portals.support_for_business.spec import SPEC as SUPPORT_FOR_BUSINESS

#: The portals of the project, in ``serve``'s order.
PORTAL_SPECS: tuple[PortalSpec, ...] = (
    PARTNER_CENTER,
    SUPPORT_FOR_BUSINESS,
    AZURE_PORTAL,
    AZURE_MANAGEMENT,
    PARTNER_CENTER_API,
)

#: Extra portals by reference, comma-separated ``package.module:SPEC`` (read by ``portal_specs``).
EXTRA_PORTALS_VARIABLE = "PORTAL_HARNESS_PORTALS"


def portal_specs(extra: Iterable[PortalSpec | str] = ()) -> tuple[PortalSpec, ...]:
    """``PORTAL_SPECS``, then the specs named by ``$PORTAL_HARNESS_PORTALS``, then ``extra`` (specs
    or references to them). Raises ``ValueError`` when two portals share a key, alias, host name
    or port offset, or a reference names no ``PortalSpec``."""
    named = [ref.strip() for ref in os.environ.get(EXTRA_PORTALS_VARIABLE, "").split(",") if ref.strip()]
    specs = [*PORTAL_SPECS]
    for ref in (*named, *extra):
        spec = resolve(ref)
        if not isinstance(spec, PortalSpec):
            raise ValueError(f"{ref!r} names a {type(spec).__name__}, not a PortalSpec")
        if spec not in specs:
            specs.append(spec)
    check_unique(specs)
    return tuple(specs)


def check_unique(specs: Iterable[PortalSpec]) -> None:
    """Raises ``ValueError`` naming the first key, alias, host name or port offset used twice."""
    seen: dict[tuple[str, object], str] = {}
    for spec in specs:
        for field in ("key", "alias", "hostname", "port_offset"):
            value = getattr(spec, field)
            other = seen.setdefault((field, value), spec.key)
            if other != spec.key:
                raise ValueError(f"portals {other!r} and {spec.key!r} have the same {field} {value!r}")


def default_urls(specs: Iterable[PortalSpec] = PORTAL_SPECS) -> dict[str, str]:
    """Each portal's in-process base URL, ``{key: "http://<hostname>"}``."""
    return {spec.key: spec.default_url for spec in specs}


def spec_for(key: str, specs: Iterable[PortalSpec] = PORTAL_SPECS) -> PortalSpec:
    """The spec of ``key``; ``KeyError`` when no portal has it."""
    for spec in specs:
        if spec.key == key:
            return spec
    raise KeyError(key)
