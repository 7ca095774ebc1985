"""Chromium for the ``@ui`` scenarios and the docs' screenshots: Debian's ``chromium`` package,
launched by path through Playwright (``playwright install`` cannot download browsers here and is
never needed), with the portals' ``.test`` host names mapped to a live stack's loopback ports so
the browser shows the same URLs as in-process clients.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

#: Where Debian puts Chromium; ``PORTAL_HARNESS_CHROMIUM`` points elsewhere (tests use it).
CHROMIUM = os.environ.get("PORTAL_HARNESS_CHROMIUM", "/usr/bin/chromium")
#: Quiet, offline, reproducible: no sandbox (root in CI), no GPU, nothing fetched in the background.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
INSTALL_HINT = "install it with: sudo apt-get install chromium (or run make test, which installs it)"
VIEWPORT = {"width": 1100, "height": 800}
TIMEOUT_MS = 10_000  # a page that does not answer in 10 s fails the step, not the whole run


def chromium_problem(path: str = CHROMIUM) -> str | None:
    """Why the ``@ui`` scenarios cannot run here, or None when they can. Looks Playwright up
    without importing it: a run with no ``@ui`` scenario never loads it."""
    if not os.access(path, os.X_OK):
        return f"Chromium not found at {path}"
    try:
        found = importlib.util.find_spec("playwright.sync_api") is not None
    except ImportError:  # no playwright package at all
        found = False
    if not found:
        return (
            "the Python package playwright is not installed: pip install -e '.[browser]'"
            " (make setup installs it)"
        )
    return None


def skip_line(problem: str) -> str:
    """The one line ``portal-harness run`` prints when it leaves the ``@ui`` scenarios out."""
    return f"UI scenarios skipped: {problem}; {INSTALL_HINT}"


def resolver_rules(host_map: Mapping[str, str]) -> str:
    """Chromium's ``--host-resolver-rules``: ``MAP partner.center.test 127.0.0.1:41234, …``
    (a MAP rule may name a port, so the page keeps the bare host name in its URL)."""
    return ", ".join(f"MAP {host} {address}" for host, address in host_map.items())


def launch_args(host_map: Mapping[str, str]) -> list[str]:
    args = list(FLAGS)
    if host_map:
        args.append(f"--host-resolver-rules={resolver_rules(host_map)}")
    return args


class Browser:
    """One headless Chromium (start it once per run); ``new_page`` gives a page in a fresh context,
    so no cookie or cache survives from one scenario to the next."""

    def __init__(self, host_map: Mapping[str, str] | None = None, path: str = CHROMIUM) -> None:
        self.host_map = dict(host_map or {})
        self.path = path
        self._playwright: Any = None
        self._browser: Any = None

    def start(self) -> Browser:
        from playwright.sync_api import sync_playwright

        problem = chromium_problem(self.path)
        if problem:
            raise RuntimeError(skip_line(problem))
        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=self.path, headless=True, args=launch_args(self.host_map)
            )
        except Exception:
            self._playwright.stop()
            self._playwright = None
            raise
        return self

    @property
    def version(self) -> str:
        return str(self._browser.version) if self._browser else ""

    def new_page(self, locale: str | None = None) -> Any:
        """A page in a new context (a new cookie jar), in ``locale`` (its Accept-Language)."""
        assert self._browser is not None, "Browser.start() first"
        options: dict[str, Any] = {"viewport": VIEWPORT}
        if locale:
            options["locale"] = locale
        page = self._browser.new_context(**options).new_page()
        page.set_default_timeout(TIMEOUT_MS)
        return page

    def stop(self) -> None:
        if self._browser is not None:
            self._browser.close()
            self._browser = None
        if self._playwright is not None:
            self._playwright.stop()
            self._playwright = None

    def __enter__(self) -> Browser:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def save_page(page: Any, stem: Path) -> list[Path]:
    """A full-page screenshot (``stem.png``) and the page's HTML (``stem.html``), as far as the
    page still answers: a crashed page must not hide the scenario's own failure."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    saved = []
    png, html = stem.with_suffix(".png"), stem.with_suffix(".html")
    try:
        page.screenshot(path=str(png), full_page=True)
        saved.append(png)
    except Exception as error:  # the page may be gone; say so and keep going
        print(f"no screenshot of {page.url}: {error}")
    try:
        html.write_text(page.content(), encoding="utf-8")
        saved.append(html)
    except Exception as error:
        print(f"no HTML of {page.url}: {error}")
    return saved
