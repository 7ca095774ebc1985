"""Benchmark: what a user of portal-harness waits for, each measure against its baseline measured in
the same run on the same machine, read as ratios.

Every timing is repeated, the actions of one comparison taking turns (their order rotating each
round), so whatever else the machine does weighs on both alike; the table gives medians and the
min–max of the repetitions. Nothing here is compared with numbers from another machine or run.

Baselines: behave's own no-op start-up and per-scenario floor; a trivial Flask endpoint through the
same ``responses`` → WSGI bridge (in-process) and on the same WSGI server (waitress, and werkzeug's
for reference); moto's in-process and server modes (the ``bench`` extra installs moto); a direct
seeded ``registry.create``. Then what must not grow with size (issue 12): a state-store write with
1 vs 1,000 worlds, the RSS of an in-process stack after 1k vs 50k calls (in a fresh process), a
ticket GET and a one-ticket page with 10 vs 10,000 requests in a world, and the RSS of ``serve``
with 100 busy worlds as traffic goes on past its journal budget.

Usage: ``make bench`` (about 10 minutes here), ``make bench QUICK=1`` (1.5 minutes here, up to 4
on a loaded machine: fewer rounds, smaller counts, the suite's Partner Center features), or
``python bench/bench.py [--quick] [--only SECTION,...]`` with sections startup, suite, calls,
serve, worlds, store, memory, lookup, journal. Progress goes to stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import copy
import functools
import gc
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
CLI = [PYTHON, "-m", "harness.cli"]
TRIVIAL = str(Path(__file__).with_name("trivial_app.py"))
#: The HTTP scenarios (the browser ones are timed apart); quick mode runs two areas of them.
API_TAGS = ("--tags", "not @ui")
QUICK_FEATURES = ("features/partner_center",)


# --- measuring ------------------------------------------------------------------------------------
@dataclass
class Stats:
    """Repetitions of one measure (seconds, or whatever unit the caller uses)."""

    values: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)


def interleaved(
    actions: dict[str, Callable[[], object]],
    rounds: int,
    warmup: int = 1,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, Stats]:
    """Each action timed ``rounds`` times, the actions taking turns and their order rotating each
    round (after ``warmup`` untimed rounds). ``clock``: wall time (what a user waits), or
    ``time.process_time`` (this process's CPU time) for work done in this process alone, which
    other jobs on the machine slow down far less."""
    names = list(actions)
    spent: dict[str, list[float]] = {name: [] for name in names}
    for number in range(warmup + rounds):
        order = names[number % len(names) :] + names[: number % len(names)]
        for name in order:
            started = clock()
            actions[name]()
            if number >= warmup:
                spent[name].append(clock() - started)
    return {name: Stats(values) for name, values in spent.items()}


def children_cpu() -> float:
    """CPU seconds (user and system) of this process's finished children: a subprocess's own CPU
    time, read around it, which other jobs on the machine change far less than its wall time."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def interleaved_commands(
    actions: dict[str, Callable[[], object]], rounds: int, warmup: int = 1
) -> tuple[dict[str, Stats], dict[str, Stats]]:
    """``interleaved`` for actions that run subprocesses: (wall time, the children's CPU time)."""
    walls: dict[str, list[float]] = {name: [] for name in actions}
    cpus: dict[str, list[float]] = {name: [] for name in actions}
    names = list(actions)
    for number in range(warmup + rounds):
        for name in names[number % len(names) :] + names[: number % len(names)]:
            wall, cpu = time.perf_counter(), children_cpu()
            actions[name]()
            if number >= warmup:
                walls[name].append(time.perf_counter() - wall)
                cpus[name].append(children_cpu() - cpu)
    return {n: Stats(v) for n, v in walls.items()}, {n: Stats(v) for n, v in cpus.items()}


def per_call(action: Callable[[], object], calls: int) -> Callable[[], None]:
    """``action`` repeated ``calls`` times: one timed round, read per call with ``Stats`` / calls."""

    def repeated() -> None:
        for _ in range(calls):
            action()

    return repeated


