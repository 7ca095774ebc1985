"""The suite runner: shards, job groups, reading behave's JSON, the rule matrix and its verdict."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from harness import runner
from harness.runner import (
    RunResult,
    Scenario,
    read_behave_json,
    read_failure_files,
    rule_matrix,
    shard,
    split,
    summary,
)
from portals.backend.rules import RULES

FILES = [Path(f"f{n}.feature") for n in range(5)]


def test_shards_cover_every_file_once() -> None:
    parts = [shard(FILES, f"{i}/3") for i in (1, 2, 3)]
    assert sorted(p for part in parts for p in part) == sorted(FILES)
    assert all(parts)
    with pytest.raises(ValueError):
        shard(FILES, "4/3")
    with pytest.raises(ValueError):
        shard(FILES, "half")


def test_jobs_split_into_balanced_groups() -> None:
    groups = split(FILES, 2)
    assert [len(g) for g in groups] == [3, 2]
    assert split(FILES[:1], 4) == [FILES[:1]]


def _scenario(tags: list[str], status: str = "passed") -> Scenario:
    return Scenario("F", "S", "f.feature:3", tags, status)


def test_verdict_needs_every_rule_and_every_scenario_passing() -> None:
    everything = [_scenario(list(RULES))]
    text, ok = summary(RunResult(scenarios=everything, returncodes=[0]), full=True)
    assert ok and f"{len(RULES)} of {len(RULES)} rule IDs" in text
    text, ok = summary(RunResult(scenarios=[_scenario(list(RULES)[1:])], returncodes=[0]), full=True)
    assert not ok and "Rule IDs with no scenario: R-PC-01" in text
    failing = [*everything, _scenario(["R-AZ-05"], "failed")]
    text, ok = summary(RunResult(scenarios=failing, returncodes=[1]), full=True)
    assert not ok and "FAILED      R-AZ-05" in text and "1 failed scenario(s)" in text
    _, ok = summary(RunResult(scenarios=[_scenario(["R-AZ-05"])], returncodes=[0]), full=False)
    assert ok  # a shard is not blamed for the rules of other shards
    _, ok = summary(RunResult(scenarios=[], returncodes=[0]), full=False)
    assert not ok  # running nothing is not passing


def test_brief_summary_lists_only_rules_not_ok() -> None:
    text, _ = summary(
        RunResult(scenarios=[_scenario(list(RULES)[1:])], returncodes=[0]), full=True, brief=True
    )
    assert "NO SCENARIO R-PC-01" in text and "ok          R-PC-02" not in text


def test_reads_behave_json_with_tags_and_the_failing_step(tmp_path: Path) -> None:
    report = [
        {
            "name": "Azure",
            "tags": ["azure"],
            "elements": [
                {"type": "background", "steps": []},
                {
                    "type": "scenario",
                    "name": "spurious",
                    "tags": ["R-AZ-05", "D5"],
                    "location": "a.feature:4",
                    "status": "failed",
                    "steps": [
                        {"keyword": "Given", "name": "a world", "result": {"status": "passed"}},
                        {
                            "keyword": "Then",
                            "name": "the error shows",
                            "result": {"status": "failed", "error_message": ["boom"]},
                        },
                    ],
                },
            ],
        }
    ]
    path = tmp_path / "part-0.json"
    path.write_text(json.dumps(report))
    (scenario,) = read_behave_json(path)
    assert scenario.tags == ["azure", "R-AZ-05", "D5"] and scenario.status == "failed"
    assert scenario.failure.startswith("Then the error shows\nboom")
    assert set(rule_matrix([scenario])) == {"R-AZ-05", "D5"}


def test_failed_scenarios_link_what_they_left(tmp_path: Path) -> None:
    """environment.py names a failure's screenshot, HTML and HAR; the summary prints them under it."""
    failures = tmp_path / "failures"
    failures.mkdir()
    files = ["reports/ui/f-s.png", "reports/ui/f-s.html", "reports/har/f-s.har"]
    (failures / "f-s.json").write_text(json.dumps({"location": "f.feature:3", "files": files}))
    (failures / "broken.json").write_text("{")
    found = read_failure_files(failures)
    assert found == {"f.feature:3": files}
    result = RunResult(scenarios=[_scenario(list(RULES), "failed")], returncodes=[1], files=found)
    text, ok = summary(result, full=True)
    assert not ok
    assert "      ↳ reports/ui/f-s.png\n      ↳ reports/ui/f-s.html\n      ↳ reports/har/f-s.har" in text


