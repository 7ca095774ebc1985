"""``serve --state-file x.sqlite`` under fire: concurrent writers (support requests in two portals,
plan purchases and links, clock moves, world creates and drops), ``kill -9`` at a random moment,
restart, and every write the server acknowledged (a 2xx answer) must be there. Writes that were
not acknowledged may or may not be.

Rounds: ``PORTAL_HARNESS_KILL_ROUNDS`` (default 3, what ``make test`` runs); ``make kill-test
ROUNDS=200`` runs the long version. ``PORTAL_HARNESS_KILL_SEED`` repeats a run's kill moments.
"""

from __future__ import annotations

import os
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from serving import TIMEOUT, Server

from portals.web.tokens import mint_token

ROUNDS = int(os.environ.get("PORTAL_HARNESS_KILL_ROUNDS", "3"))
KILL_SEED = int(os.environ.get("PORTAL_HARNESS_KILL_SEED", str(random.randrange(1 << 30))))

#: A Gold partner with a cloud competency (unlimited cloud incidents), activated, whose Global admin
#: buys Premier (unlimited on-premises and cloud) before the writers start, so no write is refused
#: for want of incidents however many rounds run.
SEED: dict[str, Any] = {
    "world": {"activation_delay": "P0D"},
    "organisations": [
        {
            "id": "contoso",
            "name": "Contoso",
            "membership": "gold",
            "competencies": [{"name": "Cloud Platform", "level": "gold"}],
            "activated": True,
        }
    ],
    "accounts": [
        {"upn": "admin@contoso.com", "organisation": "contoso", "roles": ["global_admin"]},
        {"upn": "user@contoso.com", "organisation": "contoso"},
    ],
}
ADMIN, USER = "admin@contoso.com", "user@contoso.com"


@dataclass
class Acknowledged:
    """What the server answered 2xx to, and what it was asked (so a round that wrote nothing fails)."""

    requests: dict[str, set[str]] = field(default_factory=dict)  # world -> request numbers
    contracts: dict[str, set[str]] = field(default_factory=dict)  # world -> purchased Contract IDs
    links: set[tuple[str, str]] = field(default_factory=set)  # (world, contract_id) linked by USER
    clock: dict[str, str] = field(default_factory=dict)  # world -> latest "now" answered
    created: set[str] = field(default_factory=set)
    dropped: set[str] = field(default_factory=set)
    attempts: int = 0
    errors: list[str] = field(default_factory=list)  # answers no writer expected
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self) -> int:
        return (
            sum(map(len, self.requests.values()))
            + sum(map(len, self.contracts.values()))
            + len(self.links)
            + len(self.clock)
            + len(self.created)
        )


def _headers(upn: str, world: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(upn)}", "X-Harness-World": world}


def _ok(answer: requests.Response, *statuses: int) -> bool:
    return answer.status_code in statuses


def _writers(
    urls: dict[str, str], worlds: list[str], round_: int, seen: Acknowledged
) -> list[Callable[[], None]]:
    """One step of each kind of writer; each records only what was acknowledged."""
    sfb, azure, pc = urls["support_for_business"], urls["azure"], urls["partner_center"]
    control = urls["azure"] + "/_harness"
    created = iter(range(1_000_000))

    def support_request(world: str, portal: str) -> Callable[[requests.Session], None]:
        url, product = (sfb, "windows-10") if portal == "sfb" else (azure, "app-service")

        def step(session: requests.Session) -> None:
            body = {"product": product, "title": "kill test", "description": "-"}
            path = "/api/requests" if portal == "sfb" else "/api/supportrequests"
            answer = session.post(url + path, json=body, headers=_headers(ADMIN, world), timeout=TIMEOUT)
            assert _ok(answer, 201), answer.text
            with seen.lock:
                seen.requests.setdefault(world, set()).add(answer.json()["id"])

        return step

    def purchase_and_link(world: str) -> Callable[[requests.Session], None]:
        def step(session: requests.Session) -> None:
            bought = session.post(
                pc + "/api/supportplans/purchase",
                json={"offer": "advanced"},
                headers=_headers(ADMIN, world),
                timeout=TIMEOUT,
            )
            assert _ok(bought, 201), bought.text
            ids = bought.json()
            with seen.lock:
                seen.contracts.setdefault(world, set()).add(ids["contract_id"])
            linked = session.post(
                azure + "/api/supportplans/link",
                json={"access_id": ids["access_id"], "contract_id": ids["contract_id"]},
                headers=_headers(USER, world),
                timeout=TIMEOUT,
            )
            assert _ok(linked, 201), linked.text
            with seen.lock:
                seen.links.add((world, ids["contract_id"]))

        return step

    def clock(world: str) -> Callable[[requests.Session], None]:
        def step(session: requests.Session) -> None:
            answer = session.post(
                f"{control}/worlds/{world}/clock/advance", json={"by": "PT1M"}, timeout=TIMEOUT
            )
            assert _ok(answer, 200), answer.text
            with seen.lock:  # the clock only moves forward: the latest answer is the largest
                seen.clock[world] = max(seen.clock.get(world, ""), answer.json()["now"])

        return step

    def create_world(session: requests.Session) -> None:
        name = f"made-{round_}-{next(created)}"
        answer = session.post(f"{control}/worlds", json={"name": name}, timeout=TIMEOUT)
        assert _ok(answer, 201), answer.text
        with seen.lock:
            seen.created.add(name)

    first, second = worlds
    return [
        support_request(first, "sfb"),
        support_request(first, "azure"),
        support_request(second, "azure"),
        purchase_and_link(first),
        clock(first),
        clock(second),
        create_world,
    ]


