"""The README's backend snippet runs as written: extracted from the README and executed in an empty
directory, so it cannot rot or lean on files and accounts it does not define."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def snippet(heading: str) -> str:
    """The first ``python`` code block under a README ``##`` heading."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, f"no python block under {heading}"
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
