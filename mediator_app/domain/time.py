"""Time: the injected clock, parsing of feed times, and deadline arithmetic."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import orjson

from .errors import Rejection

UTC = timezone.utc
#: orjson writes an aware UTC time as isoformat() does, ending in "Z": the same text in a fifth of the time
#: (`audit verify` formats several times per history row; tests/unit/test_time.py holds the two equal)
_UTC_Z = orjson.OPT_UTC_Z


class Clock(Protocol):
    """Anything with `now()` returning a timezone-aware datetime."""

    def now(self) -> datetime: ...


class FixedClock:
    """A clock that stands still until moved; for tests, demos and `--now`."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._at = at

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._at = at

    def advance(self, delta: timedelta) -> None:
        self._at += delta


class SystemClock:
    """The machine's clock (used only where no database clock is available)."""

    def now(self) -> datetime:
        return datetime.now(UTC)


def parse_time(value: Any, what: str = "time") -> datetime:
    """ISO 8601 with an offset; a time without an offset is rejected. Returned in UTC."""
    if not isinstance(value, str) or not value:
        raise Rejection(f"{what} must be an ISO 8601 time string with an offset")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise Rejection(f"{what} {value!r} is not an ISO 8601 time") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise Rejection(f"{what} {value!r} has no UTC offset")
    if not 1970 <= parsed.year <= 9000:
        raise Rejection(f"{what} {value!r} is outside the years 1970 to 9000")
    return parsed if parsed.tzinfo is UTC else parsed.astimezone(UTC)  # (an offset of +00:00 is read as UTC)


def format_utc(at: datetime | None) -> str | None:
    """UTC with `Z`, seconds precision unless there are microseconds."""
    if at is None:
        return None
    if at.tzinfo is not UTC:
        at = at.astimezone(UTC)
    # as isoformat()[:-6] + "Z": the microseconds only when there are some
    return orjson.dumps(at, option=_UTC_Z)[1:-1].decode()


def end_of_calendar_day(start: datetime, days: int, zone: str) -> datetime:
    """00:00 of day N+1 in `zone`, counting the day of `start` as day 0 (returned in UTC).

    Opened 2026-11-01T10:00+08:00 with N=7 -> 2026-11-09T00:00+08:00.
    """
    tz = ZoneInfo(zone)
    local_date = start.astimezone(tz).date() + timedelta(days=days + 1)
    midnight = datetime(local_date.year, local_date.month, local_date.day, tzinfo=tz)
    return midnight.astimezone(UTC)


class OffsetClock:
    """The machine's clock corrected by an offset to a reference clock (the database's).

    `now()` is cheap — no I/O — so a window can read it every second for every countdown; `sync()` asks
    the reference once (call it off the GUI thread) and remembers the difference.
    """

    def __init__(self, reference: Clock) -> None:
        self._reference = reference
        self._offset = timedelta(0)

    def sync(self) -> timedelta:
        before = datetime.now(UTC)
        reference = self._reference.now()
        after = datetime.now(UTC)
        self._offset = reference - (before + (after - before) / 2)
        return self._offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset
