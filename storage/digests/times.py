"""When a subscription's digest is due: APScheduler's cron trigger in the subscription's zone.

A digest's *period* is the local date for daily (pipeline) digests and the ISO week for
weekly (funnel) ones; the ledger allows one post per period. Across daylight-saving changes
the trigger's rules apply: a local time the clocks skip (02:30 when they spring forward from
02:00 to 03:00) is due an hour later by the wall clock (03:30), still on that day; a local
time that happens twice (clocks fall back) is due at both, and the period keeps the second
from posting again. So no change skips or doubles a digest.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from storage.digests.subscriptions import SubscriptionView
from storage.kinds import DigestKind
from storage.values import iso_week_label

LOOK_BACK = timedelta(days=8)  # a week's due times and one more: every weekday is in it


class Schedule(Protocol):
    """Weekdays (three-letter names) at a local time in a zone: a digest subscription's, or
    a person's nudges (storage.nudges)."""

    @property
    def days(self) -> tuple[str, ...]: ...

    @property
    def at_time(self) -> str: ...

    @property
    def timezone(self) -> str: ...


@dataclass(frozen=True)
class Due:
    period: str
    local_date: date
    at: datetime  # aware UTC


def trigger_of(sub: Schedule) -> CronTrigger:
    """The schedule's trigger: its weekdays (by name) at its local time in its zone."""
    hour, minute = sub.at_time.split(":")
    return CronTrigger(day_of_week=",".join(sub.days), hour=int(hour), minute=int(minute),
                       second=0, timezone=ZoneInfo(sub.timezone))


def due_times(sub: Schedule, start: datetime) -> Iterator[datetime]:
    """The schedule's due times (aware UTC) at or after `start`, in order."""
    trigger = trigger_of(sub)
    at: datetime | None = trigger.get_next_fire_time(None, start)
    while at is not None:
        yield at.astimezone(UTC)
        at = trigger.get_next_fire_time(at, at)  # strictly after the previous one


def period_of(kind: DigestKind, day: date) -> str:
    if kind == DigestKind.FUNNEL:
        return iso_week_label(day)
    return day.isoformat()


def latest_due(sub: SubscriptionView, now: datetime) -> Due | None:
    """The subscription's latest due time at or before `now` (within the last 8 days)."""
    latest = latest_due_at(sub, now)
    if latest is None:
        return None
    day = latest.astimezone(ZoneInfo(sub.timezone)).date()
    return Due(period_of(sub.kind, day), day, latest)


def latest_due_at(schedule: Schedule, now: datetime,
                  look_back: timedelta = LOOK_BACK) -> datetime | None:
    """The schedule's latest due time at or before `now` (within `look_back`: by default the
    last 8 days, when every weekday comes)."""
    latest = None
    for at in due_times(schedule, now - look_back):
        if at > now:
            break
        latest = at
    return latest


def next_due(sub: Schedule, now: datetime) -> datetime:
    """The first due time after `now` (what a new subscriber is told)."""
    return next(at for at in due_times(sub, now) if at > now)
