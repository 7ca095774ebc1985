"""Benchmark: how fast the acceptance suite and its building blocks are, measured in one run.

Prints wall times and ratios measured here and now (never compared with numbers from another
machine): the suite in-process, live and with 2 jobs; the per-scenario cost against behave running
the same number of no-op scenarios; the cost of creating a world. Then what must not grow with
size, as ratios: a state-store write with 1 vs 1,000 worlds, the RSS of an in-process stack after
1k vs 50k calls (in a fresh process), a ticket GET and a one-ticket page with 10 vs 10,000 requests
in a world, the RSS of ``serve`` with 100 busy worlds as traffic goes on past its journal budget.

Usage: ``make bench`` (about 5 minutes here), ``make bench QUICK=1`` (no suite runs, 10k calls
instead of 50k), or ``python bench/bench.py [--quick] [--only suite,store,memory,lookup,journal]``.
"""

from __future__ import annotations

import argparse
import copy
import functools
import gc
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def suites() -> None:
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


# --- what must not grow with size ------------------------------------------------------------------------
SEED: dict[str, Any] = {  # docs/walkthrough/seed.yaml, inline
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


def paired_medians(
    first: Callable[[], object], second: Callable[[], object], times: int
) -> tuple[float, float]:
    """The median wall time of one run of each action, running them in turns (``first``,
    ``second``, ``first``…) so that whatever else this shared machine does weighs on both alike."""
    spent: tuple[list[float], list[float]] = ([], [])
    for _ in range(times):
        for action, into in ((first, spent[0]), (second, spent[1])):
            started = time.perf_counter()
            action()
            into.append(time.perf_counter() - started)
    return statistics.median(spent[0]), statistics.median(spent[1])


def goal(ratio: float, limit: float) -> str:
    return f"goal <= {limit}x: {'met' if ratio <= limit else 'NOT met'}"


def _walkthrough_worlds(count: int, prefix: str) -> list[Any]:
    """``count`` worlds like the walkthrough's: activated, linked, one Azure request each."""
    from portals.backend import build_world

    made = []
    for n in range(count):
        world = build_world(f"{prefix}{n}", copy.deepcopy(SEED))
        view = world.activate_benefits("admin@contoso.com")
        world.link_support_benefits("user@contoso.com", view.access_id, view.contract_id)
        world.create_support_request(
            "user@contoso.com", "azure", product="app-service", title="t", description="d"
        )
        made.append(world)
    return made


def stores(quick: bool) -> None:
    """A change committed (the operation, its world's snapshot, the commit) to a store of 1 world
    and to one of 1,000, in turns, for each ``synchronous`` setting."""
    from harness.store import StateStore
    from portals.backend import WorldRegistry

    writes = 100 if quick else 300
    print("state store (serve --state-file), one change committed:")
    few, many = _walkthrough_worlds(1, "w"), _walkthrough_worlds(1000, "w")
    for sync in ("full", "normal"):
        with tempfile.TemporaryDirectory() as folder:
            targets = []
            opened = []
            for label, worlds in (("few", few), ("many", many)):
                store = StateStore.create(Path(folder, f"{label}.sqlite"), worlds, sync)
                registry = WorldRegistry()
                store.attach(registry)
                opened.append(store)
                targets.append(registry.get(f"w{len(worlds) // 2}"))
            try:
                first, second = (functools.partial(world.advance_clock, "PT1M") for world in targets)
                one, thousand = paired_medians(first, second, writes)
            finally:
                for store in opened:
                    store.close()
        print(
            f"  synchronous={sync:6}  1 world {one * 1e3:6.2f} ms, 1,000 worlds {thousand * 1e3:6.2f} ms: "
            f"{thousand / one:.2f}x ({goal(thousand / one, 1.5)})"
        )


def probe_memory(counts: list[int]) -> None:
    """In this (fresh) process: an in-process stack driven as a pytest session drives it (a world
    per test of 50 calls, dropped after it); print the RSS in MB after each count of calls."""
    from harness.clients import portal_session
    from harness.stack import PortalStack

    def rss_mb() -> float:
        gc.collect()
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        raise SystemExit("no VmRSS in /proc/self/status (Linux only)")

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


def memory(quick: bool) -> None:
    counts = [1000, 10000 if quick else 50000]
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--probe-memory", ",".join(map(str, counts))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-2000:], sep="\n")
        raise SystemExit("memory probe failed")
    first, last = (json.loads(line) for line in done.stdout.splitlines())
    grown = last["rss_mb"] - first["rss_mb"]
    calls_per_second = last["calls"] / (time.perf_counter() - started)
    print(f"in-process stack, RSS (a world per 50 calls, dropped after; {calls_per_second:.0f} calls/s):")
    verdict = "met" if abs(grown) <= 10 else "NOT met"
    print(
        f"  after {first['calls']:,} calls {first['rss_mb']:6.1f} MB, after {last['calls']:,} "
        f"{last['rss_mb']:6.1f} MB: {grown:+.1f} MB (goal: within 10 MB: {verdict})"
    )


def lookups(quick: bool) -> None:
    """``GET supportTickets/{name}`` and the list with ``$top=1`` through the in-process Azure
    Support API, in a world with 10 tickets of the account and in one with 10,000, in turns."""
    from harness.clients import portal_session
    from harness.stack import PortalStack
    from portals.web.tokens import mint_token

    gets = 200 if quick else 500
    with PortalStack("inprocess") as stack:
        calls: dict[str, tuple[Callable[[], None], Callable[[], None]]] = {}
        for count in (10, 10000):
            world = stack.new_world(f"tickets-{count}", copy.deepcopy(SEED))
            view = world.activate_benefits("admin@contoso.com")
            world.link_support_benefits("user@contoso.com", view.access_id, view.contract_id)
            for n in range(count):
                world.create_azure_request("user@contoso.com", "app-service", "t", "d", name=f"t-{n}")
            session = portal_session()
            token = mint_token("user@contoso.com", world=world.name)
            session.headers["Authorization"] = f"Bearer {token}"
            base = stack.url(
                "azure_management", "/subscriptions/0/providers/Microsoft.Support/supportTickets"
            )
            calls[str(count)] = _ticket_calls(session, base, count)
        for call in (*calls["10"], *calls["10000"]):
            call()  # warm up
        few_get, many_get = paired_medians(calls["10"][0], calls["10000"][0], gets)
        few_page, many_page = paired_medians(calls["10"][1], calls["10000"][1], gets)
    print("Azure Support API, in-process, with 10 vs 10,000 tickets in the world:")
    print(
        f"  GET supportTickets/{{name}}      {few_get * 1e3:6.2f} ms vs {many_get * 1e3:6.2f} ms: "
        f"{many_get / few_get:.2f}x ({goal(many_get / few_get, 1.5)})"
    )
    print(
        f"  GET supportTickets?$top=1       {few_page * 1e3:6.2f} ms vs {many_page * 1e3:6.2f} ms: "
        f"{many_page / few_page:.2f}x ({goal(many_page / few_page, 1.5)})"
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


def journal_budget(quick: bool) -> None:
    """``serve`` with 100 busy worlds against its journal budget: RSS as traffic goes on, once the
    journals hold all the budget allows, and how much journal they hold (the health answer)."""
    import requests

    budget_mb, worlds = 32, 100
    rounds = [4000, 8000, 12000, 16000] if quick else [6000, 12000, 18000, 24000, 30000]
    command = [
        str(ROOT / ".venv" / "bin" / "portal-harness"),
        "serve",
        "--base-port",
        "0",
        "--journal-bytes",
        f"{budget_mb}M",
        "--journal-entries",
        "100000",
    ]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        urls = dict(part.split("=", 1) for part in first.split(" serving ", 1)[1].split())
        session = requests.Session()
        session.trust_env = False
        control = f"{urls['partner_center']}/_harness"
        for n in range(worlds):
            session.post(f"{control}/worlds", json={"name": f"busy-{n}"}).raise_for_status()
        products = f"{urls['support_for_business']}/api/products"
        done, rows = 0, []
        for target in rounds:
            while done < target:
                answer = session.get(products, headers={"X-Harness-World": f"busy-{done % worlds}"})
                answer.raise_for_status()
                done += 1
            usage = session.get(f"{control}/health").json()["journal"]
            rows.append((done, _rss_of(server.pid), usage["entries"], usage["bytes"] / 1024**2))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"serve, {worlds} busy worlds, journal budget {budget_mb} MiB (RSS of the server):")
    for calls, rss, entries, held in rows:
        print(f"  after {calls:6,} calls: RSS {rss:6.1f} MB; journals: {entries:6,} entries, {held:5.1f} MiB")
    grown = rows[-1][1] - rows[1][1]
    verdict = "flat" if abs(grown) <= 10 else "NOT flat"
    calls = rows[-1][0] - rows[1][0]
    print(f"  RSS over the last {calls:,} calls, budget full: {grown:+.1f} MB (goal within 10 MB: {verdict})")


SECTIONS: dict[str, Callable[[bool], None]] = {
    "store": stores,
    "memory": memory,
    "lookup": lookups,
    "journal": journal_budget,
}


def main() -> None:
    parser = argparse.ArgumentParser(description="portal-harness benchmark")
    parser.add_argument("--quick", action="store_true", help="no suite runs, smaller counts")
    parser.add_argument("--only", help="comma-separated sections: suite, store, memory, lookup, journal")
    parser.add_argument("--probe-memory", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.probe_memory:
        probe_memory([int(n) for n in args.probe_memory.split(",")])
        return
    chosen = args.only.split(",") if args.only else ["store", "memory", "lookup", "journal"]
    if not args.only and not args.quick:
        chosen.insert(0, "suite")
    unknown = set(chosen) - {"suite", *SECTIONS}
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    for name in chosen:
        if name == "suite":
            suites()
        else:
            SECTIONS[name](args.quick)


if __name__ == "__main__":
    main()
