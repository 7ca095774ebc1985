"""The project's list of rule IDs matches the rulebook, and every ID has a backend test."""

from __future__ import annotations

import re
from pathlib import Path

from portals.backend.rules import RULES

ROOT = Path(__file__).resolve().parents[1]
RULEBOOK = ROOT.parent / "shared" / "rulebook.md"


def test_rule_ids_match_the_rulebook() -> None:
    text = RULEBOOK.read_text(encoding="utf-8")
    ids = re.findall(r"\*\*((?:R-[A-Z]+-\d+)|(?:D\d+))[ *]", text)
    assert list(dict.fromkeys(ids)) == list(RULES)


def test_every_rule_id_has_a_backend_test() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests" / "backend").glob("test_*.py"))
    marked: set[str] = set()
    for args in re.findall(r"@rule\(([^)]*)\)", source):
        marked.update(re.findall(r'"([A-Z0-9-]+)"', args))
    missing = [rule for rule in RULES if rule not in marked]
    assert not missing, f"rule IDs with no backend test: {missing}"
