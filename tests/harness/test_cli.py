"""``portal-harness`` as a user runs it: serve in a subprocess, world verbs against it, SIGTERM,
persistence across a restart and after kill -9, help and exit codes."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
import requests
from cast import CAST

from harness.cli import main
from portals.web.tokens import mint_token

CLI = [sys.executable, "-m", "harness.cli"]


class Server:
    """A ``portal-harness serve`` subprocess on free loopback ports."""

    def __init__(self, *extra: str) -> None:
        self.process = subprocess.Popen(
            [*CLI, "serve", "--base-port", "0", *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        assert self.process.stdout is not None
        serving = None
        # up to the banner's last line: lines the file's read-ahead took in are kept here, which
        # communicate() (reading the pipe itself) would not see again
        for line in self.process.stdout:
            self.lines.append(line)
            if line.startswith("portal-harness") and "serving" in line:
                serving = line
            if serving is not None and line.startswith("Press Ctrl-C"):
                break
        else:
            raise AssertionError("serve did not start:\n" + "".join(self.lines))
        self.urls = dict(re.findall(r"(\w+)=(http://[\d.:]+)", serving))

    def stop(self, sig: int = signal.SIGTERM) -> str:
        """Signal the server, wait for it, and return all it printed. The rest is read through the
        same text reader: lines it read ahead while looking for the serving line sit in its buffer,
        which ``communicate`` (reading the pipe itself) would skip."""
        self.process.send_signal(sig)
        self.process.wait(timeout=10)
        assert self.process.stdout is not None
        out = self.process.stdout.read()
        self.process.stdout.close()
        return "".join(self.lines) + out


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server("--state-file", str(tmp_path / "state.sqlite"))
    yield running
    if running.process.poll() is None:
        running.stop(signal.SIGKILL)


def test_serve_prints_urls_and_stops_on_sigterm(server: Server) -> None:
    assert {"partner_center", "support_for_business", "azure"} <= set(server.urls)
    assert all(url.startswith("http://127.0.0.1:") for url in server.urls.values())
    health = requests.get(f"{server.urls['azure']}/_harness/health", timeout=5).json()
    assert health["status"] == "ok" and health["portals"] == {k: server.urls[k] for k in health["portals"]}
    dashboard = requests.get(f"{server.urls['partner_center']}/_harness/", timeout=5)
    assert dashboard.status_code == 200 and 'data-world="default"' in dashboard.text
    output = server.stop()
    assert server.process.returncode == 0 and "stopped" in output
    assert f"world dashboard          {server.urls['partner_center']}/_harness/" in output


def _activate(server: Server, world: str) -> str:
    headers = {"Authorization": f"Bearer {mint_token('admin@contoso.com')}", "X-Harness-World": world}
    answer = requests.post(
        f"{server.urls['partner_center']}/api/benefits/technical/activate",
        json={},
        headers=headers,
        timeout=5,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["contract_id"]


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGKILL])
def test_worlds_persist_across_restart_and_kill(tmp_path: Path, stop_signal: int) -> None:
    state = tmp_path / "state.sqlite"
    first = Server("--state-file", str(state))
    try:
        control = first.urls["azure"]
        document = {**CAST, "world": {**CAST["world"], "seed": "persist"}}
        created = requests.post(
            f"{control}/_harness/worlds", json={"name": "kept", "document": document}, timeout=5
        )
        assert created.status_code == 201, created.text
        contract_id = _activate(first, "kept")
    finally:
        first.stop(stop_signal)
    with closing(sqlite3.connect(state)) as database:  # never a corrupt file, even after kill -9
        assert database.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    second = Server("--state-file", str(state))
    try:
        headers = {"Authorization": f"Bearer {mint_token('user@contoso.com')}", "X-Harness-World": "kept"}
        view = requests.get(
            f"{second.urls['partner_center']}/api/benefits/technical", headers=headers, timeout=5
        )
        assert view.json()["contract_id"] == contract_id
        assert "restored 2 world(s)" in "".join(second.lines)
    finally:
        second.stop()


def test_world_verbs_against_a_running_server(server: Server, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    url = ["world", "--url", server.urls["support_for_business"]]
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps(CAST))
    assert main([*url, "create", "--name", "cli", "--seed-file", str(seed)]) == 0
    assert main([*url, "advance", "cli", "P3D"]) == 0
    assert main([*url, "mode", "cli", "diagnostic"]) == 0
    assert main([*url, "list"]) == 0
    listing = capsys.readouterr().out
    assert re.search(r"^cli\s+2021-03-07T09:00:00Z\s+mode=diagnostic", listing, re.M), listing
    snapshot = tmp_path / "snap.json"
    assert main([*url, "snapshot", "cli", "-o", str(snapshot)]) == 0
    assert main([*url, "advance", "cli", "P10D"]) == 0
    assert main([*url, "restore", "cli", str(snapshot)]) == 0
    assert main([*url, "show", "cli"]) == 0
    assert "2021-03-07T09:00:00Z" in capsys.readouterr().out
    har = tmp_path / "journal.har"
    assert main([*url, "har", "cli", "-o", str(har)]) == 0
    assert json.loads(har.read_text())["log"]["version"] == "1.2"
    assert main([*url, "show", "no-such-world"]) == 1
    assert "WorldNotFound" in capsys.readouterr().err


STATE_SEED = """
world: {seed: cli-state, start: 2021-03-10}
organisations:
  - id: contoso
    membership: silver
    competencies: [{name: Data Analytics, level: silver}]
    benefits: {activated: 2021-03-05, used: {cloud: 5}}
