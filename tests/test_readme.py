"""The README's examples run as written: the backend snippet, executed in an empty directory, and
the pytest example, copied into a folder of its own and run by pytest in a subprocess with the
plugin the package installs. So neither can rot or lean on files and accounts it does not define."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def snippet(heading: str) -> str:
    """The first ``python`` code block under a README heading (``## The backend``)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(f"\n{heading}\n", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, f"expected a python block under {heading!r}, found none"
    return match.group(1)


@pytest.mark.rule("R-AZ-05", "R-AZ-06", "R-SFB-03", "D2")
def test_the_backend_snippet_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no seed file lies around to be read
    names: dict[str, Any] = {}
    exec(compile(snippet("## The backend"), "README.md: The backend", "exec"), names)
    world = names["world"]
    # the seeds' flow as the snippet's comments tell it (R-PC-06, R-SFB-03, R-AZ-05, R-AZ-06)
    assert names["refusal"].code == "AccessIdAlreadyAssociated"
    assert names["refusal"].message() == (
        "This Access ID is already associated with an account. Please contact your Technical Account "
        "Manager to get a new Access ID."
    )
    assert [p.contract_id for p in names["plans"]] == [names["view"].contract_id]
    assert names["request"].plan == names["view"].contract_id
    assert world.now.isoformat() == "2021-03-07T09:00:00+00:00"  # the default start + 3 days (D2)


def test_the_readme_pytest_example_runs_as_written(tmp_path: Path) -> None:
    example = snippet("### pytest plugin")
    assert "def test_" in example and "..." not in example
    (tmp_path / "test_example.py").write_text(example, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_example.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^1 passed", done.stdout.strip().splitlines()[-1]), done.stdout


def test_the_plugin_docstring_shows_a_world_with_its_accounts() -> None:
    """The plugin's own example names the accounts it uses (the default world is empty)."""
    import harness.pytest_plugin

    doc = harness.pytest_plugin.__doc__ or ""
    assert "world_document" in doc and "admin@contoso.com" in doc


def code_blocks(heading: str, language: str) -> list[str]:
    """Every ``language`` code block of one README section (up to the next ``## `` heading)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", section, re.S)


@pytest.fixture(scope="module")
def served() -> Any:
    """The portals served live with the seed the API examples name, as ``portal-harness serve
    --seed docs/walkthrough/api-seed.yaml`` serves them (its accounts in the ``default`` world)."""
    from harness.stack import PortalStack
    from portals.backend import WorldRegistry, load_document_file

    registry = WorldRegistry(load_document_file(ROOT / "docs" / "walkthrough" / "api-seed.yaml"))
    with PortalStack("live", registry=registry) as stack:
        yield stack


def on_stack(code: str, stack: Any) -> str:
    """A README example with the served ports (8404, 8405) replaced by the stack's own."""
    return code.replace("http://127.0.0.1:8404", stack.url("azure_management", "")).replace(
        "http://127.0.0.1:8405", stack.url("partner_center_api", "")
    )


def test_the_partner_center_rest_examples_run_as_written(served: Any) -> None:
    heading = "## Partner Center REST (/v1)"
    (curl,) = code_blocks(heading, "sh")
    done = subprocess.run(
        ["bash", "-c", on_stack(curl, served).replace(".venv/bin/python", sys.executable)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    created = json.loads(done.stdout)
    assert created["title"] == "TrialSR" and created["supportTopicName"] == "Cannot manage my profile", (
        created
    )
    (python,) = code_blocks(heading, "python")
    names: dict[str, Any] = {}
    exec(compile(on_stack(python, served), "README.md: Partner Center REST", "exec"), names)
    assert names["created"].status == "open", f"expected open, found {names['created'].status}"
    listed = [r.id for r in names["client"].getvversionservicerequestsfilterfilter.value("1").items]
    assert listed == [created["id"], names["created"].id], f"found {listed}"


def test_the_azure_support_sdk_example_runs_as_written(served: Any) -> None:
    (python,) = code_blocks("## Azure Support API (Microsoft.Support 2024-04-01 and 2020-04-01)", "python")
    names: dict[str, Any] = {}
    exec(compile(on_stack(python, served), "README.md: Azure Support API", "exec"), names)
    created = names["created"]
    assert (created.name, created.status) == ("my-ticket", "Open"), f"found {created.name}, {created.status}"
    assert [t.name for t in names["client"].support_tickets.list()] == ["my-ticket"]
