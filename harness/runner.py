"""``portal-harness run``: the acceptance suite with a readable summary for people and reports for
CI (JUnit XML, behave JSON, and the rule matrix: every rulebook ID with its scenarios and results).

Each behave process runs a group of feature files; ``--jobs N`` runs N groups side by side and
``--shard I/N`` keeps only one N-th of the files, for CI matrices across machines. Without Chromium
the ``@ui`` scenarios are left out, and one line says how to get them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any

from harness.browser import chromium_problem, skip_line
from portals.backend.rules import RULES

NOISE = "USING RUNNER:"


@dataclass
class Scenario:
    feature: str
    name: str
    location: str
    tags: list[str]
    status: str
    failure: str = ""


@dataclass
class RunResult:
    scenarios: list[Scenario] = field(default_factory=list)
    returncodes: list[int] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    seconds: float = 0.0
    files: dict[str, list[str]] = field(default_factory=dict)  # location -> what a failure left

    @property
    def failed(self) -> list[Scenario]:
        return [s for s in self.scenarios if s.status not in ("passed", "skipped")]


def feature_files(root: Path, paths: list[str] | None = None) -> list[Path]:
    targets = [Path(p) for p in paths] if paths else [root / "features"]
    files: list[Path] = []
    for target in targets:
        files.extend(sorted(target.rglob("*.feature")) if target.is_dir() else [target])
    return files


def shard(files: list[Path], spec: str | None) -> list[Path]:
    """``I/N``: the I-th of N shards (1-based), by position in the sorted list."""
    if not spec:
        return files
    try:
        index, total = (int(part) for part in spec.split("/"))
    except ValueError:
        raise ValueError(f"--shard takes I/N such as 1/2, not {spec!r}") from None
    if not 1 <= index <= total:
        raise ValueError(f"--shard {spec}: I must be between 1 and N")
    return [f for position, f in enumerate(files) if position % total == index - 1]


def split(files: list[Path], jobs: int) -> list[list[Path]]:
    groups: list[list[Path]] = [[] for _ in range(max(1, min(jobs, len(files))))]
    for position, path in enumerate(files):
        groups[position % len(groups)].append(path)
    return [g for g in groups if g]


def _behave(
    group: list[Path], part: int, reports: Path, userdata: dict[str, str], extra: list[str], stream: bool
) -> tuple[int, str]:
    json_out = reports / "json" / f"part-{part}.json"
    command = [
        sys.executable,
        "-m",
        "behave",
        *map(str, group),
        "--junit",
        "--junit-directory",
        str(reports / "junit"),
        "-f",
        "json",
        "-o",
        str(json_out),
        "-f",
        "progress",
        "--no-summary" if not stream else "--summary",
        *extra,
    ]
    for key, value in userdata.items():
        command += ["-D", f"{key}={value}"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if stream:  # show behave's progress as it comes, without its "USING RUNNER" banner
        with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) as process:
            assert process.stdout is not None
            for line in process.stdout:
                if not line.startswith(NOISE):
                    print(line, end="", flush=True)
        return process.returncode, ""
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    output = "".join(line for line in done.stdout.splitlines(True) if not line.startswith(NOISE))
    return done.returncode, output + done.stderr


def run_suite(
    root: Path,
    reports: Path,
    userdata: dict[str, str],
    jobs: int = 1,
    shard_spec: str | None = None,
    paths: list[str] | None = None,
    extra: list[str] | None = None,
) -> RunResult:
    files = shard(feature_files(root, paths), shard_spec)
    result = RunResult()
    if not files:
        return result
    for sub in ("json", "junit", "ui", "failures", "har"):  # a new run, new reports
        (reports / sub).mkdir(parents=True, exist_ok=True)
        for old in (reports / sub).glob("*"):
            old.unlink()
    groups = split(files, jobs)
    started = time.perf_counter()
    stream = len(groups) == 1
    with ThreadPoolExecutor(max_workers=len(groups)) as pool:
        outcomes = list(
            pool.map(
                lambda item: _behave(
                    item[1], item[0], reports, {**userdata, "reports": str(reports)}, extra or [], stream
                ),
                enumerate(groups),
            )
        )
    result.seconds = time.perf_counter() - started
    for code, output in outcomes:
        result.returncodes.append(code)
        result.outputs.append(output)
    for part in sorted((reports / "json").glob("part-*.json")):
        result.scenarios.extend(read_behave_json(part))
    result.files = read_failure_files(reports / "failures")
    return result


def read_failure_files(folder: Path) -> dict[str, list[str]]:
    """What environment.py saved for each failed scenario (screenshot, HTML, HAR), by location."""
    found: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.json")):
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            found.setdefault(str(entry["location"]), []).extend(map(str, entry["files"]))
        except (ValueError, KeyError, TypeError):
            continue
    return found


def read_behave_json(path: Path) -> list[Scenario]:
    try:
        features = json.loads(path.read_text(encoding="utf-8") or "[]")
    except ValueError:
        return []
    found = []
    for feature in features:
        feature_tags = [t.lstrip("@") for t in feature.get("tags", [])]
        for element in feature.get("elements", []):
            if element.get("type") not in ("scenario", "scenario_outline"):
                continue
            failure = ""
            for step in element.get("steps", []):
                outcome = step.get("result", {})
                if outcome.get("status") in ("failed", "undefined", "error"):
                    message = outcome.get("error_message") or outcome.get("status")
                    if isinstance(message, list):
                        message = "\n".join(message)
                    failure = f"{step.get('keyword', '').strip()} {step.get('name', '')}\n{message}"
                    break
            found.append(
                Scenario(
                    feature=feature.get("name", ""),
                    name=element.get("name", ""),
                    location=element.get("location", ""),
                    tags=feature_tags + [t.lstrip("@") for t in element.get("tags", [])],
                    status=element.get("status", "untested"),
                    failure=failure,
                )
            )
    return found


def rule_matrix(scenarios: list[Scenario]) -> dict[str, list[Scenario]]:
    matrix: dict[str, list[Scenario]] = defaultdict(list)
    for scenario in scenarios:
        for tag in scenario.tags:
            if tag in RULES:
                matrix[tag].append(scenario)
    return matrix


def summary(result: RunResult, full: bool, brief: bool = False) -> tuple[str, bool]:
    """The readable report and whether the run passed (every scenario passed, every rule covered).
    ``brief`` leaves out the matrix rows that are ok."""
    lines: list[str] = []
    matrix = rule_matrix(result.scenarios)
    lines.append("")
    lines.append(
        "Rule matrix (rule · scenarios · result)" + (": only rules not ok are listed" if brief else "")
    )
    missing = []
    for rule, title in RULES.items():
        scenarios = matrix.get(rule, [])
        ran = [s for s in scenarios if s.status != "skipped"]
        if not scenarios:
            missing.append(rule)
            state = "NO SCENARIO"
        elif not ran:
            state = "skipped"
        elif all(s.status == "passed" for s in ran):
            state = "ok"  # skipped ones (e.g. @ui without Chromium) neither help nor hurt
        else:
            state = "FAILED"
        if not brief or state != "ok":
            lines.append(f"  {state:11} {rule:9} {len(scenarios):3}  {title}")
    failed = result.failed
    if failed:
        lines.append("")
        lines.append(f"{len(failed)} failed scenario(s):")
        for scenario in failed:
            lines.append(f"  ✗ {scenario.feature} › {scenario.name}  ({scenario.location})")
            for text in scenario.failure.strip().splitlines()[:12]:
                lines.append(f"      {text}")
            for path in result.files.get(scenario.location, []):
                lines.append(f"      ↳ {path}")
    crashed = [
        out for code, out in zip_longest(result.returncodes, result.outputs, fillvalue="") if code and out
    ]
    if crashed and not result.scenarios:
        lines.append("")
        lines.append("behave could not run:")
        lines.extend(f"  {line}" for out in crashed for line in out.strip().splitlines()[-15:])
    passed = sum(1 for s in result.scenarios if s.status == "passed")
    total = len(result.scenarios)
    scope = "" if full else " (partial run: rules of other shards or paths not counted)"
    lines.append("")
    lines.append(
        f"{passed} passed, {len(failed)} failed, {total - passed - len(failed)} skipped"
        f" in {result.seconds:.1f}s; {len(RULES) - len(missing)} of {len(RULES)} rule IDs"
        f" have scenarios{scope}"
    )
    if missing and full:
        lines.append(f"Rule IDs with no scenario: {', '.join(missing)}")
    ok = bool(result.scenarios) and not failed and not any(result.returncodes) and (not missing or not full)
    return "\n".join(lines), ok


def _line(location: str) -> int:
    tail = location.rsplit(":", 1)[-1] if location else ""
    return int(tail) if tail.isdigit() else 0


def _slug(text: str) -> str:
    return "-".join(text.lower().split()) or "unnamed"


def _tags(tags: list[str], line: int) -> list[dict[str, Any]]:
    return [{"name": "@" + tag.lstrip("@"), "line": line} for tag in tags]


def cucumber_json(parts: list[Path]) -> list[dict[str, Any]]:
    """behave's JSON turned into Cucumber's JSON format, which CI report plugins read. behave's own
    formatter for it is a separate package that pins an older behave, so the runner converts."""
    features: list[dict[str, Any]] = []
    for part in sorted(parts):
        try:
            found = json.loads(part.read_text(encoding="utf-8") or "[]")
        except ValueError:
            continue
        for feature in found:
            feature_id = _slug(feature.get("name", ""))
            line = _line(feature.get("location", ""))
            elements = []
            for element in feature.get("elements", []):
                if element.get("type") == "background":
                    continue  # behave repeats background steps inside each scenario already
                element_line = _line(element.get("location", ""))
                steps = []
                for step in element.get("steps", []):
                    result = step.get("result", {"status": "skipped"})
                    message = result.get("error_message")
                    outcome: dict[str, Any] = {
                        "status": result.get("status", "skipped"),
                        "duration": int(float(result.get("duration", 0)) * 1e9),
                    }
                    if message:
                        outcome["error_message"] = (
                            "\n".join(message) if isinstance(message, list) else message
                        )
                    steps.append(
                        {
                            "keyword": step.get("keyword", "").strip() + " ",
                            "name": step.get("name", ""),
                            "line": _line(step.get("location", "")),
                            "match": {"location": step.get("match", {}).get("location", "")},
                            "result": outcome,
                        }
                    )
                elements.append(
                    {
                        "id": f"{feature_id};{_slug(element.get('name', ''))}",
                        "keyword": element.get("keyword", "Scenario"),
                        "name": element.get("name", ""),
                        "line": element_line,
                        "description": "",
                        "type": "scenario",
                        "tags": _tags(element.get("tags", []), element_line),
                        "steps": steps,
                    }
                )
            features.append(
                {
                    "uri": feature.get("location", "").rsplit(":", 1)[0],
                    "id": feature_id,
                    "keyword": feature.get("keyword", "Feature"),
                    "name": feature.get("name", ""),
                    "line": line,
                    "description": "\n".join(feature.get("description", []) or []),
                    "tags": _tags(feature.get("tags", []), line),
                    "elements": elements,
                }
            )
    return features


def write_matrix(result: RunResult, reports: Path) -> Path:
    matrix = rule_matrix(result.scenarios)
    data = {
        rule: {
            "title": title,
            "scenarios": [
                {"name": s.name, "location": s.location, "status": s.status} for s in matrix.get(rule, [])
            ],
        }
        for rule, title in RULES.items()
    }
    (reports / "rule-matrix.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    path = reports / "rule-matrix.md"
    path.write_text(matrix_markdown(matrix), encoding="utf-8")
    return path


def matrix_markdown(matrix: dict[str, list[Scenario]]) -> str:
    """Every rule with each of its scenarios and their result, for a person to read (the console
    shows counts only)."""
    marks = {"passed": "✓", "failed": "✗", "error": "✗", "skipped": "–", "untested": "–"}
    lines = ["# Rule matrix", ""]
    for rule, title in RULES.items():
        scenarios = matrix.get(rule, [])
        lines.append(f"## {rule} — {title}")
        lines.append("")
        if not scenarios:
            lines.append("- **no scenario**")
        for scenario in scenarios:
            mark = marks.get(scenario.status, "?")
            lines.append(
                f"- {mark} {scenario.status}: {scenario.feature} › {scenario.name} (`{scenario.location}`)"
            )
        lines.append("")
    return "\n".join(lines)


def run(args: Any) -> int:
    root = Path.cwd()
    if not (root / "features").is_dir() and not args.paths:
        print(
            "portal-harness run: no features/ folder here; run it from the repository root", file=sys.stderr
        )
        return 2
    reports = Path(args.reports)
    userdata = {"mode": "target" if args.target else args.mode}
    if args.target:
        userdata["target"] = args.target
    extra = ["--tags", args.tags] if args.tags else []
    problem = None if args.dry_run else chromium_problem()
    if problem:  # behave drops its default tags (~@wip) when given any: keep them
        extra += ["--tags", "not @ui"] + ([] if args.tags else ["--tags", "not @wip"])
        print(skip_line(problem), flush=True)
    if args.dry_run:
        extra.append("--dry-run")
    try:
        result = run_suite(root, reports, userdata, args.jobs, args.shard, args.paths, extra)
    except ValueError as error:
        print(f"portal-harness run: {error}", file=sys.stderr)
        return 2
    full = not (args.shard or args.paths or args.tags)
    text, ok = summary(result, full, args.brief)
    print(text)
    matrix = write_matrix(result, reports)
    cucumber = reports / "cucumber.json"
    cucumber.write_text(
        json.dumps(cucumber_json(list((reports / "json").glob("part-*.json")))), encoding="utf-8"
    )
    kinds = [(reports / "junit", "JUnit XML"), (cucumber, "Cucumber JSON"), (reports / "json", "behave JSON")]
    print("Reports: " + ", ".join(f"{path} ({kind})" for path, kind in kinds))
    print(f"Every rule with its scenarios and their results: {matrix}")
    return 0 if ok else 1
