"""``portal-harness run``: the acceptance suite with a readable summary for people and reports for
CI, in a folder per run (``reports/<time>/``, ``reports/latest`` pointing at the last one):
``report.html`` (one self-contained page), ``cucumber.json``, ``junit/``, the rule matrix
(``rule-matrix.md`` and ``.json``), ``durations.json`` (what ``--shard`` balances on), ``run.json``
(what was selected) and, for failures, ``har/`` and ``ui/``.

The run is planned before behave starts (``harness.plan``): the scenarios of the feature files
(anywhere: they run with the project's ``steps/``), kept by the tags (repeated ``--tags`` are
ANDed, as behave ANDs them), cut to one shard for a CI machine, and split into ``--jobs`` groups,
each run by behave: one group in this process, several in processes forked from it after the
imports (``run_groups``). Without Chromium the ``@ui`` scenarios are left out, and one line
says how to get them. ``--rerun-failed`` runs the failed scenarios of an earlier run again.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import selectors
import shutil
import subprocess
import sys
import time
import traceback
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from harness import cucumber, junit
from harness import matrix as rule_matrix
from harness.browser import chromium_problem, skip_line
from harness.cucumber import Scenario

NOISE = "USING RUNNER:"
REPORTS = Path("reports")
LATEST = "latest"
MAX_FAILURE_LINES = 12
INSTALL_SUITE = "pip install -e '.[suite]' (make setup installs it)"


class RunError(Exception):
    """The run cannot start (bad paths, nothing selected, nothing to rerun): one line, exit 2."""


@dataclass
class Selection:
    """What a run was asked to run; ``full`` when it is the whole suite."""

    tags: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    shard: str | None = None
    rerun: str | None = None

    @property
    def full(self) -> bool:
        return not (self.tags or self.paths or self.shard or self.rerun)

    @property
    def scope(self) -> str:
        parts = [f"--tags {' --tags '.join(repr(t) for t in self.tags)}"] if self.tags else []
        parts += [" ".join(self.paths)] if self.paths else []
        parts += [f"shard {self.shard}"] if self.shard else []
        parts += [f"rerun of {self.rerun}"] if self.rerun else []
        return ", ".join(parts)


@dataclass
class RunResult:
    scenarios: list[Scenario] = field(default_factory=list)
    returncodes: list[int] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    seconds: float = 0.0
    files: dict[str, list[str]] = field(default_factory=dict)  # location -> what a failure left
    features: list[dict[str, Any]] = field(default_factory=list)  # the run's Cucumber JSON

    @property
    def failed(self) -> list[Scenario]:
        return [s for s in self.scenarios if s.failed]


# --- reports folders -----------------------------------------------------------------------------------
def new_run_folder(base: Path = REPORTS) -> Path:
    """``reports/<UTC time>/``, a new folder (``-2``, ``-3`` when two runs start in one second)."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H-%M-%SZ")
    folder, number = base / stamp, 1
    while folder.exists():
        number += 1
        folder = base / f"{stamp}-{number}"
    return folder


def point_latest(folder: Path) -> None:
    """``reports/latest`` -> this run's folder: a symlink, or a file naming it where symlinks
    cannot be made. Only for run folders inside ``reports/``."""
    base = folder.parent
    if base.resolve() != REPORTS.resolve():
        return
    pointer = base / LATEST
    if pointer.is_symlink() or pointer.is_file():
        pointer.unlink()
    elif pointer.exists():
        return  # a real folder named latest: leave it alone
    try:
        pointer.symlink_to(folder.name, target_is_directory=True)
    except OSError:
        pointer.write_text(folder.name + "\n", encoding="utf-8")


def resolve_run(folder: Path) -> Path:
    """A run folder, following ``latest`` (a symlink, or a file naming the folder)."""
    if folder.name == LATEST and folder.is_file():
        return folder.parent / folder.read_text(encoding="utf-8").strip()
    return folder.resolve() if folder.is_symlink() else folder


def _clean(folder: Path) -> None:
    for sub in ("parts", "junit", "ui", "failures", "har"):
        shutil.rmtree(folder / sub, ignore_errors=True)
    for name in ("cucumber.json", "report.html", "rule-matrix.md", "rule-matrix.json", "run.json"):
        (folder / name).unlink(missing_ok=True)