def scaled(stats: Stats, factor: float) -> Stats:
    return Stats([value * factor for value in stats.values])


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- the table --------------------------------------------------------------------------------------
@dataclass
class Row:
    measure: str
    project: str
    baseline: str
    ratio: str
    goal: str = ""


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        progress(f"  {row.measure}: {row.project} | {row.baseline} | {row.ratio} | {row.goal}")

    def compare(
        self, measure: str, project: Stats, baseline: Stats, unit: str = "ms", goal: float | None = None
    ) -> None:
        """A row of ``project`` against ``baseline`` (medians and ranges in ``unit``), their ratio, and
        whether it is at most ``goal`` when one is given."""
        ratio = project.median / baseline.median
        goal_text = "" if goal is None else at_most(ratio, goal)
        self.add(Row(measure, span(project, unit), span(baseline, unit), f"{ratio:.2f}×", goal_text))

    def markdown(self) -> str:
        lines = ["| measure | project | baseline | ratio | goal |", "|---|---|---|---|---|"]
        lines += [f"| {r.measure} | {r.project} | {r.baseline} | {r.ratio} | {r.goal} |" for r in self.rows]
        return "\n".join(lines)


def span(stats: Stats, unit: str = "ms", digits: int = 2) -> str:
    """``1.23 ms (1.10–1.40)``: the median and the min–max, in ``unit`` (s, ms, µs)."""
    factor = {"s": 1, "ms": 1e3, "µs": 1e6}[unit]
    return (
        f"{stats.median * factor:.{digits}f} {unit} "
        f"({stats.low * factor:.{digits}f}–{stats.high * factor:.{digits}f})"
    )


def at_most(ratio: float, limit: float) -> str:
    return f"≤ {limit}×: {'met' if ratio <= limit else 'NOT met'}"


def at_least(ratio: float, limit: float) -> str:
    return f"≥ {limit}×: {'met' if ratio >= limit else 'NOT met'}"


#: The project's packages, compiled before timing (``compile_project``).
PACKAGES = ("harness", "portals", "steps")


def compile_project() -> None:
    """The project's modules compiled to ``__pycache__`` before anything is timed, as Python
    leaves them after a first run: pip compiles installed packages, not an editable checkout's,
    and with ``PYTHONDONTWRITEBYTECODE`` set nothing would write them, so every process timed
    would compile them again (about 0.4 s of a start-up here)."""
    subprocess.run([PYTHON, "-m", "compileall", "-q", *PACKAGES], cwd=ROOT, capture_output=True, check=True)


def machine() -> str:
    """The date, the machine and the load: what the numbers were measured on."""
    model = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    bytecode = "; PYTHONDONTWRITEBYTECODE set (the project compiled first)" if sys.dont_write_bytecode else ""
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; nproc {cores}, {model}; "
        f"Python {platform.python_version()}; load average {load}{bytecode}"
    )


# --- processes ---------------------------------------------------------------------------------------
def timed_command(command: list[str], cwd: Path = ROOT) -> Callable[[], None]:
    """A command run to its end (failing the benchmark if it fails)."""

    def run() -> None:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            progress(done.stdout[-3000:] + "\n" + done.stderr[-3000:])
            raise SystemExit(f"benchmark command failed: {' '.join(command)}")

    return run


def behave_floor(folder: Path, count: int) -> list[str]:
    """behave itself running ``count`` scenarios of one no-op step each: the floor to compare with."""
    base = folder / f"noop-{count}"
    (base / "features").mkdir(parents=True)
    (base / "steps").mkdir()
    (base / "steps" / "noop.py").write_text(
        "from behave import step\n\n@step('nothing happens')\ndef _(c): pass\n"
    )
    scenarios = "".join(f"  Scenario: no-op {n}\n    Given nothing happens\n\n" for n in range(count))
    (base / "features" / "noop.feature").write_text(f"Feature: no-op\n\n{scenarios}")
    return [PYTHON, "-m", "behave", "-f", "null", "--no-summary", str(base / "features")]


def zero_feature(folder: Path) -> Path:
    """A feature whose one scenario has no step: a run of it is the project's start-up and reports."""
    path = folder / "zero.feature"
    path.write_text("Feature: Nothing\n  Scenario: Nothing to do\n")
    return path


def run_command(folder: Path, label: str, *args: str) -> list[str]:
    return [*CLI, "run", "--reports", str(folder / f"reports-{label}"), *args]


def scenario_count(reports: Path) -> int:
    """Scenarios a run reported (its Cucumber JSON)."""
    features = json.loads((reports / "cucumber.json").read_text() or "[]")
    return sum(1 for feature in features for e in feature.get("elements", []) if e.get("type") == "scenario")


def first_scenario(reports: Path) -> str:
    """``path:line`` of the first scenario a run reported (its Cucumber JSON), as ``run`` takes it."""
    features = json.loads((reports / "cucumber.json").read_text() or "[]")
    for feature in features:
        for element in feature.get("elements", []):
            if element.get("type") == "scenario":
                return f"{feature['uri']}:{element['line']}"
    raise SystemExit(f"no scenario in {reports / 'cucumber.json'}")


