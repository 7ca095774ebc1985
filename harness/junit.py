"""JUnit XML as behave writes it (``TESTS-<feature file>.xml``, one ``<testsuite>`` per feature),
merged: a feature whose scenarios ran in several processes or shards becomes one suite again, its
counts and time summed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable
from pathlib import Path

COUNTS = ("tests", "errors", "failures", "skipped")


def readable_name(name: str) -> str:
    """behave's file name for a feature outside its folder, ``TESTS-......tmp.x.my.xml`` (each
    ``../`` a pair of dots), as ``TESTS-tmp.x.my.xml``: the feature's path from the root."""
    return re.sub(r"^TESTS-\.+", "TESTS-", name)


def merge(folders: Iterable[Path], out: Path) -> list[Path]:
    """Every ``*.xml`` of ``folders`` into ``out``, files of the same name merged; returns the files
    written. Unreadable files are skipped (a process that crashed leaves half a file)."""
    suites: dict[str, ElementTree.Element] = {}
    for folder in folders:
        for path in sorted(folder.glob("*.xml")):
            try:
                root = ElementTree.parse(path).getroot()
            except (ElementTree.ParseError, OSError):
                continue
            name = readable_name(path.name)
            current = suites.get(name)
            if current is None:
                suites[name] = root
                continue
            for name in COUNTS:
                total = int(current.get(name, "0")) + int(root.get(name, "0"))
                current.set(name, str(total))
            time = float(current.get("time", "0")) + float(root.get("time", "0"))
            current.set("time", str(round(time, 6)))
            current.extend(list(root))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, suite in sorted(suites.items()):
        path = out / name
        ElementTree.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)
        written.append(path)
    return written