# --- one behave process -----------------------------------------------------------------------------
def behave_command(root: Path, group: list[str], part: int, reports: Path, options: list[str]) -> list[str]:
    parts = reports / "parts"
    return [
        sys.executable,
        "-m",
        "harness.behave_main",
        str(root),
        *group,
        "--junit",
        "--junit-directory",
        str(parts / f"junit-{part}"),
        "-f",
        "harness.cucumber_formatter:CucumberFormatter",
        "-o",
        str(parts / f"cucumber-{part}.json"),
        *(["-f", "progress"] if "--dry-run" not in options else ["-f", "null"]),
        "--no-snippets",
        "--no-summary",  # the runner's summary counts what was selected; behave's counts the rest too
        *options,
    ]


def _behave(command: list[str], root: Path, stream: bool) -> tuple[int, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if stream:  # show behave's progress as it comes, without its "USING RUNNER" banner
        lines = []
        with subprocess.Popen(
            command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        ) as process:
            assert process.stdout is not None
            for line in process.stdout:
                if not line.startswith(NOISE):
                    lines.append(line)
                    print(line, end="", flush=True)
        return process.returncode, "".join(lines[-20:])
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=False)
    output = "".join(line for line in done.stdout.splitlines(True) if not line.startswith(NOISE))
    return done.returncode, output + done.stderr


def run_groups(
    root: Path, groups: list[list[str]], reports: Path, userdata: dict[str, str], options: list[str]
) -> RunResult:
    """Each group of behave locations run by behave, then the parts' reports merged:
    ``cucumber.json``, ``junit/``. One group runs in this process; several run side by side in
    processes forked from this one once it has loaded what behave, the steps and the portals need
    (no interpreter starts, nothing is imported twice), or, where ``fork`` is missing, in new
    interpreters."""
    _clean(reports)
    (reports / "parts").mkdir(parents=True, exist_ok=True)
    for key, value in {**userdata, "reports": str(reports)}.items():
        options = [*options, "-D", f"{key}={value}"]
    commands = [behave_command(root, g, n, reports, options) for n, g in enumerate(groups)]
    started = time.perf_counter()
    if len(commands) == 1:
        outcomes = [_behave_here(commands[0][3:], root, stream=True)]
    elif hasattr(os, "fork") and sys.platform.startswith("linux"):
        outcomes = _behave_forked([command[3:] for command in commands], root)
    else:
        with ThreadPoolExecutor(max_workers=len(commands)) as pool:
            outcomes = list(pool.map(lambda command: _behave(command, root, False), commands))
    result = RunResult(seconds=time.perf_counter() - started)
    for code, output in outcomes:
        result.returncodes.append(code)
        result.outputs.append(output)
    parts = reports / "parts"
    result.features = cucumber.merge([cucumber.read(p) for p in sorted(parts.glob("cucumber-*.json"))])
    cucumber.write(result.features, reports / "cucumber.json")
    junit.merge(sorted(parts.glob("junit-*")), reports / "junit")
    shutil.rmtree(parts, ignore_errors=True)
    result.scenarios = cucumber.scenarios(result.features)
    result.files = read_failure_files(reports / "failures")
    return result


class _Console(io.TextIOBase):
    """What behave prints, line by line: shown (when ``stream``) without behave's "USING RUNNER"
    banner, the last lines kept for the summary of a run that could not start."""

    def __init__(self, stream: bool, target: Any) -> None:
        self.stream = stream
        self.target = target
        self.lines: deque[str] = deque(maxlen=20)
        self._partial = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        *complete, self._partial = (self._partial + text).split("\n")
        for line in complete:
            self._line(line + "\n")
        return len(text)

    def _line(self, line: str) -> None:
        if line.startswith(NOISE):
            return
        self.lines.append(line)
        if self.stream:
            self.target.write(line)
            self.target.flush()

    def flush(self) -> None:
        shown = self._partial and not (self._partial.startswith(NOISE) or NOISE.startswith(self._partial))
        if shown and self.stream:  # progress dots: shown as they come
            self.target.write(self._partial)
            self.target.flush()
            self.lines.append(self._partial)
            self._partial = ""

    def text(self) -> str:
        self.flush()
        return "".join(self.lines)


