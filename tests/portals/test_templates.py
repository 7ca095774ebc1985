"""Every text a template or a page module asks the catalog for exists in all three languages."""

from __future__ import annotations

import re
from pathlib import Path

from portals.backend.messages import CATALOG

ROOT = Path(__file__).resolve().parents[2] / "portals"
KEY = re.compile(r"""\bt\(\s*['"]([a-z0-9_]+)['"]""")


def test_every_literal_catalog_key_exists() -> None:
    used: dict[str, str] = {}
    for path in [*ROOT.rglob("*.html"), *ROOT.rglob("*.py")]:
        for key in KEY.findall(path.read_text(encoding="utf-8")):
            used.setdefault(key, str(path.relative_to(ROOT)))
    assert len(used) > 50  # the scan finds the templates' keys
    missing = {
        k: where for k, where in used.items() if k not in CATALOG and not k.endswith("_")
    }  # "role_" ~ …
    assert not missing, missing
    assert all(len(texts) == 3 and all(texts) for texts in CATALOG.values())
