"""What the chrome of every page names: the portals (their names in the request's language, the
ones people open in a browser, their start pages' URLs). Used by the portals' layout (the portal
switcher) and by the dashboard ("sign in as" links)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app

from portals.backend import find_product, translate
from portals.backend.messages import CATALOG
from portals.portal_spec import PortalSpec
from portals.specs import portal_specs
from portals.web.context import portal_url


def upper_first(text: str) -> str:
    """The text with its first letter in capitals (a name at the start of a label: "portale di
    Azure" -> "Portale di Azure"); the rest as written."""
    return text[:1].upper() + text[1:]


def stack_specs() -> tuple[PortalSpec, ...]:
    """The specs of the current app's stack (``app.config["PORTAL_SPECS"]``)."""
    return tuple(current_app.config.get("PORTAL_SPECS") or portal_specs())


def portal_name(key: str, language: str) -> str:
    """A portal's name in ``language``: the catalog's ``portal_<key>`` (the seeds' wording), else
    its spec's title (a portal from outside the project), else the key."""
    if f"portal_{key}" in CATALOG:
        return translate(f"portal_{key}", language)
    return next((spec.title for spec in stack_specs() if spec.key == key), key)


def page_portals() -> list[PortalSpec]:
    """The portals of this app's stack that have pages (not the API-only ones), in the stack's
    order: the portal switcher's and the dashboard's "sign in as" links."""
    urls = current_app.config["PORTAL_URLS"]
    return [spec for spec in stack_specs() if spec.has_pages and spec.key in urls]


def start_page_url(spec: PortalSpec, **params: str | None) -> str:
    """The absolute URL of a portal's start page, with the world (the request's, or ``world=``),
    the language and ``params``."""
    return portal_url(spec.key, urlsplit(spec.start_page).path, **params)


def product_name(product_id: str, language: str) -> str:
    """A product's name for people in ``language``: the catalog's ``product_<id>`` where the portal
    translates it, else the product's name, else the ID as given."""
    if f"product_{product_id}" in CATALOG:
        return translate(f"product_{product_id}", language)
    found = find_product(product_id) if product_id else None
    return found.name if found is not None else product_id
