"""What ``pip install portal-harness`` brings: what a pytest user needs, not behave or Playwright
(the ``suite`` and ``browser`` extras); without them the plugin, serve and the world verbs work,
and ``run`` and ``steps`` say what to install."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Imports of behave and Playwright fail, as in an environment without the extras.
WITHOUT_EXTRAS = """
import sys
class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("behave", "playwright", "parse", "parse_type"):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return None
sys.meta_path.insert(0, Blocker())
"""


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_EXTRAS + code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_runtime_dependencies_are_what_a_pytest_user_needs() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {dep.split(">")[0].split("=")[0].split("<")[0].strip().lower() for dep in project["dependencies"]}
    assert {"flask", "requests", "responses", "pyyaml", "pydantic", "waitress"} <= names
    assert not names & {"behave", "playwright"}
    extras = project["optional-dependencies"]
    assert any(dep.startswith("behave") for dep in extras["suite"])
    assert any(dep.startswith("playwright") for dep in extras["browser"])
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --disable-pip-version-check -e '.[dev,suite,browser]'" in makefile


def test_the_stack_plugin_and_cli_work_without_the_extras() -> None:
    done = _python(
        """
import harness.pytest_plugin, harness.cli, harness.merge  # report merge needs no extra either
from harness.stack import PortalStack
with PortalStack("inprocess") as stack:
    world = stack.new_world(document={"organisations": [{"id": "contoso", "membership": "gold"}],
                                      "accounts": [{"upn": "admin@contoso.com", "organisation": "contoso",
                                                    "roles": ["global_admin"]}]})
    print(stack.clients(world, "admin@contoso.com").pc.technical_benefits().membership)
"""
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "gold"


def test_run_and_steps_say_what_to_install_without_behave() -> None:
    run = _python("from harness.cli import main; sys.exit(main(['run']))")
    assert run.returncode == 2
    assert run.stderr.strip() == (
        "portal-harness run needs behave, the acceptance suite's extra: "
        "pip install -e '.[suite]' (make setup installs it)"
    )
    steps = _python("from harness.cli import main; sys.exit(main(['steps']))")
    assert steps.returncode == 2
    assert "pip install -e '.[suite]'" in steps.stderr