def _behave_here(arguments: list[str], root: Path, stream: bool) -> tuple[int, str]:
    """behave (``harness.behave_main``) run in this process, in ``root`` as a subprocess would run
    in it; its output shown (``stream``) and its last lines returned with its exit code."""
    from harness import behave_main

    for name in [n for n in sys.modules if n == "steps" or n.startswith("steps.")]:
        del sys.modules[name]  # the step modules run afresh, registering their types with behave
    console = _Console(stream, sys.stdout)
    saved = (sys.stdout, sys.stderr, os.getcwd())
    sys.stdout = sys.stderr = console  # type: ignore[assignment]
    os.chdir(root)
    try:
        code = behave_main.main(list(arguments))
    except Exception:  # behave's own failure: said like a crashed process says it
        traceback.print_exc(file=console)
        code = 1
    finally:
        sys.stdout, sys.stderr = saved[0], saved[1]
        os.chdir(saved[2])
    return code, console.text()


def preload() -> None:
    """Import what every behave process of a run needs (behave, its formatters, the harness, the
    portals' modules and the seed models), so processes forked afterwards start with it."""
    import behave.formatter.progress
    import behave.reporter.junit
    import behave.runner  # noqa: F401

    import harness.cucumber_formatter
    import harness.inprocess
    import harness.stack  # noqa: F401
    import portals.backend.seed  # noqa: F401
    from portals.portal_spec import resolve
    from portals.specs import portal_specs

    for spec in portal_specs():
        resolve(spec.app)


def _behave_forked(commands: list[list[str]], root: Path) -> list[tuple[int, str]]:
    """Each behave (its ``harness.behave_main`` arguments) in a process forked from this one after
    ``preload``, side by side; each one's exit code and output (stdout and stderr)."""
    preload()
    sys.stdout.flush()
    sys.stderr.flush()
    children: list[tuple[int, int]] = []
    for arguments in commands:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: behave here, its output into the pipe, then exit at once
            code = 1
            try:
                os.close(read_end)
                os.dup2(write_end, 1)
                os.dup2(write_end, 2)
                code, _ = _behave_here(arguments, root, stream=True)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        os.close(write_end)
        children.append((pid, read_end))
    outputs = {read_end: bytearray() for _, read_end in children}
    with selectors.DefaultSelector() as selector:
        for _, read_end in children:
            selector.register(read_end, selectors.EVENT_READ)
        while selector.get_map():
            for key, _ in selector.select():
                chunk = os.read(key.fd, 65536)
                if chunk:
                    outputs[key.fd] += chunk
                else:
                    selector.unregister(key.fd)
                    os.close(key.fd)
    done = []
    for pid, read_end in children:
        _, status = os.waitpid(pid, 0)
        done.append((os.waitstatus_to_exitcode(status), outputs[read_end].decode("utf-8", "replace")))
    return done


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


# --- the summary ---------------------------------------------------------------------------------------
def shown_path(name: str | Path) -> str:
    """A path as the console shows it: relative to the current folder when inside it."""
    path = Path(name)
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        return str(path.relative_to(Path.cwd()))
    return str(path)


def failure_lines(text: str) -> list[str]:
    """A failure as the console shows it: the step and its message, without a traceback."""
    lines = text.strip().splitlines()
    if "Traceback (most recent call last):" in lines:
        lines = lines[: lines.index("Traceback (most recent call last):")]
    while lines and not lines[-1].strip():
        lines.pop()
    return lines[:MAX_FAILURE_LINES] + (["…"] if len(lines) > MAX_FAILURE_LINES else [])


def undefined_steps(scenarios: list[Scenario]) -> dict[str, tuple[str, str]]:
    """Each undefined step sentence (once) with where it is first written and what was suggested."""
    found: dict[str, tuple[str, str]] = {}
    for scenario in scenarios:
        path = scenario.location.rsplit(":", 1)[0]
        for step in scenario.steps:
            result = step.get("result", {})
            if result.get("status") == "undefined" and step.get("name") not in found:
                found[step["name"]] = (f"{path}:{step.get('line', 0)}", result.get("error_message", ""))
    return found


