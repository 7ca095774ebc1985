"""D10: each world's clock. It never moves by itself: only the harness (or a test) moves it.

A frozen clock makes every scenario repeatable: "three days later" is an explicit step, not a sleep.

Bounds: every instant a world takes (its clock, a seed's dates, a snapshot's, and every date an
operation makes: a contract's start and end, an association's, a request's) lies between
``EARLIEST`` (1970-01-01T00:00:00Z) and ``LATEST`` (9000-12-31T23:59:59Z), and every duration
(a clock move, the activation delay) is at most ``MAX_DURATION`` (100 years of 365 days). So the
backend's date arithmetic (now + delay + a 365-day term) stays far inside Python's years 1..9999,
and no input can make it overflow. ``within_bounds`` is the one test: input is read with it
(``check_instant``), operations check the dates they would make with it (``check_made``) before
changing anything, and a snapshot is checked with it, so a world never holds a date its own
snapshot would refuse.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta

from portals.backend.errors import Refusal

#: Default start of a world's clock: the date of the seeds' article.
DEFAULT_START = datetime(2021, 3, 4, 9, 0, tzinfo=UTC)
#: The earliest and latest instants a world takes.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 12, 31, 23, 59, 59, tzinfo=UTC)
#: The longest duration a world takes: 100 years of 365 days.
MAX_DURATION_DAYS = 36500
MAX_DURATION = timedelta(days=MAX_DURATION_DAYS)
_LONGEST = f"100 years (P{MAX_DURATION_DAYS}D)"
#: Longer texts are no duration; messages quote at most ``_QUOTED`` characters of a value.
_MAX_TEXT, _QUOTED = 1000, 64

_DURATION = re.compile(
    r"^(?P<sign>-)?P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


def parse_duration(text: str) -> timedelta:
    """An ISO-8601 duration (``P3D``, ``PT12H``, ``P1W``, ``-P1D``). A year is 365 days, a month 30.
    Raises ``InvalidInput`` for other text and for durations longer than ``MAX_DURATION``."""
    delta = read_duration(text)
    if delta is None:
        raise Refusal(
            "InvalidInput", detail=f"{_shown(text)} is not an ISO-8601 duration such as P3D or PT12H"
        )
    return delta


def read_duration(text: str) -> timedelta | None:
    """``parse_duration``, with None for text that is no ISO-8601 duration. Raises ``InvalidInput``
    for a duration longer than ``MAX_DURATION`` (either way)."""
    raw = text.strip() if isinstance(text, str) else ""
    match = _DURATION.match(raw) if len(raw) <= _MAX_TEXT else None
    if not match or raw in ("P", "-P") or raw.endswith("T"):
        return None
    parts = {k: float(v) for k, v in match.groupdict().items() if v and k != "sign"}
    days = (
        parts.get("years", 0) * 365
        + parts.get("months", 0) * 30
        + parts.get("weeks", 0) * 7
        + parts.get("days", 0)
        + (parts.get("hours", 0) + (parts.get("minutes", 0) + parts.get("seconds", 0) / 60) / 60) / 24
    )
    if not days <= MAX_DURATION_DAYS:  # also inf, from hundreds of digits
        raise Refusal("InvalidInput", detail=f"{_shown(text)} is longer than {_LONGEST}")
    delta = timedelta(
        days=parts.get("years", 0) * 365 + parts.get("months", 0) * 30 + parts.get("days", 0),
        weeks=parts.get("weeks", 0),
        hours=parts.get("hours", 0),
        minutes=parts.get("minutes", 0),
        seconds=parts.get("seconds", 0),
    )
    return -delta if match.group("sign") else delta


def duration_of_days(days: float) -> timedelta:
    """A number of days (D2's ``activation_delay: 3``) as a duration, from 0 to ``MAX_DURATION``.
    Raises ``InvalidInput`` for a negative, non-finite or too large number."""
    if isinstance(days, bool) or not isinstance(days, (int, float)) or not math.isfinite(days):
        raise Refusal("InvalidInput", detail=f"{_shown(days)} is not a finite number of days")
    if days < 0:
        raise Refusal("InvalidInput", detail=f"{days:g} days is less than zero")
    if days > MAX_DURATION_DAYS:
        raise Refusal("InvalidInput", detail=f"{days:g} days is longer than {_LONGEST}")
    return timedelta(days=days)


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
    """A point in time from ISO-8601 text or a date; naive values are taken as UTC. Raises
    ``InvalidInput`` for other text and for instants outside ``EARLIEST`` .. ``LATEST``."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        text = str(value).strip()
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            raise Refusal(
                "InvalidInput", detail=f"{_shown(value)} is not an ISO-8601 date or time such as 2021-03-04"
            ) from None
    try:
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except OverflowError:  # an offset that moves year 1 or 9999 out of Python's range
        raise Refusal("InvalidInput", detail=f"{_shown(value)} is not from {_RANGE}") from None
    return check_instant(moment)


_RANGE = "1970-01-01T00:00:00Z to 9000-12-31T23:59:59Z"


def within_bounds(moment: datetime) -> bool:
    """Whether ``moment`` is an aware instant from ``EARLIEST`` to ``LATEST``: the one test of the
    bounds, for input, for the dates operations make and for snapshots."""
    return moment.tzinfo is not None and EARLIEST <= moment <= LATEST


def check_instant(moment: datetime) -> datetime:
    """``moment`` (aware) if it lies between ``EARLIEST`` and ``LATEST``; raises ``InvalidInput``."""
    if not within_bounds(moment):
        raise Refusal("InvalidInput", detail=f"{format_instant(moment)} is not from {_RANGE}")
    return moment


def check_made(moment: datetime, what: str) -> datetime:
    """``moment``, a date an operation is about to make, if ``within_bounds``; ``what`` says what
    it would be (``"the contract would end"``). Raises ``InvalidInput`` ("the contract would end
    after 9000-12-31T23:59:59Z, the latest date a world takes (at 9001-06-01T00:00:00Z)"), so the
    operation is refused before it changes anything."""
    if not within_bounds(moment):
        side = "after" if moment.tzinfo is not None and moment > LATEST else "before"
        bound, which = (LATEST, "latest") if side == "after" else (EARLIEST, "earliest")
        raise Refusal(
            "InvalidInput",
            detail=f"{what} {side} {format_instant(bound)}, the {which} date a world takes "
            f"(at {format_instant(moment)})",
        )
    return moment


def format_instant(moment: datetime) -> str:
    """ISO-8601 with ``Z`` for UTC, as every answer writes instants."""
    return moment.isoformat().replace("+00:00", "Z")


def _shown(value: object) -> str:
    """A value as a message quotes it: its repr, cut to a few dozen characters."""
    text = repr(value)
    return text if len(text) <= _QUOTED else f"{text[:_QUOTED]}…"