def _run_until(stop: threading.Event, step: Callable[[requests.Session], None], seen: Acknowledged) -> None:
    session = requests.Session()
    session.trust_env = False
    while not stop.is_set():
        with seen.lock:
            seen.attempts += 1
        try:
            step(session)
        except requests.RequestException:
            return  # the server is gone: what it answered before is all that counts
        except AssertionError as error:
            with seen.lock:
                seen.errors.append(str(error))
            return


def _prepare(urls: dict[str, str], round_: int, seen: Acknowledged) -> list[str]:
    """Drop every world but ``default`` (acknowledged drops must stay dropped), make this round's
    two worlds and buy Premier in each."""
    control = urls["azure"] + "/_harness"
    listed = requests.get(f"{control}/worlds", timeout=TIMEOUT).json()["value"]
    for name in [w["name"] for w in listed if w["name"] != "default"]:
        answer = requests.delete(f"{control}/worlds/{name}", timeout=TIMEOUT)
        assert answer.status_code == 204, f"expected 204 dropping {name}, found {answer.status_code}"
        seen.dropped.add(name)
    worlds = [f"round-{round_}-a", f"round-{round_}-b"]
    for name in worlds:
        document = {**SEED, "world": {**SEED["world"], "seed": name}}
        answer = requests.post(
            f"{control}/worlds", json={"name": name, "document": document}, timeout=TIMEOUT
        )
        assert answer.status_code == 201, f"expected 201 creating {name}, found {answer.status_code}"
        bought = requests.post(
            urls["partner_center"] + "/api/supportplans/purchase",
            json={"offer": "premier"},
            headers=_headers(ADMIN, name),
            timeout=TIMEOUT,
        )
        assert bought.status_code == 201, f"expected 201 buying Premier, found {bought.status_code}"
        seen.created.add(name)
    return worlds


def _check(urls: dict[str, str], seen: Acknowledged) -> None:
    """Every acknowledged write is in the restarted server."""
    control = urls["azure"] + "/_harness"
    names = {w["name"] for w in requests.get(f"{control}/worlds", timeout=TIMEOUT).json()["value"]}
    missing = sorted(seen.created - names)
    assert not missing, f"expected every acknowledged world create to survive, missing {missing}"
    back = sorted(seen.dropped & names)
    assert not back, f"expected every acknowledged drop to stay dropped, found {back}"
    for world in set(seen.requests) | set(seen.contracts) | set(seen.clock):
        state = requests.get(f"{control}/worlds/{world}/snapshot", timeout=TIMEOUT).json()["state"]
        lost = sorted(seen.requests.get(world, set()) - set(state["requests"]))
        assert not lost, f"{world}: expected every acknowledged request, missing {lost}"
        numbers = [int(number[6:]) for number in seen.requests.get(world, ())]
        counter = state["counters"].get("request", 0)
        assert counter >= max(numbers, default=0), (
            f"{world}: expected the request counter at {max(numbers)} or more, found {counter}"
        )
        lost = sorted(seen.contracts.get(world, set()) - set(state["contracts"]))
        assert not lost, f"{world}: expected every acknowledged purchase, missing {lost}"
        linked = {(world, a["contract_id"]) for a in state["associations"] if a["upn"] == USER}
        lost = sorted(c for w, c in seen.links if w == world and (w, c) not in linked)
        assert not lost, f"{world}: expected every acknowledged link of {USER}, missing {lost}"
        if world in seen.clock:
            now = state["now"].replace("+00:00", "Z")
            assert now >= seen.clock[world], (
                f"{world}: expected the clock at {seen.clock[world]} or later, found {now}"
            )


def test_every_acknowledged_write_survives_kill_9(tmp_path: Path) -> None:
    state = tmp_path / "x.sqlite"
    chance = random.Random(KILL_SEED)
    server = Server(state)
    total = 0
    try:
        for round_ in range(ROUNDS):
            seen = Acknowledged()
            worlds = _prepare(server.urls, round_, seen)
            stop = threading.Event()
            threads = [
                threading.Thread(target=_run_until, args=(stop, step, seen), daemon=True)
                for step in _writers(server.urls, worlds, round_, seen)
            ]
            for thread in threads:
                thread.start()
            stop.wait(chance.uniform(0.1, 0.8))  # kill at a random moment, writes in flight
            server.kill()
            stop.set()
            for thread in threads:
                thread.join(timeout=TIMEOUT)
            server = Server(state)
            assert "restored" in server.output, server.output
            assert not seen.errors, f"round {round_}: writers got answers they did not expect: {seen.errors}"
            _check(server.urls, seen)
            assert seen.count() > len(worlds), (
                f"round {round_} (seed {KILL_SEED}): expected writes acknowledged before the kill, "
                f"found {seen.count()} of {seen.attempts} attempts"
            )
            total += seen.count()
    finally:
        if server.process.poll() is None:
            server.stop()
    print(f"{ROUNDS} round(s), {total} acknowledged writes kept (kill seed {KILL_SEED})")


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
