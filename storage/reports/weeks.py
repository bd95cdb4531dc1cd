"""ISO weeks in a time zone: a week runs from Monday 00:00 to the next Monday 00:00 local
time, so in a zone with daylight saving a week can last 167 or 169 hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def local_midnight(day: date, zone: str) -> datetime:
    """The UTC instant at which `day` starts in `zone`. On the rare days a zone skips
    midnight, zoneinfo reads the missing time with the offset before the gap, which is the
    first instant of the day."""
    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def week_bounds(monday: date, zone: str) -> tuple[datetime, datetime]:
    """[start, end) of the ISO week starting `monday`, as UTC instants."""
    return local_midnight(monday, zone), local_midnight(monday + timedelta(days=7), zone)


def week_containing(moment: datetime, zone: str) -> date:
    """The Monday of the week `moment` falls in, in `zone`."""
    return monday_of(moment.astimezone(ZoneInfo(zone)).date())
