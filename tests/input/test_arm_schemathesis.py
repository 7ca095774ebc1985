"""schemathesis against the served Azure Support API, from the official OpenAPI document in
``../shared/specs/azure-support`` (support.json with the ARM common types it references): every
operation the emulator serves gets generated requests, valid and invalid, and every answer must be
no server error, a status the spec documents, of the content type it declares, and in its schema.

The spec's ``$ref``s to the common types are relative files six folders up; they are bundled here
(the common types' definitions and parameters merged under their own names, which support.json
does not use), so schemathesis reads one document.

Every operation of the spec is served (``test_every_path_and_operation_of_the_spec_is_served``
walks them); schemathesis covers them all.

Budget: ``PORTAL_HARNESS_SCHEMATHESIS_EXAMPLES`` generated examples per operation (default 10,
derandomized); ``make fuzz`` runs 300 per operation, and also every explicit example schemathesis
derives from the spec's own examples (about 1,700, half a minute).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from stage import WORLD, build_stage

from portals.web.tokens import mint_token

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT.parent / "shared" / "specs" / "azure-support"
TYPES_REF = "../../../../../../common-types/resource-management/v5/types.json#"
API_VERSION = "2024-04-01"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
LONG = os.environ.get("PORTAL_HARNESS_FUZZ") == "long"
EXAMPLES = int(os.environ.get("PORTAL_HARNESS_SCHEMATHESIS_EXAMPLES", "300" if LONG else "10"))


def bundled_spec() -> dict[str, Any]:
    """support.json with the common types it references merged in, every ``$ref`` local."""
    support = json.loads((SPECS / API_VERSION / "support.json").read_text(encoding="utf-8"))
    types = json.loads(
        (SPECS / "common-types" / "resource-management" / "v5" / "types.json").read_text(encoding="utf-8")
    )
    for section in ("definitions", "parameters"):
        own = support.setdefault(section, {})
        clash = set(own) & set(types.get(section, {}))
        assert not clash, f"support.json and the common types both define {section} {clash}"
        own.update(types.get(section, {}))
    return json.loads(json.dumps(support).replace(TYPES_REF, "#"))


SCHEMA = schemathesis.openapi.from_dict(bundled_spec())
STAGE = build_stage()
APP = STAGE.apps["azure_management"]
HEADERS = {"Authorization": f"Bearer {mint_token('user@contoso.com', world=WORLD)}"}


def test_every_path_and_operation_of_the_spec_is_served() -> None:
    """Each operation of the spec, in its subscription and tenant-level forms, reaches a view of
    the emulator: whatever it answers, it is not 404 RouteNotFound (nor 405)."""
    operations = [
        (path, method, op["operationId"])
        for path, methods in bundled_spec()["paths"].items()
        for method, op in methods.items()
        if method != "parameters"
    ]
    assert len(operations) == 39, len(operations)
    assert sum(path.startswith("/subscriptions/") for path, _, _ in operations) == 17
    not_served = []
    for path, method, operation_id in operations:
        url = path.format(
            subscriptionId="00000000-0000-0000-0000-000000000000",
            supportTicketName="t1",
            communicationName="m1",
            serviceName=STAGE.ids["service"],
            problemClassificationName="x",
            fileWorkspaceName="ws1",
            fileName="f1",
            chatTranscriptName="c1",
        )
        answer = APP.test_client().open(
            f"{url}?api-version={API_VERSION}", method=method.upper(), headers=HEADERS
        )
        code = (answer.get_json(silent=True) or {}).get("error", {}).get("code")
        if code in ("RouteNotFound", "MethodNotAllowed"):
            not_served.append(f"{operation_id} ({method.upper()} {path}): {answer.status_code} {code}")
    assert not_served == [], f"expected every operation served, found {not_served}"


#: Whether the stage's world may have changed since it was last reset (a write was accepted).
_changed = [False]


@SCHEMA.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not LONG,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate] if LONG else [Phase.generate],
)
def test_the_azure_support_api_answers_as_its_spec_says(case: schemathesis.Case) -> None:
    if _changed[0]:
        STAGE.reset()
    case.query = {**(case.query or {}), "api-version": API_VERSION}
    response = case.call(app=APP, headers={**(case.headers or {}), **HEADERS})
    _changed[0] = case.method.upper() != "GET" and response.status_code < 400
    case.validate_response(response, checks=CHECKS)