accounts:
  - {upn: admin@contoso.com, organisation: contoso, roles: [global_admin]}
  - upn: user@contoso.com
    organisation: contoso
    contracts: [{contract: contoso, added_in: azure, at: 2021-03-06}]
requests:
  - {account: user@contoso.com, portal: support_for_business, product: windows-10, at: 2021-03-07}
"""


@pytest.mark.rule("D13")
def test_a_state_seed_file_and_reset_after_restore_across_a_restart(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """``world create --seed-file`` takes a state seed (YAML dates and all); a world restored from a
    snapshot resets to that snapshot, also after ``serve --state-file`` restarts."""
    state, seed = tmp_path / "state.sqlite", tmp_path / "seed.yaml"
    seed.write_text(STATE_SEED)
    first = Server("--state-file", str(state))
    try:
        url = ["world", "--url", first.urls["azure"]]
        assert main([*url, "create", "--name", "five", "--seed-file", str(seed)]) == 0
        created = json.loads(capsys.readouterr().out)
        assert (created["now"], created["contracts"], created["requests"]) == ("2021-03-10T00:00:00Z", 1, 1)
        assert main([*url, "advance", "five", "P1D"]) == 0
        assert main([*url, "snapshot", "five", "-o", str(tmp_path / "five.json")]) == 0
        assert main([*url, "advance", "five", "P2D"]) == 0
        assert main([*url, "restore", "five", str(tmp_path / "five.json")]) == 0
        assert main([*url, "advance", "five", "P9D"]) == 0
    finally:
        first.stop()
    second = Server("--state-file", str(state))
    try:
        url = ["world", "--url", second.urls["azure"]]
        capsys.readouterr()
        assert main([*url, "reset", "five"]) == 0
        reset = json.loads(capsys.readouterr().out)
        # the restored snapshot (a day after the seed), not the seed, nor the state at the restart
        assert (reset["now"], reset["contracts"], reset["requests"]) == ("2021-03-11T00:00:00Z", 1, 1), reset
    finally:
        second.stop()


def test_help_and_usage_errors(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for verb in ("serve", "world", "run", "steps", "report", "report merge"):
        result = subprocess.run([*CLI, *verb.split(), "--help"], capture_output=True, text=True, check=False)
        assert result.returncode == 0 and "usage:" in result.stdout
    assert main([]) == 2
    assert main(["serve", "--seed", str(tmp_path / "missing.yaml")]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main(["world", "--url", "http://127.0.0.1:9", "list"]) == 1
    assert "is 'portal-harness serve' running?" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["world", "frobnicate"])
    assert usage.value.code == 2


def test_serve_on_a_busy_port_says_what_to_do(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Busy ports are not wrong usage (2): serve exits 3, with one message naming the port, before
    it opens or creates a state file."""
    import socket

    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    port = busy.getsockname()[1]
    state = tmp_path / "state.sqlite"
    try:
        assert main(["serve", "--base-port", "0", "--pc-port", str(port), "--state-file", str(state)]) == 3
    finally:
        busy.close()
    out, err = capsys.readouterr()
    assert err.count("\n") == 1, err  # the server's own lines about the port are not repeated
    assert f"port {port} on 127.0.0.1 is already in use" in err and "--base-port" in err
    assert "restored" not in out and list(tmp_path.iterdir()) == []  # no store made


