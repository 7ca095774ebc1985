"""A behave formatter writing Cucumber JSON (``-f harness.cucumber_formatter:CucumberFormatter -o
FILE``), which CI report plugins read. behave's own formatter for it is a separate package pinned to
an older behave.

Beyond what behave's JSON formatter keeps, every failure says why: a failed assertion's message
(what was expected and what was found), an error's type, message and traceback, an undefined step's
closest existing sentences (``harness.steps_catalog.closest_steps``), a failed hook's message.
"""

from __future__ import annotations

import json
import re
import traceback
from typing import Any

from behave.formatter.base import Formatter
from behave.model import Feature, Scenario, ScenarioOutline, Step
from behave.model_type import Status

from harness.cucumber import display_path
from harness.plan import example_of, occurrences
from harness.steps_catalog import closest_steps, registered_matchers

CUCUMBER_STATUS = {
    Status.passed: "passed",
    Status.failed: "failed",
    Status.error: "failed",
    Status.hook_error: "failed",
    Status.cleanup_error: "failed",
    Status.undefined: "undefined",
    Status.untested_undefined: "undefined",
    Status.pending: "pending",
    Status.untested_pending: "pending",
    Status.pending_warn: "pending",
}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "unnamed"


def step_status(step: Step) -> str:
    return CUCUMBER_STATUS.get(step.status, "skipped")


def error_message(step: Step, language: str | None = None) -> str | None:
    """Why a step did not pass, in words; None when it passed or was skipped. An undefined step
    gets the closest sentences in its feature's ``language`` (``# language: es``) and English."""
    status = step_status(step)
    if status == "undefined":
        languages = {language or "en", "en"}
        closest = closest_steps(step.name, step.step_type, registered_matchers(), languages=languages)
        lines = [f"Undefined step: {step.keyword} {step.name}"]
        if closest:
            lines.append("The closest existing steps (docs/STEPS.md lists them all):")
            lines += [f"  {line}" for line in closest]
        else:
            lines.append("No existing step is close: docs/STEPS.md lists every step sentence.")
        return "\n".join(lines)
    if status not in ("failed", "pending"):
        return None
    exception = step.exception
    if isinstance(exception, AssertionError):
        return str(exception) or f"AssertionError with no message at {step.location}"
    if exception is not None:
        text = f"{type(exception).__name__}: {exception}".rstrip(": ")
        trace = "".join(traceback.format_tb(step.exc_traceback)) if step.exc_traceback else ""
        return f"{text}\n\nTraceback (most recent call last):\n{trace}".rstrip() if trace else text
    return step.error_message or status


