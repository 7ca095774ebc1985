"""behave with the acceptance suite's ``steps/`` and ``environment.py``, wherever the feature files
are: ``python -m harness.behave_main ROOT [behave arguments]``.

behave looks for a ``steps`` folder beside the first feature file (or above it); a feature file in
``/tmp/x`` would find none ("ConfigError: No steps directory"). This runner takes ``ROOT`` (the
folder holding ``steps/`` and ``environment.py``) as behave's base folder whatever the paths.

Its context records where each attribute was set (for behave's masking warnings) without reading
the source line: behave sets ``context.text`` and ``context.table`` before every step, and its
own ``Context`` reads the stack and the source file each time (``traceback.extract_stack``).

Steps are bound to their definitions once per sentence (``KnownSteps``).

``environment.py`` and the step files are run as behave runs them (``exec`` of the file, the same
globals and file names), but compiled once per version of each file: the code is kept in
``__pycache__`` beside it, as Python keeps a module's (behave compiles them in every run).
"""

from __future__ import annotations

import functools
import marshal
import os
import re
import sys
import traceback
from pathlib import Path
from typing import Any


def suite_runner(root: Path) -> type:
    """behave's Runner with ``root`` as its base folder (steps, environment.py, imports)."""
    from behave.runner import Runner

    context_class = suite_context()

    class SuiteRunner(Runner):  # type: ignore[misc]
        def setup_paths(self) -> None:
            self.base_dir = str(root)
            self.config.base_dir = str(root)
            if not self.config.paths:
                self.config.paths = [str(root / "features")]
            self.path_manager.add(str(root))

        def load_hooks(self, filename: str | None = None) -> None:
            """behave's ``load_hooks``, with the compiled ``environment.py`` kept."""
            # made by run_with_paths just before this; behave's own __setattr__ would keep a
            # "__class__" attribute in the instance's dict instead of changing its class
            object.__setattr__(self.context, "__class__", context_class)
            hooks_path = os.path.join(
                self.base_dir or self.DEFAULT_DIRECTORY, filename or self.config.environment_file
            )
            if os.path.exists(hooks_path):
                exec_file(hooks_path, self.hooks)
            if "before_all" not in self.hooks:
                self.hooks["before_all"] = self.before_all_default_hook

        def load_step_definitions(self, extra_step_paths: list[str] | None = None) -> None:
            """behave's ``load_step_definitions`` (``load_step_modules``), with the compiled step
            files kept."""
            from behave.api.step_matchers import step_matcher, use_default_step_matcher, use_step_matcher
            from behave.matchers import use_current_step_matcher_as_default
            from behave.runner import the_step_registry as registry  # what the decorators fill
            from behave.runner_util import PathManager
            from behave.step_registry import setup_step_decorators

            registry.add_step_definition = functools.partial(add_step_definition, registry)
            step_paths = [os.path.join(self.base_dir, self.config.steps_dir), *(extra_step_paths or [])]
            step_globals = {"use_step_matcher": use_step_matcher, "step_matcher": step_matcher}
            setup_step_decorators(step_globals)
            with PathManager(step_paths):
                use_current_step_matcher_as_default()
                for path in step_paths:
                    for name in sorted(os.listdir(path)):
                        if name.endswith(".py"):
                            exec_file(os.path.join(path, name), step_globals.copy())
                        use_default_step_matcher()

        def run_model(self, features: Any = None) -> Any:
            if self.step_registry is None:
                from behave import runner

                self.step_registry = KnownSteps(runner.the_step_registry)
            for feature in features or self.features:
                absolute_outside(feature)
            return super().run_model(features)

    return SuiteRunner


def absolute_outside(feature: Any) -> None:
    """A feature file outside behave's folder named by its absolute path, in the feature and every
    part of it (behave names it relative to the current folder: ``../../tmp/x/my.feature``), so
    progress lines and reports read ``/tmp/x/my.feature``."""
    from behave.model_type import FileLocation

    if not str(feature.location.filename).startswith(".."):
        return
    parts: list[Any] = [feature]
    if feature.background is not None:
        parts += [feature.background, *feature.background.steps]
    for item in feature.walk_scenarios(with_outlines=True):
        parts += [item, *item.steps, *getattr(item, "examples", [])]
        for row in getattr(item, "scenarios", []) if hasattr(item, "examples") else []:
            parts += [row, *row.steps]
    for part in parts:
        where = part.location
        if str(where.filename).startswith(".."):
            part.location = FileLocation(os.path.abspath(where.filename), where.line)


class KnownSteps:
    """behave's step registry, remembering which step definition each step text (of each step type)
    matched, so a sentence the suite says again (a Background's, a common Given) is bound at once
    instead of being tried against every definition in turn. Each step still gets its own match
    (its arguments parsed afresh); a text no definition matched is looked up again next time.

    A text seen for the first time is tried, in behave's order (the step type's definitions, then
    the generic ``@step`` ones), only against the definitions whose literal ends it has: a parse
    pattern matches whole texts (``^…$``, case-sensitive in behave), so one whose text before its
    first ``{`` does not begin the step's text, or whose text after its last ``}`` does not end
    it, cannot match it. Definitions of other matchers (regular expressions) are always tried."""

    def __init__(self, registry: Any) -> None:
        self.registry = registry
        self._known: dict[tuple[str, str], Any] = {}

    def find_match(self, step: Any) -> Any:
        key = (step.step_type, step.name)
        definition = self._known.get(key)
        if definition is not None:
            return definition.match(step.name)
        for candidate in self._candidates(step.step_type):
            start, end = literal_ends(candidate)
            if not (step.name.startswith(start) and step.name.endswith(end)):
                continue
            matched = candidate.match(step.name)
            if matched:
                self._known[key] = candidate
                return matched
        return None

    def _candidates(self, step_type: str) -> list[Any]:
        """The definitions behave tries for a step of ``step_type``, in its order."""
        steps = self.registry.steps
        return steps[step_type] + (steps["step"] if step_type != "step" else [])

    def __getattr__(self, name: str) -> Any:
        return getattr(self.registry, name)


