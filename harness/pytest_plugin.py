"""pytest plugin (entry point ``pytest11``): ``portal_stack``, ``world`` and ``portal_clients``
fixtures, so a pytest user gets the portals and an isolated world in a few lines. The world starts
empty: ``world_document`` names its organisations and accounts (the README has the whole example,
which a test runs)::

    @pytest.fixture
    def world_document():
        return {"organisations": [{"id": "contoso", "membership": "gold", "activated": True}],
                "accounts": [{"upn": "admin@contoso.com", "organisation": "contoso",
                              "roles": ["global_admin"]}]}

    def test_the_ids_are_shown(portal_clients):
        benefits = portal_clients("admin@contoso.com").pc.technical_benefits()
        assert benefits.state == "active" and benefits.access_id
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from harness.stack import Clients, PortalStack
from portals.backend import World


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("portal-harness")
    group.addoption(
        "--portal-mode",
        choices=("inprocess", "live"),
        default=os.environ.get("PORTAL_HARNESS_MODE", "inprocess"),
        help="run the emulated portals in-process (default) or on live loopback servers",
    )


@pytest.fixture(scope="session")
def portal_stack(request: pytest.FixtureRequest) -> Iterator[PortalStack]:
    """The three portals for the whole test session."""
    with PortalStack(request.config.getoption("--portal-mode")) as stack:
        yield stack


@pytest.fixture
def world_document() -> dict[str, Any] | None:
    """Override to seed every ``world`` of a module or class from a seed document."""
    return None


@pytest.fixture
def world(portal_stack: PortalStack, world_document: dict[str, Any] | None) -> Iterator[World]:
    """A fresh, isolated world for one test, dropped afterwards."""
    created = portal_stack.new_world(document=world_document)
    try:
        yield created
    finally:
        portal_stack.drop_world(created.name)


@pytest.fixture
def portal_clients(portal_stack: PortalStack, world: World) -> Callable[..., Clients]:
    """``portal_clients(upn)``: the three portal clients of this test's world, as ``upn``."""

    def make(upn: str | None = None, lang: str | None = None) -> Clients:
        return portal_stack.clients(world, upn, lang)

    return make
