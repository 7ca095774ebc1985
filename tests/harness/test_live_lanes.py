"""Live mode's two lanes of worker threads (``harness.live``): a fault rule's latency holds a
portal-lane thread while it sleeps, and neither the control API, the dashboard nor other worlds wait
for it. The tests assert ordering (what answered while the slow requests were still in flight),
not a time threshold."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import requests

from harness.live import LiveServers, is_control_lane
from harness.stack import PortalStack
from portals.web.wire import WORLD_HEADER

LATENCY_MS = 4000  # long enough for every check below to run while the slow requests sleep


@pytest.fixture
def stack_of() -> Iterator[type[PortalStack]]:
    started: list[PortalStack] = []

    def make(**options: object) -> PortalStack:
        stack = PortalStack("live", **options).start()  # type: ignore[arg-type]
        started.append(stack)
        return stack

    yield make  # type: ignore[misc]
    for stack in started:
        stack.stop()


class SlowRequests:
    """``count`` requests to a world whose fault rule sleeps ``LATENCY_MS`` first, each in its own
    thread; ``finished`` counts those that got their answer."""

    def __init__(self, stack: PortalStack, world: str, count: int) -> None:
        self.stack, self.world, self.count = stack, world, count
        self.finished = 0
        self._lock = threading.Lock()
        stack.new_world(name=world)
        rule = {"portal": "*", "path": "/api/*", "latency_ms": LATENCY_MS}
        made = requests.post(f"{stack.urls['azure']}/_harness/worlds/{world}/faults", json=rule, timeout=10)
        assert made.status_code == 201, f"expected 201 for the fault rule, found {made.status_code}"
        self.threads = [threading.Thread(target=self._one, daemon=True) for _ in range(count)]

    def _one(self) -> None:
        url = f"{self.stack.urls['azure']}/api/products"
        requests.get(url, headers={WORLD_HEADER: self.world}, timeout=60)
        with self._lock:
            self.finished += 1

    def start_and_wait_until_sleeping(self) -> None:
        """Start them, and return once the rule has been hit ``count`` times (every one asleep)."""
        for thread in self.threads:
            thread.start()
        hits = 0
        deadline = time.monotonic() + LATENCY_MS / 1000 / 2
        while time.monotonic() < deadline:
            url = f"{self.stack.urls['azure']}/_harness/worlds/{self.world}/faults"
            listed = requests.get(url, timeout=10)
            hits = listed.json()["value"][0]["hits"]
            if hits >= self.count:
                return
            time.sleep(0.02)
        raise AssertionError(f"expected {self.count} requests asleep in the fault's latency, found {hits}")

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=30)


def test_control_api_and_dashboard_answer_while_every_portal_thread_sleeps_in_a_fault(stack_of) -> None:
    stack = stack_of(threads=3)
    slow = SlowRequests(stack, "slow", 3)  # every portal-lane thread held
    slow.start_and_wait_until_sleeping()
    health = requests.get(f"{stack.urls['partner_center']}/_harness/health", timeout=10)
    dashboard = requests.get(f"{stack.urls['support_for_business']}/_harness/dashboard/slow", timeout=10)
    icon = requests.get(f"{stack.urls['azure']}/favicon.ico", timeout=10)
    still_sleeping = slow.count - slow.finished
    assert (health.status_code, dashboard.status_code, icon.status_code) == (200, 200, 200), (
        f"expected health, the dashboard and the icon to answer 200, found "
        f"{health.status_code}, {dashboard.status_code}, {icon.status_code}"
    )
    assert still_sleeping == slow.count, (
        f"expected them to answer while all {slow.count} slow requests were in flight, "
        f"found {slow.finished} finished first"
    )
    slow.join()
    assert slow.finished == slow.count, f"expected {slow.count} slow requests answered, found {slow.finished}"


def test_a_latency_fault_in_one_world_does_not_stall_another_world(stack_of) -> None:
    stack = stack_of()  # the default pool
    slow = SlowRequests(stack, "slow", 10)  # the reviewer's case: 10 requests under a long latency
    slow.start_and_wait_until_sleeping()
    other = stack.new_world(name="other")
    url = f"{stack.urls['azure']}/api/products"
    answer = requests.get(url, headers={WORLD_HEADER: other.name}, timeout=10)
    still_sleeping = slow.count - slow.finished
    assert answer.status_code == 200, f"expected the other world's products (200), found {answer.status_code}"
    assert still_sleeping == slow.count, (
        f"expected the other world to answer while all {slow.count} slow requests were in flight, "
        f"found {slow.finished} finished first"
    )
    slow.join()


def test_the_lanes_and_their_sizes() -> None:
    control = ("/_harness/health", "/_harness/", "/_static/portal.css")
    assert [is_control_lane(path) for path in control] == [True] * 3
    assert is_control_lane("/favicon.ico") and not is_control_lane("/api/products")
    assert not is_control_lane("/help-support/plans") and not is_control_lane("/")
    with pytest.raises(ValueError, match="threads must be 1 or more"):
        LiveServers({}, threads=0)
