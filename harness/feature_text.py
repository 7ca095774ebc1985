"""Feature files as text: UTF-8, with or without a byte order mark (editors on Windows write one).

behave reads a feature file as plain UTF-8, so a BOM stays at the start of the first line and the
file is "No feature found". ``accept_bom`` makes behave's ``parse_file`` (which its runner, the
plan and the steps catalog call) read the file as ``utf-8-sig``: a BOM is dropped, anything else
is read as before, and a file that is not UTF-8 still raises ``UnicodeDecodeError``.
"""

from __future__ import annotations

from typing import Any


def accept_bom() -> None:
    """Install the BOM-tolerant ``behave.parser.parse_file`` (once; idempotent)."""
    from behave import parser

    if getattr(parser.parse_file, "accepts_bom", False):
        return

    def parse_file(filename: str, language: str | None = None) -> Any:
        with open(filename, "rb") as file:
            data = file.read()
        return parser.parse_feature(data.decode("utf-8-sig"), language, filename)

    parse_file.accepts_bom = True  # type: ignore[attr-defined]
    parser.parse_file = parse_file
