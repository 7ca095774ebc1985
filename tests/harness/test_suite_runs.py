"""``portal-harness run`` as a QA engineer and a CI gate use it, in subprocesses: a feature file
written outside ``features/`` that fails on purpose (the console, JUnit, Cucumber JSON and the
HTML report all say why), undefined steps answered with the closest existing steps,
``--rerun-failed``, repeated ``--tags``, and three shards merged into the matrix of one run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from portals.backend.rules import RULES

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "harness.cli"]
#: No Chromium: the @ui scenarios are left out, as on a machine without it (every rule has others).
NO_BROWSER = {**os.environ, "PORTAL_HARNESS_CHROMIUM": "/nonexistent/chromium", "PYTHONUNBUFFERED": "1"}

MADE_TO_FAIL = """\
Feature: Made to fail on purpose
  Background:
    Given "Contoso" is a Gold partner with the "Cloud Platform" competency
    And "admin@contoso.com" is a Global admin of "Contoso"
    And "user@contoso.com" is a user of "Contoso"
    And the technical benefits of "Contoso" are active

  @R-AZ-05
  Scenario: Linking works
    When "user@contoso.com" links the support benefits of "Contoso" in the Azure portal
    Then the Signature Cloud Support plan is linked

  @R-AZ-05
  Scenario: The plan is listed, yet the scenario says none
    When "user@contoso.com" links the support benefits of "Contoso" in the Azure portal
    Then "+ New support request" for "user@contoso.com" lists no support plan
    And "user@contoso.com" creates seven requests

  @R-AZ-03
  Scenario: A Given the portals refuse
    Given "Fabrikam" is an Action Pack partner
    And "admin@fabrikam.com" is a Global admin of "Fabrikam"
    And the technical benefits of "Fabrikam" are active
    And "user@contoso.com" has linked the support benefits of "Fabrikam" in the Azure portal
