"""What a portal declares about itself: ``PortalSpec``. Every list of portals in the project (host
names, default URLs, a stack's apps and routes, ``serve``'s ports, flags and URL listing, the health
answer, ``PortalStack.clients``, the acceptance suite's ports) is derived from specs.

Plain data and dotted references (``"package.module:name"``), no Flask: reading the specs costs
nothing, and the harness's clients can read them without importing a web framework.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: A Python object by reference: ``"package.module:attribute"``, or the object itself.
Ref = str | Callable[..., Any]

#: ``portal-harness serve`` listens on this port + each portal's ``port_offset`` (8401, 8402, ...).
DEFAULT_BASE_PORT = 8401

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_HOSTNAME = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+test$")


def resolve(ref: Ref) -> Any:
    """The object a reference names: ``"portals.partner_center:create_app"`` imports the module and
    returns the attribute (dots in the attribute part walk into it). Raises ``ValueError`` for a
    reference without ``:``, ``ImportError`` / ``AttributeError`` when it names nothing."""
    if not isinstance(ref, str):
        return ref
    module, colon, attribute = ref.partition(":")
    if not colon or not module or not attribute:
        raise ValueError(f"{ref!r}: a reference is 'package.module:name'")
    found: Any = importlib.import_module(module)
    for part in attribute.split("."):
        found = getattr(found, part)
    return found


@dataclass(frozen=True)
class ApiStyle:
    """How a portal's programmatic API answers a refusal. ``renderer`` refers to a function
    ``(refusal) -> flask.Response`` that shapes the error (the portal JSON error, ARM's
    ``{"error": {"code", "message"}}``, Partner Center REST's ``{"code", "description", ...}``);
    ``prefixes`` are the paths it answers for (``("/",)``: every path of the app)."""

    name: str
    renderer: Ref
    prefixes: tuple[str, ...]

    def covers(self, path: str) -> bool:
        return any(path.startswith(prefix) for prefix in self.prefixes)


#: The portals' own JSON API: ``{"error": {"code", "message", "status", "reason", "params"}}``
#: under ``/api/``; their other paths are HTML pages.
PORTAL_JSON = ApiStyle("portal-json", "portals.web.renderers:portal_json", ("/api/",))


@dataclass(frozen=True)
class PortalSpec:
    """One portal, declared by its package (``portals/<package>/spec.py``).

    - ``key``: its stable name (``partner_center``): journal entries, fault rules, ``stack.urls``;
    - ``title``: its name for people (pages, ``serve``'s listing);
    - ``hostname``: where it answers in-process, a reserved ``.test`` name (RFC 2606), so a
      misconfigured run never reaches a real service;
    - ``port_offset``: ``serve`` listens on ``--base-port`` (8401) + this offset;
    - ``alias``: short name: ``serve --<alias>-port`` and the attribute of ``PortalStack.clients``
      (``_`` becomes ``-`` in the flag);
    - ``start_page``: path and query ``serve`` prints for it;
    - ``app``: its Flask app factory, ``create_app(registry, config) -> Flask``;
    - ``api``: how its API answers errors and under which paths (its other paths are HTML pages);
    - ``client``: its client class in ``harness.clients`` style, ``cls(base_url, world, upn,
      session, lang)``, or None for an API driven by its own SDK.

    Raises ``ValueError`` when a field is malformed (a host outside ``.test``, a negative offset, ...).
    """

    key: str
    title: str
    hostname: str
    port_offset: int
    alias: str
    start_page: str
    app: Ref
    api: ApiStyle = PORTAL_JSON
    client: Ref | None = None

    def __post_init__(self) -> None:
        problems = [
            f"key {self.key!r}: lower-case letters, digits and _" if not _KEY.match(self.key) else "",
            f"alias {self.alias!r}: lower-case letters, digits and _" if not _KEY.match(self.alias) else "",
            f"hostname {self.hostname!r}: a name under .test" if not _HOSTNAME.match(self.hostname) else "",
            f"port_offset {self.port_offset!r}: 0 or more"
            if not isinstance(self.port_offset, int) or self.port_offset < 0
            else "",
            f"start_page {self.start_page!r}: a path from /" if not self.start_page.startswith("/") else "",
        ]
        found = [p for p in problems if p]
        if found:
            raise ValueError(f"portal spec {self.key!r}: " + "; ".join(found))

    @property
    def has_pages(self) -> bool:
        """Whether people open it in a browser: its start page is not a path its API style covers
        (the ARM and Partner Center REST APIs cover every path). Pages get the portal switcher and
        the dashboard's "sign in as" links."""
        return not self.api.covers(self.start_page.partition("?")[0])

    @property
    def default_url(self) -> str:
        """Its base URL in-process: ``http://<hostname>``."""
        return f"http://{self.hostname}"

    def port(self, base: int = DEFAULT_BASE_PORT) -> int:
        """Its port when ``serve`` starts at ``base``: ``base + port_offset``."""
        return base + self.port_offset

    @property
    def port_flag(self) -> str:
        """``serve``'s option for its port: ``--pc-port``."""
        return f"--{self.alias.replace('_', '-')}-port"

    def create_app(self, registry: Any = None, config: dict[str, Any] | None = None) -> Any:
        """Its Flask app over ``registry`` (a ``WorldRegistry``) with ``config``."""
        return resolve(self.app)(registry, config)