@pytest.mark.parametrize(
    ("flags", "said"),
    [
        (["--base-port", "-1"], "argument --base-port: '-1': a port from 0 to 65535"),
        (["--base-port", "70000"], "argument --base-port: '70000': a port from 0 to 65535"),
        (["--base-port", "eighty"], "argument --base-port: 'eighty': a port from 0 to 65535"),
        (["--sfb-port", "65536"], "argument --sfb-port: '65536': a port from 0 to 65535"),
        (["--pc-port", "-5"], "argument --pc-port: '-5': a port from 0 to 65535"),
    ],
)
def test_serve_refuses_a_port_outside_0_to_65535(flags: list[str], said: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as usage:
        main(["serve", *flags, "--state-file", str(tmp_path / "state.sqlite")])
    assert usage.value.code == 2
    err = capsys.readouterr().err
    assert "usage: portal-harness serve" in err and said in err, err
    assert not (tmp_path / "state.sqlite").exists()


def test_serve_refuses_a_base_port_whose_portals_would_pass_65535(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """The five portals sit at the base port plus 0 to 4 (8401-8405): 65531 is the highest base."""
    state = tmp_path / "state.sqlite"
    assert main(["serve", "--base-port", "65535", "--state-file", str(state)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("portal-harness: --base-port 65535: Support for Business would be on port 65536")
    assert "give a base port from 1 to 65531, or 0 for free ports" in err
    assert main(["serve", "--base-port", "65532", "--state-file", str(state)]) == 2
    assert "Partner Center REST API would be on port 65536" in capsys.readouterr().err
    assert not state.exists()  # refused before anything was created


def _run_folder(folder: Path, shard: str) -> Path:
    """A report folder as ``run --shard`` leaves it (enough for the merge's checks)."""
    folder.mkdir(parents=True)
    (folder / "cucumber.json").write_text("[]")
    (folder / "run.json").write_text(json.dumps({"shard": shard, "plan": "p", "tags": [], "paths": []}))
    return folder


def test_report_merge_refuses_an_out_folder_that_overlaps_its_inputs(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    shards = [_run_folder(tmp_path / "sh" / f"s{i}", f"{i}/2") for i in (1, 2)]
    before = {p: p.read_bytes() for s in shards for p in s.iterdir()}
    inputs = [str(s) for s in shards]
    cases = {
        str(shards[0]): f"--out {shards[0]} is the merged folder {shards[0]}",
        str(shards[1] / "merged"): f"--out {shards[1] / 'merged'} is inside the merged folder {shards[1]}",
        str(tmp_path / "sh"): f"--out {tmp_path / 'sh'} holds the merged folder {shards[0]}",
    }
    for out, said in cases.items():
        assert main(["report", "merge", *inputs, "--out", out]) == 2, out
        assert capsys.readouterr().err.startswith(f"portal-harness: report merge: {said}: ")
    (tmp_path / "a-file").write_text("kept")
    assert main(["report", "merge", *inputs, "--out", str(tmp_path / "a-file")]) == 2
    assert f"--out {tmp_path / 'a-file'}: a file, not a folder" in capsys.readouterr().err
    assert {p: p.read_bytes() for s in shards for p in s.iterdir()} == before  # nothing written
    assert not (shards[1] / "merged").exists() and (tmp_path / "a-file").read_text() == "kept"


def test_local_paths_that_cannot_be_used_are_named_with_the_reason(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A bad path given as an option is wrong usage (2); nothing blames the server."""
    feature = tmp_path / "x.feature"
    feature.write_text("Feature: x\n  Scenario: y\n    Given activation is immediate\n")
    assert main(["run", "--reports", "/proc/x", str(feature)]) == 2
    err = capsys.readouterr().err
    assert err == "portal-harness run: --reports /proc/x: cannot be created (No such file or directory)\n"
    assert main(["run", "--reports", str(feature), str(feature)]) == 2
    assert capsys.readouterr().err == f"portal-harness run: --reports {feature}: a file, not a folder\n"
    url = "http://127.0.0.1:9"  # nothing listens: the path is checked before the server is asked
    assert main(["world", "snapshot", "default", "-o", "/nonexistentdir/x.json", "--url", url]) == 2
    err = capsys.readouterr().err
    assert err == "portal-harness: -o /nonexistentdir/x.json: the folder /nonexistentdir does not exist\n"
    assert main(["world", "har", "default", "-o", str(tmp_path), "--url", url]) == 2
    assert capsys.readouterr().err == f"portal-harness: -o {tmp_path}: a folder, not a file\n"


def test_a_file_that_fails_while_written_is_a_failure_naming_it(server: Server, capsys) -> None:  # type: ignore[no-untyped-def]
    url = server.urls["azure"]
    assert main(["world", "har", "default", "-o", "/dev/full", "--url", url]) == 1
    assert (
        capsys.readouterr().err == "portal-harness: -o /dev/full: writing failed (No space left on device)\n"
    )


def test_a_second_serve_on_the_same_ports_exits_3(server: Server) -> None:
    port = server.urls["partner_center"].rsplit(":", 1)[1]
    second = subprocess.run(
        [*CLI, "serve", "--base-port", port], capture_output=True, text=True, timeout=30, check=False
    )
    assert second.returncode == 3, second
    assert second.stderr.startswith("portal-harness: cannot listen on 127.0.0.1: port "), second.stderr


def test_world_options_come_before_or_after_the_verb(server: Server, capsys) -> None:  # type: ignore[no-untyped-def]
    url = server.urls["azure"]
    assert main(["world", "list", "--url", url]) == 0
    after = capsys.readouterr().out
    assert main(["world", "--url", url, "list"]) == 0
    assert capsys.readouterr().out == after and after.startswith("default ")
    assert main(["world", "show", "default", "--url", url, "--token", "unused"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "default"


def test_every_positional_argument_has_help() -> None:
    from harness.cli import build_parser

    def walk(parser, path):  # type: ignore[no-untyped-def]
        for action in parser._actions:
            if action.option_strings:
                continue
            if action.choices and hasattr(action, "_name_parser_map"):
                for name, sub in action._name_parser_map.items():
                    yield from walk(sub, [*path, name])
            else:
                yield " ".join(path), action.dest, action.help

    found = list(walk(build_parser([]), ["portal-harness"]))
    assert len(found) > 15
    assert [(verb, dest) for verb, dest, text in found if not text] == []


def test_delete_default_says_it_was_reset(server: Server, capsys) -> None:  # type: ignore[no-untyped-def]
    url = ["world", "--url", server.urls["azure"]]
    assert main([*url, "advance", "default", "P1D"]) == 0
    assert main([*url, "delete", "default"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "reset default (the default world always exists: it cannot be deleted)"
    assert main([*url, "list"]) == 0
    assert re.search(r"^default\s+2021-03-04T09:00:00Z", capsys.readouterr().out, re.M)  # back at its start
    assert main([*url, "create", "--name", "gone"]) == 0
    assert main([*url, "delete", "gone"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "deleted gone"


def test_set_clock_refuses_to_go_back_before_a_contract_starts(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps(CAST))
    running = Server("--seed", str(seed))
    try:
        url = ["world", "--url", running.urls["azure"]]
        contract_id = _activate(running, "default")  # activation at the seed's start, 2021-03-04T09:00Z
        capsys.readouterr()
        assert main([*url, "set-clock", "default", "2021-03-01T00:00:00Z"]) == 1
        err = capsys.readouterr().err
        assert f"before the start of contract {contract_id} (contoso, started 2021-03-04T09:00:00Z)" in err
        assert "--force" in err
        assert main([*url, "show", "default"]) == 0
        assert json.loads(capsys.readouterr().out)["now"] == "2021-03-04T09:00:00Z"  # unchanged
        assert main([*url, "set-clock", "default", "2021-03-05"]) == 0  # forward: no question asked
        assert json.loads(capsys.readouterr().out)["now"] == "2021-03-05T00:00:00Z"
        assert main([*url, "set-clock", "default", "2021-03-01", "--force"]) == 0
        assert json.loads(capsys.readouterr().out)["now"] == "2021-03-01T00:00:00Z"
        assert main([*url, "set-clock", "default", "yesterday"]) == 2
    finally:
        running.stop()


def test_a_closed_pipe_ends_quietly(server: Server) -> None:
    """``world har default | head``: the reader goes away; no "cannot reach the server"."""
    process = subprocess.Popen(
        [*CLI, "world", "har", "default", "--url", server.urls["azure"]],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # as head does once it has its lines
    err = process.stderr.read()
    assert process.wait(timeout=30) == 0
    assert err == ""


os.environ.setdefault("PYTHONUNBUFFERED", "1")


def test_serve_takes_a_journal_budget() -> None:
    running = Server("--journal-entries", "3", "--journal-bytes", "2M", "--journal-per-world", "2")
    try:
        base = running.urls["support_for_business"]
        usage = requests.get(f"{base}/_harness/health", timeout=5).json()["journal"]
        expected = {"max_entries": 3, "max_bytes": 2 * 1024 * 1024, "max_entries_per_world": 2}
        assert {k: usage[k] for k in expected} == expected
        for _ in range(4):
            requests.get(f"{base}/api/products", headers={"X-Harness-World": "default"}, timeout=5)
        journal = requests.get(f"{base}/_harness/worlds/default/journal", timeout=5).json()
        assert [e["id"] for e in journal["value"]] == [3, 4] and journal["dropped"] == 2
    finally:
        running.stop()


@pytest.mark.parametrize(
    ("flag", "value", "why"),
    [
        ("--journal-entries", "0", "a whole number of at least 1"),
        ("--journal-bytes", "12", "at least 1M"),
        ("--journal-bytes", "lots", "a size such as 64M"),
        ("--journal-per-world", "-5", "a whole number of at least 1"),
    ],
)
def test_serve_refuses_a_bad_journal_budget(flag: str, value: str, why: str) -> None:
    done = subprocess.run([*CLI, "serve", "--base-port", "0", flag, value], capture_output=True, text=True)
    assert done.returncode == 2 and flag in done.stderr and why in done.stderr, done.stderr