def test_skipped_scenarios_do_not_fail_a_rule() -> None:
    """@ui scenarios skipped for want of Chromium: the rule stays ok through the others."""
    scenarios = [_scenario(list(RULES)), _scenario(["R-AZ-05", "ui"], "skipped")]
    text, ok = summary(RunResult(scenarios=scenarios, returncodes=[0]), full=True, brief=True)
    assert ok and "R-AZ-05" not in text
    text, _ = summary(RunResult(scenarios=[_scenario(["R-AZ-05"], "skipped")], returncodes=[0]), full=False)
    assert "skipped     R-AZ-05" in text


def test_without_chromium_the_run_leaves_ui_out_and_says_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: dict[str, list[str]] = {}

    def fake_suite(*args: object) -> RunResult:
        seen["extra"] = list(args[-1])  # type: ignore[arg-type]
        return RunResult(scenarios=[_scenario(list(RULES))], returncodes=[0])

    monkeypatch.setattr(runner, "run_suite", fake_suite)
    monkeypatch.setattr(runner, "chromium_problem", lambda: "Chromium not found at /usr/bin/chromium")
    args = argparse.Namespace(
        reports=str(tmp_path),
        target=None,
        mode="inprocess",
        tags=None,
        dry_run=False,
        jobs=1,
        shard=None,
        paths=[],
        brief=True,
    )
    assert runner.run(args) == 0
    assert seen["extra"] == ["--tags", "not @ui", "--tags", "not @wip"]
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("UI scenarios skipped: Chromium not found at /usr/bin/chromium; install it")
    monkeypatch.setattr(runner, "chromium_problem", lambda: None)
    assert runner.run(args) == 0 and seen["extra"] == []


def test_cucumber_json_from_behave_json(tmp_path: Path) -> None:
    from harness.runner import cucumber_json

    behave = [
        {
            "keyword": "Feature",
            "name": "Azure link",
            "tags": ["azure"],
            "location": "features/a.feature:1",
            "elements": [
                {"type": "background", "steps": [{"keyword": "Given", "name": "a world"}]},
                {
                    "type": "scenario",
                    "keyword": "Scenario",
                    "name": "Spurious error",
                    "tags": ["R-AZ-05"],
                    "location": "features/a.feature:7",
                    "steps": [
                        {
                            "keyword": "Given",
                            "name": "a world",
                            "location": "features/a.feature:4",
                            "match": {"location": "steps/w.py:3"},
                            "result": {"status": "passed", "duration": 0.5},
                        },
                        {
                            "keyword": "Then",
                            "name": "the error",
                            "location": "features/a.feature:8",
                            "result": {
                                "status": "failed",
                                "duration": 0.25,
                                "error_message": ["boom", "bang"],
                            },
                        },
                    ],
                },
            ],
        }
    ]
    (tmp_path / "part-0.json").write_text(json.dumps(behave))
    (feature,) = cucumber_json([tmp_path / "part-0.json"])
    assert feature["uri"] == "features/a.feature" and feature["tags"] == [{"name": "@azure", "line": 1}]
    (scenario,) = feature["elements"]  # the background is already inside the scenario's steps
    assert scenario["id"] == "azure-link;spurious-error" and scenario["line"] == 7
    assert scenario["tags"] == [{"name": "@R-AZ-05", "line": 7}]
    given, then = scenario["steps"]
    assert given["keyword"] == "Given " and given["match"]["location"] == "steps/w.py:3"
    assert given["result"] == {"status": "passed", "duration": 500_000_000}
    assert then["result"]["error_message"] == "boom\nbang" and then["line"] == 8


def test_markdown_matrix_lists_each_rule_with_its_scenarios() -> None:
    from harness.runner import matrix_markdown

    text = matrix_markdown(rule_matrix([_scenario(["R-AZ-05"]), _scenario(["R-AZ-05", "D5"], "failed")]))
    section = text.split("## R-AZ-05")[1].split("## ")[0]
    assert "✓ passed: F › S (`f.feature:3`)" in section and "✗ failed: F › S" in section
    assert "## R-PC-01 — " in text and "- **no scenario**" in text.split("## R-PC-01")[1].split("## ")[0]
