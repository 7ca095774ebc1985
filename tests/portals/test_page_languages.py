"""Refusals of the input layer, and service names, shown to page users in the page's language: not
"Input non valido: by: must be an ISO-8601 duration…". The es-ES and it-IT texts are the project's
translations of the input layer's reasons (the seeds say nothing about them)."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from conftest import WORLD, page_client
from flask import Flask

from portals.azure_portal import create_app as create_azure
from portals.backend import WorldRegistry
from portals.backend.messages import translate


@pytest.fixture
def azure(registry: WorldRegistry) -> Flask:
    return create_azure(registry)


def alert(page: Any) -> str:
    found = re.search(r'role="alert"[^>]*>([^<]*)<', page.get_data(as_text=True))
    assert found is not None, "expected a refusal on the page, found none"
    return html.unescape(found.group(1))


def csrf(page: Any) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page.get_data(as_text=True))
    assert found is not None, "no CSRF field on the page"
    return found.group(1)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en-US", "Invalid input: title: is required; description: is required"),
        ("es-ES", "Entrada no válida: title: es obligatorio; description: es obligatorio"),
        ("it-IT", "Input non valido: title: è obbligatorio; description: è obbligatorio"),
    ],
)
def test_a_required_field_is_refused_in_the_pages_language(azure: Flask, lang: str, expected: str) -> None:
    client = page_client(azure, "user@contoso.com", lang)
    fields = {"product": "app-service", "title": "", "description": ""}
    answer = client.post(f"/help-support/new?world={WORLD}&lang={lang}", data=fields)
    assert answer.status_code == 303, f"expected 303, found {answer.status_code}"
    assert alert(client.get(answer.headers["Location"])) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "es-ES",
            "Entrada no válida: by: debe ser una duración ISO-8601, como P3D, o un número de días, no 'P1X'",
        ),
        (
            "it-IT",
            "Input non valido: by: deve essere una durata ISO-8601, come P3D, o un numero di giorni, "
            "non 'P1X'",
        ),
    ],
)
def test_the_dashboards_refusal_speaks_the_pages_language(azure: Flask, lang: str, expected: str) -> None:
    client = azure.test_client()
    page = f"/_harness/dashboard/{WORLD}?lang={lang}"
    answer = client.post(
        f"/_harness/dashboard/{WORLD}/clock/advance", data={"by": "P1X", "csrf": csrf(client.get(page))}
    )
    assert alert(client.get(f"{answer.headers['Location'].split('#')[0]}&lang={lang}")) == expected


@pytest.mark.parametrize(
    ("detail", "spanish", "italian"),
    [
        (
            "name: must be at most 100 characters",
            "name: debe tener como máximo 100 caracteres",
            "name: deve avere al massimo 100 caratteri",
        ),
        (
            "azure_link_mode: must be one of spurious, diagnostic",
            "azure_link_mode: debe ser uno de estos valores: spurious, diagnostic",
            "azure_link_mode: deve essere uno di questi valori: spurious, diagnostic",
        ),
        (
            "to: must be an ISO-8601 date or time such as 2021-03-04",
            "to: debe ser una fecha u hora ISO-8601, como 2021-03-04",
            "to: deve essere una data o un'ora ISO-8601, come 2021-03-04",
        ),
        (
            "lro_polls: must be an integer",
            "lro_polls: debe ser un número entero",
            "lro_polls: deve essere un numero intero",
        ),
    ],
)
def test_the_common_reasons_in_three_languages(detail: str, spanish: str, italian: str) -> None:
    assert translate("invalid_input", "en-US", detail=detail) == f"Invalid input: {detail}"
    assert translate("invalid_input", "es-ES", detail=detail) == f"Entrada no válida: {spanish}"
    assert translate("invalid_input", "it-IT", detail=detail) == f"Input non valido: {italian}"


@pytest.mark.parametrize(
    ("lang", "names"),
    [
        ("en-US", ("Subscription management", "Service and subscription limits (quotas)")),
        ("es-ES", ("Administración de suscripciones", "Límites de servicio y suscripción (cuotas)")),
        ("it-IT", ("Gestione delle sottoscrizioni", "Limiti di servizio e sottoscrizione (quote)")),
    ],
)
def test_the_azure_service_names_the_portal_translates(
    azure: Flask, lang: str, names: tuple[str, str]
) -> None:
    page = page_client(azure, "user@contoso.com", lang).get("/help-support/new")
    options = dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', page.get_data(as_text=True)))
    shown = (
        options["subscription-management"],
        html.unescape(options["service-and-subscription-limits-quotas"]),
    )
    assert shown == names, f"expected {names}, found {shown}"
