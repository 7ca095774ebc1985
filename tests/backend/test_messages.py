"""The message catalog: the rulebook's exact texts, the seeds' verbatim es/it wording, negotiation."""

from __future__ import annotations

import re
from pathlib import Path
from string import Formatter

import pytest

from portals.backend import REFUSALS, Refusal, negotiate, translate
from portals.backend.messages import CATALOG, LANGUAGES

rule = pytest.mark.rule
SHARED = Path(__file__).resolve().parents[3] / "shared"


def rulebook_table() -> dict[str, tuple[str, str, str]]:
    text = (SHARED / "rulebook.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\w+) \| (.+?) \| (.+?) \| (.+?) \|$", text, re.M)
    return {key: (en, es, it) for key, en, es, it in rows if key != "key"}


@rule("R-PC-02", "R-PC-04", "R-AZ-05")
def test_the_three_rulebook_messages_are_verbatim() -> None:
    table = rulebook_table()
    assert set(table) == {"not_authorized", "no_benefits", "access_id_already_associated"}
    for key, texts in table.items():
        assert CATALOG[key] == texts, key


@rule("R-AZ-05")
def test_spanish_and_italian_texts_stand_in_the_seeds() -> None:
    es = (SHARED / "seeds" / "technical-support-benefits.es-ES.md").read_text(encoding="utf-8")
    it = (SHARED / "seeds" / "technical-support-benefits.it-IT.md").read_text(encoding="utf-8")
    for key in ("not_authorized", "no_benefits", "access_id_already_associated"):
        assert CATALOG[key][1].rstrip(".") in es, key  # the seed closes its quote before the stop
        assert CATALOG[key][2] in it, key
    for key in ("technical_benefits", "add_contract", "support_plans"):
        assert CATALOG[key][1].lower() in es.lower(), key
        assert CATALOG[key][2].lower() in it.lower(), key


@rule("R-SFB-08", "R-AZ-03")
def test_the_signature_information_speaks_the_seeds_words() -> None:
    """The label of the partner's Signature information and the Action Pack sentence, as the seeds
    word them in Spanish and Italian."""
    es = (SHARED / "seeds" / "technical-support-benefits.es-ES.md").read_text(encoding="utf-8")
    it = (SHARED / "seeds" / "technical-support-benefits.it-IT.md").read_text(encoding="utf-8")
    assert "para ver la información de la firma de asociado" in es
    assert "per visualizzare le informazioni sulla firma del partner" in it
    assert CATALOG["sfb_signature_information"][1:] == (
        "Información de la firma de asociado",
        "Informazioni sulla firma del partner",
    )
    assert CATALOG["sfb_signature_action_pack"][1] in es
    assert CATALOG["sfb_signature_action_pack"][2] in it


def test_every_refusal_has_a_text_in_every_language() -> None:
    for code, kind in REFUSALS.items():
        assert kind.message_key in CATALOG, code
        for lang in LANGUAGES:
            assert translate(kind.message_key, lang, **_params()).strip(), (code, lang)


def _params() -> dict[str, str]:
    """Every placeholder any catalog text uses, each given a value."""
    names = {
        name for texts in CATALOG.values() for text in texts for _, name, _, _ in Formatter().parse(text)
    }
    return dict.fromkeys((n for n in names if n), "x")


@rule("D11")
def test_a_refusal_serialises_with_code_reason_and_localized_message() -> None:
    error = Refusal("AccessIdAlreadyAssociated")
    body = error.to_dict("it-IT")
    assert body["code"] == "AccessIdAlreadyAssociated" and "status" not in body
    assert body["message"].startswith("Questo ID di accesso è già associato")
    assert body["reason"] == "association"


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "en-US"),
        ("es-ES,es;q=0.9", "es-ES"),
        ("it", "it-IT"),
        ("fr-FR, it;q=0.5, es;q=0.8", "es-ES"),
        ("de-DE", "en-US"),
        ("es;q=0, it;q=0.1", "it-IT"),
        ("garbage;;q=x", "en-US"),
    ],
)
def test_accept_language_negotiation(header: str | None, lang: str) -> None:
    assert negotiate(header) == lang