def summary(
    result: RunResult, matrix: rule_matrix.Matrix, brief: bool = False, dry_run: bool = False
) -> tuple[str, bool]:
    """The readable report and whether the run passed (every scenario passed; on a full run every
    rule covered). ``brief`` leaves out the matrix rows that are ok."""
    lines: list[str] = []
    crashed = [out for code, out in zip(result.returncodes, result.outputs, strict=False) if code and out]
    if crashed and not result.scenarios:
        lines.append("behave could not run:")
        lines.extend(f"  {line}" for out in crashed for line in out.strip().splitlines()[-15:])
        return "\n".join(lines), False
    undefined = undefined_steps(result.scenarios)
    if not dry_run:
        lines.append("")
        lines.extend(rule_matrix.console_lines(matrix, brief))
        failed = result.failed
        if failed:
            lines.append("")
            lines.append(f"{len(failed)} failed scenario(s):")
            for scenario in failed:
                lines.append(f"  ✗ {scenario.feature} › {scenario.name}  ({scenario.location})")
                lines.extend(f"      {text}" for text in failure_lines(scenario.failure))
                for path in result.files.get(scenario.location, []):
                    lines.append(f"      ↳ {shown_path(path)}")
    if undefined:
        lines.append("")
        lines.append(f"{len(undefined)} undefined step(s), each with the closest existing steps:")
        for location, message in undefined.values():
            first, *rest = message.splitlines() or [""]
            lines.append(f"  {first.replace('Undefined step: ', '')}  ({location})")
            lines.extend(f"    {text.strip()}" for text in rest)
    passed = sum(1 for s in result.scenarios if s.status == "passed")
    failed_count = len(result.failed)
    skipped = len(result.scenarios) - passed - failed_count
    lines.append("")
    if dry_run:
        lines.append(
            f"Dry run: {len(result.scenarios)} scenarios, "
            + (f"{len(undefined)} undefined step(s)" if undefined else "every step defined")
        )
        ok = bool(result.scenarios) and not undefined and not any(result.returncodes)
        return "\n".join(lines), ok
    if matrix.full:
        rules = f"{len(matrix.rows) - len(matrix.missing)} of {len(matrix.rows)} rule IDs have scenarios"
    else:
        rules = f"partial run: {len(matrix.rows)} rule ID(s) selected"
    counts = f"{passed} passed, {failed_count} failed, {skipped} skipped"
    lines.append(f"{counts} in {result.seconds:.1f}s; {rules}")
    if matrix.missing:
        lines.append(f"Rule IDs with no scenario: {', '.join(matrix.missing)}")
    ok = bool(result.scenarios) and not result.failed and not any(result.returncodes) and not matrix.missing
    return "\n".join(lines), ok


# --- run ---------------------------------------------------------------------------------------------
def behave_missing() -> str | None:
    """What to install when behave (the ``suite`` extra) is not there; None when it is."""
    try:
        found = importlib.util.find_spec("behave") is not None
    except ImportError:
        found = False
    if found:
        return None
    return f"portal-harness run needs behave, the acceptance suite's extra: {INSTALL_SUITE}"


def _shown(path: Path, root: Path) -> str:
    """A feature file as behave is given it (behave runs in ``root``): relative when inside."""
    absolute = path.resolve()
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return str(absolute)


def failed_scenarios(run: Path) -> list[Scenario]:
    """The failed scenarios of an earlier run."""
    document = run / "cucumber.json"
    if not document.is_file():
        raise RunError(f"--rerun-failed: {run} holds no cucumber.json (no run reported there)")
    return [s for s in cucumber.scenarios(cucumber.read(document)) if s.failed]


