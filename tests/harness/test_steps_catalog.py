"""The steps catalog (docs/STEPS.md) is generated from the step definitions and kept current; the
closest existing steps answer a step the suite lacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from harness.steps_catalog import _alternatives, closest_steps, guess_language

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "docs" / "STEPS.md"


def test_the_catalog_is_current() -> None:
    """Fails when a step was added or changed without running ``portal-harness steps``."""
    done = subprocess.run(
        [sys.executable, "-m", "harness.cli", "steps", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "docs/STEPS.md is up to date"


def _section(text: str, heading: str) -> str:
    start = text.index(f"### {heading}\n")
    end = text.find("\n### ", start + 1)
    return text[start : end if end > 0 else len(text)]


def test_the_catalog_groups_translations_and_gives_values_and_examples() -> None:
    text = CATALOG.read_text(encoding="utf-8")
    # the feature files' own wording: the three membership offers (R-EN-01) and the four roles
    offer = next(line for line in text.splitlines() if line.startswith("| `Offer` |"))
    assert all(f"`{name}`" in offer for name in ("Gold", "Silver", "Action Pack"))
    role = next(line for line in text.splitlines() if line.startswith("| `Role` |"))
    assert all(f"`{name}`" in role for name in ("a Global admin", "an MPN partner admin", "an Admin agent"))
    link = _section(text, 'When "{upn}" links the support benefits of "{org}" in the Azure portal')
    assert (
        '- Spanish: `Cuando "{upn}" vincula las ventajas de soporte técnico de "{org}" en el Azure Portal`'
        in link
    )
    assert (
        '- Italian: `Quando "{upn}" collega i vantaggi del supporto di "{org}" nel portale di Azure`' in link
    )
    assert "- Parameters: `upn`: any text; `org`: any text" in link
    assert (
        '- Example: `When "user@contoso.com" links the support benefits of "Contoso" in the Azure portal`'
        in link
    )
    partner = _section(text, 'Given "{org}" is a {offer:Offer} partner')
    assert "`offer`: `" in partner and "Gold" in partner.split("- Parameters:")[1]


def test_parse_type_patterns_read_as_phrases() -> None:
    assert _alternatives(r"Gold|Silver|Action\ Pack") == ["Gold", "Silver", "Action Pack"]
    assert _alternatives(r"no|unlimited|\d+") == ["no", "unlimited", "N"]
    assert _alternatives(r'of "[^"]+"|"[^"]+"') == ['of "…"', '"…"']
    assert _alternatives(r"a Signature \d+-pack with \d+ incidents? left") == [
        "a Signature N-pack with N incident(s) left"
    ]
    assert _alternatives(r"a Signature \d+-pack, the contract expired on \d{4}-\d\d-\d\d") == [
        "a Signature N-pack, the contract expired on YYYY-MM-DD"
    ]
    assert _alternatives(r"[a-z]+") is None


def test_the_signature_type_lists_its_phrases_not_its_docstring() -> None:
    """R-SFB-08's Signature information, as the feature files write it."""
    text = CATALOG.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| `Signature` |"))
    for phrase in (
        "unlimited Signature Cloud Support",
        "no Signature Cloud Support",
        "a Signature N-pack with N incident(s) left",
        "a Signature N-pack, the contract expired on YYYY-MM-DD",
    ):
        assert f"`{phrase}`" in row, row
    assert "as the SFB API gives it" not in row


def test_languages_of_sentences_no_feature_uses_yet() -> None:
    assert guess_language('"{upn}" crea una solicitud para "{product}" en el Azure Portal') == "es"
    assert guess_language('"{upn}" crea una richiesta di supporto nel portale di Azure') == "it"
    assert guess_language('"{upn}" opens the Support plans page') == "en"


class FakeMatcher:
    def __init__(self, step_type: str, pattern: str) -> None:
        self.step_type, self.pattern = step_type, pattern


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ('"user@contoso.com" creates seven requests', 'When "{upn}" creates {count:d} support requests'),
        ('"user@contoso.com" creates 7 support request', 'When "{upn}" creates {count:d} support requests'),
        ('the plan of "Contoso" is linked', 'Then the "{plan}" plan is linked'),
    ],
)
def test_the_closest_steps_come_first(written: str, expected: str) -> None:
    matchers = [
        FakeMatcher("when", '"{upn}" creates {count:d} support requests'),
        FakeMatcher("when", '"{upn}" presses Activate'),
        FakeMatcher("then", 'the "{plan}" plan is linked'),
        FakeMatcher("given", '"{org}" is a {offer:Offer} partner'),
    ]
    found = closest_steps(written, "when", matchers)
    assert found[0] == expected
    assert closest_steps("zzz qqq", "when", matchers) == []


def test_the_closest_steps_of_a_spanish_feature_are_spanish_or_english() -> None:
    matchers = [
        FakeMatcher(
            "when", '"{upn}" crea {count:d} richieste di supporto per "{product}" nel portale di Azure'
        ),
        FakeMatcher(
            "when", '"{upn}" crea una solicitud de soporte técnico para "{product}" en el Azure Portal'
        ),
        FakeMatcher(
            "when", '"{upn}" creates {count:d} new support requests for "{product}" in the Azure portal'
        ),
    ]
    written = '"user@contoso.com" crea 7 solicitudes de soporte para "App Service" en el portal de Azure'
    assert any(line.startswith("Quando ") for line in closest_steps(written, "when", matchers))
    assert closest_steps(written, "when", matchers, languages={"es", "en"}) == [
        'Cuando "{upn}" crea una solicitud de soporte técnico para "{product}" en el Azure Portal',
        'When "{upn}" creates {count:d} new support requests for "{product}" in the Azure portal',
    ]