class CucumberFormatter(Formatter):
    """Collects the scenarios behave runs (or skips at run time) and writes them at the end as
    Cucumber JSON; a feature is written once its file is done (``eof``)."""

    name = "cucumber-json"
    description = "Cucumber JSON, with failure messages and the closest steps to undefined ones"

    def __init__(self, stream_opener: Any, config: Any) -> None:
        super().__init__(stream_opener, config)
        self.features: list[dict[str, Any]] = []
        self.feature_model: Feature | None = None
        self.seen: list[Scenario] = []
        self.matches: dict[int, str] = {}
        self._pending_match = ""

    # --- behave's formatter protocol ---------------------------------------------------------------
    def feature(self, feature: Feature) -> None:
        self.feature_model, self.seen = feature, []

    def scenario(self, scenario: Scenario) -> None:
        self.seen.append(scenario)

    def step(self, step: Step) -> None:
        pass

    def match(self, match: Any) -> None:
        self._pending_match = str(match.location) if getattr(match, "location", None) else ""

    def result(self, step: Step) -> None:
        if self._pending_match:
            self.matches[id(step)] = self._pending_match
        self._pending_match = ""

    def eof(self) -> None:
        if self.feature_model is not None and self.seen:
            self.features.append(self.feature_json(self.feature_model, self.seen))
        self.feature_model, self.seen = None, []

    def close(self) -> None:
        self.eof()
        stream = self.open()
        stream.write(json.dumps(self.features, ensure_ascii=False))
        self.close_stream()

    # --- Cucumber JSON -------------------------------------------------------------------------------
    def feature_json(self, feature: Feature, scenarios: list[Scenario]) -> dict[str, Any]:
        uri = display_path(feature.filename)
        feature_tags = list(feature.tags)
        nth = occurrences(feature)
        return {
            "uri": uri,
            "id": slug(feature.name),
            "keyword": feature.keyword,
            "name": feature.name,
            "line": feature.line,
            "description": "\n".join(feature.description or []),
            "tags": [{"name": f"@{tag}", "line": feature.line} for tag in feature_tags],
            "elements": [self.scenario_json(feature, s, feature_tags, nth) for s in scenarios],
        }

    def scenario_json(
        self, feature: Feature, scenario: Scenario, feature_tags: list[str], nth: dict[int, int]
    ) -> dict[str, Any]:
        outline = self._outline_of(feature, scenario)
        tags = [tag for tag in scenario.effective_tags if tag not in feature_tags]
        tags.sort(key=lambda tag: (tag not in scenario.tags, tag))
        element: dict[str, Any] = {
            "id": f"{slug(feature.name)};{slug(outline.name if outline else scenario.name)}",
            "keyword": outline.keyword if outline else scenario.keyword,
            "name": scenario.name,
            "line": scenario.line,
            "description": "\n".join(scenario.description or []),
            "type": "scenario",
            "tags": [{"name": f"@{tag}", "line": scenario.line} for tag in tags],
            "steps": [self.step_json(step) for step in scenario.all_steps],
        }
        if outline is not None:
            element["id"] += f";{scenario.line}"
            element["example"] = example_of(outline, scenario)
        if nth.get(id(scenario), 1) > 1:  # a second scenario of one name: which one (a rerun's key)
            element["occurrence"] = nth[id(scenario)]
        hook = self._hook_failure(scenario, element["steps"])
        if hook is not None:
            element[hook[0]] = [hook[1]]
        return element

    def step_json(self, step: Step) -> dict[str, Any]:
        status = step_status(step)
        result: dict[str, Any] = {"status": status, "duration": int((step.duration or 0) * 1e9)}
        message = error_message(step, getattr(self.feature_model, "language", None))
        if message:
            result["error_message"] = message
        data: dict[str, Any] = {
            "keyword": f"{step.keyword.strip()} ",
            "name": step.name,
            "line": step.line,
            "match": {"location": self.matches.get(id(step), "")},
            "result": result,
        }
        if step.text:
            data["doc_string"] = {"value": str(step.text), "line": step.line + 1}
        if step.table:
            data["rows"] = [{"cells": list(step.table.headings)}] + [
                {"cells": list(row.cells)} for row in step.table.rows
            ]
        return data

    @staticmethod
    def _outline_of(feature: Feature, scenario: Scenario) -> ScenarioOutline | None:
        for item in feature.walk_scenarios(with_outlines=True):
            if isinstance(item, ScenarioOutline) and scenario in item.scenarios:
                return item
        return None

    @staticmethod
    def _hook_failure(scenario: Scenario, steps: list[dict[str, Any]]) -> tuple[str, dict[str, Any]] | None:
        """A scenario a hook failed (``before_scenario`` or ``after_scenario`` in environment.py): a
        Cucumber ``before`` hook when no step ran, else an ``after`` hook, with the hook's error."""
        if not scenario.hook_failed:
            return None
        ran = any(step["result"]["status"] != "skipped" for step in steps)
        message = (scenario.error_message or "a hook of environment.py failed").strip()
        return ("after" if ran else "before"), {
            "match": {"location": "environment.py"},
            "result": {"status": "failed", "duration": 0, "error_message": message},
        }
