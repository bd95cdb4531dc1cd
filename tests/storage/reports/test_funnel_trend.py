"""Overall conversion over eight weeks, for the chart: each week's cohort and how many of it
had converted are exactly what the funnel report of that week says, in any time zone, and a
conversion that was undone counts nowhere."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from storage.deals import operations as deals
from storage.leads import operations as leads
from storage.reports.funnel import funnel_report
from storage.reports.funnel_trend import conversion_trend
from storage.undo import undo_last_change

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
W47 = date(2026, 11, 16)


def act(db, when, operation, actor="U1", **kwargs):
    with db.transaction() as s:
        return operation(s, team="T1", actor=actor, now=when, **kwargs)


@pytest.fixture
def history(db):
    """30 leads over twelve weeks, every third converted two days after it came and its deal
    won a few days later (some just before and after midnight on a Monday in Oslo), and one
    win undone."""
    first = datetime(2026, 8, 31, 9, tzinfo=UTC)  # a Monday
    for i in range(30):
        created = first + timedelta(days=2.6 * i)
        act(db, created, leads.add_lead, name=f"Lead {i}", stage="interest" if i % 2 else None)
        if i % 3 == 0:
            deal = act(db, created + timedelta(days=2), leads.convert_lead, number=i + 1,
                       value=Decimal("1000")).deal
            won = created + timedelta(days=4 + i % 5, hours=-(created.hour + 1) + i % 3)
            act(db, won, deals.win_deal, number=deal.number, actor=f"U{i}")
            if i == 24:  # this win is taken back
                act(db, won + timedelta(minutes=1), undo_last_change, actor=f"U{i}")
    return db


@pytest.mark.parametrize("zone", ["UTC", "Europe/Oslo"])
def test_each_week_of_the_trend_is_what_that_weeks_report_says(history, zone):
    with history.transaction() as s:
        report = funnel_report(s, team="T1", now=NOW, week=W47, timezone=zone)
        trend = conversion_trend(s, report)
        reports = [funnel_report(s, team="T1", now=NOW, timezone=zone,
                                 week=W47 - timedelta(days=7 * back)) for back in range(7, -1, -1)]
    assert [w.week for w in trend] == [f"2026-W{n}" for n in range(40, 48)]
    assert [(w.cohort_size, w.converted) for w in trend] == [
        (r.cohort_size, r.stages[-1].cohort_reached) for r in reports]
    assert sum(w.converted for w in trend) > 0 and all(w.cohort_size for w in trend)
    assert trend[-1].share == report.stages[-1].cohort_share


def test_a_conversion_undone_counts_in_no_week(history):
    """W46's cohort (19 Oct to 15 Nov) holds leads 19 to 29; of them 21, 24 and 27 were won
    by its end, and 24's win was undone."""
    with history.transaction() as s:
        report = funnel_report(s, team="T1", now=NOW, week=W47, timezone="UTC")
        w46 = conversion_trend(s, report)[-2]
    assert (w46.week, w46.cohort_size, w46.converted) == ("2026-W46", 11, 2)


def test_a_week_before_any_lead_has_no_share_and_few_weeks_are_asked_for(history):
    with history.transaction() as s:
        report = funnel_report(s, team="T1", now=NOW, week=date(2026, 9, 7), timezone="UTC")
        trend = conversion_trend(s, report, weeks=3)
    assert [(w.week, w.cohort_size, w.share) for w in trend[:2]] == [
        ("2026-W35", 0, None), ("2026-W36", 3, 1 / 3)]  # leads 0, 1, 2; 0 won on Friday
    assert trend[-1].cohort_size == report.cohort_size
