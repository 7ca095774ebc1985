"""What a run runs: the scenarios of the feature files (a scenario outline stays one unit, all its
examples together), kept by the tag expression, cut into shards for CI machines and into groups
for ``--jobs`` processes, each balanced by the seconds earlier runs recorded for its scenarios
(``durations.json`` in a run's reports), or by counting scenarios when no run recorded them.

Balancing is deterministic (longest first, each unit to the least loaded part, ties by position),
so every machine given the same files and durations cuts the same shards.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.cucumber import example_fields, identity


class PlanError(ValueError):
    """Feature files that cannot be read or parsed, or a bad ``--shard``: said in one line."""


@dataclass
class Unit:
    """A scenario, or a scenario outline with all its examples: run whole, on one machine."""

    path: str  # the feature file, as behave is given it
    line: int  # the line of its Scenario / Scenario Outline keyword
    name: str
    scenario_lines: list[int]  # each scenario it runs (an outline: each example row)
    tags: list[list[str]] = field(default_factory=list)  # each scenario's effective tags
    #: Each scenario's identity (``harness.cucumber.identity``): how a rerun finds it, lines aside.
    identities: list[str] = field(default_factory=list)

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"

    def locations(self) -> list[str]:
        return [f"{self.path}:{line}" for line in self.scenario_lines]


def feature_files(root: Path, paths: Sequence[str] | None = None) -> list[Path]:
    """The feature files under ``paths`` (files or folders; default ``root/features``)."""
    targets = [Path(p) for p in paths] if paths else [root / "features"]
    files: list[Path] = []
    for target in targets:
        if target.is_dir():
            files.extend(sorted(target.rglob("*.feature")))
        elif target.is_file():
            files.append(target)
        else:
            raise PlanError(f"{target}: no such feature file or folder")
    if not files:
        raise PlanError(f"no feature files in {', '.join(map(str, targets))}")
    return files


def split_location(text: str) -> tuple[str, list[int]]:
    """A path as given: ``x.feature:16`` (behave's and the failure lists' form; ``:16:30`` for
    several lines) as (``x.feature``, [16]); a path that exists as named, or has no line, as is."""
    match = re.fullmatch(r"(.+?)((?::\d+)+)", text)
    if match is None or Path(text).exists():
        return text, []
    return match.group(1), [int(line) for line in match.group(2)[1:].split(":")]


def at_lines(units: Sequence[Unit], path: str, lines: Sequence[int]) -> list[Unit]:
    """The units of ``path`` that ``lines`` point at, as behave reads ``file:line``: the scenario
    whose lines hold it (an outline whole, or one example row by its line). ``PlanError`` when a
    line is above the file's first scenario."""
    mine = [unit for unit in units if unit.path == path]
    chosen: list[Unit] = []
    for line in lines:
        before = [unit for unit in mine if unit.line <= line]
        if not before:
            raise PlanError(f"{path}:{line}: no scenario at or above line {line}")
        unit = before[-1]
        if line in unit.scenario_lines and unit.scenario_lines != [unit.line]:
            index = unit.scenario_lines.index(line)
            unit = Unit(unit.path, line, unit.name, [line], [unit.tags[index]], [unit.identities[index]])
        if all(unit.location != other.location for other in chosen):
            chosen.append(unit)
    return chosen


def units_of(files: Iterable[Path], shown: dict[Path, str] | None = None) -> list[Unit]:
    """Every scenario and scenario outline of ``files``, in file order."""
    from behave.model import ScenarioOutline
    from behave.parser import ParserError

    from harness.feature_text import accept_bom

    accept_bom()
    from behave.parser import parse_file  # the BOM-tolerant one

    units: list[Unit] = []
    for path in files:
        try:
            feature = parse_file(str(path))
        except ParserError as error:
            raise PlanError(f"{path}: cannot be parsed: {error}") from None
        except UnicodeDecodeError as error:
            line = error.object[: error.start].count(b"\n") + 1
            raise PlanError(
                f"{path}: cannot be parsed: not UTF-8 text (byte 0x{error.object[error.start]:02x} on "
                f"line {line}); save the feature file as UTF-8"
            ) from None
        except OSError as error:
            raise PlanError(f"{path}: cannot be read ({error.strerror})") from None
        if feature is None:
            continue
        name = (shown or {}).get(path, str(path))
        nth = occurrences(feature)
        in_outlines = {id(s) for outline in _outlines(feature) for s in outline.scenarios}
        for item in feature.walk_scenarios(with_outlines=True):
            if isinstance(item, ScenarioOutline):
                rows = item.scenarios
                units.append(
                    Unit(
                        name,
                        item.line,
                        item.name,
                        [s.line for s in rows],
                        [sorted(s.effective_tags) for s in rows],
                        [identity(s.name, example_of(item, s), nth[id(s)]) for s in rows],
                    )
                )
            elif id(item) not in in_outlines:
                units.append(
                    Unit(
                        name,
                        item.line,
                        item.name,
                        [item.line],
                        [sorted(item.effective_tags)],
                        [identity(item.name, None, nth[id(item)])],
                    )
                )
    return units


def occurrences(feature: Any) -> dict[int, int]:
    """Each scenario and example row of ``feature`` (by ``id``) with its occurrence among those of
    the same identity in the file, in file order: 1, or 2 for the second scenario of one name, so a
    rerun takes the one that failed (``harness.cucumber.identity``)."""
    from behave.model import ScenarioOutline

    seen: dict[str, int] = {}
    numbers: dict[int, int] = {}
    in_outlines = {id(s) for outline in _outlines(feature) for s in outline.scenarios}
    for item in feature.walk_scenarios(with_outlines=True):
        if isinstance(item, ScenarioOutline):
            keyed = [(s, identity(s.name, example_of(item, s))) for s in item.scenarios]
        elif id(item) not in in_outlines:
            keyed = [(item, identity(item.name))]
        else:
            continue
        for scenario, key in keyed:
            seen[key] = seen.get(key, 0) + 1
            numbers[id(scenario)] = seen[key]
    return numbers


