"""``serve --world-ttl``: worlds no request names for that long are dropped (never ``default``),
also from the state store; off by default."""

from __future__ import annotations

import time
from pathlib import Path

import requests
from serving import Server

from harness.cli import main


def test_idle_worlds_expire_from_serve_and_its_store(tmp_path: Path) -> None:
    server = Server(tmp_path / "state.sqlite", "--world-ttl", "PT2S")
    try:
        control = server.urls["azure"] + "/_harness/worlds"
        for name in ("busy", "idle"):
            assert requests.post(control, json={"name": name}, timeout=5).status_code == 201
        deadline = time.monotonic() + 8
        names = {"idle"}
        while "idle" in names and time.monotonic() < deadline:
            assert requests.get(f"{control}/busy", timeout=5).status_code == 200  # named: kept
            time.sleep(0.3)
            names = {w["name"] for w in requests.get(control, timeout=5).json()["value"]}
        assert names == {"default", "busy"}, f"expected idle to expire, found {sorted(names)}"
    finally:
        output = server.stop()
    assert "expired 1 idle world(s): idle" in output
    again = Server(tmp_path / "state.sqlite")
    try:
        listed = requests.get(again.urls["azure"] + "/_harness/worlds", timeout=5).json()["value"]
        assert {w["name"] for w in listed} == {"default", "busy"}  # the drop reached the store
    finally:
        again.stop()


def test_a_bad_ttl_is_wrong_usage(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["serve", "--base-port", "0", "--world-ttl", "soon"]) == 2
    assert "--world-ttl: " in capsys.readouterr().err
    assert main(["serve", "--base-port", "0", "--world-ttl", "PT0S"]) == 2
    assert "at least one second" in capsys.readouterr().err
