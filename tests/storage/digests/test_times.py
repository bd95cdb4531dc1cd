"""Due times of a subscription, from APScheduler's cron trigger in the subscription's zone."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.digests.subscriptions import SubscriptionView
from storage.digests.times import latest_due, next_due
from storage.kinds import DigestKind


def sub(days: tuple[str, ...], at: str, kind: DigestKind = DigestKind.PIPELINE,
        zone: str = "Europe/Oslo") -> SubscriptionView:
    return SubscriptionView(1, "T1", "C1", kind, days, at, zone, "U1", None,
                            datetime(2026, 1, 1, tzinfo=UTC))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_the_next_due_time_is_strictly_after_now_on_the_named_weekday():
    sunday = sub(("sun",), "12:00", zone="UTC")
    assert next_due(sunday, utc(2026, 11, 18, 9)) == utc(2026, 11, 22, 12)  # a Wednesday
    assert next_due(sunday, utc(2026, 11, 22, 12)) == utc(2026, 11, 29, 12)


def test_the_latest_due_time_names_its_local_day_and_period():
    monday = sub(("mon",), "00:30", kind=DigestKind.FUNNEL)  # Sunday 23:30 UTC
    due = latest_due(monday, utc(2026, 11, 18, 9))
    assert due is not None
    assert (due.at, due.local_date, due.period) == (
        utc(2026, 11, 15, 23, 30), datetime(2026, 11, 16).date(), "2026-W47")


def test_a_time_the_clocks_skip_is_due_an_hour_later_the_same_day():
    skipped = sub(("sun",), "02:30")
    assert next_due(skipped, utc(2026, 3, 28, 12)) == utc(2026, 3, 29, 1, 30)  # 03:30 CEST
    due = latest_due(skipped, utc(2026, 3, 29, 2))
    assert due is not None and (due.at, due.period) == (utc(2026, 3, 29, 1, 30), "2026-03-29")


def test_a_time_that_happens_twice_is_due_twice_in_one_period():
    doubled = sub(("sun",), "02:30")
    first, second = latest_due(doubled, utc(2026, 10, 25, 1)), latest_due(doubled,
                                                                          utc(2026, 10, 25, 2))
    assert first is not None and second is not None
    assert (first.at, second.at) == (utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30))
    assert first.period == second.period == "2026-10-25"  # the ledger lets one of them post
