"""``harness.behave_main``: the suite's context class is installed, step definitions are refused as
ambiguous as behave refuses them, and a step text binds to the definition behave would pick (the
literal-ends filter skips only definitions that cannot match)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("behave")

from behave.matchers import ParseMatcher
from behave.step_registry import AmbiguousStep, StepRegistry

from harness.behave_main import KnownSteps, add_step_definition, literal_ends

ROOT = Path(__file__).resolve().parents[2]


def definition(pattern: str) -> ParseMatcher:
    return ParseMatcher(lambda context, **_: None, pattern)


@pytest.mark.parametrize(
    ("pattern", "ends"),
    [
        ('"{upn}" has {count:d} support requests', ('"', " support requests")),
        (
            "the world is described by this seed document:",
            ("the world is described by this seed document:",) * 2,
        ),
        # parse's format: {{ and }} are a literal brace, so the literal ends stop before them
        ("a {{literal}} brace {x}", ("a ", "")),
        ("x }} y", ("x ", " y")),
    ],
)
def test_literal_ends_of_a_parse_pattern(pattern: str, ends: tuple[str, str]) -> None:
    assert literal_ends(definition(pattern)) == ends, (
        f"expected {ends}, found {literal_ends(definition(pattern))}"
    )


def test_an_ambiguous_definition_is_refused_as_behave_refuses_it() -> None:
    registry = StepRegistry()
    add_step_definition(registry, "given", "a {size} thing", lambda context, size: None)
    add_step_definition(registry, "given", "a big thang", lambda context: None)  # no earlier one matches it
    with pytest.raises(AmbiguousStep, match="a big thing"):
        add_step_definition(registry, "given", "a big thing", lambda context: None)
    patterns = [d.pattern for d in registry.steps["given"]]
    assert patterns == ["a {size} thing", "a big thang"], f"expected two definitions, found {patterns}"


def test_a_step_binds_to_the_definition_behave_picks() -> None:
    registry = StepRegistry()
    for keyword, pattern in [
        ("given", '"{org}" is a {offer} partner'),
        ("given", '"{org}" is a partner'),
        ("step", "{anything} happens"),
        ("when", '"{upn}" opens {page}'),
    ]:
        add_step_definition(registry, keyword, pattern, lambda context, **_: None)
    known = KnownSteps(registry)
    for step_type, text in [
        ("given", '"Contoso" is a Gold partner'),
        ("given", '"Contoso" is a partner'),
        ("given", "nothing happens"),  # only the generic @step definition matches
        ("when", '"a@contoso.com" opens the page'),
        ("then", "something else entirely"),  # no definition
    ]:
        step = SimpleNamespace(step_type=step_type, name=text)
        ours, behaves = known.find_match(step), registry.find_match(step)
        expected = None if behaves is None else (behaves.func, [(a.name, a.value) for a in behaves.arguments])
        found = None if ours is None else (ours.func, [(a.name, a.value) for a in ours.arguments])
        assert found == expected, f"{text!r}: expected {expected}, found {found}"
        assert known.find_match(step) == ours, f"{text!r}: expected the same match the second time"


def test_the_suite_context_is_installed(tmp_path: Path) -> None:
    """behave's Context keeps a ``__class__`` set through it in the instance's dict: the runner
    must really change the class (its ``__setattr__`` does not read the stack on every set)."""
    (tmp_path / "steps").mkdir()
    (tmp_path / "features").mkdir()
    (tmp_path / "steps" / "noop.py").write_text(
        "from behave import step\n\n@step('nothing')\ndef _(c): pass\n"
    )
    (tmp_path / "environment.py").write_text(
        "from pathlib import Path\n\n"
        "def before_all(context):\n"
        "    Path(__file__).with_name('context.txt').write_text(type(context).__name__)\n"
    )
    (tmp_path / "features" / "f.feature").write_text("Feature: f\n  Scenario: s\n    Given nothing\n")
    done = subprocess.run(
        [sys.executable, "-m", "harness.behave_main", str(tmp_path), "-f", "null", "--no-summary"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    found = (tmp_path / "context.txt").read_text()
    assert found == "SuiteContext", f"expected the context class SuiteContext, found {found}"