def add_step_definition(registry: Any, keyword: str, step_text: str, func: Any) -> None:
    """behave's ``StepRegistry.add_step_definition`` (1.3): a definition is refused as ambiguous
    when an earlier one of its step type matches its pattern's text; the earlier ones are tried
    only when their literal ends allow a match (``literal_ends``), instead of all of them for every
    definition (a parse of the text for each pair: 12,000 parses for this suite's 250 sentences)."""
    from behave.matchers import make_step_matcher
    from behave.step_registry import AmbiguousStep
    from behave.textutil import text

    step_type = keyword.lower()
    step_text = text(step_text)
    new = make_step_matcher(func, step_text, step_type)
    if not registry.is_good_step_definition(new):
        return  # a bad step definition: behave's error handler has said so; ignored
    definitions = registry.steps[step_type]
    for existing in definitions:
        if registry.same_step_matcher(existing, new):
            return  # the same function again (a step module imported by another)
        start, end = literal_ends(existing)
        if step_text.startswith(start) and step_text.endswith(end) and existing.matches(step_text):
            message = "%s has already been defined in\n  existing step %s"
            raise AmbiguousStep(message % (new.describe(), existing.describe(existing.SCHEMA_AT_LOCATION)))
    definitions.append(new)


def literal_ends(definition: Any) -> tuple[str, str]:
    """The texts every step a definition matches begins and ends with: a parse pattern's text
    before its first brace and after its last (a field, or ``{{``/``}}`` for a literal brace), the
    whole pattern when it has none; ("", "") (any text) for other matchers."""
    known = definition.__dict__.get("_literal_ends")
    if known is None:
        from behave.matchers import ParseMatcher

        parts = re.split(r"[{}]", str(definition.pattern))
        known = (parts[0], parts[-1]) if type(definition) is ParseMatcher else ("", "")
        definition._literal_ends = known  # kept on the definition: its pattern does not change
    return known


def exec_file(filename: str, globals_: dict[str, Any]) -> None:
    """behave's ``runner_util.exec_file`` (the code named by its path relative to the current
    folder, ``__file__`` as given), the compiled code kept in ``__pycache__/<name>.behave-<tag>.pyc``
    beside the file and used again while the file's size and modification time are the same."""
    globals_["__file__"] = filename
    shown = os.path.relpath(filename, os.getcwd())
    source = Path(filename)
    status = source.stat()
    key = (status.st_mtime_ns, status.st_size, shown)
    cache = source.parent / "__pycache__" / f"{source.stem}.behave-{sys.implementation.cache_tag}.pyc"
    try:
        kept_key, code = marshal.loads(cache.read_bytes())
        if tuple(kept_key) != key:
            raise ValueError("stale")
    except (OSError, ValueError, EOFError, TypeError):
        code = compile(source.read_bytes(), shown, "exec", dont_inherit=True)
        try:
            cache.parent.mkdir(exist_ok=True)
            partial = cache.with_name(f"{cache.name}.{os.getpid()}")
            partial.write_bytes(marshal.dumps((key, code)))
            partial.replace(cache)
        except OSError:  # a read-only checkout: compiled every time, as behave does
            pass
    exec(code, globals_)


def suite_context() -> type:
    """behave's ``Context``, recording where an attribute is set as behave does (file, line and
    function, for its masking warnings), the source line read only if a warning shows it."""
    from behave.runner import Context

    class SuiteContext(Context):  # type: ignore[misc]
        def __setattr__(self, attr: str, value: Any) -> None:
            if attr[0] == "_":
                self.__dict__[attr] = value
                return
            for frame in self._stack[1:]:
                if attr in frame:
                    record = self._record[attr]
                    params = {"attr": attr, "filename": record[0], "line": record[1], "function": record[3]}
                    self._emit_warning(attr, params)
            caller = sys._getframe(1)
            self._record[attr] = traceback.FrameSummary(
                caller.f_code.co_filename, caller.f_lineno, caller.f_code.co_name, lookup_line=False
            )
            self._stack[0][attr] = value
            if attr not in self._origin:
                self._origin[attr] = self._mode

    return SuiteContext


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print("usage: python -m harness.behave_main ROOT [behave arguments]", file=sys.stderr)
        return 2
    root = Path(args.pop(0)).resolve()
    try:
        from behave.__main__ import run_behave
        from behave.configuration import Configuration
        from behave.exception import ConfigError, TagExpressionError
    except ImportError:
        print(
            "ConfigError: behave is not installed: pip install -e '.[suite]' (make setup installs it)",
            file=sys.stderr,
        )
        return 2
    from harness.feature_text import accept_bom

    accept_bom()  # a feature file saved with a UTF-8 BOM is read as without it
    try:
        config: Any = Configuration(args)
    except (ConfigError, TagExpressionError) as error:
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 2
    return int(run_behave(config, runner_class=suite_runner(root)))


if __name__ == "__main__":
    sys.exit(main())
