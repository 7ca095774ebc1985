"""Shared pytest setup: the ``rule`` marker and the rule matrix report (``--rule-matrix``)."""

from __future__ import annotations

import copy
from collections import defaultdict

import pytest

from portals.backend import WorldRegistry
from portals.backend.rules import RULES

CAST_WORLD = "cast"


@pytest.fixture
def registry() -> WorldRegistry:
    """A fresh registry holding the cast world ``cast`` (tests/cast.py), shared by a test's apps."""
    from cast import CAST

    registry = WorldRegistry()
    registry.create(CAST_WORLD, copy.deepcopy(CAST))
    return registry


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--rule-matrix",
        action="store_true",
        help="print every rulebook ID with the tests that prove it, and fail if an ID has none",
    )


class RuleMatrix:
    """Collects which tests prove which rule and how they ended."""

    def __init__(self) -> None:
        self.tests: dict[str, list[str]] = defaultdict(list)
        self.outcomes: dict[str, str] = {}

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            for mark in item.iter_markers("rule"):
                for rule in mark.args:
                    self.tests[rule].append(item.nodeid)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        counts = report.when == "call" or report.outcome != "passed"
        if counts and self.outcomes.get(report.nodeid) != "failed":
            self.outcomes[report.nodeid] = report.outcome

    def pytest_terminal_summary(self, terminalreporter, exitstatus: int) -> None:  # type: ignore[no-untyped-def]
        write = terminalreporter.write_line
        terminalreporter.section("rule matrix")
        missing = []
        for rule, title in RULES.items():
            nodeids = self.tests.get(rule, [])
            outcomes = [self.outcomes.get(n, "not run") for n in nodeids]
            if not nodeids:
                missing.append(rule)
                status = "NO TEST"
            elif all(o == "passed" for o in outcomes):
                status = "ok"
            else:
                status = "FAILED"
            write(f"{status:8} {rule:9} {len(nodeids):3} tests  {title}")
            for nodeid, outcome in zip(nodeids, outcomes, strict=True):
                if outcome != "passed":
                    write(f"{'':18}{outcome}: {nodeid}")
        proven = len(RULES) - len(missing)
        write(
            f"{proven} of {len(RULES)} rule IDs have tests"
            + (f"; missing: {', '.join(missing)}" if missing else "")
        )
        if missing:
            terminalreporter._session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--rule-matrix"):
        config.pluginmanager.register(RuleMatrix(), "rule-matrix")
