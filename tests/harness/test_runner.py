"""The suite runner's parts: planning (tags ANDed, outlines whole, shards balanced by durations),
reading and merging Cucumber JSON and JUnit, the rule matrix of full and partial runs, the summary
and its verdict, the HTML report."""

from __future__ import annotations

import argparse
import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from harness import cucumber, junit, plan, runner
from harness import matrix as rule_matrix
from harness.cucumber import Scenario
from harness.html_report import RunInfo, render
from harness.runner import RunResult, read_failure_files, summary
from portals.backend.rules import RULES

ROOT = Path(__file__).resolve().parents[2]

FEATURE = """\
@area
Feature: Planning
  @R-AZ-05
  Scenario: one
    Given a step

  @R-AZ-05 @ui
  Scenario: two in the browser
    Given a step

  @R-PC-01
  Scenario Outline: three <n>
    Given a step <n>

    Examples:
      | n |
      | 1 |
      | 2 |

    @ui
    Examples: in the browser
      | n |
      | 3 |
"""


@pytest.fixture
def units(tmp_path: Path) -> list[plan.Unit]:
    path = tmp_path / "planning.feature"
    path.write_text(FEATURE)
    return plan.units_of([path], {path: "planning.feature"})


def test_an_outline_is_one_unit_with_all_its_examples(units: list[plan.Unit]) -> None:
    assert [(u.name, u.line, u.scenario_lines) for u in units] == [
        ("one", 4, [4]),
        ("two in the browser", 8, [8]),
        ("three <n>", 12, [17, 18, 23]),
    ]
    assert units[2].tags == [["R-PC-01", "area"], ["R-PC-01", "area"], ["R-PC-01", "area", "ui"]]


def test_repeated_tags_are_anded_as_behave_ands_them(units: list[plan.Unit]) -> None:
    def names(tags: list[str]) -> list[str]:
        return [u.name for u in plan.select(units, tags)]

    assert names(["@R-AZ-05"]) == ["one", "two in the browser"]
    assert names(["@R-AZ-05", "not @ui"]) == ["one"]
    assert names(["@R-AZ-05 and not @ui"]) == ["one"]
    assert names(["not @ui"]) == ["one", "three <n>"]  # the outline keeps its rows without @ui
    assert names(["@ui"]) == ["two in the browser", "three <n>"]


def test_a_bad_tag_expression_is_said_in_one_line(units: list[plan.Unit]) -> None:
    with pytest.raises(plan.PlanError, match=r"^--tags '@R-AZ-05 and': .*Expected operand after and$"):
        plan.select(units, ["@R-AZ-05 and"])


def test_shards_balance_recorded_durations_and_keep_outlines_whole(units: list[plan.Unit]) -> None:
    durations = {"planning.feature:4": 9.0, "planning.feature:8": 1.0}
    durations |= {"planning.feature:17": 2.0, "planning.feature:18": 2.0, "planning.feature:23": 3.0}
    groups = plan.balance(units, 2, durations)
    assert [[u.name for u in g] for g in groups] == [["one"], ["two in the browser", "three <n>"]]
    # without durations every scenario counts 1: the outline's three rows weigh 3
    groups = plan.balance(units, 2, {})
    assert [[u.name for u in g] for g in groups] == [["three <n>"], ["one", "two in the browser"]]
    # a scenario no run recorded counts as the median of those recorded
    assert plan.weights(units, {"planning.feature:4": 5.0}) == [5.0, 5.0, 15.0]
    shards = [plan.balance(units, 3, durations)[i] for i in range(3)]
    assert sorted(u.location for s in shards for u in s) == sorted(u.location for u in units)
    assert plan.digest(shards) == plan.digest(plan.balance(units, 3, dict(durations)))
    assert plan.digest(shards) != plan.digest(plan.balance(units, 3, {}))


