"""The async client, ``azure.mgmt.support.aio``, with its default settings: live with its default
transport (aiohttp), in-process with azure-core's ``AsyncioRequestsTransport`` (the one argument
the README names: in-process the stack routes ``requests``, which that transport runs on, while
aiohttp would look the ``.test`` host names up). Creates are answered at once: no wait is asked for.
"""

from __future__ import annotations

import asyncio
import copy
import time
from typing import Any

import pytest
import sdk_contact
from azure.core.credentials import AccessToken
from azure.core.pipeline import PipelineRequest
from azure.core.pipeline.policies import SansIOHTTPPolicy
from azure.core.pipeline.transport import AsyncHttpTransport, AsyncioRequestsTransport
from azure.mgmt.support import models as m
from azure.mgmt.support.aio import MicrosoftSupport
from cast import CAST, activate

from harness.stack import PortalStack
from portals.backend import PRODUCTS
from portals.backend.catalog import problem_classifications
from portals.web.tokens import mint_token

SUBSCRIPTION = "132d901f-189d-4381-9214-fe68e27e05a1"
APP_SERVICE = PRODUCTS["app-service"]
SERVICE_ID = f"/providers/Microsoft.Support/services/{APP_SERVICE.guid}"
CLASSIFICATION_ID = f"{SERVICE_ID}/problemClassifications/{problem_classifications(APP_SERVICE)[0].id}"


class Auth(SansIOHTTPPolicy):  # type: ignore[type-arg]
    """An async credential, and the policy that sends its token over plain http."""

    def __init__(self, upn: str, world: str) -> None:
        self.upn, self.world = upn, world

    async def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken(mint_token(self.upn, world=self.world), int(time.time()) + 3600)

    def on_request(self, request: PipelineRequest) -> None:  # type: ignore[type-arg]
        request.http_request.headers["Authorization"] = f"Bearer {mint_token(self.upn, world=self.world)}"


def ticket(title: str) -> m.SupportTicketDetails:
    return m.SupportTicketDetails(
        title=title,
        description="The site answers 503",
        service_id=SERVICE_ID,
        problem_classification_id=CLASSIFICATION_ID,
        severity="minimal",
        advanced_diagnostic_consent="No",
        contact_details=sdk_contact.ana(m),
    )


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every wait the async SDK asks its transport for, recorded instead of slept."""
    asked: list[float] = []

    async def record(self: Any, duration: float) -> None:
        asked.append(duration)

    monkeypatch.setattr(AsyncHttpTransport, "sleep", record)
    monkeypatch.setattr(AsyncioRequestsTransport, "sleep", record)
    return asked


async def flow(stack: PortalStack, **client_options: Any) -> dict[str, Any]:
    world = stack.new_world(document=copy.deepcopy(CAST))
    access_id, contract_id = activate(world)
    world.link_support_benefits("user@contoso.com", access_id, contract_id)
    auth = Auth("user@contoso.com", world.name)
    url = stack.url("azure_management")
    async with MicrosoftSupport(
        auth, SUBSCRIPTION, base_url=url, authentication_policy=auth, **client_options
    ) as client:
        services = [s.display_name async for s in client.services.list()]
        created = []
        for index in range(10):
            poller = await client.support_tickets.begin_create(f"aio-{index}", ticket(f"Ticket {index}"))
            created.append(await poller.result())
        poller = await client.communications.begin_create(
            "aio-0", "m1", m.CommunicationDetails(subject="s", body="b")
        )
        message = await poller.result()
        listed = [t.name async for t in client.support_tickets.list(top=4)]
    return {
        "services": services,
        "created": [(t.name, t.status, t.severity) for t in created],
        "message": (message.name, message.sender),
        "listed": listed,
        "in_world": len(world.support_requests("user@contoso.com", "azure")),
    }


@pytest.mark.parametrize(
    ("mode", "requests_transport"),
    [("inprocess", True), ("live", False)],
    ids=["in-process, AsyncioRequestsTransport", "live, the default transport (aiohttp)"],
)
def test_the_async_client_runs_the_flow_without_waiting(
    mode: str, requests_transport: bool, sleeps: list[float]
) -> None:
    client_options = {"transport": AsyncioRequestsTransport()} if requests_transport else {}
    with PortalStack(mode) as stack:  # type: ignore[arg-type]
        seen = asyncio.run(flow(stack, **client_options))
    assert "Web App (Windows)" in seen["services"] and "Billing" in seen["services"]
    assert seen["created"] == [(f"aio-{index}", "Open", "minimal") for index in range(10)]
    assert seen["message"] == ("m1", "user@contoso.com")
    assert seen["listed"] == [f"aio-{index}" for index in range(10)]
    assert seen["in_world"] == 10
    long_waits = [delay for delay in sleeps if delay >= 1]
    assert long_waits == [], f"expected no wait of 1 s or more, found {sleeps}"
