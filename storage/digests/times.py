"""When a subscription's digest is due: local times in its zone, safe across DST changes.

A digest's *period* is the local date for daily (pipeline) digests and the ISO week for
weekly (funnel) ones; the ledger allows one post per period. A local time that does not
exist that day (clocks spring forward over it) is due at the first valid instant after it;
a local time that happens twice (clocks fall back) is due at its first occurrence, and the
period keeps the second from posting again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from storage.digests.subscriptions import SubscriptionView
from storage.kinds import DigestKind
from storage.values import iso_week_label


@dataclass(frozen=True)
class Due:
    period: str
    local_date: date
    at: datetime  # aware UTC


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of local `day` `at` in `zone` (see the module doc for DST days)."""
    wall = datetime.combine(day, at)
    for minutes in range(0, 24 * 60):
        candidate = wall + timedelta(minutes=minutes)
        aware = candidate.replace(tzinfo=zone, fold=0)
        if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == candidate:
            return aware.astimezone(UTC)
    raise ValueError(f"no valid local time after {wall} in {zone}")  # no zone skips a day


def period_of(kind: DigestKind, day: date) -> str:
    if kind == DigestKind.FUNNEL:
        return iso_week_label(day)
    return day.isoformat()


def latest_due(sub: SubscriptionView, now: datetime) -> Due | None:
    """The subscription's latest due time at or before `now` (within the last 8 days)."""
    zone = ZoneInfo(sub.timezone)
    hour, minute = (int(part) for part in sub.at_time.split(":"))
    today = now.astimezone(zone).date()
    for back in range(0, 8):
        day = today - timedelta(days=back)
        if day.weekday() not in sub.weekdays:
            continue
        at = local_instant(day, time(hour, minute), zone)
        if at <= now:
            return Due(period_of(sub.kind, day), day, at)
    return None


def next_due(sub: SubscriptionView, now: datetime) -> datetime:
    """The first due time after `now` (what a new subscriber is told)."""
    zone = ZoneInfo(sub.timezone)
    hour, minute = (int(part) for part in sub.at_time.split(":"))
    today = now.astimezone(zone).date()
    for ahead in range(0, 9):
        day = today + timedelta(days=ahead)
        if day.weekday() in sub.weekdays:
            at = local_instant(day, time(hour, minute), zone)
            if at > now:
                return at
    raise ValueError("a subscription has at least one weekday")
