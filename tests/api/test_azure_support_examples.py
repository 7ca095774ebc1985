"""Every published example of the Azure Support API (``../shared/specs/azure-support/2024-04-01/
examples``), replayed against the served API as sent: the example's method, path, parameters and
body, unchanged. Each must be answered with the example's status and shape.

Each example runs in a world of its own: one account, ``user@contoso.com`` (the sender the examples
show), whose only plan is a Premier plan (the plan type they show). What the example's answer shows
already exists (the ticket it reads, the messages it lists, the name it finds taken) is made first,
from the example's own answer: its writable properties, PUT through the API. Then the request is
sent as published and the answer compared with the example's:

- the same keys, recursively (a ``null`` in an example is a value it leaves out); the same JSON
  types; the same values, except for IDs and times (``FREE``: the world's own IDs, dates, the
  agreement's minutes, and the plan's display name, which names the world's Premier Support for
  Partners where the example's account has Microsoft's Premier), and ``supportEngineer``'s e-mail,
  since no engineer is ever assigned here;
- for the catalog's lists (services, problem classifications), each item's shape only.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask

from portals.azure_management import create_app
from portals.backend import WorldRegistry, parse_document
from portals.web.tokens import mint_token

ROOT = Path(__file__).resolve().parents[2]
SPEC_DIR = ROOT.parent / "shared" / "specs" / "azure-support" / "2024-04-01"
EXAMPLES = sorted((SPEC_DIR / "examples").glob("*.json"))
SUPPORT = json.loads((SPEC_DIR / "support.json").read_text(encoding="utf-8"))
UPN = "user@contoso.com"
WORLD = "examples"
SEED = """
organisations:
  - {id: contoso, name: Contoso Ltd, membership: gold}
accounts:
  - {upn: user@contoso.com, organisation: contoso, roles: [global_admin]}
plans:
  - {id: premier-1, offer: premier, bought_by: user@contoso.com}
"""
#: Values that name the world's own things or times: compared by type only.
FREE = frozenset(
    {
        "id",
        "supportTicketId",
        "supportPlanId",
        "supportPlanDisplayName",
        "serviceId",
        "problemClassificationId",
        "createdDate",
        "modifiedDate",
        "startTime",
        "expirationTime",
        "slaMinutes",
    }
)
#: Keys an answer may leave out: no support engineer is ever assigned here.
MAY_BE_ABSENT = frozenset({"emailAddress"})
#: Read-only ticket properties, left out when a ticket an example shows is made first.
READ_ONLY = frozenset(
    {
        "supportTicketId",
        "problemClassificationDisplayName",
        "serviceDisplayName",
        "status",
        "createdDate",
        "modifiedDate",
        "supportPlanType",
        "supportPlanDisplayName",
        "serviceLevelAgreement",
        "supportEngineer",
        "isTemporaryTicket",
    }
)
SHAPE_ONLY = ("Services_List", "ProblemClassifications_List")


def operations() -> dict[str, tuple[str, str, list[dict[str, Any]]]]:
    """operationId -> (method, path template, parameters) of support.json."""
    found = {}
    for path, methods in SUPPORT["paths"].items():
        for method, operation in methods.items():
            if method != "parameters":
                found[operation["operationId"]] = (method.upper(), path, operation.get("parameters", []))
    return found


OPERATIONS = operations()


class Api:
    """The served API as the example world's account."""

    def __init__(self) -> None:
        registry = WorldRegistry()
        registry.create(WORLD, parse_document(SEED))
        self.registry = registry
        self.app: Flask = create_app(registry)
        self.client = self.app.test_client()
        self.headers = {"Authorization": f"Bearer {mint_token(UPN, world=WORLD)}"}

    def send(self, method: str, path: str, body: Any = None, version: str = "2024-04-01") -> Any:
        answer = self.client.open(
            f"{path}?api-version={quote(version)}", method=method, json=body, headers=self.headers
        )
        assert answer.status_code != 500, answer.get_json()
        assert answer.headers.get("x-ms-request-id"), "expected x-ms-request-id on every answer"
        return answer

    def make(self, method: str, path: str, body: Any) -> None:
        """Make what an example's answer shows; it must succeed."""
        answer = self.send(method, path, body)
        assert answer.status_code in (200, 201), (path, answer.status_code, answer.get_json())


def request_of(example: dict[str, Any]) -> tuple[str, str, Any]:
    """The example's request as published: method, path and body."""
    method, template, parameters = OPERATIONS[example["operationId"]]
    values = example["parameters"]
    path = template
    for name, value in values.items():
        path = path.replace("{" + name + "}", quote(str(value), safe=""))
    body_name = next((p["name"] for p in parameters if p.get("in") == "body"), None)
    return method, path, values.get(body_name) if body_name else None


def writable(resource: dict[str, Any]) -> dict[str, Any]:
    """The body that makes ``resource`` (a ticket or a message of an example's answer)."""
    properties = {k: v for k, v in resource["properties"].items() if k not in READ_ONLY}
    return {"properties": properties}


