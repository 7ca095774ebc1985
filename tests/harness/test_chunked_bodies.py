"""Chunked request bodies (``Transfer-Encoding: chunked``, no ``Content-Length``) are held to the
same limits as declared ones, on every app, live (waitress) and in-process: a body over the limit is
a 413 naming it and changes nothing, never cut at the limit into a valid one; one at the limit is
read whole."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from cast import CAST

from harness.stack import PortalStack
from portals.web.tokens import mint_token

MODES = ["inprocess", "live"]
PORTAL_LIMIT = 65_536  # the portals' 64 KiB (README, "Input: one layer and its limits")
CONTROL_LIMIT = 16 * 1024 * 1024  # the control API's 16 MiB


@pytest.fixture(scope="module", params=MODES)
def stack(request: pytest.FixtureRequest) -> Iterator[PortalStack]:
    with PortalStack(request.param) as running:
        yield running


def chunked(body: bytes, size: int = 8192) -> Iterator[bytes]:
    """A generator body: requests sends it with Transfer-Encoding: chunked and no Content-Length."""
    for start in range(0, len(body), size):
        yield body[start : start + size]


def padded(data: dict[str, Any], length: int) -> bytes:
    """``data`` as JSON padded with spaces (still the same JSON) to exactly ``length`` bytes."""
    text = json.dumps(data).encode()
    assert len(text) <= length
    return text + b" " * (length - len(text))


def error_code(answer: requests.Response) -> str | None:
    """The refusal code whatever the API style's shape (portals, ARM, Partner Center REST)."""
    data = answer.json()
    if isinstance(data.get("error"), dict):
        return data["error"].get("code")
    return (data.get("data") or [None])[0]


def send(stack: PortalStack, world: str, upn: str, portal: str, method: str, path: str, body: bytes) -> Any:
    headers = {
        "Authorization": f"Bearer {mint_token(upn, world=world)}",
        "X-Harness-World": world,
        "Content-Type": "application/json",
    }
    return requests.request(
        method, stack.urls[portal] + path, data=chunked(body), headers=headers, timeout=60
    )


def ids_of(stack: PortalStack, world: str) -> dict[str, str]:
    view = stack.registry.get(world).activate_benefits("admin@contoso.com")
    return {"access_id": view.access_id, "contract_id": view.contract_id}


def test_a_chunked_body_over_the_limit_is_a_413_even_when_its_first_64_kib_are_valid(
    stack: PortalStack,
) -> None:
    world = stack.new_world(document=CAST)
    ids = ids_of(stack, world.name)
    body = padded(ids, PORTAL_LIMIT) + b"garbage" * 100
    before = world.snapshot()
    answer = send(
        stack, world.name, "engineer@outlook.com", "support_for_business", "POST", "/api/contracts", body
    )
    assert answer.status_code == 413, f"expected 413, found {answer.status_code}: {answer.text[:300]}"
    assert error_code(answer) == "PayloadTooLarge", answer.text[:300]
    assert answer.json()["error"]["params"] == {"limit": PORTAL_LIMIT}, answer.text[:300]
    assert world.snapshot() == before, "a refused chunked body changed the world"


def test_a_chunked_body_of_exactly_the_limit_is_read_whole(stack: PortalStack) -> None:
    world = stack.new_world(document=CAST)
    body = padded(ids_of(stack, world.name), PORTAL_LIMIT)
    answer = send(
        stack, world.name, "engineer@outlook.com", "support_for_business", "POST", "/api/contracts", body
    )
    assert answer.status_code == 201, f"expected 201, found {answer.status_code}: {answer.text[:300]}"


@pytest.mark.parametrize(
    ("portal", "method", "path"),
    [
        ("partner_center", "POST", "/api/supportplans/purchase"),
        ("support_for_business", "POST", "/api/requests"),
        ("azure", "POST", "/api/supportplans/link"),
        (
            "azure_management",
            "PUT",
            "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Support/supportTickets/t9"
            "?api-version=2024-04-01",
        ),
        ("partner_center_api", "POST", "/v1/servicerequests/en-US"),
    ],
)
def test_every_portal_refuses_an_over_limit_chunked_body(
    stack: PortalStack, portal: str, method: str, path: str
) -> None:
    world = stack.new_world(document=CAST)
    before = world.snapshot()
    body = padded({"offer": "premier"}, PORTAL_LIMIT) + b"}" * 10
    answer = send(stack, world.name, "admin@contoso.com", portal, method, path, body)
    assert answer.status_code == 413, (
        f"{portal}: expected 413, found {answer.status_code}: {answer.text[:300]}"
    )
    assert error_code(answer) == "PayloadTooLarge", answer.text[:300]
    assert world.snapshot() == before


def test_the_control_api_refuses_a_chunked_snapshot_over_16_mib(stack: PortalStack) -> None:
    world = stack.new_world(document=CAST)
    ids_of(stack, world.name)
    snapshot = world.snapshot()
    before = json.dumps(snapshot)
    body = padded({**snapshot, "state": {**snapshot["state"], "contracts": {}}}, CONTROL_LIMIT) + b" x"
    url = f"{stack.urls['azure']}/_harness/worlds/{world.name}/snapshot"
    answer = requests.put(url, data=chunked(body, 1024 * 1024), headers={"Content-Type": "application/json"})
    assert answer.status_code == 413, f"expected 413, found {answer.status_code}: {answer.text[:300]}"
    assert answer.json()["error"]["params"] == {"limit": CONTROL_LIMIT}, answer.text[:300]
    assert json.dumps(stack.registry.get(world.name).snapshot()) == before, "the world was replaced"