def plan_run(args: Any, root: Path, tags: list[str], reports: Path) -> tuple[list[Any], Selection, str]:
    """The units this run runs, what was selected, and the shards' fingerprint (or "")."""
    from harness import plan

    selection = Selection(tags=list(args.tags or []), paths=list(args.paths or []), shard=args.shard)
    if args.rerun_failed:
        previous = resolve_run(Path(args.rerun_failed))
        failed = failed_scenarios(previous)
        if not failed:
            raise RunError(f"--rerun-failed: the run in {previous} has no failed scenario")
        files = sorted({Path(s.uri) for s in failed})
        absolute = [f if f.is_absolute() else root / f for f in files]
        missing = [str(f) for f in absolute if not f.is_file()]
        if missing:
            raise RunError(f"--rerun-failed: {', '.join(missing)} no longer exist(s)")
        shown = {f: _shown(f, root) for f in absolute}
        units, lost = plan.failed_units(plan.units_of(absolute, shown), [(s.uri, s.identity) for s in failed])
        if lost:
            names = [f"{s.uri} › {s.name!r}" for s in failed if (s.uri, s.identity) in lost]
            raise RunError(
                f"--rerun-failed: {len(names)} of the {len(failed)} failed scenario(s) of {previous} "
                f"can no longer be found in their feature files (renamed, removed, or an example row "
                f"changed): {'; '.join(names)}; run their feature files instead"
            )
        selection.rerun = str(previous.resolve())
    else:
        targets = [plan.split_location(p) for p in selection.paths]
        files = list(dict.fromkeys(plan.feature_files(root, [str(Path(p).resolve()) for p, _ in targets])))
        shown = {f: _shown(f, root) for f in files}
        units = plan.units_of(files, shown)
        if any(lines for _, lines in targets):  # x.feature:16 picks the scenario there
            whole = {_shown(Path(p), root) for p, lines in targets if not lines}
            picked = [u for u in units if u.path in whole]
            for path, lines in targets:
                if lines and _shown(Path(path), root) not in whole:
                    picked += plan.at_lines(units, _shown(Path(path), root), lines)
            units = picked
        units = plan.select(units, tags)
    digest = ""
    if args.shard:
        index, total = plan.parse_shard(args.shard)
        shards = plan.balance(units, total, durations_for(args, reports))
        digest = plan.digest(shards)
        units = shards[index - 1]
    return units, selection, digest


def check_durations(given: str) -> None:
    """``--durations``: a ``durations.json`` (or a run folder holding one), a JSON object of
    seconds by scenario location; else ``RunError`` saying what is wrong."""
    source = Path(given)
    path = source / "durations.json" if source.is_dir() else source
    said = f"--durations {given}: " + (f"{path.name} " if path != source else "")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise RunError(f"{said}cannot be read ({error.strerror})") from None
    except ValueError as error:
        raise RunError(f"{said}is not JSON ({error})") from None
    numbers = isinstance(data, dict) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in data.values()
    )
    if not numbers:
        raise RunError(
            f"{said}is not a durations.json (a JSON object of seconds by scenario location, as a run "
            "writes it)"
        )


def durations_for(args: Any, reports: Path) -> dict[str, float]:
    """Seconds per scenario recorded by earlier runs: ``--durations`` (a file or a run folder), else
    the run folders beside this one that are not shards (a shard's own durations would cut the
    next shard differently), the newest winning."""
    from harness import plan

    if getattr(args, "durations", None):
        return plan.read_durations([Path(args.durations)])
    runs = []
    for path in reports.parent.glob("*/durations.json"):
        if path.parent.resolve() == reports.resolve() or path.parent.is_symlink():
            continue
        try:
            shard = json.loads((path.parent / "run.json").read_text(encoding="utf-8")).get("shard")
        except (OSError, ValueError, AttributeError):
            continue
        if not shard:
            runs.append(path)
    return plan.read_durations(sorted(runs, key=lambda p: p.stat().st_mtime))