# --- start-up and the suite ---------------------------------------------------------------------------
def startup(table: Table, quick: bool) -> None:
    """``portal-harness run`` of nothing (one scenario without steps) against behave's own start-up
    (one no-op scenario): CPU time (judged: a start-up runs on one core, so on a quiet machine its
    wall time is its CPU time) and wall time."""
    rounds = 3 if quick else 9
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        zero = zero_feature(base)
        wall, cpu = interleaved_commands(
            {
                "run": timed_command(run_command(base, "zero", str(zero))),
                "behave": timed_command(behave_floor(base, 1)),
            },
            rounds,
        )
    table.compare(
        "start-up, CPU: `portal-harness run` of 0 scenarios · behave running 1 no-op scenario",
        cpu["run"],
        cpu["behave"],
        unit="s",
        goal=3,
    )
    table.compare(
        "start-up, wall time: the same two",
        wall["run"],
        wall["behave"],
        unit="s",
    )


def suite(table: Table, quick: bool) -> None:
    """The HTTP scenarios in-process (1 and 2 jobs) and live, the 0-scenario run and behave's no-op
    floor, in turns; the marginal cost of a scenario is read above the project's own 0-scenario
    run, in CPU time (judged) and wall time; ``--jobs 2`` in wall time, what it is for."""
    rounds = 2 if quick else 3
    paths = list(QUICK_FEATURES) if quick else []
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        zero = zero_feature(base)
        counting = base / "reports-count"
        timed_command([*CLI, "run", "--reports", str(counting), *API_TAGS, *paths])()
        count = scenario_count(counting)
        first = first_scenario(counting)
        progress(f"suite: {count} HTTP scenarios, {rounds} rounds")
        wall, cpu = interleaved_commands(
            {
                "zero": timed_command(run_command(base, "zero", str(zero))),
                "first": timed_command(run_command(base, "first", first)),
                "one": timed_command(run_command(base, "one", *API_TAGS, *paths)),
                "two": timed_command(run_command(base, "two", "--jobs", "2", *API_TAGS, *paths)),
                "live": timed_command(run_command(base, "live", "--mode", "live", *API_TAGS, *paths)),
                "noop0": timed_command(behave_floor(base, 1)),
                "noopN": timed_command(behave_floor(base, count)),
            },
            rounds,
            warmup=0,
        )
        ui = None
        if not quick and not _chromium_missing():
            ui_reports = base / "reports-ui"
            started = time.perf_counter()
            timed_command([*CLI, "run", "--reports", str(ui_reports), "--tags", "@ui"])()
            ui = (time.perf_counter() - started, scenario_count(ui_reports))

    def marginal(stats: dict[str, Stats], name: str, floor: str, scenarios: int) -> Stats:
        pairs = zip(stats[name].values, stats[floor].values, strict=True)
        return Stats([(run - empty) / scenarios for run, empty in pairs])

    each = marginal(cpu, "one", "zero", count)
    noop_each = marginal(cpu, "noopN", "noop0", max(count - 1, 1))
    table.add(
        Row(
            f"marginal cost of an HTTP scenario in-process, CPU ({count} scenarios, above the "
            "0-scenario run) · behave's no-op scenario",
            span(each, "ms"),
            span(noop_each, "ms"),
            f"{each.median / noop_each.median:.0f}×" if noop_each.median > 0 else "—",
            f"≤ 10 ms: {'met' if each.median <= 0.010 else 'NOT met'}",
        )
    )
    steady = marginal(cpu, "one", "first", max(count - 1, 1))
    table.compare(
        "the same above a run of the first of them (what a run loads once for its first scenario, "
        "the seed models and the portals' Flask apps, left out) · the same above the 0-scenario run",
        steady,
        each,
        unit="ms",
    )
    wall_each = marginal(wall, "one", "zero", count)
    table.add(
        Row(
            "the same, wall time",
            span(wall_each, "ms"),
            span(marginal(wall, "noopN", "noop0", max(count - 1, 1)), "ms"),
            "—",
        )
    )
    each_live = marginal(cpu, "live", "zero", count)
    table.compare(
        "marginal cost of an HTTP scenario, CPU: live servers · in-process",
        each_live,
        each,
        unit="ms",
    )
    speedup = Stats([one / two for one, two in zip(wall["one"].values, wall["two"].values, strict=True)])
    table.add(
        Row(
            f"the {count} HTTP scenarios, wall time: `--jobs 2` · 1 job (speed-up)",
            span(wall["two"], "s"),
            span(wall["one"], "s"),
            f"{speedup.median:.2f}× ({speedup.low:.2f}–{speedup.high:.2f})",
            at_least(speedup.median, 1.4),
        )
    )
    table.compare(
        "the same, CPU time of all processes: `--jobs 2` · 1 job",
        cpu["two"],
        cpu["one"],
        unit="s",
    )
    if ui is not None:
        seconds, scenarios = ui
        table.add(
            Row(
                f"the {scenarios} `@ui` scenarios in Chromium, one run, wall time",
                f"{seconds:.1f} s ({seconds / max(scenarios, 1):.2f} s a scenario)",
                "—",
                "—",
            )
        )