def ticket_path(example: dict[str, Any], name: str) -> str:
    subscription = example["parameters"]["subscriptionId"]
    return f"/subscriptions/{subscription}/providers/Microsoft.Support/supportTickets/{name}"


#: A ticket for examples that only need one to exist.
ANY_TICKET = {
    "properties": {
        "title": "Test - please ignore",
        "description": "This is a test - please ignore",
        "serviceId": "/providers/Microsoft.Support/services/subscription_management_service_guid",
        "problemClassificationId": (
            "/providers/Microsoft.Support/services/subscription_management_service_guid/"
            "problemClassifications/problemClassification_guid"
        ),
        "severity": "minimal",
        "advancedDiagnosticConsent": "No",
        "contactDetails": {
            "country": "USA",
            "firstName": "abc",
            "lastName": "xyz",
            "preferredContactMethod": "email",
            "preferredSupportLanguage": "en-US",
            "preferredTimeZone": "Pacific Standard Time",
            "primaryEmailAddress": "abc@contoso.com",
        },
    }
}


def prepare(api: Api, example: dict[str, Any]) -> None:
    """Make what the example's answer shows to exist already."""
    operation, answer = example["operationId"], example["responses"].get("200", {}).get("body")
    parameters = example["parameters"]
    if operation == "SupportTickets_CheckNameAvailability" and answer["nameAvailable"] is False:
        api.make("PUT", ticket_path(example, parameters["checkNameAvailabilityInput"]["name"]), ANY_TICKET)
    elif operation in ("SupportTickets_Get", "SupportTickets_Update"):
        api.make("PUT", ticket_path(example, answer["name"]), writable(answer))
    elif operation == "SupportTickets_List":
        for ticket in answer["value"]:
            api.make("PUT", ticket_path(example, ticket["name"]), writable(ticket))
    elif operation.startswith("Communications_"):
        ticket = ticket_path(example, parameters["supportTicketName"])
        api.make("PUT", ticket, ANY_TICKET)
        shown = answer.get("value", [answer]) if operation != "Communications_Create" else []
        for message in shown:
            api.make("PUT", f"{ticket}/communications/{message['name']}", writable(message))


def differences(expected: Any, found: Any, at: str = "", values: bool = True) -> list[str]:
    """Where ``found`` departs from ``expected``: keys, JSON types and (``values``) values."""
    if expected is None:
        return []
    if isinstance(expected, dict):
        if not isinstance(found, dict):
            return [f"{at}: expected an object, found {found!r}"]
        wanted = {k for k, v in expected.items() if v is not None}
        problems = [f"{at}.{k}: missing" for k in sorted(wanted - set(found) - MAY_BE_ABSENT)]
        problems += [f"{at}.{k}: not in the example" for k in sorted(set(found) - set(expected))]
        for key in sorted(wanted & set(found)):
            problems += differences(expected[key], found[key], f"{at}.{key}", values and key not in FREE)
        return problems
    if isinstance(expected, list):
        if not isinstance(found, list):
            return [f"{at}: expected an array, found {found!r}"]
        if values:
            if len(found) != len(expected):
                return [f"{at}: expected {len(expected)} items, found {len(found)}"]
            pairs = list(zip(expected, found, strict=True))
        else:
            pairs = [(expected[0], item) for item in found] if expected else []
        problems = []
        for index, (wanted_item, found_item) in enumerate(pairs):
            problems += differences(wanted_item, found_item, f"{at}[{index}]", values)
        return problems
    if type(expected) is not type(found):
        return [f"{at}: expected a {type(expected).__name__} ({expected!r}), found {found!r}"]
    if values and expected != found:
        return [f"{at}: expected {expected!r}, found {found!r}"]
    return []


def test_every_example_is_replayed() -> None:
    assert len(EXAMPLES) == 10, [e.name for e in EXAMPLES]
    assert all(json.loads(e.read_text())["operationId"] in OPERATIONS for e in EXAMPLES)


@pytest.mark.parametrize("path", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_the_published_example_is_accepted_as_sent(path: Path) -> None:
    example = json.loads(path.read_text(encoding="utf-8"))
    api = Api()
    prepare(api, example)
    method, url, body = request_of(example)
    sent = copy.deepcopy(body)
    answer = api.send(method, url, body, example["parameters"]["api-version"])
    assert body == sent  # nothing of the example was touched on the way
    statuses = set(example["responses"])
    assert str(answer.status_code) in statuses, (
        f"expected one of {sorted(statuses)}, found {answer.status_code}: {answer.get_json()}"
    )
    expected = example["responses"][str(answer.status_code)].get("body")
    found = answer.get_json(silent=True) if answer.data else None
    if expected is None:
        assert found is None, f"expected no body, found {found}"
        return
    problems = differences(expected, found, values=example["operationId"] not in SHAPE_ONLY)
    assert problems == [], f"expected the example's answer, found these differences: {problems}"
