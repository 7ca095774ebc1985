"""``azure-mgmt-support`` 6.0.0, the SDK of api-version 2020-04-01, runs a create-heavy flow with its
default settings, in-process and live, and never waits.

7.x is the environment's own; 6.0.0 is installed beside it, in ``.venv/sdk/azure-mgmt-support-6.0.0``
(``make setup`` puts it there; this test does when it is missing), and runs in a process of its
own whose ``PYTHONPATH`` puts it first (``sdk6_flow.py``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SDK6 = ROOT / ".venv" / "sdk" / "azure-mgmt-support-6.0.0"
FLOW = Path(__file__).with_name("sdk6_flow.py")
PACKAGE = "azure-mgmt-support==6.0.0"


def sdk6() -> Path:
    """Where 6.0.0 is installed (installing it there first if it is missing)."""
    if not (SDK6 / "azure" / "mgmt" / "support" / "__init__.py").exists():
        installed = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(SDK6), PACKAGE],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert installed.returncode == 0, f"could not install azure-mgmt-support 6.0.0: {installed.stderr}"
    return SDK6


@pytest.mark.parametrize("mode", ["inprocess", "live"])
def test_azure_mgmt_support_6_runs_a_create_heavy_flow_with_default_settings(mode: str) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(sdk6()), str(ROOT)])}
    ran = subprocess.run(
        [sys.executable, str(FLOW), mode], capture_output=True, text=True, timeout=300, env=env, cwd=ROOT
    )
    assert ran.returncode == 0, f"expected the flow to run, found:\n{ran.stderr[-4000:]}"
    seen = json.loads(ran.stdout.strip().splitlines()[-1])
    assert seen["version"] == "6.0.0"
    assert "Web App (Windows)" in seen["services"] and "Billing" in seen["services"]
    assert seen["classification"] == "Connectivity" and seen["available"] is True
    assert seen["first"] == {
        "name": "old-1",
        "status": "Open",
        "severity": "moderate",
        "service": "Web App (Windows)",
        "plan_type": "SignatureCloudSupport",
        "sla_minutes": 240,
        "require24x7": False,
    }
    assert seen["quota"] == "EastUS"
    assert seen["tickets_in_world"] == 21 and seen["pages"] == [10, 10, 1]
    assert seen["closed"] == "Closed"
    assert seen["messages"] == [f"m{index}" for index in range(5)]
    assert seen["refusal"] == [400, "NoSupportPlan"]
    long_waits = [delay for delay in seen["sleeps"] if delay >= 1]
    assert long_waits == [], f"expected no wait of 1 s or more, found {seen['sleeps']}"
