"""Errors mapped at the edge: the backend's refusals carry no HTTP status, the web layer's one table
answers every code, and each API style renders a refusal with its own renderer."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path
from string import Formatter

import pytest
from flask import Flask

from portals.azure_management import create_app as create_arm_app
from portals.azure_portal import create_app as create_azure_app
from portals.backend import LANGUAGES, REFUSALS, Refusal, WorldRegistry, translate
from portals.backend.errors import RefusalKind
from portals.backend.messages import CATALOG
from portals.partner_center_api import create_app as create_pc_api_app
from portals.web.errors import EDGE_REFUSALS, STATUSES, EdgeRefusal, error_body, status_of

ROOT = Path(__file__).resolve().parents[2]
BACKEND = ROOT / "portals" / "backend"


def _raised_codes(folder: Path, kind: str) -> dict[str, list[str]]:
    """Every literal code passed to ``kind(...)`` in ``folder``'s modules: code -> files."""
    found: dict[str, list[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == kind
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.setdefault(node.args[0].value, []).append(path.name)
    return found


# --- the backend knows no HTTP --------------------------------------------------------------------------
def test_the_backend_mentions_no_http_status() -> None:
    assert [f.name for f in dataclasses.fields(RefusalKind)] == ["message_key", "reason"]
    refusal = Refusal("AccessIdAlreadyAssociated")
    assert not hasattr(refusal, "status") and "status" not in refusal.to_dict()
    for path in sorted(BACKEND.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not {m for m in imported if m.split(".")[0] in ("http", "flask", "werkzeug")}, path.name
        names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        names |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        assert not names & {"status_code", "HTTPStatus", "STATUSES", "status_of"}, path.name
    errors = ast.parse((BACKEND / "errors.py").read_text(encoding="utf-8"))
    numbers = [n.value for n in ast.walk(errors) if isinstance(n, ast.Constant) and isinstance(n.value, int)]
    assert not [n for n in numbers if 100 <= n <= 599], numbers


def test_the_backend_does_not_know_the_edge_codes_nor_the_edge_the_backend_codes() -> None:
    assert not set(REFUSALS) & set(EDGE_REFUSALS)
    with pytest.raises(KeyError, match="RouteNotFound"):
        Refusal("RouteNotFound")
    with pytest.raises(KeyError, match="NoBenefits"):
        EdgeRefusal("NoBenefits")
    assert isinstance(EdgeRefusal("FaultNotFound", fault="f1", world="w"), Refusal)


# --- one table for every code ----------------------------------------------------------------------------
def test_every_code_that_can_be_raised_has_a_status() -> None:
    backend_raised = _raised_codes(BACKEND, "Refusal")
    assert "AccessIdAlreadyAssociated" in backend_raised and "EdgeRefusal" not in backend_raised
    assert set(backend_raised) <= set(REFUSALS), set(backend_raised) - set(REFUSALS)
    edge_raised = _raised_codes(ROOT / "portals", "EdgeRefusal")
    assert set(edge_raised) <= set(EDGE_REFUSALS), set(edge_raised) - set(EDGE_REFUSALS)
    everywhere_raised = _raised_codes(ROOT / "portals", "Refusal")
    assert set(everywhere_raised) <= set(REFUSALS), set(everywhere_raised) - set(REFUSALS)
    assert set(STATUSES) == set(REFUSALS) | set(EDGE_REFUSALS)
    assert all(400 <= s < 500 for code, s in STATUSES.items() if code != "InternalError")
    assert STATUSES["InternalError"] == 500  # the one 5xx: a bug of ours


@pytest.mark.parametrize(
    ("code", "status"),
    [  # the README's table of refusals; D5 names 409 for AccessIdAlreadyAssociated
        ("AccountNotFound", 401),
        ("PartnerAccountRequired", 403),
        ("NotAuthorized", 403),
        ("RoleRequired", 403),
        ("NoBenefits", 404),
        ("ActivationPending", 409),
        ("AlreadyActivated", 409),
        ("ContractNotFound", 404),
        ("ContractExpired", 422),
        ("NoIncidentsRemaining", 409),
        ("NotEligibleForCloudSupport", 422),
        ("AccessIdAlreadyAssociated", 409),
        ("AlreadyLinked", 409),
        ("PurchaseNewPlan", 409),
        ("ProductNotFound", 404),
        ("ProductNotCovered", 422),
        ("ProductNotReleased", 422),
        ("NoSupportPlan", 422),
        ("PlanNotFound", 404),
        ("PlanNotAvailable", 422),
        ("OfferNotFound", 404),
        ("CustomerNotFound", 404),
        ("WorkloadNotFound", 404),
        ("RequestNotFound", 404),
        ("InvalidInput", 400),
        ("InvalidSeed", 400),
        ("WorldNotFound", 404),
        ("WorldExists", 409),
        ("AuthenticationRequired", 401),
        ("RouteNotFound", 404),
        ("MethodNotAllowed", 405),
        ("PayloadTooLarge", 413),
        ("HarnessTokenRequired", 401),
        ("FaultNotFound", 404),
    ],
)
def test_documented_statuses(code: str, status: int) -> None:
    refusal = EdgeRefusal(code) if code in EDGE_REFUSALS else Refusal(code)
    assert status_of(refusal) == status, f"expected {status}, found {status_of(refusal)}"


@pytest.mark.rule("D11")
def test_the_json_error_keeps_its_shape_with_the_status() -> None:
    body = error_body(Refusal("AccessIdAlreadyAssociated"), "it-IT")
    assert list(body) == ["code", "message", "status", "reason", "params"]
    assert (body["code"], body["status"], body["reason"]) == ("AccessIdAlreadyAssociated", 409, "association")
    assert body["message"].startswith("Questo ID di accesso è già associato")


def test_every_edge_code_has_a_text_in_every_language() -> None:
    for code, kind in EDGE_REFUSALS.items():
        assert kind.message_key in CATALOG, code
        placeholders = {
            n for text in CATALOG[kind.message_key] for _, n, _, _ in Formatter().parse(text) if n
        }
        for lang in LANGUAGES:
            assert translate(kind.message_key, lang, **dict.fromkeys(placeholders, "x")).strip(), (code, lang)


# --- one renderer per API style -----------------------------------------------------------------------------
@pytest.fixture
def apps() -> dict[str, Flask]:
    registry = WorldRegistry()
    return {
        "azure": create_azure_app(registry),
        "arm": create_arm_app(registry),
        "pc_api": create_pc_api_app(registry),
    }


def test_each_api_style_renders_an_unknown_route_its_own_way(apps: dict[str, Flask]) -> None:
    portal = apps["azure"].test_client().get("/api/nothing")
    assert portal.status_code == 404 and portal.json["error"]["code"] == "RouteNotFound"
    assert portal.json["error"]["status"] == 404 and portal.json["error"]["reason"] == "unknown IDs"
    page = apps["azure"].test_client().get("/nothing", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert 'data-code="RouteNotFound"' in page.text and "<title>404 · Azure portal</title>" in page.text
    arm = apps["arm"].test_client().get("/nothing")
    assert arm.status_code == 404 and arm.json == {
        "error": {"code": "RouteNotFound", "message": "Nothing here: /nothing"}
    }
    rest = apps["pc_api"].test_client().get("/v1/nothing")
    assert (
        rest.status_code == 401
        and rest.headers["WWW-Authenticate"] == 'Bearer realm="api.partnercenter.test"'
    )
    assert rest.json == {
        "code": 401,
        "description": "Sign in first: send Authorization: Bearer <token> naming an account of the world "
        "(no Authorization header)",
        "data": ["AuthenticationRequired"],
        "source": "PartnerFD",  # as Partner Center's documented errors show it
    }


def test_arm_answers_422_refusals_as_400_and_the_control_api_keeps_the_portal_shape(
    apps: dict[str, Flask],
) -> None:
    from portals.azure_management.errors import arm_status

    assert arm_status(Refusal("ContractExpired")) == 400 and arm_status(Refusal("NoBenefits")) == 404
    for app in apps.values():
        answer = app.test_client().get("/_harness/worlds/nowhere")
        assert answer.status_code == 404 and answer.json["error"]["code"] == "WorldNotFound", answer.json
        assert answer.json["error"]["status"] == 404


def test_a_page_for_a_world_that_does_not_exist_is_a_template_with_the_name_escaped(
    apps: dict[str, Flask],
) -> None:
    client = apps["azure"].test_client()
    answer = client.get("/signin?world=%3Cscript%3Ealert(1)%3C/script%3E")
    assert answer.status_code == 404 and answer.mimetype == "text/html"
    assert "<script>" not in answer.text
    assert "No world named &lt;script&gt;alert(1)&lt;/script&gt;" in answer.text, answer.text
    assert "<title>404</title>" in answer.text and answer.headers.getlist("Set-Cookie") == []
