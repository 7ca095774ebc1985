"""``PortalStack``: the portals (one per spec of ``portals.specs``) over one world registry,
in-process or live, with the same API for callers in both modes: ``stack.urls``,
``stack.clients(world, upn)``, ``stack.new_world()``.

A live stack with ``hostnames=True`` listens on loopback ports but its pages and cross-portal
redirects name the portals' ``.test`` hosts, as in-process: a browser told where those hosts are
(``stack.host_map()``) then shows the same URLs as in-process clients see.

A portal's Flask app is made when it is first used (``stack.apps[key]``, or its first request),
so a run that talks to two portals does not build five; the modes load only what they use
(``requests`` and ``responses`` in-process, waitress live).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal

from portals.backend import World, WorldRegistry
from portals.portal_spec import PortalSpec, resolve
from portals.specs import default_urls, portal_specs

if TYPE_CHECKING:
    import requests
    from flask import Flask

    from harness.clients import (
        AzurePortalClient,
        PartnerCenterClient,
        PortalClient,
        SupportForBusinessClient,
    )
    from harness.control_client import ControlClient
    from harness.inprocess import InProcessRouter
    from harness.live import LiveServers
    from portals.web.journal import JournalBudget

Mode = Literal["inprocess", "live"]


class Clients:
    """The clients of one world and one account, sharing one cookie jar: one per portal whose spec
    names a client class, under the spec's alias (``clients.pc``, ``clients.sfb``,
    ``clients.azure``, ...), plus ``control`` and ``session``. ``clients.portals`` maps each
    portal's key to its client."""

    if TYPE_CHECKING:  # the project's own portals, for type checkers (any spec's alias works)
        pc: PartnerCenterClient
        sfb: SupportForBusinessClient
        azure: AzurePortalClient

    def __init__(
        self,
        world: str,
        upn: str | None,
        portals: dict[str, PortalClient],
        aliases: dict[str, str],
        control: ControlClient,
        session: requests.Session,
    ) -> None:
        self.world = world
        self.upn = upn
        self.portals = portals
        self.aliases = aliases  # alias -> key
        self.control = control
        self.session = session

    def __getattr__(self, alias: str) -> Any:
        aliases = self.__dict__.get("aliases", {})
        if alias in aliases:
            return self.__dict__["portals"][aliases[alias]]
        raise AttributeError(f"no portal client {alias!r} (these are: {', '.join(aliases) or 'none'})")

    def as_account(self, upn: str) -> Clients:
        """The same world and session, speaking for ``upn``."""
        portals = {key: client.as_account(upn) for key, client in self.portals.items()}
        return Clients(self.world, upn, portals, self.aliases, self.control, self.session)


def clients_for(
    urls: dict[str, str],
    world: str,
    upn: str | None = None,
    lang: str | None = None,
    token: str | None = None,
    specs: Iterable[PortalSpec] | None = None,
) -> Clients:
    """The clients of one world and account, from the portals' base URLs only (a stack's, or a
    running server's): one for each of ``specs`` (default ``portal_specs()``) that names a client
    class and has a URL. One session for all, which ignores proxy settings: the portals are
    loopback or in-process, never behind a proxy, and reading the environment per request costs
    time."""
    from harness.clients import portal_session
    from harness.control_client import ControlClient

    session = portal_session()
    portals: dict[str, PortalClient] = {}
    aliases: dict[str, str] = {}
    for spec in portal_specs() if specs is None else specs:
        if spec.client is None or spec.key not in urls:
            continue
        portals[spec.key] = resolve(spec.client)(urls[spec.key], world, upn, session, lang)
        aliases[spec.alias] = spec.key
    control = ControlClient(next(iter(urls.values())), token, session)
    return Clients(world, upn, portals, aliases, control, session)


