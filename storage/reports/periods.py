"""Calendar months and quarters in a time zone: a period runs from local midnight of its
first day to local midnight of the first day of the next one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from storage.kinds import TargetPeriod
from storage.reports.weeks import local_midnight


@dataclass(frozen=True)
class Period:
    """One month (`2026-12`) or quarter (`2026-Q4`): its days [first, after), and the same as
    UTC instants [start, end) in the zone it was made for."""

    label: str
    first: date
    after: date
    start: datetime
    end: datetime

    def days_left(self, today: date) -> int:
        """The days from `today` to the period's end, today included."""
        return max((self.after - max(today, self.first)).days, 0)


def _months(kind: TargetPeriod) -> int:
    return 1 if kind == TargetPeriod.MONTH else 3


def _shift(day: date, months: int) -> date:
    """The first of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_of(today: date, kind: TargetPeriod, zone: str) -> Period:
    """The month or quarter that `today` lies in."""
    step = _months(kind)
    first = date(today.year, (today.month - 1) // step * step + 1, 1)
    return _period(first, kind, zone)


def periods_from(today: date, kind: TargetPeriod, zone: str, count: int) -> tuple[Period, ...]:
    """The period `today` lies in and the `count - 1` after it."""
    first = period_of(today, kind, zone).first
    return tuple(_period(_shift(first, i * _months(kind)), kind, zone) for i in range(count))


def _period(first: date, kind: TargetPeriod, zone: str) -> Period:
    after = _shift(first, _months(kind))
    label = (f"{first.year}-{first.month:02d}" if kind == TargetPeriod.MONTH
             else f"{first.year}-Q{(first.month - 1) // 3 + 1}")
    return Period(label, first, after, local_midnight(first, zone), local_midnight(after, zone))