"""


def portal_harness(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, *args],
        cwd=cwd,
        env=env or NO_BROWSER,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def failed_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    """The feature above, run from its own folder (neither features/ nor the project's root)."""
    folder = tmp_path_factory.mktemp("qa")
    (folder / "made_to_fail.feature").write_text(MADE_TO_FAIL)
    return folder, portal_harness("run", "made_to_fail.feature", cwd=folder)


def _cucumber(run: Path) -> dict[str, dict]:
    document = json.loads((run / "cucumber.json").read_text())
    return {element["name"]: element for feature in document for element in feature["elements"]}


def _message(element: dict, status: str) -> str:
    return next(s["result"]["error_message"] for s in element["steps"] if s["result"]["status"] == status)


def test_a_feature_file_anywhere_runs_with_the_project_steps(failed_run) -> None:  # type: ignore[no-untyped-def]
    folder, done = failed_run
    assert done.returncode == 1, done.stdout + done.stderr
    assert "ConfigError" not in done.stdout + done.stderr and "NO SCENARIO" not in done.stdout
    assert "1 passed, 2 failed, 0 skipped" in done.stdout
    # the feature is named by its absolute path (not ../../tmp/…), in the progress and in JUnit
    assert f"{(folder / 'made_to_fail.feature').resolve()}  " in done.stdout, done.stdout
    run = (folder / "reports" / "latest").resolve()  # a folder per run, and the pointer to it
    [junit] = [path.name for path in (run / "junit").glob("*.xml")]
    assert junit.endswith(".made_to_fail.xml") and not junit.startswith("TESTS-."), junit
    assert run.parent == (folder / "reports").resolve() and run.name[:4].isdigit()
    assert json.loads((run / "run.json").read_text())["full"] is False
    matrix = json.loads((run / "rule-matrix.json").read_text())
    assert sorted(matrix["rules"]) == ["R-AZ-03", "R-AZ-05"]  # only the rules it selected
    assert "Partial run (" in done.stdout and "partial run: 2 rule ID(s) selected" in done.stdout
    # path:line, as the failure list prints it: the scenario holding that line
    line = portal_harness("run", "--dry-run", "made_to_fail.feature:10", cwd=folder)
    assert line.returncode == 0, line.stdout + line.stderr
    assert line.stdout.strip().splitlines()[-1] == "Dry run: 1 scenarios, every step defined"


def test_failures_say_what_was_expected_and_found_everywhere(failed_run) -> None:  # type: ignore[no-untyped-def]
    folder, done = failed_run
    run = (folder / "reports" / "latest").resolve()
    scenarios = _cucumber(run)
    assertion = _message(scenarios["The plan is listed, yet the scenario says none"], "failed")
    assert assertion.startswith("expected no support plan, found [") and "AzurePlan(" in assertion
    refused = _message(scenarios["A Given the portals refuse"], "failed")
    assert refused.startswith("PortalError: 422 NotEligibleForCloudSupport: ")
    assert "Traceback (most recent call last):" in refused  # the error's traceback, in the report only
    # the console: the step and its message, no traceback
    assert (
        f'Then "+ New support request" for "user@contoso.com" lists no support plan\n      {assertion}'
        in (done.stdout)
    )
    assert refused.splitlines()[0] in done.stdout and "Traceback" not in done.stdout
    # JUnit: a failure or error element with the message, for both
    messages = {}
    for path in (run / "junit").glob("*.xml"):
        for case in ElementTree.parse(path).getroot().iter("testcase"):
            for problem in [*case.iter("failure"), *case.iter("error")]:
                messages[case.get("name")] = problem.get("message")
    assert messages["The plan is listed, yet the scenario says none"] == assertion
    assert messages["A Given the portals refuse"] == refused.splitlines()[0].split(": ", 1)[1]
    # the HTML report: the message (escaped) and the HAR the failure left, linked
    page = (run / "report.html").read_text()
    assert "expected no support plan, found [AzurePlan(plan_id=&#39;" in page
    har = "har/made-to-fail-on-purpose-the-plan-is-listed-yet-the-scenario-says-none.har"
    assert f'<a href="{har}">HAR (requests)</a>' in page and (run / har).is_file()
    assert json.loads((run / har).read_text())["log"]["version"] == "1.2"


def test_an_undefined_step_gets_the_closest_existing_steps(failed_run) -> None:  # type: ignore[no-untyped-def]
    folder, done = failed_run
    block = done.stdout.split("1 undefined step(s), each with the closest existing steps:\n")[1]
    lines = block.splitlines()
    assert lines[0].startswith('  And "user@contoso.com" creates seven requests  (')
    assert lines[0].endswith("made_to_fail.feature:17)")
    closest = [line.strip() for line in lines[2:5]]
    assert (
        'When "{upn}" creates {count:d} support requests for "{product}" in Support for Business' in closest
    )
    assert "def step_impl" not in done.stdout  # not behave's Python snippet
    run = (folder / "reports" / "latest").resolve()
    undefined = _message(_cucumber(run)["The plan is listed, yet the scenario says none"], "undefined")
    assert '"{upn}" creates {count:d} support requests for "{product}" in Support for Business' in undefined


def test_rerun_failed_runs_the_failures_of_the_last_run_again(failed_run) -> None:  # type: ignore[no-untyped-def]
    folder, _ = failed_run
    previous = (folder / "reports" / "latest").resolve()
    done = portal_harness("run", "--rerun-failed", cwd=folder)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "0 passed, 2 failed, 0 skipped" in done.stdout
    rerun = (folder / "reports" / "latest").resolve()
    assert rerun != previous
    info = json.loads((rerun / "run.json").read_text())
    assert info["rerun"] == str(previous)
    assert sorted(Path(unit).name for unit in info["units"]) == [
        "made_to_fail.feature:14",
        "made_to_fail.feature:20",
    ]
    # the feature edited since (two description lines): the same scenarios, found by name
    feature = folder / "made_to_fail.feature"
    edited = MADE_TO_FAIL.replace("on purpose\n", "on purpose\n  Two lines of description\n  added later\n")
    try:
        feature.write_text(edited)
        again = portal_harness("run", "--rerun-failed", str(previous), cwd=folder)
        assert "0 passed, 2 failed, 0 skipped" in again.stdout, again.stdout + again.stderr
        units = json.loads(((folder / "reports" / "latest").resolve() / "run.json").read_text())["units"]
        assert sorted(Path(unit).name for unit in units) == [
            "made_to_fail.feature:16",
            "made_to_fail.feature:22",
        ], again.stdout + again.stderr
        # a failed scenario renamed since: said, and nothing runs in its place
        feature.write_text(edited.replace("Scenario: A Given the portals refuse", "Scenario: Renamed"))
        lost = portal_harness("run", "--rerun-failed", str(previous), cwd=folder)
        assert lost.returncode == 2, lost.stdout + lost.stderr
        assert lost.stderr.startswith(
            f"portal-harness run: --rerun-failed: 1 of the 2 failed scenario(s) of {previous} can no "
            "longer be found in their feature files"
        ), lost.stderr
        assert "made_to_fail.feature › 'A Given the portals refuse'" in lost.stderr
    finally:
        feature.write_text(MADE_TO_FAIL)


SAME_NAMES = """\
Feature: Two scenarios of one name
  @R-AZ-03
  Scenario: same
    Given "Contoso" is a Gold partner with the "Cloud Platform" competency

  @R-AZ-03
  Scenario: same
    Given "Fabrikam" is an Action Pack partner
    And "admin@fabrikam.com" is a Global admin of "Fabrikam"
    And "user@contoso.com" is a user of "Fabrikam"
    And "user@contoso.com" has linked the support benefits of "Fabrikam" in the Azure portal
"""


def test_rerun_failed_takes_only_the_failed_one_of_two_scenarios_of_one_name(tmp_path: Path) -> None:
    (tmp_path / "same.feature").write_text(SAME_NAMES)
    first = portal_harness("run", "same.feature", cwd=tmp_path)
    assert "1 passed, 1 failed, 0 skipped" in first.stdout, first.stdout + first.stderr
    again = portal_harness("run", "--rerun-failed", cwd=tmp_path)
    assert "0 passed, 1 failed, 0 skipped" in again.stdout, again.stdout + again.stderr
    units = json.loads(((tmp_path / "reports" / "latest").resolve() / "run.json").read_text())["units"]
    assert [Path(unit).name for unit in units] == ["same.feature:7"], units


REFUSALS = """\
Feature: Refusals where the scenario sets up and where it acts
  Background:
    Given "Contoso" is a Gold partner with the "Cloud Platform" competency
    And "admin@contoso.com" is a Global admin of "Contoso"
    And "user@contoso.com" is a user of "Contoso"
    And the technical benefits of "Contoso" are active

  @R-SFB-01
  Scenario: A Given the portals refuse fails at once
    Given "user@contoso.com" has added the contract of "Contoso" in Support for Business
    And "user@contoso.com" creates a support request for "Windows 95" in Support for Business
    Then "user@contoso.com" has 1 support requests in Support for Business

  @R-SFB-01
  Scenario: A refused When that no Then checks fails the scenario
    Given "user@contoso.com" has added the contract of "Contoso" in Support for Business
    When "user@contoso.com" creates a support request for "Windows 95" in Support for Business
    Then "user@contoso.com" has 0 support requests in Support for Business

  @R-SFB-01
  Scenario: A refused When that a Then checks passes
    Given "user@contoso.com" has added the contract of "Contoso" in Support for Business
    When "user@contoso.com" creates a support request for "Windows 95" in Support for Business
    Then the request is refused with "ProductNotFound"
"""


def test_a_refusal_fails_a_given_at_once_and_an_unchecked_one_fails_the_scenario(tmp_path: Path) -> None:
    """A step that sets up (a Given, or an And after one) fails on a refusal with its code; a When's
    refusal waits for a Then, and a scenario that never checks it fails saying so."""
    (tmp_path / "refusals.feature").write_text(REFUSALS)
    done = portal_harness("run", "refusals.feature", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 passed, 2 failed, 0 skipped" in done.stdout, done.stdout
    scenarios = _cucumber((tmp_path / "reports" / "latest").resolve())
    given = scenarios["A Given the portals refuse fails at once"]
    failed = [s for s in given["steps"] if s["result"]["status"] == "failed"]
    assert [s["name"] for s in failed] == [
        '"user@contoso.com" creates a support request for "Windows 95" in Support for Business'
    ], given["steps"]
    assert failed[0]["result"]["error_message"].startswith("PortalError: 404 ProductNotFound: ")
    unchecked = scenarios["A refused When that no Then checks fails the scenario"]
    assert all(s["result"]["status"] == "passed" for s in unchecked["steps"])
    [hook] = unchecked["after"]
    message = hook["result"]["error_message"]
    assert hook["result"]["status"] == "failed" and "a refusal was recorded and never checked: " in message
    step = 'When "user@contoso.com" creates a support request for "Windows 95" in Support for Business'
    assert f"{step!r} was refused with 404 ProductNotFound: " in message, message
    assert "a refusal was recorded and never checked" in done.stdout  # the console says it too


def test_repeated_tags_select_what_one_expression_selects() -> None:
    from behave.tag_expression import make_tag_expression

    from harness import plan
    from harness.cli import build_parser

    args = build_parser([]).parse_args(["run", "--tags", "@R-AZ-05", "--tags", "not @ui"])
    assert args.tags == ["@R-AZ-05", "not @ui"]  # the second --tags no longer replaces the first
    units = plan.units_of(plan.feature_files(ROOT))

    def selected(*tags: str) -> int:
        expression = make_tag_expression(list(tags))
        return sum(expression.check(row) for unit in plan.select(units, tags) for row in unit.tags)

    anded = selected("@R-AZ-05", "not @ui")
    assert anded == selected("@R-AZ-05 and not @ui")
    assert 0 < anded < selected("@R-AZ-05") < selected("not @wip")
    done = portal_harness("run", "--dry-run", "--tags", "@R-AZ-05", "--tags", "not @ui")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1] == f"Dry run: {anded} scenarios, every step defined"


def _matrix(folder: Path) -> dict[str, list[tuple[str, str]]]:
    rules = json.loads((folder / "rule-matrix.json").read_text())["rules"]
    return {
        rule: sorted((s["location"], s["status"]) for s in row["scenarios"]) for rule, row in rules.items()
    }


def _junit_tests(folder: Path) -> int:
    return sum(
        int(ElementTree.parse(p).getroot().get("tests", "0")) for p in (folder / "junit").glob("*.xml")
    )


def test_three_shards_merged_give_the_matrix_of_one_run(tmp_path: Path) -> None:
    one = portal_harness("run", "--jobs", "2", "--brief", "--reports", str(tmp_path / "one"))
    assert one.returncode == 0, one.stdout + one.stderr
    for index in (1, 2, 3):
        shard = portal_harness(
            "run", "--shard", f"{index}/3", "--brief", "--reports", str(tmp_path / f"s{index}")
        )
        assert shard.returncode == 0, shard.stdout + shard.stderr
        assert "partial run:" in shard.stdout  # a shard alone does not judge every rule
    shards = [str(tmp_path / f"s{index}") for index in (1, 2, 3)]
    merged = portal_harness("report", "merge", *shards, "--out", str(tmp_path / "merged"))
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert f"{len(RULES)} of {len(RULES)} rule IDs have scenarios" in merged.stdout
    single, whole = _matrix(tmp_path / "one"), _matrix(tmp_path / "merged")
    assert list(whole) == list(RULES) and whole == single
    assert json.loads((tmp_path / "merged" / "rule-matrix.json").read_text())["full"] is True
    assert _junit_tests(tmp_path / "merged") == _junit_tests(tmp_path / "one") > 100
    parts = [json.loads((Path(s) / "run.json").read_text())["units"] for s in shards]
    assert sum(map(len, parts)) == len({u for part in parts for u in part})  # each unit on one shard
    assert (tmp_path / "merged" / "report.html").is_file()
    # two shards are not the run: the merge refuses to judge it
    partial = portal_harness("report", "merge", shards[0], shards[2], "--out", str(tmp_path / "partial"))
    assert partial.returncode == 2 and "missing shard(s) [2] of 3" in partial.stderr
