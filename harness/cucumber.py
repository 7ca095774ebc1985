"""Cucumber JSON, the report format CI plugins read, as the runner reads and merges it: one file per
behave process (written by ``harness.cucumber_formatter.CucumberFormatter``), merged into one per
run, and runs merged across shards. Plain Python: no behave needed to read reports.

The format is Cucumber's (``features[].elements[].steps[].result`` with ``status``, ``duration``
in nanoseconds, ``error_message``), as cucumber-js writes it. A scenario's own and inherited tags
(outline, examples) are its ``tags``; the feature's are on the feature.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Statuses of a scenario that count as failed (an undefined step fails its scenario).
FAILED = ("failed", "undefined", "pending", "ambiguous")
NANOSECONDS = 1e9


def display_path(filename: str) -> str:
    """A feature file as reports name it: relative to the current folder (where behave runs: the
    suite's root) when inside it, else absolute."""
    path = os.path.abspath(filename)
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return path if relative.startswith("..") else relative.replace(os.sep, "/")


def location(filename: str, line: int) -> str:
    """``uri:line``, as the Cucumber JSON of a run names a scenario."""
    return f"{display_path(filename)}:{line}"


def example_fields(outline: str, examples: str, headings: list[str], cells: list[str]) -> dict[str, Any]:
    """An outline's example row as a scenario element names it (``"example"``, beside Cucumber's
    own fields): the outline's name (placeholders as written), its Examples' name and the row's
    values by heading."""
    return {
        "outline": outline,
        "examples": examples,
        "values": [[h, c] for h, c in zip(headings, cells, strict=False)],
    }


def identity(name: str, example: dict[str, Any] | None = None, occurrence: int = 1) -> str:
    """A scenario as ``--rerun-failed`` finds it again after its feature file was edited (lines
    moved): its name; an outline's example row by the outline's name, its Examples' name and the
    row's values (``example_fields``). ``occurrence`` tells apart scenarios of one feature file
    that would have the same identity: the second is 2 (``plan.occurrences``, the report's
    ``"occurrence"``), and so on."""
    if not example:
        parts: list[Any] = ["scenario", name]
    else:
        parts = [
            "example",
            example.get("outline", ""),
            example.get("examples", ""),
            example.get("values", []),
        ]
    if occurrence > 1:
        parts.append(occurrence)
    return json.dumps(parts, ensure_ascii=False)


@dataclass
class Scenario:
    """One scenario (or one example row of an outline) as a run reports it."""

    feature: str
    name: str
    location: str  # uri:line of the scenario, or of the example row
    tags: list[str]
    status: str  # passed | failed | skipped | undefined | pending
    failure: str = ""  # the failing step and its message
    seconds: float = 0.0
    steps: list[dict[str, Any]] = field(default_factory=list)
    identity: str = ""  # its name, or an example row's outline, Examples and values (``identity``)

    @property
    def uri(self) -> str:
        """Its feature file, as the run named it."""
        return self.location.rsplit(":", 1)[0]

    @property
    def failed(self) -> bool:
        return self.status in FAILED


def element_status(element: dict[str, Any]) -> str:
    """A scenario's status from its hooks and steps, as Cucumber's reporters derive it."""
    results = [hook.get("result", {}) for hook in element.get("before", [])]
    results += [step.get("result", {}) for step in element.get("steps", [])]
    results += [hook.get("result", {}) for hook in element.get("after", [])]
    statuses = [result.get("status", "skipped") for result in results]
    for status in FAILED:
        if status in statuses:
            return "failed" if status in ("failed", "ambiguous") else status
    if statuses and all(status == "passed" for status in statuses):
        return "passed"
    return "skipped"


def _failure(element: dict[str, Any]) -> str:
    for part in ("before", "steps", "after"):
        for item in element.get(part, []):
            result = item.get("result", {})
            if result.get("status") in FAILED:
                message = result.get("error_message") or result.get("status", "")
                keyword = item.get("keyword", "").strip()
                name = item.get("name", "") if part == "steps" else f"{part} hook"
                return f"{keyword} {name}".strip() + f"\n{message}"
    return ""


def scenarios(features: list[dict[str, Any]]) -> list[Scenario]:
    """The scenarios of a Cucumber JSON document, each with its feature's tags and its own."""
    found = []
    for feature in features:
        feature_tags = [tag["name"].lstrip("@") for tag in feature.get("tags", [])]
        for element in feature.get("elements", []):
            if element.get("type") == "background":
                continue
            results = [step.get("result", {}) for step in element.get("steps", [])]
            seconds = sum(float(result.get("duration", 0)) for result in results) / NANOSECONDS
            found.append(
                Scenario(
                    feature=feature.get("name", ""),
                    name=element.get("name", ""),
                    location=f"{feature.get('uri', '')}:{element.get('line', 0)}",
                    tags=feature_tags + [tag["name"].lstrip("@") for tag in element.get("tags", [])],
                    status=element_status(element),
                    failure=_failure(element),
                    seconds=seconds,
                    steps=element.get("steps", []),
                    identity=identity(
                        element.get("name", ""), element.get("example"), element.get("occurrence", 1)
                    ),
                )
            )
    return found


def read(path: Path) -> list[dict[str, Any]]:
    """A Cucumber JSON file; a missing, empty or broken one (a process that crashed) is empty."""
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "[]")
    except (OSError, ValueError):
        return []
    return data if isinstance(data, list) else []


def merge(documents: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Several Cucumber JSON documents as one: a feature split over processes or shards becomes one
    feature again, its scenarios in file order; features in the order of their files."""
    by_uri: dict[str, dict[str, Any]] = {}
    for document in documents:
        for feature in document:
            uri = feature.get("uri", "")
            if uri not in by_uri:
                by_uri[uri] = {**feature, "elements": list(feature.get("elements", []))}
            else:
                by_uri[uri]["elements"].extend(feature.get("elements", []))
    merged = []
    for uri in sorted(by_uri):
        feature = by_uri[uri]
        feature["elements"] = sorted(feature["elements"], key=lambda element: element.get("line", 0))
        merged.append(feature)
    return merged


def write(features: list[dict[str, Any]], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(features, indent=1, ensure_ascii=False), encoding="utf-8")
    return path


def durations(features: list[dict[str, Any]]) -> dict[str, float]:
    """Seconds each scenario that ran took (steps only), by location: what shards balance on."""
    return {
        scenario.location: round(scenario.seconds, 4)
        for scenario in scenarios(features)
        if scenario.status != "skipped"
    }
