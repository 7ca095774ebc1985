"""``portal-harness report merge DIR... [--out DIR]``: the reports of a run's shards (each from
``portal-harness run --shard I/N``, on one CI machine) as one run's reports: ``cucumber.json``,
``junit/``, the rule matrix, ``durations.json``, the failure artifacts and ``report.html``.

A shard alone cannot judge "every rule ID has a scenario"; the merge judges the whole: when the
shards are all N of one full run (same cut, same selection), the matrix lists every rule and fails
on one with no scenario, as a single full run would.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from harness import cucumber, junit
from harness import matrix as rule_matrix
from harness.runner import RunResult, read_failure_files, resolve_run, summary


class MergeError(ValueError):
    """Shards that do not make one run: said in one line."""


def _run_info(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise MergeError(f"{folder}: no run.json (not a folder written by portal-harness run)") from None
    return data if isinstance(data, dict) else {}


def check_shards(infos: list[tuple[Path, dict[str, Any]]]) -> bool:
    """Whether the folders are the complete shards of one full run; raises when they are shards
    of different cuts or selections, or when one is missing or given twice."""
    shards = [(folder, info) for folder, info in infos if info.get("shard")]
    if not shards:
        return all(info.get("full") for _, info in infos) and len(infos) == 1
    if len(shards) != len(infos):
        raise MergeError("some folders are shards and some are not: merge the shards of one run")
    totals = {int(str(info["shard"]).split("/")[1]) for _, info in shards}
    plans = {info.get("plan") for _, info in shards}
    selections = {json.dumps([info.get("tags"), info.get("paths")]) for _, info in shards}
    if len(totals) != 1 or len(selections) != 1:
        raise MergeError("the folders are shards of different runs (their --shard N or selection differ)")
    if len(plans) != 1:
        raise MergeError(
            "the shards were cut differently (each machine read other durations): "
            "give every shard the same --durations file"
        )
    total = totals.pop()
    indexes = sorted(int(str(info["shard"]).split("/")[0]) for _, info in shards)
    if indexes != list(range(1, total + 1)):
        missing = sorted(set(range(1, total + 1)) - set(indexes))
        twice = sorted({i for i in indexes if indexes.count(i) > 1})
        problem = f"shard(s) {twice} given twice" if twice else f"missing shard(s) {missing}"
        raise MergeError(f"{problem} of {total}: a merge judges the whole run")
    first = shards[0][1]
    return not (first.get("tags") or first.get("paths") or first.get("rerun"))


def _copy_artifacts(folder: Path, out: Path) -> dict[str, list[str]]:
    """Copy a shard's failure artifacts (har/, ui/) into ``out``; their index, with paths in ``out``."""
    files = read_failure_files(folder / "failures")
    moved: dict[str, list[str]] = {}
    for location, paths in files.items():
        for name in paths:
            source = Path(name)
            if not source.is_absolute():
                source = folder / source if (folder / source).exists() else Path.cwd() / source
            target = out / source.parent.name / source.name
            if source.is_file() and source.resolve() != target.resolve():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
            moved.setdefault(location, []).append(str(target))
    return moved


def check_out(folders: list[Path], out: Path) -> None:
    """``--out`` may not be one of the merged folders, inside one, or hold one (the merge would
    write over what it reads), nor a file; ``MergeError`` says which."""
    if out.exists() and not out.is_dir():
        raise MergeError(f"--out {out}: a file, not a folder")
    target = out.resolve()
    for folder in folders:
        source = folder.resolve()
        if target == source:
            problem = "is"
        elif target.is_relative_to(source):
            problem = "is inside"
        elif source.is_relative_to(target):
            problem = "holds"
        else:
            continue
        raise MergeError(
            f"--out {out} {problem} the merged folder {folder}: the merge would write over what it "
            "reads; give another --out folder"
        )


def merge_reports(folders: list[Path], out: Path) -> tuple[str, bool]:
    """Merge the run folders into ``out``; the summary text and whether the merged run passed.
    Raises ``MergeError`` (wrong usage) for folders that are not one run's shards and for an
    ``out`` that overlaps them or cannot be made; ``OSError`` when writing fails."""
    from harness.html_report import RunInfo, render

    folders = [resolve_run(folder) for folder in folders]
    check_out(folders, out)
    for folder in folders:
        if not (folder / "cucumber.json").is_file():
            raise MergeError(f"{folder}: no cucumber.json (not a folder written by portal-harness run)")
    infos = [(folder, _run_info(folder)) for folder in folders]
    full = check_shards(infos)
    for folder, info in infos:
        if info.get("units") and not cucumber.scenarios(cucumber.read(folder / "cucumber.json")):
            raise MergeError(f"{folder}: the shard reported no scenario (behave could not run there)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise MergeError(f"--out {out}: cannot be created ({error.strerror})") from None
    features = cucumber.merge([cucumber.read(folder / "cucumber.json") for folder in folders])
    cucumber.write(features, out / "cucumber.json")
    junit.merge([folder / "junit" for folder in folders], out / "junit")
    files: dict[str, list[str]] = {}
    for folder in folders:
        for location, paths in _copy_artifacts(folder, out).items():
            files.setdefault(location, []).extend(paths)
    if files:
        (out / "failures").mkdir(exist_ok=True)
        for number, (location, paths) in enumerate(sorted(files.items())):
            entry = {"location": location, "files": paths}
            (out / "failures" / f"{number}.json").write_text(json.dumps(entry, indent=1), encoding="utf-8")
    scenarios = cucumber.scenarios(features)
    scope = "" if full else "merged folders: " + ", ".join(str(f) for f in folders)
    matrix = rule_matrix.build(scenarios, full, scope)
    seconds = max((float(info.get("seconds", 0)) for _, info in infos), default=0.0)
    result = RunResult(
        scenarios=scenarios,
        returncodes=[0],
        seconds=seconds,
        files=files,
        features=features,
    )
    text, ok = summary(result, matrix)
    rule_matrix.write(matrix, out)
    (out / "durations.json").write_text(
        json.dumps(cucumber.durations(features), indent=1, sort_keys=True), encoding="utf-8"
    )
    merged_info = {
        "merged": [str(folder) for folder in folders],
        "full": full,
        "passed": ok,
        "seconds": seconds,
    }
    (out / "run.json").write_text(json.dumps(merged_info, indent=1), encoding="utf-8")
    details = [("merged", f"{len(folders)} report folder(s)"), ("slowest shard", f"{seconds:.1f} s")]
    render(
        features,
        matrix,
        files,
        RunInfo("portal-harness acceptance run (merged)", text.strip().splitlines()[-1], ok, details),
        out / "report.html",
    )
    return text, ok