class PortalApps(Mapping[str, "Flask"]):
    """The Flask app of each portal of a stack, by key, made on first use (thread-safe) from its
    spec over the stack's registry and config. ``wsgi(key)`` is a WSGI callable that makes the
    app at its first request."""

    def __init__(self, specs: Mapping[str, PortalSpec], registry: WorldRegistry, config: dict[str, Any]):
        self._specs = specs
        self._registry = registry
        self.config = config  # what apps made from now on get (PORTAL_URLS, tokens, budget)
        self._made: dict[str, Flask] = {}
        self._lock = threading.Lock()

    def __getitem__(self, key: str) -> Flask:
        app = self._made.get(key)
        if app is not None:
            return app
        spec = self._specs[key]  # KeyError for a key no portal has
        with self._lock:
            if key not in self._made:
                self._made[key] = spec.create_app(self._registry, dict(self.config))
            return self._made[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def made(self) -> dict[str, Flask]:
        """The apps made so far."""
        return dict(self._made)

    def configure(self, **values: Any) -> None:
        """Set config values on the apps made so far and on those made later."""
        with self._lock:
            self.config.update(values)
            for app in self._made.values():
                app.config.update(values)

    def wsgi(self, key: str) -> Any:
        """A WSGI callable for portal ``key`` that makes its app at the first request."""
        apps = self

        def application(environ: dict[str, Any], start_response: Any) -> Any:
            return apps[key](environ, start_response)

        application.__name__ = f"portal_{key}"
        return application


class PortalStack:
    """Starts the portals in one of two modes. Use as a context manager or call start/stop."""

    def __init__(
        self,
        mode: Mode = "inprocess",
        registry: WorldRegistry | None = None,
        host: str = "127.0.0.1",
        ports: dict[str, int] | None = None,
        control_token: str | None = None,
        hostnames: bool = False,
        specs: Iterable[PortalSpec] | None = None,
        journal_budget: JournalBudget | None = None,
        threads: int | None = None,
    ) -> None:
        """``specs``: the portals to run (default ``portal_specs()``: the project's, and those
        ``$PORTAL_HARNESS_PORTALS`` names); ``ports``: live ports by portal key (default: free
        ones); ``threads``: live, the portal lane's worker threads (default
        ``harness.live.THREADS``; the control API and the dashboard have a lane of their own);
        ``journal_budget``: how much journal the stack's worlds keep together (default
        ``JournalBudget()``: 5,000 entries a world, 20,000 entries and 64 MiB in all)."""
        if mode not in ("inprocess", "live"):
            raise ValueError(f"mode must be 'inprocess' or 'live', not {mode!r}")
        self.mode = mode
        self.hostnames = hostnames  # live: pages and redirects name the .test hosts (in-process always do)
        self.registry = registry if registry is not None else WorldRegistry()
        self.host = host
        self.ports = ports or {}
        self.threads = threads
        self.specs: dict[str, PortalSpec] = {
            spec.key: spec for spec in (portal_specs() if specs is None else specs)
        }
        config: dict[str, Any] = {
            "PORTAL_URLS": self._host_urls(),
            "PORTAL_SPECS": tuple(self.specs.values()),
        }
        if journal_budget is not None:
            config["JOURNAL_BUDGET"] = journal_budget
        if control_token:
            config["CONTROL_TOKEN"] = control_token
            config["LISTEN_HOST"] = host if mode == "live" else "127.0.0.1"  # the dashboard says why
        self.control_token = control_token
        self.apps = PortalApps(self.specs, self.registry, config)
        self.urls: dict[str, str] = {}
        self.public_urls: dict[str, str] = {}  # what pages and redirects name: .test hosts or self.urls
        self.servers: LiveServers | None = None
        self._router: InProcessRouter | None = None
        self.running = False

    # --- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> PortalStack:
        if self.running:
            return self
        if self.mode == "inprocess":
            from harness.inprocess import InProcessRouter

            routes = {spec.hostname: self.apps.wsgi(key) for key, spec in self.specs.items()}
            self._router = InProcessRouter(routes)
            self._router.start()
            self.urls = self._host_urls()
            urls = dict(self.urls)
        else:
            from harness.live import LiveServers

            apps = {key: self.apps.wsgi(key) for key in self.specs}
            lanes = {"threads": self.threads} if self.threads else {}
            # OSError: nothing left open
            self.servers = LiveServers(apps, self.host, self.ports, **lanes).start()
            self.urls = self.servers.urls()
            urls = self._host_urls() if self.hostnames else dict(self.urls)
        self.public_urls = {key: urls[key] for key in self.urls}
        self.apps.configure(PORTAL_URLS=urls)
        self.running = True
        return self

    def _host_urls(self) -> dict[str, str]:
        return default_urls(self.specs.values())

    def host_map(self) -> dict[str, str]:
        """Every ``.test`` host of a live stack -> the ``address:port`` serving it, for a browser's
        resolver; derived from the specs, so a portal added to ``PORTAL_SPECS`` is mapped too."""
        found = {}
        if self.servers is None:
            return found
        address = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(self.host, self.host)
        address = f"[{address}]" if ":" in address else address
        for key, port in self.servers.ports().items():
            found[self.specs[key].hostname] = f"{address}:{port}"
        return found

    def live_twin(self, hostnames: bool = True) -> PortalStack:
        """A live stack (not started) over this stack's registry and token: the same worlds on
        loopback servers, for a browser beside in-process clients."""
        return PortalStack(
            "live",
            self.registry,
            control_token=self.control_token,
            hostnames=hostnames,
            specs=self.specs.values(),
        )

    def stop(self) -> None:
        if self._router is not None:
            self._router.stop()
            self._router = None
        self._stop_servers()
        self.running = False

    def _stop_servers(self) -> None:
        if self.servers is not None:
            self.servers.stop()
            self.servers = None

    def __enter__(self) -> PortalStack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- worlds and clients ------------------------------------------------------------------------
    def url(self, portal: str, path: str = "/") -> str:
        return self.urls[portal].rstrip("/") + path

    def new_world(self, name: str | None = None, document: dict[str, Any] | None = None) -> World:
        """A fresh world in the stack's registry (cheap: use one per scenario)."""
        return self.registry.create(name, document)

    def drop_world(self, name: str) -> None:
        self.registry.drop(name)

    def clients(self, world: str | World, upn: str | None = None, lang: str | None = None) -> Clients:
        name = world.name if isinstance(world, World) else world
        return clients_for(self.urls, name, upn, lang, self.control_token, self.specs.values())