def test_bad_shards_and_missing_files_say_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(plan.PlanError, match="I/N such as 1/3"):
        plan.parse_shard("half")
    with pytest.raises(plan.PlanError, match="between 1 and N"):
        plan.parse_shard("4/3")
    assert plan.parse_shard("2/3") == (2, 3)
    with pytest.raises(plan.PlanError, match="no such feature file or folder"):
        plan.feature_files(tmp_path, [str(tmp_path / "missing.feature")])
    broken = tmp_path / "broken.feature"
    broken.write_text("Feature: x\n  Scenario: y\n    Given z\n  Examples:\n    | a |\n")
    with pytest.raises(plan.PlanError, match=r"broken\.feature: cannot be parsed"):
        plan.units_of([broken])


def test_a_feature_file_that_is_not_utf8_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from harness.cli import main

    binary = tmp_path / "bin.feature"
    binary.write_bytes(b"\xff\xfe")
    latin = tmp_path / "latin.feature"
    latin.write_bytes("Feature: x\n  Scenario: y\n    Given café\n".encode("latin-1"))
    assert main(["run", str(binary)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"portal-harness run: {binary}: cannot be parsed: not UTF-8 text (byte 0xff on line 1); "
        "save the feature file as UTF-8\n"
    )
    assert main(["run", "--dry-run", str(latin)]) == 2
    assert "latin.feature: cannot be parsed: not UTF-8 text (byte 0xe9 on line 3)" in capsys.readouterr().err


def test_a_feature_file_with_a_utf8_bom_is_read_as_utf8(tmp_path: Path) -> None:
    """Editors on Windows save UTF-8 with a byte order mark: planned and run as without it."""
    from harness.cli import main

    source = ROOT / "features" / "cross_portal" / "activation_before_use.feature"
    bom = tmp_path / "bom.feature"
    bom.write_bytes(b"\xef\xbb\xbf" + source.read_bytes())
    planned = [(u.name, u.line) for u in plan.units_of([bom])]
    assert planned == [(u.name, u.line) for u in plan.units_of([source])], planned
    reports = tmp_path / "reports"
    assert main(["run", "--reports", str(reports), str(bom)]) == 0


def test_behave_is_given_each_file_once_with_its_lines_side_by_side(units: list[plan.Unit]) -> None:
    other = plan.Unit("other.feature", 3, "x", [3], [[]])
    arguments = plan.behave_arguments([units[2], other, units[0]])
    assert arguments == ["planning.feature:4", "planning.feature:12", "other.feature:3"]


def test_a_rerun_takes_failed_scenarios_and_only_the_failed_rows_of_an_outline(
    units: list[plan.Unit],
) -> None:
    failed = [
        ("planning.feature", cucumber.identity("one")),
        ("planning.feature", cucumber.identity("", cucumber.example_fields("three <n>", "", ["n"], ["2"]))),
    ]
    rerun, lost = plan.failed_units(units, failed)
    assert [(u.line, u.scenario_lines) for u in rerun] == [(4, [4]), (18, [18])] and lost == []


def test_a_rerun_finds_failed_scenarios_by_name_and_row_after_the_file_was_edited(tmp_path: Path) -> None:
    """The failed scenarios as the run's Cucumber JSON names them (formatter and reader), found
    again after lines were added above them; one renamed since is reported, not replaced."""
    path = tmp_path / "planning.feature"
    path.write_text(FEATURE)
    before = plan.units_of([path], {path: "planning.feature"})
    element = {
        "name": "three 2 -- @1.2 ",
        "line": 18,
        "example": cucumber.example_fields("three <n>", "", ["n"], ["2"]),
    }
    document = [
        {"uri": "planning.feature", "name": "Planning", "elements": [{"name": "one", "line": 4}, element]}
    ]
    failed = [(s.uri, s.identity) for s in cucumber.scenarios(document)]
    assert [u.location for u in plan.failed_units(before, failed)[0]] == [
        "planning.feature:4",
        "planning.feature:18",
    ]
    edited = FEATURE.replace("Feature: Planning\n", "Feature: Planning\n  Two lines\n  of description\n")
    path.write_text(edited.replace("Scenario: two in the browser", "Scenario: two, renamed"))
    after = plan.units_of([path], {path: "planning.feature"})
    rerun, lost = plan.failed_units(after, failed)
    assert [(u.name, u.line, u.scenario_lines) for u in rerun] == [("one", 6, [6]), ("three <n>", 20, [20])]
    path.write_text(edited.replace("Scenario: one", "Scenario: one, renamed").replace("| 2 |", "| 5 |"))
    rerun, lost = plan.failed_units(plan.units_of([path], {path: "planning.feature"}), failed)
    assert rerun == [] and lost == failed


def test_a_path_with_a_line_picks_the_scenario_there_as_behave_does(units: list[plan.Unit]) -> None:
    """``x.feature:16``, as failure lists print it: the scenario holding the line, an outline
    whole from its keyword, one example row from the row's line."""
    assert plan.split_location("planning.feature:18") == ("planning.feature", [18])
    assert plan.split_location("planning.feature:4:8") == ("planning.feature", [4, 8])
    assert plan.split_location("planning.feature") == ("planning.feature", [])
    picked = plan.at_lines(units, "planning.feature", [5, 4, 12, 18])
    assert [(u.name, u.line, u.scenario_lines) for u in picked] == [
        ("one", 4, [4]),
        ("three <n>", 12, [17, 18, 23]),
        ("three <n>", 18, [18]),
    ]
    with pytest.raises(plan.PlanError, match=r"planning\.feature:2: no scenario at or above line 2"):
        plan.at_lines(units, "planning.feature", [2])


def test_a_durations_file_that_cannot_be_used_is_said_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from harness.cli import main

    feature = tmp_path / "planning.feature"
    feature.write_text(FEATURE)
    (tmp_path / "text.json").write_text("not json")
    (tmp_path / "list.json").write_text("[1, 2]")
    said = {
        "/nonexistent": "--durations /nonexistent: cannot be read (No such file or directory)",
        str(tmp_path / "text.json"): f"--durations {tmp_path / 'text.json'}: is not JSON (Expecting value",
        str(tmp_path / "list.json"): f"--durations {tmp_path / 'list.json'}: is not a durations.json (",
        str(tmp_path): f"--durations {tmp_path}: durations.json cannot be read (No such file or directory)",
    }
    for given, message in said.items():
        assert main(["run", "--dry-run", "--durations", given, str(feature)]) == 2, given
        assert capsys.readouterr().err.startswith(f"portal-harness run: {message}")


def test_durations_of_later_runs_win(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "durations.json").write_text(json.dumps({"f:1": 1.0, "f:2": 2.0}))
    (tmp_path / "b.json").write_text(json.dumps({"f:1": 4.0}))
    (tmp_path / "broken.json").write_text("{")
    found = plan.read_durations([tmp_path / "a", tmp_path / "b.json", tmp_path / "broken.json"])
    assert found == {"f:1": 4.0, "f:2": 2.0}


def test_earlier_shards_do_not_change_how_the_next_shard_is_cut(tmp_path: Path) -> None:
    """Shards run one after the other in one folder read only the durations of whole runs."""
    for name, shard, seconds in (("full", None, 1.0), ("shard-1", "1/2", 50.0)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "durations.json").write_text(json.dumps({"f:1": seconds}))
        (tmp_path / name / "run.json").write_text(json.dumps({"shard": shard}))
    args = argparse.Namespace(durations=None)
    assert runner.durations_for(args, tmp_path / "shard-2") == {"f:1": 1.0}
    args.durations = str(tmp_path / "shard-1")
    assert runner.durations_for(args, tmp_path / "shard-2") == {"f:1": 50.0}


# --- Cucumber JSON and JUnit ---------------------------------------------------------------------------
def _element(line: int, status: str, tags: list[str], message: str | None = None) -> dict:
    result: dict = {"status": status, "duration": 250_000_000}
    if message:
        result["error_message"] = message
    return {
        "keyword": "Scenario",
        "name": f"s{line}",
        "line": line,
        "type": "scenario",
        "tags": [{"name": f"@{t}", "line": line} for t in tags],
        "steps": [
            {"keyword": "Given ", "name": "a world", "line": line + 1, "result": {"status": "passed"}},
            {"keyword": "Then ", "name": "it shows", "line": line + 2, "result": result},
        ],
    }


def _feature(uri: str, *elements: dict) -> dict:
    return {"uri": uri, "name": uri, "tags": [{"name": "@area", "line": 1}], "elements": list(elements)}


def test_scenarios_read_from_cucumber_json_with_their_failure() -> None:
    document = [_feature("a.feature", _element(3, "failed", ["R-AZ-05"], "expected 1, found 2"))]
    (scenario,) = cucumber.scenarios(document)
    assert scenario.location == "a.feature:3" and scenario.tags == ["area", "R-AZ-05"]
    assert scenario.status == "failed" and scenario.failure == "Then it shows\nexpected 1, found 2"
    assert scenario.seconds == 0.25
    undefined = [_feature("a.feature", _element(3, "undefined", []))]
    assert cucumber.scenarios(undefined)[0].failed
    skipped = [_feature("a.feature", {"name": "s", "line": 9, "steps": [{"result": {"status": "skipped"}}]})]
    assert cucumber.scenarios(skipped)[0].status == "skipped"


def test_cucumber_documents_merge_into_one_feature_per_file_in_line_order() -> None:
    first = [
        _feature("b.feature", _element(9, "passed", [])),
        _feature("a.feature", _element(3, "passed", [])),
    ]
    second = [_feature("b.feature", _element(4, "passed", []))]
    merged = cucumber.merge([first, second])
    assert [f["uri"] for f in merged] == ["a.feature", "b.feature"]
    assert [e["line"] for e in merged[1]["elements"]] == [4, 9]
    assert cucumber.durations(merged) == {"a.feature:3": 0.25, "b.feature:4": 0.25, "b.feature:9": 0.25}


def test_junit_files_of_one_feature_merge_into_one_suite(tmp_path: Path) -> None:
    for part, (name, failures) in enumerate((("one", 0), ("two", 1))):
        folder = tmp_path / f"junit-{part}"
        folder.mkdir()
        suite = (
            f'<testsuite name="features.a" tests="1" errors="0" failures="{failures}" skipped="0" '
            f'time="0.5"><testcase name="{name}" /></testsuite>'
        )
        (folder / "TESTS-features.a.xml").write_text(suite)
    (tmp_path / "junit-1" / "TESTS-features.broken.xml").write_text("<testsuite")
    (written,) = junit.merge([tmp_path / "junit-0", tmp_path / "junit-1"], tmp_path / "out")
    suite = ElementTree.parse(written).getroot()
    assert (suite.get("tests"), suite.get("failures"), suite.get("time")) == ("2", "1", "1.0")
    assert [case.get("name") for case in suite.iter("testcase")] == ["one", "two"]


# --- the matrix and the verdict ---------------------------------------------------------------------------
def _scenario(tags: list[str], status: str = "passed", location: str = "f.feature:3") -> Scenario:
    return Scenario("F", "S", location, tags, status)


def test_a_full_run_needs_every_rule_and_every_scenario_passing() -> None:
    everything = [_scenario(list(RULES))]
    text, ok = summary(RunResult(scenarios=everything, returncodes=[0]), rule_matrix.build(everything, True))
    assert ok and f"{len(RULES)} of {len(RULES)} rule IDs have scenarios" in text
    some = [_scenario(list(RULES)[1:])]
    text, ok = summary(RunResult(scenarios=some, returncodes=[0]), rule_matrix.build(some, True))
    assert not ok and "Rule IDs with no scenario: R-PC-01" in text and "NO SCENARIO R-PC-01" in text
    failing = [*everything, _scenario(["R-AZ-05"], "failed")]
    text, ok = summary(RunResult(scenarios=failing, returncodes=[1]), rule_matrix.build(failing, True))
    assert not ok and "FAILED      R-AZ-05" in text and "1 failed scenario(s)" in text


def test_a_partial_run_lists_only_its_rules_with_a_note() -> None:
    scenarios = [_scenario(["R-AZ-05", "D5"])]
    matrix = rule_matrix.build(scenarios, full=False, scope="--tags '@R-AZ-05'")
    text, ok = summary(RunResult(scenarios=scenarios, returncodes=[0]), matrix)
    assert ok  # a partial run is not blamed for the rules it did not select
    rows = [line.split()[1] for line in text.splitlines() if line.startswith("  ok ")]
    assert rows == ["R-AZ-05", "D5"]
    note = "Partial run (--tags '@R-AZ-05'): the 2 rule(s) its scenarios are tagged with; all 43 are"
    assert note.replace("43", str(len(RULES))) in text
    assert "NO SCENARIO" not in text and text.endswith("partial run: 2 rule ID(s) selected")
    _, ok = summary(RunResult(scenarios=[], returncodes=[0]), rule_matrix.build([], False))
    assert not ok  # running nothing is not passing


def test_brief_summary_lists_only_rules_not_ok() -> None:
    scenarios = [_scenario(list(RULES)[1:])]
    text, _ = summary(
        RunResult(scenarios=scenarios, returncodes=[0]), rule_matrix.build(scenarios, True), True
    )
    assert "NO SCENARIO R-PC-01" in text and "ok          R-PC-02" not in text


def test_skipped_scenarios_do_not_fail_a_rule() -> None:
    """@ui scenarios skipped for want of Chromium: the rule stays ok through the others."""
    scenarios = [_scenario(list(RULES)), _scenario(["R-AZ-05", "ui"], "skipped")]
    matrix = rule_matrix.build(scenarios, True)
    text, ok = summary(RunResult(scenarios=scenarios, returncodes=[0]), matrix, brief=True)
    assert ok and "R-AZ-05" not in text
    only_skipped = [_scenario(["R-AZ-05"], "skipped")]
    text, _ = summary(
        RunResult(scenarios=only_skipped, returncodes=[0]), rule_matrix.build(only_skipped, False)
    )
    assert "skipped     R-AZ-05" in text


def test_failed_scenarios_show_the_message_not_the_traceback_and_link_what_they_left(tmp_path: Path) -> None:
    failures = tmp_path / "failures"
    failures.mkdir()
    files = ["reports/ui/f-s.png", "reports/ui/f-s.html", "reports/har/f-s.har"]
    (failures / "f-s.json").write_text(json.dumps({"location": "f.feature:3", "files": files}))
    (failures / "broken.json").write_text("{")
    found = read_failure_files(failures)
    assert found == {"f.feature:3": files}
    failed = _scenario(list(RULES), "failed")
    failed.failure = (
        "Given a refused step\nPortalError: 422 NotEligibleForCloudSupport: no cloud support\n\n"
        'Traceback (most recent call last):\n  File "steps/x.py", line 3'
    )
    result = RunResult(scenarios=[failed], returncodes=[1], files=found)
    text, ok = summary(result, rule_matrix.build([failed], True))
    assert not ok
    block = text.split("1 failed scenario(s):\n")[1]
    assert block.startswith(
        "  ✗ F › S  (f.feature:3)\n      Given a refused step\n"
        "      PortalError: 422 NotEligibleForCloudSupport: no cloud support\n"
        "      ↳ reports/ui/f-s.png\n      ↳ reports/ui/f-s.html\n      ↳ reports/har/f-s.har"
    )
    assert "Traceback" not in text


def test_behave_that_cannot_start_is_the_first_thing_said() -> None:
    result = RunResult(scenarios=[], returncodes=[2], outputs=["ConfigError: No feature files in 'x'\n"])
    text, ok = summary(result, rule_matrix.build([], False))
    assert not ok and text.splitlines() == ["behave could not run:", "  ConfigError: No feature files in 'x'"]


def test_markdown_matrix_lists_each_rule_with_its_scenarios() -> None:
    scenarios = [_scenario(["R-AZ-05"]), _scenario(["R-AZ-05", "D5"], "failed")]
    text = rule_matrix.markdown(rule_matrix.build(scenarios, True))
    section = text.split("## R-AZ-05")[1].split("## ")[0]
    assert "✓ passed: F › S (`f.feature:3`)" in section and "✗ failed: F › S" in section
    assert "## R-PC-01 — " in text and "- **no scenario**" in text.split("## R-PC-01")[1].split("## ")[0]
    partial = rule_matrix.markdown(rule_matrix.build(scenarios, False, "shard 1/3"))
    assert "## R-PC-01" not in partial and "Partial run (shard 1/3)" in partial


def test_without_chromium_the_run_leaves_ui_out_and_says_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: dict[str, list[str]] = {}

    def fake_groups(root: Path, groups: list, reports: Path, userdata: dict, options: list) -> RunResult:
        seen["options"] = options
        return RunResult(scenarios=[_scenario(list(RULES))], returncodes=[0])

    monkeypatch.setattr(runner, "run_groups", fake_groups)
    monkeypatch.setattr(runner, "chromium_problem", lambda: "Chromium not found at /usr/bin/chromium")
    args = argparse.Namespace(
        reports=str(tmp_path / "run"),
        target=None,
        mode="inprocess",
        tags=None,
        dry_run=False,
        jobs=1,
        shard=None,
        paths=[],
        brief=True,
        rerun_failed=None,
        durations=None,
    )
    assert runner.run(args) == 0
    assert seen["options"] == ["--tags", "not @ui", "--tags", "not @wip"]
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("UI scenarios skipped: Chromium not found at /usr/bin/chromium; install it")
    monkeypatch.setattr(runner, "chromium_problem", lambda: None)
    args.tags = ["@R-AZ-05", "not @D5"]
    assert runner.run(args) == 0 and seen["options"] == ["--tags", "@R-AZ-05", "--tags", "not @D5"]


def test_latest_points_at_the_last_run_in_reports(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    first = runner.new_run_folder()
    first.mkdir(parents=True)
    second = runner.new_run_folder()
    assert second != first and second.name.startswith(first.name)
    second.mkdir()
    runner.point_latest(first)
    runner.point_latest(second)
    assert runner.resolve_run(Path("reports/latest")).resolve() == second.resolve()
    elsewhere = tmp_path / "elsewhere" / "run"
    elsewhere.mkdir(parents=True)
    runner.point_latest(elsewhere)  # only runs inside reports/ move the pointer
    assert not (tmp_path / "elsewhere" / "latest").exists()
    (tmp_path / "reports" / "latest").unlink()
    (tmp_path / "reports" / "latest").write_text(first.name + "\n")  # where symlinks cannot be made
    assert runner.resolve_run(Path("reports/latest")) == Path("reports") / first.name


# --- the HTML report -----------------------------------------------------------------------------------
def test_the_html_report_escapes_and_links_what_failures_left(tmp_path: Path) -> None:
    message = "expected <b>no</b> plan, found [AzurePlan(plan_id='1')]"
    document = [_feature("a.feature", _element(3, "failed", ["R-AZ-05"], message))]
    scenarios = cucumber.scenarios(document)
    files = {"a.feature:3": [str(tmp_path / "har" / "a-s3.har"), str(tmp_path / "ui" / "a-s3.png")]}
    matrix = rule_matrix.build(scenarios, full=False, scope="a.feature")
    info = RunInfo("portal-harness acceptance run", "0 passed, 1 failed", False, [("mode", "inprocess")])
    page = render(document, matrix, files, info, tmp_path / "report.html").read_text()
    assert "expected &lt;b&gt;no&lt;/b&gt; plan, found [AzurePlan(plan_id=&#39;1&#39;)]" in page
    assert "<b>no</b>" not in page
    assert '<a href="har/a-s3.har">HAR (requests)</a>' in page
    assert '<a href="ui/a-s3.png">screenshot</a>' in page
    assert "R-AZ-05" in page and "R-PC-01" not in page  # a partial matrix
    assert "<script" not in page and 'href="http' not in page  # self-contained


def test_a_merge_judges_the_whole_run_only_from_all_its_shards() -> None:
    from harness.merge import MergeError, check_shards

    def shard(index: int, total: int = 3, plan_id: str = "p1", **more: object) -> tuple[Path, dict]:
        return Path(f"s{index}"), {
            "shard": f"{index}/{total}",
            "plan": plan_id,
            "tags": [],
            "paths": [],
            **more,
        }

    assert check_shards([shard(1), shard(2), shard(3)]) is True
    assert check_shards([shard(1, tags=["@ui"]), shard(2, tags=["@ui"]), shard(3, tags=["@ui"])]) is False
    with pytest.raises(MergeError, match=r"missing shard\(s\) \[2\] of 3"):
        check_shards([shard(1), shard(3)])
    with pytest.raises(MergeError, match=r"shard\(s\) \[1\] given twice"):
        check_shards([shard(1), shard(1), shard(2)])
    with pytest.raises(MergeError, match="cut differently"):
        check_shards([shard(1), shard(2, plan_id="p2"), shard(3)])
    with pytest.raises(MergeError, match="shards of different runs"):
        check_shards([shard(1), shard(2, total=2)])
    with pytest.raises(MergeError, match="some folders are shards"):
        check_shards([shard(1), (Path("whole"), {"full": True})])
    assert check_shards([(Path("whole"), {"full": True})]) is True


def test_a_shard_left_empty_passes_and_says_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Fewer scenarios than shards: the empty shard runs nothing, writes its reports and passes,
    so the merge of all shards still judges the run."""
    feature = tmp_path / "one.feature"
    feature.write_text("Feature: one\n  @R-AZ-05\n  Scenario: only\n    Given a step\n")
    monkeypatch.setattr(runner, "run_groups", lambda *args: pytest.fail("nothing should run"))
    monkeypatch.setattr(runner, "chromium_problem", lambda: None)
    args = argparse.Namespace(
        reports=str(tmp_path / "shard-2"),
        target=None,
        mode="inprocess",
        tags=None,
        dry_run=False,
        jobs=1,
        shard="2/2",
        paths=[str(feature)],
        brief=False,
        rerun_failed=None,
        durations=None,
    )
    assert runner.run(args) == 0
    assert "shard 2/2 has no scenario (fewer scenarios than shards)" in capsys.readouterr().out
    info = json.loads((tmp_path / "shard-2" / "run.json").read_text())
    assert info["shard"] == "2/2" and info["units"] == [] and info["plan"]
    assert json.loads((tmp_path / "shard-2" / "cucumber.json").read_text()) == []


def test_a_merge_keeps_each_shards_failures_and_their_artifacts(tmp_path: Path) -> None:
    from harness.merge import merge_reports

    for index, (line, status) in enumerate(((3, "passed"), (9, "failed")), start=1):
        shard = tmp_path / f"s{index}"
        (shard / "junit").mkdir(parents=True)
        (shard / "junit" / "TESTS-a.xml").write_text(
            f'<testsuite name="a" tests="1" failures="{int(status == "failed")}" errors="0" skipped="0" '
            f'time="0.1"><testcase name="s{line}" /></testsuite>'
        )
        message = "expected 20, found 17" if status == "failed" else None
        cucumber.write(
            [_feature("a.feature", _element(line, status, ["R-AZ-05"], message))], shard / "cucumber.json"
        )
        info = {"shard": f"{index}/2", "plan": "p", "tags": [], "paths": [], "units": [f"a.feature:{line}"]}
        (shard / "run.json").write_text(json.dumps(info))
    har = tmp_path / "s2" / "har" / "a-s9.har"
    har.parent.mkdir()
    har.write_text('{"log": {"version": "1.2"}}')
    (tmp_path / "s2" / "failures").mkdir()
    entry = {"location": "a.feature:9", "files": [str(har)]}
    (tmp_path / "s2" / "failures" / "a-s9.json").write_text(json.dumps(entry))
    out = tmp_path / "merged"
    text, ok = merge_reports([tmp_path / "s1", tmp_path / "s2"], out)
    assert not ok and "1 passed, 1 failed, 0 skipped" in text and "expected 20, found 17" in text
    assert (out / "har" / "a-s9.har").read_text() == har.read_text()
    assert '<a href="har/a-s9.har">HAR (requests)</a>' in (out / "report.html").read_text()
    suite = ElementTree.parse(out / "junit" / "TESTS-a.xml").getroot()
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    assert [e["line"] for e in json.loads((out / "cucumber.json").read_text())[0]["elements"]] == [3, 9]
