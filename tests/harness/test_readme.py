"""The README's pytest example runs as written: copied out of the README into a folder of its own
and run by pytest in a subprocess, with the plugin the package installs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def readme_example(section: str) -> str:
    """The first ``python`` code block after the heading ``section``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    after = text[text.index(f"\n{section}\n") :]
    match = re.search(r"```python\n(.*?)```", after, re.S)
    assert match, f"expected a python block under {section!r}, found none"
    return match.group(1)


def test_the_readme_pytest_example_runs_as_written(tmp_path: Path) -> None:
    example = readme_example("### pytest plugin")
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