def run(args: Any) -> int:
    """``portal-harness run``: 0 when it passed, 1 when a scenario failed (or, on a full run, a rule
    has no scenario), 2 when it cannot start."""
    from harness.steps_catalog import suite_root

    missing = behave_missing()
    if missing:
        print(missing, file=sys.stderr)
        return 2
    root = suite_root()
    if root is None:
        print(
            "portal-harness run: no steps/ and environment.py here or in this package's checkout: "
            "run it in a checkout of portal-harness",
            file=sys.stderr,
        )
        return 2
    dry_run = bool(args.dry_run)
    reports = Path(args.reports) if args.reports else new_run_folder()
    if dry_run and not args.reports:
        reports = Path(os.environ.get("TMPDIR", "/tmp")) / f"portal-harness-dry-run-{os.getpid()}"
    reports = reports.resolve()
    made = not reports.exists()
    given = f"--reports {args.reports}" if args.reports else f"the report folder {reports}"
    try:
        reports.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        print(f"portal-harness run: {given}: a file, not a folder", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"portal-harness run: {given}: cannot be created ({error.strerror})", file=sys.stderr)
        return 2
    tags = list(args.tags or [])
    problem = None if dry_run else chromium_problem()
    if problem:
        tags.append("not @ui")
        print(skip_line(problem), flush=True)
    if not args.tags:
        tags.append("not @wip")  # behave's default tags (~@wip) no longer apply once tags are given
    from harness import plan

    try:
        if getattr(args, "durations", None):
            check_durations(args.durations)
        units, selection, digest = plan_run(args, root, tags, reports)
    except (RunError, plan.PlanError) as error:
        print(f"portal-harness run: {error}", file=sys.stderr)
        _drop_if_made(reports, made)
        return 2
    if not units and not args.shard:
        print(f"portal-harness run: no scenario selected ({selection.scope or 'the whole suite'})")
        _drop_if_made(reports, made)
        return 1
    groups = [plan.behave_arguments(g) for g in plan.balance(units, args.jobs, durations_for(args, reports))]
    groups = [g for g in groups if g]
    if not groups:  # a shard left empty (fewer scenarios than shards): it reports so, and passes
        print(f"portal-harness run: shard {args.shard} has no scenario (fewer scenarios than shards)")
        empty = RunResult()
        _clean(reports)
        (reports / "junit").mkdir(parents=True, exist_ok=True)
        cucumber.write([], reports / "cucumber.json")
        matrix = rule_matrix.build([], False, selection.scope)
        write_reports(empty, matrix, reports, selection, digest, units, args, True, "0 scenarios")
        return 0
    userdata = {"mode": "target" if args.target else args.mode}
    if args.target:
        userdata["target"] = args.target
    options = [option for tag in tags for option in ("--tags", tag)]
    if dry_run:
        options.append("--dry-run")
    result = run_groups(root, groups, reports, userdata, options)
    matrix = rule_matrix.build(result.scenarios, selection.full, selection.scope)
    text, ok = summary(result, matrix, args.brief, dry_run)
    print(text)
    if dry_run:
        if not args.reports:
            shutil.rmtree(reports, ignore_errors=True)
        return 0 if ok else 1
    write_reports(result, matrix, reports, selection, digest, units, args, ok, text)
    return 0 if ok else 1


def _drop_if_made(reports: Path, made: bool) -> None:
    """Remove the report folder this run made, when the run stops before writing in it."""
    if made:
        with contextlib.suppress(OSError):
            reports.rmdir()


def write_reports(
    result: RunResult,
    matrix: rule_matrix.Matrix,
    reports: Path,
    selection: Selection,
    digest: str,
    units: list[Any],
    args: Any,
    ok: bool,
    text: str,
) -> None:
    """The rule matrix, durations, run.json and report.html beside cucumber.json and junit/."""
    from harness.html_report import RunInfo, render

    markdown = rule_matrix.write(matrix, reports)
    (reports / "durations.json").write_text(
        json.dumps(cucumber.durations(result.features), indent=1, sort_keys=True), encoding="utf-8"
    )
    run_info = {
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(result.seconds, 2),
        "mode": "target" if args.target else args.mode,
        "tags": selection.tags,
        "paths": selection.paths,
        "shard": selection.shard,
        "rerun": selection.rerun,
        "full": selection.full,
        "plan": digest,
        "units": [unit.location for unit in units],
        "passed": ok,
    }
    (reports / "run.json").write_text(json.dumps(run_info, indent=1), encoding="utf-8")
    details = [("mode", run_info["mode"]), ("scope", selection.scope or "the whole suite")]
    html = render(
        result.features,
        matrix,
        result.files,
        RunInfo("portal-harness acceptance run", text.strip().splitlines()[-1], ok, details),
        reports / "report.html",
    )
    point_latest(reports)
    shown = shown_path(reports)
    print(f"Report: {shown_path(html)}")
    print(
        f"Also in {shown}/: junit/ (JUnit XML), cucumber.json (Cucumber JSON), "
        f"{markdown.name} (every rule with its scenarios), durations.json"
    )