def _chromium_missing() -> bool:
    sys.path.insert(0, str(ROOT))
    from harness.browser import chromium_problem

    return chromium_problem() is not None


# --- one call --------------------------------------------------------------------------------------------
SEED: dict[str, Any] = {  # docs/walkthrough/seed.yaml, inline, its benefits linked in the Azure portal
    "world": {"seed": "bench", "activation_delay": "P0D"},
    "organisations": [
        {
            "id": "contoso",
            "name": "Contoso Ltd",
            "membership": "gold",
            "competencies": [{"name": "Cloud Platform", "level": "gold"}],
        }
    ],
    "accounts": [
        {"upn": "admin@contoso.com", "organisation": "contoso", "roles": ["global_admin"]},
        {"upn": "user@contoso.com", "organisation": "contoso", "roles": ["user"]},
    ],
}
USER = "user@contoso.com"


def _linked(clients: Any) -> None:
    """The world of ``clients``: benefits activated, linked in the Azure portal (what a call reads)."""
    admin = clients.as_account("admin@contoso.com")
    ids = admin.pc.activate_benefits()
    clients.azure.link_support_benefits(ids.access_id, ids.contract_id)


def trivial_app() -> Any:
    from flask import Flask

    app = Flask("trivial")

    @app.get("/api/x")
    def x() -> dict[str, bool]:
        return {"ok": True}

    return app


def layered_app(registry: Any) -> Any:
    """The trivial endpoint inside a portal app (the Azure portal's spec, over ``registry``): every
    layer the portals share around a view that does nothing."""
    from portals.specs import spec_for
    from portals.web.app import create_portal_app

    app = create_portal_app(spec_for("azure"), registry, import_name="portals.azure_portal")
    app.add_url_rule("/api/x", "x", lambda: {"ok": True})
    return app