def example_of(outline: Any, scenario: Any) -> dict[str, Any]:
    """An outline's example row (a behave ``Scenario`` the outline made) as Cucumber JSON names it
    (``harness.cucumber.example_fields``): the outline's name, its Examples' name, the row's values."""
    row = scenario._row
    examples = next(
        (e for e in outline.examples if e.table is not None and any(r is row for r in e.table.rows)), None
    )
    return example_fields(
        outline.name, examples.name if examples else "", list(row.headings), list(row.cells)
    )


def _outlines(feature: Any) -> list[Any]:
    from behave.model import ScenarioOutline

    return [i for i in feature.walk_scenarios(with_outlines=True) if isinstance(i, ScenarioOutline)]


def failed_units(
    units: Sequence[Unit], failed: Iterable[tuple[str, str]]
) -> tuple[list[Unit], list[tuple[str, str]]]:
    """The units to rerun for failed scenarios given as (feature file, identity), found by identity
    in the files as they are now, whatever lines moved: a scenario whole, an outline only for its
    failed example rows (each row a unit of its own). Also the failed scenarios found nowhere
    (renamed, removed, an example row changed)."""
    wanted = set(failed)
    matched: set[tuple[str, str]] = set()
    found: list[Unit] = []
    for unit in units:
        rows = zip(unit.scenario_lines, unit.tags, unit.identities, strict=True)
        hits = [(line, tags, key) for line, tags, key in rows if (unit.path, key) in wanted]
        matched.update((unit.path, key) for _, _, key in hits)
        if unit.scenario_lines == [unit.line] and hits:
            found.append(unit)
        else:
            found.extend(Unit(unit.path, line, unit.name, [line], [tags], [key]) for line, tags, key in hits)
    return found, [item for item in failed if item not in matched]


def select(units: list[Unit], tags: Sequence[str]) -> list[Unit]:
    """The units with at least one scenario the tag expressions keep (ANDed, as behave ANDs
    repeated ``--tags``)."""
    if not tags:
        return units
    from behave.tag_expression import make_tag_expression

    try:
        expression = make_tag_expression(list(tags))
    except Exception as error:  # behave's and cucumber's TagExpressionError, ValueError
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise PlanError(f"--tags {' --tags '.join(map(repr, tags))}: {first}") from None
    return [unit for unit in units if any(expression.check(t) for t in unit.tags)]


# --- durations -----------------------------------------------------------------------------------------
def read_durations(sources: Iterable[Path]) -> dict[str, float]:
    """Seconds per scenario location from ``durations.json`` files (or the run folders holding
    them), later sources overriding earlier ones. Unreadable ones are skipped."""
    found: dict[str, float] = {}
    for source in sources:
        path = source / "durations.json" if source.is_dir() else source
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            found.update({str(k): float(v) for k, v in data.items() if isinstance(v, int | float)})
    return found


def weights(units: Sequence[Unit], durations: dict[str, float]) -> list[float]:
    """Each unit's expected seconds: its scenarios' recorded durations; a scenario no run recorded
    counts as the median of those recorded, and with nothing recorded every scenario counts 1."""
    known = sorted(durations.values())
    typical = known[len(known) // 2] if known else 1.0
    if not durations:
        return [float(len(unit.scenario_lines)) for unit in units]
    return [sum(durations.get(loc, typical) for loc in unit.locations()) for unit in units]


def balance(units: Sequence[Unit], parts: int, durations: dict[str, float]) -> list[list[Unit]]:
    """``units`` in ``parts`` groups of about equal expected time, each group in file order."""
    parts = max(1, parts)
    loads = [0.0] * parts
    groups: list[list[tuple[int, Unit]]] = [[] for _ in range(parts)]
    order = sorted(enumerate(weights(units, durations)), key=lambda item: (-item[1], item[0]))
    for position, weight in order:
        target = min(range(parts), key=lambda index: (loads[index], index))
        loads[target] += weight
        groups[target].append((position, units[position]))
    return [[unit for _, unit in sorted(group, key=lambda item: item[0])] for group in groups]


def parse_shard(spec: str) -> tuple[int, int]:
    """``I/N`` (1-based) as (I, N)."""
    try:
        index, total = (int(part) for part in spec.split("/"))
    except ValueError:
        raise PlanError(f"--shard takes I/N such as 1/3, not {spec!r}") from None
    if not 1 <= index <= total:
        raise PlanError(f"--shard {spec}: I must be between 1 and N")
    return index, total


def digest(groups: Sequence[Sequence[Unit]]) -> str:
    """A short fingerprint of a cut into shards: shards of one run carry the same one."""
    text = "\n".join(f"{i}:{unit.location}" for i, group in enumerate(groups) for unit in group)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def behave_arguments(units: Sequence[Unit]) -> list[str]:
    """behave's location arguments: ``file:line`` for each unit, a file's locations side by side
    (behave runs a file once only when its locations follow each other)."""
    by_file: dict[str, list[int]] = {}
    for unit in units:
        by_file.setdefault(unit.path, []).append(unit.line)
    return [f"{path}:{line}" for path, lines in by_file.items() for line in sorted(lines)]
