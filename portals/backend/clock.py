"""D10: each world's clock. It never moves by itself: only the harness (or a test) moves it.

A frozen clock makes every scenario repeatable: "three days later" is an explicit step, not a sleep.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from portals.backend.errors import Refusal

#: Default start of a world's clock: the date of the seeds' article.
DEFAULT_START = datetime(2021, 3, 4, 9, 0, tzinfo=UTC)

_DURATION = re.compile(
    r"^(?P<sign>-)?P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


def parse_duration(text: str) -> timedelta:
    """An ISO-8601 duration (``P3D``, ``PT12H``, ``P1W``, ``-P1D``). A year is 365 days, a month 30."""
    match = _DURATION.match(text.strip()) if isinstance(text, str) else None
    if not match or text.strip() in ("P", "-P") or text.strip().endswith("T"):
        raise Refusal("InvalidInput", detail=f"{text!r} is not an ISO-8601 duration such as P3D or PT12H")
    parts = {k: float(v) for k, v in match.groupdict().items() if v and k != "sign"}
    delta = timedelta(
        days=parts.get("years", 0) * 365 + parts.get("months", 0) * 30 + parts.get("days", 0),
        weeks=parts.get("weeks", 0),
        hours=parts.get("hours", 0),
        minutes=parts.get("minutes", 0),
        seconds=parts.get("seconds", 0),
    )
    return -delta if match.group("sign") else delta


def format_duration(delta: timedelta) -> str:
    """The ISO-8601 form of a duration (days and seconds), inverse of ``parse_duration``."""
    sign = "-" if delta < timedelta(0) else ""
    delta = abs(delta)
    days, seconds = delta.days, delta.seconds + delta.microseconds / 1e6
    text = f"{sign}P{days}D" if days or not seconds else f"{sign}P"
    if seconds:
        text += f"T{seconds:g}S"
    return text


def parse_instant(value: str | datetime | date) -> datetime:
    """A point in time from ISO-8601 text or a date; naive values are taken as UTC."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            raise Refusal(
                "InvalidInput", detail=f"{value!r} is not an ISO-8601 date or time such as 2021-03-04"
            ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