def moto_calls() -> tuple[Callable[[], None], Callable[[], None]]:
    """moto in-process (``mock_aws``): AWS Support's ``DescribeCases``, with one case, through boto3
    (start, stop)."""
    import boto3
    from moto import mock_aws

    mock = mock_aws()
    mock.start()
    client = boto3.client(
        "support", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    client.create_case(
        subject="s", communicationBody="b", severityCode="low", serviceCode="s", categoryCode="c"
    )

    def call() -> None:
        assert "cases" in client.describe_cases()

    return call, mock.stop


def calls(table: Table, quick: bool) -> None:
    """One portal call in-process (the Azure portal's support plans, as a signed-in user) against a
    trivial Flask endpoint routed by the same ``responses`` → WSGI bridge, in the same mock; the
    same trivial endpoint inside a portal app (the shared layers alone); a page; moto in-process.
    CPU time of this process: the calls run in it, start to end."""
    from harness.clients import portal_session
    from harness.inprocess import InProcessRouter
    from harness.stack import PortalStack, clients_for
    from portals.specs import default_urls

    batch, rounds = (100, 3) if quick else (200, 11)
    moto_call, moto_stop = moto_calls()  # first: the portals' router then sends AWS's calls on to moto
    stack = PortalStack("inprocess")
    routes = {spec.hostname: stack.apps[key] for key, spec in stack.specs.items()}
    layers = layered_app(stack.registry)
    router = InProcessRouter({**routes, "trivial.test": trivial_app(), "layers.test": layers})
    router.start()
    try:
        world = stack.new_world("calls", copy.deepcopy(SEED))
        urls = default_urls(stack.specs.values())
        clients = clients_for(urls, world.name, USER)
        _linked(clients)
        session = portal_session()
        portal_url = f"{urls['azure']}/api/supportplans"
        page_url = f"{urls['partner_center']}/dashboard/mpn/membership/benefits/technical"
        headers = clients.azure.headers()

        def portal() -> None:
            assert session.get(portal_url, headers=headers).status_code == 200

        def page() -> None:
            answer = session.get(page_url, headers={**headers, "Accept": "text/html"})
            assert answer.status_code == 200

        def trivial() -> None:
            assert session.get("http://trivial.test/api/x", headers=headers).status_code == 200

        def layered() -> None:
            assert session.get("http://layers.test/api/x", headers=headers).status_code == 200

        stats = interleaved(
            {
                "portal": per_call(portal, batch),
                "page": per_call(page, batch),
                "trivial": per_call(trivial, batch),
                "layers": per_call(layered, batch),
                "moto": per_call(moto_call, batch),
            },
            rounds,
            clock=time.process_time,
        )
    finally:
        router.stop()
        moto_stop()
    each = {name: scaled(value, 1 / batch) for name, value in stats.items()}
    table.compare(
        "one portal call in-process (Azure portal `GET /api/supportplans`) · a trivial Flask endpoint "
        "through the same `responses` → WSGI bridge",
        each["portal"],
        each["trivial"],
        goal=1.25,
    )
    table.compare(
        "the portals' shared layers alone, in-process: the trivial endpoint inside a portal app "
        "(journal, fault rules, request context, hooks, error renderers) · in a bare Flask app",
        each["layers"],
        each["trivial"],
        goal=1.25,
    )
    table.compare(
        "one portal page in-process (Partner Center's technical benefits, HTML) · the trivial endpoint",
        each["page"],
        each["trivial"],
    )
    table.compare(
        "one portal call in-process · moto in-process (`mock_aws`, AWS Support `DescribeCases` via boto3)",
        each["portal"],
        each["moto"],
    )


# --- serve -------------------------------------------------------------------------------------------
class Server:
    """A server in a subprocess that prints ``... <url>`` on its first line once it listens."""

    def __init__(self, command: list[str], env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
        )
        assert self.process.stdout is not None
        self.first_line = self.process.stdout.readline()
        if not self.first_line:
            self.stop()
            raise SystemExit(f"benchmark server did not start: {' '.join(command)}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def serve_command() -> list[str]:
    return [*CLI, "serve", "--base-port", "0"]


def serve_urls(line: str) -> dict[str, str]:
    """``portal-harness <version> serving key=url key=url ...``"""
    return dict(part.split("=", 1) for part in line.split(" serving ", 1)[1].split())


def trivial_command(server: str) -> list[str]:
    return [PYTHON, TRIVIAL, "--server", server]


def first_answer(command: list[str], health: Callable[[str], str]) -> Callable[[], None]:
    """Start the server, wait for its first 200 on its health URL, stop it (timed: start to answer)."""
    import requests

    def run() -> None:
        server = Server(command)
        try:
            url = health(server.first_line)
            while True:
                try:
                    if requests.get(url, timeout=5).status_code == 200:
                        return
                except requests.ConnectionError:
                    time.sleep(0.002)
        finally:
            server.stop()

    return run


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def moto_server() -> Iterator[str]:
    """``moto_server`` (moto's server mode) on a free loopback port."""
    port = _free_port()
    executable = shutil.which("moto_server", path=str(Path(PYTHON).parent)) or "moto_server"
    process = subprocess.Popen(
        [executable, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    import requests

    try:
        for _ in range(3000):
            try:
                requests.get(f"{url}/moto-api/", timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.01)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def serve(table: Table, quick: bool) -> None:
    """``portal-harness serve`` against a trivial Flask app on the same WSGI server (waitress) and on
    werkzeug's, and moto's server: one call over a kept-alive connection, and start to first health
    answer."""
    import boto3
    import requests

    from harness.control_client import ControlClient
    from harness.stack import clients_for

    batch, rounds = (30, 3) if quick else (100, 11)
    starts = 2 if quick else 7
    portal = Server(serve_command())
    waitress = Server(trivial_command("waitress"))
    werkzeug = Server(trivial_command("werkzeug"))
    try:
        with moto_server() as moto_url:
            urls = serve_urls(portal.first_line)
            ControlClient(urls["partner_center"]).create_world("calls", copy.deepcopy(SEED))
            clients = clients_for(urls, "calls", USER)
            _linked(clients)
            session = requests.Session()
            session.trust_env = False
            headers = clients.azure.headers()
            portal_url = f"{urls['azure']}/api/supportplans"
            waitress_url = waitress.first_line.split()[-1] + "/api/x"
            werkzeug_url = werkzeug.first_line.split()[-1] + "/api/x"
            support = boto3.client(
                "support",
                region_name="us-east-1",
                endpoint_url=moto_url,
                aws_access_key_id="x",
                aws_secret_access_key="x",
            )
            support.create_case(
                subject="s", communicationBody="b", severityCode="low", serviceCode="s", categoryCode="c"
            )

            def get(url: str, sent: dict[str, str]) -> Callable[[], None]:
                def call() -> None:
                    assert session.get(url, headers=sent).status_code == 200

                return call

            stats = interleaved(
                {
                    "portal": per_call(get(portal_url, headers), batch),
                    "waitress": per_call(get(waitress_url, headers), batch),
                    "werkzeug": per_call(get(werkzeug_url, headers), batch),
                    "moto": per_call(lambda: support.describe_cases(), batch),
                },
                rounds,
            )
    finally:
        for server in (portal, waitress, werkzeug):
            server.stop()
    each = {name: scaled(value, 1 / batch) for name, value in stats.items()}
    table.compare(
        "one portal call on `serve` (waitress; the same `GET /api/supportplans`) · a trivial Flask app "
        "on waitress",
        each["portal"],
        each["waitress"],
        goal=1.5,
    )
    table.compare(
        "one portal call on `serve` · the trivial app on werkzeug's threaded server",
        each["portal"],
        each["werkzeug"],
    )
    table.compare(
        "one portal call on `serve` · `moto_server` (AWS Support `DescribeCases` via boto3)",
        each["portal"],
        each["moto"],
    )
    progress(f"serve: start to first health answer, {starts} rounds")
    started = interleaved(
        {
            "serve": first_answer(
                serve_command(), lambda line: f"{serve_urls(line)['partner_center']}/_harness/health"
            ),
            "trivial": first_answer(trivial_command("waitress"), lambda line: f"{line.split()[-1]}/health"),
        },
        starts,
    )
    table.compare(
        "`serve`: start to the first 200 on `/_harness/health` · the trivial app on waitress, start to "
        "its first 200",
        started["serve"],
        started["trivial"],
        unit="s",
        goal=2,
    )


# --- worlds ---------------------------------------------------------------------------------------------
def worlds(table: Table, quick: bool) -> None:
    """A scenario's world as the suite makes and drops it in-process (``environment.py``'s fixture,
    ``Scene.ensure_world``), and seeded worlds over the control API in-process and live, each
    against a direct seeded ``registry.create`` and ``drop`` in the same registry. In-process: CPU
    time of this process; live: wall time (the server's threads wait on the network)."""
    sys.path.insert(0, str(ROOT))
    from harness.control_client import ControlClient
    from harness.stack import PortalStack
    from steps.common import Portals, Scene

    batch, rounds = (30, 3) if quick else (100, 11)
    numbers = iter(range(10**9))
    with PortalStack("inprocess") as stack, PortalStack("live") as live:
        registry = stack.registry
        portals = Portals(dict(stack.urls), registry=stack.registry)
        inprocess = ControlClient(stack.urls["partner_center"])
        remote = ControlClient(live.urls["partner_center"])

        def direct() -> None:
            name = f"direct-{next(numbers)}"
            registry.create(name, copy.deepcopy(SEED))
            registry.drop(name)

        def scene() -> None:
            the_scene = Scene(world=f"scene-{next(numbers)}", portals=portals, seed=copy.deepcopy(SEED))
            the_scene.ensure_world()
            the_scene.drop_world()

        def over(control: ControlClient) -> Callable[[], None]:
            def create_and_delete() -> None:
                name = f"control-{next(numbers)}"
                control.create_world(name, SEED)
                control.delete_world(name)

            return create_and_delete

        stats = interleaved(
            {
                "direct": per_call(direct, batch),
                "scene": per_call(scene, batch),
                "control": per_call(over(inprocess), batch),
            },
            rounds,
            clock=time.process_time,
        )
        walls = interleaved(
            {"direct": per_call(direct, batch), "live": per_call(over(remote), batch)}, rounds
        )
    each = {name: scaled(value, 1 / batch) for name, value in stats.items()}
    table.compare(
        "a scenario's world in-process, created and dropped as the suite does · a direct seeded "
        "`registry.create` and `drop`",
        each["scene"],
        each["direct"],
        goal=2,
    )
    walled = {name: scaled(value, 1 / batch) for name, value in walls.items()}
    for label, found, direct_of in (
        ("in-process, CPU", each["control"], each["direct"]),
        ("live (waitress), wall time", walled["live"], walled["direct"]),
    ):
        table.compare(
            f"a seeded world over the control API, {label}: `POST` + `DELETE` · direct create and drop",
            found,
            direct_of,
        )


# --- what must not grow with size (issue 12) ------------------------------------------------------------
def _walkthrough_worlds(count: int, prefix: str) -> list[Any]:
    """``count`` worlds like the walkthrough's: activated, linked, one Azure request each."""
    from portals.backend import build_world

    made = []
    for n in range(count):
        world = build_world(f"{prefix}{n}", copy.deepcopy(SEED))
        view = world.activate_benefits("admin@contoso.com")
        world.link_support_benefits(USER, view.access_id, view.contract_id)
        world.create_support_request(USER, "azure", product="app-service", title="t", description="d")
        made.append(world)
    return made


def stores(table: Table, quick: bool) -> None:
    """A change committed (the operation, its world's snapshot, the commit) to a store of 1 world
    and to one of 1,000, in turns, for each ``synchronous`` setting."""
    from harness.store import StateStore
    from portals.backend import WorldRegistry

    writes = 50 if quick else 300
    few, many = _walkthrough_worlds(1, "w"), _walkthrough_worlds(1000, "w")
    for sync in ("full", "normal"):
        with tempfile.TemporaryDirectory() as folder:
            targets = {}
            opened = []
            for label, made in (("few", few), ("many", many)):
                store = StateStore.create(Path(folder, f"{label}.sqlite"), made, sync)
                registry = WorldRegistry()
                store.attach(registry)
                opened.append(store)
                targets[label] = registry.get(f"w{len(made) // 2}")
            try:
                stats = interleaved(
                    {
                        label: functools.partial(world.advance_clock, "PT1M")
                        for label, world in targets.items()
                    },
                    writes,
                )
            finally:
                for store in opened:
                    store.close()
        table.compare(
            f"a change committed to the state store (`synchronous={sync}`): 1,000 worlds · 1 world",
            stats["many"],
            stats["few"],
            goal=1.5,
        )


def probe_memory(counts: list[int]) -> None:
    """In this (fresh) process: an in-process stack driven as a pytest session drives it (a world
    per test of 50 calls, dropped after it); print the RSS in MB after each count of calls."""
    from harness.clients import portal_session
    from harness.stack import PortalStack

    def rss_mb() -> float:
        gc.collect()
        return _rss_of(os.getpid())

    done = 0
    with PortalStack("inprocess") as stack:
        session = portal_session()
        url = stack.url("azure", "/api/products")
        for count in counts:
            while done < count:
                world = stack.new_world()
                for _ in range(50):
                    session.get(url, headers={"X-Harness-World": world.name})
                stack.drop_world(world.name)
                done += 50
            print(json.dumps({"calls": done, "rss_mb": rss_mb()}), flush=True)


def memory(table: Table, quick: bool) -> None:
    counts = [1000, 5000 if quick else 50000]
    done = subprocess.run(
        [PYTHON, __file__, "--probe-memory", ",".join(map(str, counts))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        progress(done.stdout[-2000:] + "\n" + done.stderr[-2000:])
        raise SystemExit("memory probe failed")
    first, last = (json.loads(line) for line in done.stdout.splitlines())
    grown = last["rss_mb"] - first["rss_mb"]
    table.add(
        Row(
            f"RSS of an in-process stack after {last['calls']:,} calls · after {first['calls']:,} "
            "(a world per 50 calls, dropped after)",
            f"{last['rss_mb']:.1f} MB",
            f"{first['rss_mb']:.1f} MB",
            f"{grown:+.1f} MB",
            f"within 10 MB: {'met' if abs(grown) <= 10 else 'NOT met'}",
        )
    )


def lookups(table: Table, quick: bool) -> None:
    """``GET supportTickets/{name}`` and the list with ``$top=1`` through the in-process Azure
    Support API, in a world with 10 tickets of the account and in one with 10,000, in turns."""
    from harness.clients import portal_session
    from harness.stack import PortalStack
    from portals.web.tokens import mint_token

    gets = 50 if quick else 300
    with PortalStack("inprocess") as stack:
        made: dict[str, tuple[Callable[[], None], Callable[[], None]]] = {}
        for count in (10, 10000):
            world = stack.new_world(f"tickets-{count}", copy.deepcopy(SEED))
            view = world.activate_benefits("admin@contoso.com")
            world.link_support_benefits(USER, view.access_id, view.contract_id)
            for n in range(count):
                world.create_azure_request(USER, "app-service", "t", "d", name=f"t-{n}")
            session = portal_session()
            session.headers["Authorization"] = f"Bearer {mint_token(USER, world=world.name)}"
            base = stack.url(
                "azure_management", "/subscriptions/0/providers/Microsoft.Support/supportTickets"
            )
            made[str(count)] = _ticket_calls(session, base, count)
        one = interleaved({"few": made["10"][0], "many": made["10000"][0]}, gets)
        page = interleaved({"few": made["10"][1], "many": made["10000"][1]}, gets)
    for label, stats in (("GET supportTickets/{name}", one), ("GET supportTickets?$top=1", page)):
        table.compare(
            f"Azure Support API in-process, `{label}`: 10,000 tickets in the world · 10",
            stats["many"],
            stats["few"],
            goal=1.5,
        )


def _ticket_calls(session: Any, base: str, count: int) -> tuple[Callable[[], None], Callable[[], None]]:
    version = {"api-version": "2024-04-01"}
    wanted = f"{base}/t-{count // 2}"

    def get_one() -> None:
        assert session.get(wanted, params=version).status_code == 200

    def first_page() -> None:
        answer = session.get(base, params={**version, "$top": "1"})
        assert answer.status_code == 200 and len(answer.json()["value"]) == 1

    return get_one, first_page


def _rss_of(pid: int) -> float:
    """The resident set size of process ``pid`` in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no VmRSS in /proc/<pid>/status (Linux only)")


def journal_budget(table: Table, quick: bool) -> None:
    """``serve`` with 100 busy worlds against its journal budget: RSS as traffic goes on, once the
    journals hold all the budget allows, and how much journal they hold (the health answer)."""
    import requests

    count = 100
    budget_mb = 8 if quick else 32  # full from about 4,000 calls (quick) or 15,000
    rounds = [2000, 4000, 6000, 8000] if quick else [6000, 12000, 18000, 24000, 30000]
    server = Server([*serve_command(), "--journal-bytes", f"{budget_mb}M", "--journal-entries", "100000"])
    try:
        urls = serve_urls(server.first_line)
        session = requests.Session()
        session.trust_env = False
        control = f"{urls['partner_center']}/_harness"
        for n in range(count):
            session.post(f"{control}/worlds", json={"name": f"busy-{n}"}).raise_for_status()
        products = f"{urls['support_for_business']}/api/products"
        done, rows = 0, []
        for target in rounds:
            while done < target:
                answer = session.get(products, headers={"X-Harness-World": f"busy-{done % count}"})
                answer.raise_for_status()
                done += 1
            usage = session.get(f"{control}/health").json()["journal"]
            rows.append((done, _rss_of(server.process.pid), usage["entries"], usage["bytes"] / 1024**2))
    finally:
        server.stop()
    for calls_done, rss, entries, held in rows:
        progress(
            f"  journal: after {calls_done:6,} calls: RSS {rss:6.1f} MB; "
            f"{entries:6,} entries, {held:5.1f} MiB"
        )
    grown = rows[-1][1] - rows[1][1]
    table.add(
        Row(
            f"RSS of `serve` with {count} busy worlds, journal budget {budget_mb} MiB full: after "
            f"{rows[-1][0]:,} calls · after {rows[1][0]:,}",
            f"{rows[-1][1]:.1f} MB (journals {rows[-1][3]:.1f} MiB)",
            f"{rows[1][1]:.1f} MB (journals {rows[1][3]:.1f} MiB)",
            f"{grown:+.1f} MB",
            f"within 10 MB: {'met' if abs(grown) <= 10 else 'NOT met'}",
        )
    )


SECTIONS: dict[str, Callable[[Table, bool], None]] = {
    "startup": startup,
    "suite": suite,
    "calls": calls,
    "serve": serve,
    "worlds": worlds,
    "store": stores,
    "memory": memory,
    "lookup": lookups,
    "journal": journal_budget,
}


def main() -> None:
    parser = argparse.ArgumentParser(description="portal-harness benchmark")
    parser.add_argument("--quick", action="store_true", help="fewer rounds, smaller counts (1.5-4 minutes)")
    parser.add_argument("--only", help=f"comma-separated sections: {', '.join(SECTIONS)}")
    parser.add_argument("--probe-memory", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.probe_memory:
        probe_memory([int(n) for n in args.probe_memory.split(",")])
        return
    chosen = args.only.split(",") if args.only else list(SECTIONS)
    unknown = set(chosen) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    started = time.perf_counter()
    compile_project()
    before = machine()
    table = Table()
    for name in chosen:
        progress(f"== {name}")
        SECTIONS[name](table, args.quick)
    print(f"`make bench{' QUICK=1' if args.quick else ''}`, {before}")
    print(
        f"(load average at the end {' '.join(f'{v:.1f}' for v in os.getloadavg())}; "
        f"{time.perf_counter() - started:.0f} s in all)"
    )
    print()
    print(table.markdown())


if __name__ == "__main__":
    main()
