"""The rule matrix: every rulebook ID and decision with the scenarios tagged with it and their
result, and the verdict the suite is gated on (every scenario passed; every rule ID has a
scenario). A partial run (some paths, tags, a shard, a rerun) lists only the rules its scenarios are
tagged with and is not judged on the others: "every rule has a scenario" is for a full run, or for
the merge of all its shards (``portal-harness report merge``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.cucumber import Scenario
from portals.backend.rules import RULES

MARKS = {"passed": "✓", "failed": "✗", "undefined": "✗", "pending": "✗", "skipped": "–"}


@dataclass
class Row:
    """One rule: its scenarios and their combined state."""

    rule: str
    title: str
    scenarios: list[Scenario]

    @property
    def state(self) -> str:
        ran = [s for s in self.scenarios if s.status != "skipped"]
        if not self.scenarios:
            return "NO SCENARIO"
        if not ran:
            return "skipped"  # e.g. only @ui scenarios, without Chromium
        return "ok" if all(s.status == "passed" for s in ran) else "FAILED"


@dataclass
class Matrix:
    """The rows of a run. ``full``: the whole suite ran (every rule is listed and must have a
    scenario); else only the rules the run's scenarios are tagged with, and ``scope`` says why."""

    rows: list[Row]
    full: bool
    scope: str = ""

    @property
    def missing(self) -> list[str]:
        return [row.rule for row in self.rows if row.state == "NO SCENARIO"] if self.full else []

    def note(self) -> str:
        """The one line saying what a partial matrix lists."""
        if self.full:
            return ""
        return (
            f"Partial run ({self.scope}): the {len(self.rows)} rule(s) its scenarios are tagged with; "
            f"all {len(RULES)} are checked by a full run or by merging every shard"
        )


def build(scenarios: list[Scenario], full: bool, scope: str = "") -> Matrix:
    """The matrix of these scenarios; ``full`` lists every rule, else only those tagged."""
    tagged: dict[str, list[Scenario]] = defaultdict(list)
    for scenario in scenarios:
        for tag in dict.fromkeys(scenario.tags):
            if tag in RULES:
                tagged[tag].append(scenario)
    rules = [rule for rule in RULES if full or rule in tagged]
    return Matrix([Row(rule, RULES[rule], tagged.get(rule, [])) for rule in rules], full, scope)


def console_lines(matrix: Matrix, brief: bool = False) -> list[str]:
    """``rule · scenarios · result`` lines; ``brief`` leaves out the rows that are ok."""
    lines = ["Rule matrix (rule · scenarios · result)" + (": only rules not ok are listed" if brief else "")]
    if matrix.note():
        lines.append(matrix.note())
    for row in matrix.rows:
        if not brief or row.state != "ok":
            lines.append(f"  {row.state:11} {row.rule:9} {len(row.scenarios):3}  {row.title}")
    return lines


def as_json(matrix: Matrix) -> dict[str, Any]:
    return {
        "full": matrix.full,
        "scope": matrix.scope,
        "rules": {
            row.rule: {
                "title": row.title,
                "state": row.state,
                "scenarios": [
                    {"name": s.name, "location": s.location, "status": s.status} for s in row.scenarios
                ],
            }
            for row in matrix.rows
        },
    }


def markdown(matrix: Matrix) -> str:
    """Every rule with each of its scenarios and their result, for a person to read (the console
    shows counts only)."""
    lines = ["# Rule matrix", ""]
    if matrix.note():
        lines += [matrix.note() + ".", ""]
    for row in matrix.rows:
        lines += [f"## {row.rule} — {row.title}", ""]
        if not row.scenarios:
            lines.append("- **no scenario**")
        for scenario in row.scenarios:
            mark = MARKS.get(scenario.status, "?")
            lines.append(
                f"- {mark} {scenario.status}: {scenario.feature} › {scenario.name} (`{scenario.location}`)"
            )
        lines.append("")
    return "\n".join(lines)


def write(matrix: Matrix, folder: Path) -> Path:
    """``rule-matrix.md`` and ``rule-matrix.json`` in ``folder``; the Markdown file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rule-matrix.json").write_text(json.dumps(as_json(matrix), indent=2), encoding="utf-8")
    path = folder / "rule-matrix.md"
    path.write_text(markdown(matrix), encoding="utf-8")
    return path
