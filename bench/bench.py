"""Benchmark: how fast the acceptance suite and its building blocks are, measured in one run.

Prints wall times and ratios measured here and now (never compared with numbers from another
machine): the suite in-process, live and with 2 jobs; the per-scenario cost against behave running
the same number of no-op scenarios; the cost of creating a world. Usage: ``make bench``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(command: list[str], cwd: Path = ROOT) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-2000:], sep="\n")
        raise SystemExit(f"benchmark command failed: {' '.join(command)}")
    return elapsed


def suite(*flags: str, reports: str) -> float:
    return timed([sys.executable, "-m", "harness.cli", "run", "--reports", reports, *flags])


def scenario_count(reports: str) -> int:
    """Scenarios the last run reported (its Cucumber JSON)."""
    features = json.loads(Path(reports, "cucumber.json").read_text() or "[]")
    return sum(1 for feature in features for e in feature.get("elements", []) if e.get("type") == "scenario")


def noop_behave(count: int) -> float:
    """behave itself running ``count`` scenarios of one empty step each: the floor we compare with."""
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        (base / "features").mkdir()
        (base / "steps").mkdir()
        (base / "steps" / "noop.py").write_text(
            "from behave import step\n\n@step('nothing happens')\ndef _(c): pass\n"
        )
        scenarios = "".join(f"  Scenario: no-op {n}\n    Given nothing happens\n\n" for n in range(count))
        (base / "features" / "noop.feature").write_text(f"Feature: no-op\n\n{scenarios}")
        return timed([sys.executable, "-m", "behave", "-f", "null", "--no-summary", "features"], cwd=base)


def world_creation(count: int = 20000) -> float:
    from portals.backend import WorldRegistry

    registry = WorldRegistry()
    started = time.perf_counter()
    for _ in range(count):
        registry.create()
    return (time.perf_counter() - started) / count


def main() -> None:
    api = ("--tags", "not @ui")  # the HTTP scenarios; the browser ones are timed apart
    with tempfile.TemporaryDirectory() as reports:
        inprocess = suite("--mode", "inprocess", *api, reports=reports)
        scenarios = scenario_count(reports)
        live = suite("--mode", "live", *api, reports=reports)
        parallel = suite("--mode", "inprocess", "--jobs", "2", *api, reports=reports)
        ui = suite("--mode", "inprocess", "--tags", "@ui", reports=reports)
        ui_scenarios = scenario_count(reports)
    floor = noop_behave(scenarios)
    per_world = world_creation()
    extra_ms = (inprocess - floor) / max(scenarios, 1) * 1000
    print(f"HTTP scenarios (not @ui):              {scenarios}")
    print(f"  in-process, 1 job:                   {inprocess:6.2f} s")
    print(f"  live servers, 1 job:                 {live:6.2f} s   ({live / inprocess:.2f}x in-process)")
    print(
        f"  in-process, 2 jobs:                  {parallel:6.2f} s   ({parallel / inprocess:.2f}x in-process)"
    )
    print(f"  behave, same count of no-op ones:    {floor:6.2f} s")
    ratio = inprocess / floor
    print(f"  cost per scenario above a no-op one: {extra_ms:6.1f} ms   (suite / no-op {ratio:.2f}x)")
    print(f"browser scenarios (@ui):               {ui_scenarios}")
    each = ui / max(ui_scenarios, 1)
    print(f"  in-process + a live twin, Chromium:  {ui:6.2f} s   ({each:.2f} s per scenario)")
    print(f"creating an empty world:               {per_world * 1e6:6.1f} µs")


if __name__ == "__main__":
    main()
