"""Fixtures for the portal tests: one registry shared by the three apps, a cast world, and Flask
test clients that speak for an account of that world."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portals.backend import World, WorldRegistry
from portals.web.tokens import mint_token

WORLD = "cast"


@pytest.fixture
def world(registry: WorldRegistry) -> World:
    return registry.get(WORLD)


def bearer(upn: str) -> dict[str, str]:
    """Headers for a JSON API call as ``upn`` in the cast world."""
    return {"Authorization": f"Bearer {mint_token(upn)}", "X-Harness-World": WORLD}


def page_client(app: Flask, upn: str | None = None, lang: str | None = None) -> FlaskClient:
    """A browser-like client: world cookie set, signed in as ``upn`` through the sign-in form."""
    client = app.test_client()
    client.get(f"/signin?world={WORLD}" + (f"&lang={lang}" if lang else ""))
    if upn:
        response = client.post("/signin", data={"upn": upn, "next": "/"})
        assert response.status_code == 303, response.data
    return client


@pytest.fixture
def make_page_client() -> Callable[..., FlaskClient]:
    return page_client


def error_of(response: Any) -> dict[str, Any]:
    """The JSON error of a response, checking its shape."""
    body = response.get_json()
    assert isinstance(body, dict) and "error" in body, response.data[:500]
    error = body["error"]
    assert {"code", "message", "status"} <= set(error)
    assert error["status"] == response.status_code
    return error


def submit(client: FlaskClient, path: str, data: dict[str, str] | None = None) -> tuple[Any, Any]:
    """Send a page's form as a browser does (Post/Redirect/Get): the 303 the post answers, and the
    page its ``Location`` leads to."""
    redirect = client.post(path, data=data or {})
    assert redirect.status_code == 303, (redirect.status_code, redirect.data[:500])
    return redirect, client.get(redirect.headers["Location"])


def refusal_header(redirect: Any) -> str | None:
    """What the 303 of a refused form post names: ``"409 AccessIdAlreadyAssociated"``."""
    return redirect.headers.get("X-Harness-Refusal")
