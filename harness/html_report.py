"""``report.html``: one self-contained page per run (or per merge of shards), rendered from the
run's Cucumber JSON with a Jinja template (autoescaped): the verdict, the rule matrix, the failed
scenarios with links to what they left (HAR, screenshot, page HTML), then features › scenarios ›
steps with their status, duration and failure message. No scripts, no files beside it but the
linked failure artifacts.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from harness.cucumber import NANOSECONDS, element_status
from harness.matrix import Matrix
from portals.web.template_cache import bytecode_cache

ARTIFACT_KINDS = {".har": "HAR (requests)", ".png": "screenshot", ".html": "page HTML"}


@dataclass
class RunInfo:
    """What the page's header says about the run."""

    title: str
    summary: str  # the console's last line: counts, time, rule IDs
    verdict: bool
    details: list[tuple[str, str]] = field(default_factory=list)  # (label, value): mode, selection, …


def _anchor(uri: str, line: int) -> str:
    return "s-" + "".join(c if c.isalnum() else "-" for c in f"{uri}-{line}")


def _artifacts(files: list[str], folder: Path) -> list[dict[str, str]]:
    links = []
    for name in files:
        path = Path(name)
        target = path if path.is_absolute() else Path.cwd() / path
        try:
            href = os.path.relpath(target, folder.resolve())
        except ValueError:
            href = target.as_uri()
        links.append({"href": href.replace(os.sep, "/"), "kind": ARTIFACT_KINDS.get(path.suffix, "file")})
    return links


def model(
    features: list[dict[str, Any]], files: dict[str, list[str]], folder: Path
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], Counter[str]]:
    """The template's features (each with scenarios and steps) and the failed scenarios."""
    shown, failed, counts = [], [], Counter()
    for feature in features:
        uri = feature.get("uri", "")
        scenarios = []
        for element in feature.get("elements", []):
            status = element_status(element)
            counts[status] += 1
            line = element.get("line", 0)
            location = f"{uri}:{line}"
            steps = []
            for part in ("before", "steps", "after"):
                for step in element.get(part, []):
                    result = step.get("result", {})
                    steps.append(
                        {
                            "keyword": step.get("keyword", "").strip() or f"({part} hook)",
                            "name": step.get("name", ""),
                            "status": result.get("status", "skipped"),
                            "seconds": float(result.get("duration", 0)) / NANOSECONDS,
                            "message": result.get("error_message", ""),
                            "doc_string": (step.get("doc_string") or {}).get("value", ""),
                            "rows": [row.get("cells", []) for row in step.get("rows", [])],
                            "match": (step.get("match") or {}).get("location", ""),
                        }
                    )
            scenario = {
                "anchor": _anchor(uri, line),
                "name": element.get("name", ""),
                "keyword": element.get("keyword", "Scenario"),
                "location": location,
                "status": status,
                "seconds": sum(s["seconds"] for s in steps),
                "tags": [tag.get("name", "") for tag in element.get("tags", [])],
                "steps": steps,
                "artifacts": _artifacts(files.get(location, []), folder),
                "feature": feature.get("name", ""),
            }
            scenarios.append(scenario)
            if status not in ("passed", "skipped"):
                failed.append(scenario)
        shown.append(
            {
                "name": feature.get("name", ""),
                "uri": uri,
                "description": feature.get("description", ""),
                "tags": [tag.get("name", "") for tag in feature.get("tags", [])],
                "scenarios": scenarios,
                "status": "failed"
                if any(s["status"] not in ("passed", "skipped") for s in scenarios)
                else ("passed" if any(s["status"] == "passed" for s in scenarios) else "skipped"),
                "seconds": sum(s["seconds"] for s in scenarios),
            }
        )
    return shown, failed, counts


def render(
    features: list[dict[str, Any]],
    matrix: Matrix,
    files: dict[str, list[str]],
    info: RunInfo,
    path: Path,
) -> Path:
    """Write the page to ``path``; links to failure artifacts are relative to its folder."""
    environment = Environment(
        loader=PackageLoader("harness", "templates"),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=bytecode_cache(),
    )
    shown, failed, counts = model(features, files, path.parent)
    anchors = {s["location"]: s["anchor"] for f in shown for s in f["scenarios"]}
    rows = [
        {
            "rule": row.rule,
            "title": row.title,
            "state": row.state,
            "scenarios": [
                {
                    "name": s.name,
                    "status": s.status,
                    "location": s.location,
                    "anchor": anchors.get(s.location, ""),
                }
                for s in row.scenarios
            ],
        }
        for row in matrix.rows
    ]
    html = environment.get_template("report.html").render(
        info=info,
        features=shown,
        failed=failed,
        counts=counts,
        rows=rows,
        note=matrix.note(),
        missing=matrix.missing,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
