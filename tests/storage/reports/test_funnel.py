"""The funnel conversion report for an ISO week in a time zone, against figures computed by
hand: skipped stages, moves back, drops and returns, a conversion won in the week, leads
created just before and after midnight on Monday in Oslo, and a week with a DST change."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from storage.deals import operations as deals
from storage.leads import operations as leads
from storage.lookup import resolve_deal
from storage.reports.as_data import funnel_data
from storage.reports.funnel import funnel_report
from storage.spend import record_spend

OSLO = "Europe/Oslo"
W44 = date(2026, 10, 26)  # Monday; the week before (W43) ends with the DST change


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def act(db, when, operation, **kwargs):
    with db.transaction() as s:
        return operation(s, team="T1", actor="U1", now=when, **kwargs)


def act_on(db, when, operation, name, **kwargs):
    """`operation` on the deal called `name`."""
    with db.transaction() as s:
        number = resolve_deal(s, team="T1", ref=name)
        return operation(s, team="T1", number=number, actor="U1", now=when, **kwargs)


@pytest.fixture
def history(db):
    act(db, utc(10, 20, 9), leads.add_lead, name="Four")                       # 1
    act(db, utc(10, 21, 9), deals.create_deal, name="Direct", value=Decimal("3000"))
    act(db, utc(10, 25, 22, 30), leads.add_lead, name="One", source="webinar")  # 2: Sun 23:30
    act(db, utc(10, 25, 23, 30), leads.add_lead, name="Two", source="webinar")  # 3: Mon 00:30
    act_on(db, utc(10, 25, 23, 30), deals.win_deal, "Direct")                  # Mon 00:30 Oslo
    act(db, utc(10, 27, 10), leads.add_lead, name="Three", source="ads", stage="interest")
    act(db, utc(10, 27, 11), leads.move_lead, number=2, stage="consideration")  # skips Interest
    act(db, utc(10, 27, 12), leads.drop_lead, number=1)
    act(db, utc(10, 27, 13), deals.create_deal, name="Lost one", source="ads")
    act(db, utc(10, 28, 10), leads.convert_lead, number=4, value=Decimal("10000"))
    act(db, utc(10, 28, 11), leads.move_lead, number=3, stage="interest")
    act(db, utc(10, 29, 9), leads.move_lead, number=3, stage="awareness")       # back
    act(db, utc(10, 29, 10), leads.move_lead, number=1, stage="interest")       # returns
    act_on(db, utc(10, 29, 11), deals.lose_deal, "Lost one")
    act(db, utc(10, 30, 9), leads.move_lead, number=3, stage="interest")        # not again
    act_on(db, utc(10, 30, 10), deals.win_deal, "Three")                       # lead converts
    act(db, utc(11, 1, 23, 30), leads.add_lead, name="Five")                    # Mon 00:30, W45
    for amount, source in (("1000", None), ("500", "ads"), ("300", "webinar")):
        act(db, utc(11, 22, 12), record_spend, amount=Decimal(amount), week=W44, source=source)
    return db


def report(db, monday=W44, zone=OSLO):
    with db.transaction() as s:
        return funnel_report(s, team="T1", now=utc(11, 22, 12), week=monday, timezone=zone)


def test_entered_counts_first_reaches_and_skipped_stages_in_the_local_week(history):
    data = funnel_data(report(history))
    assert (data["start"], data["end"]) == ("2026-10-25T23:00:00Z", "2026-11-01T23:00:00Z")
    assert [(s["name"], s["entered"], s["entered_prev"]) for s in data["stages"]] == [
        ("Awareness", 2, 2), ("Interest", 4, 0), ("Consideration", 2, 0),
        ("Engagement", 1, 0), ("Conversion", 1, 0)]
    assert [s["flow_conversion"] for s in data["stages"]] == [2.0, 0.5, 0.5, 1.0, None]
    assert [s["flow_conversion_prev"] for s in data["stages"]] == [0.0, None, None, None, None]


def test_the_cohort_is_the_leads_created_in_the_four_weeks_ending_with_the_week(history):
    data = funnel_data(report(history))
    assert data["cohort"] == {"start": "2026-10-04T22:00:00Z", "end": "2026-11-01T23:00:00Z",
                              "size": 4}
    assert [(s["cohort_reached"], s["cohort_share"]) for s in data["stages"]] == [
        (4, 1.0), (4, 1.0), (2, 0.5), (1, 0.25), (1, 0.25)]
    found = report(history)
    assert (found.cohort_first_day, found.cohort_weeks) == (date(2026, 10, 5), 4)


def test_sources_deals_spend_cac_and_medians(history):
    data = funnel_data(report(history))
    assert data["sources"] == [{"source": "ads", "new_leads": 1, "became_deals": 1},
                               {"source": "webinar", "new_leads": 1, "became_deals": 0}]
    assert data["deals"] == {"won": 2, "won_value": "13000.00", "lost": 1,
                             "win_rate": pytest.approx(2 / 3)}
    assert (data["spend"], data["cac"]) == ("1800.00", "900.00")
    assert data["cac_by_source"] == {"ads": "500.00", "webinar": None}
    assert data["median_days_lead_to_deal"] == pytest.approx(1 / 24 * 24, abs=1e-3)
    assert data["median_days_deal_to_won"] == pytest.approx((2 + 4 + 14.5 / 24) / 2, abs=1e-3)


def test_the_same_week_in_utc_moves_the_leads_created_around_midnight(history):
    utc_week = report(history, zone="UTC")
    # "Two" (Sunday 23:30 UTC) falls in the week before; "Five" (Sunday 23:30 UTC a week
    # later) falls in this one
    assert [s.entered for s in utc_week.stages][:2] == [2, 4]
    assert [s.source for s in utc_week.sources] == ["ads", None]
    assert utc_week.deals.won == 1  # the direct win was on Sunday night in UTC


def test_the_week_with_the_dst_change_lasts_169_hours(history):
    week = report(history, monday=date(2026, 10, 19))
    assert (week.end - week.start).total_seconds() == 169 * 3600
    assert [s.entered for s in week.stages] == [2, 0, 0, 0, 0]


def test_an_empty_week_has_null_rates_not_errors(history):
    data = funnel_data(report(history, monday=date(2026, 9, 7)))
    assert all(s["entered"] == 0 and s["flow_conversion"] is None for s in data["stages"])
    assert all(s["cohort_share"] is None for s in data["stages"])
    assert data["deals"] == {"won": 0, "won_value": "0.00", "lost": 0, "win_rate": None}
    assert (data["cac"], data["median_days_lead_to_deal"], data["median_days_deal_to_won"]) == (
        None, None, None)
    assert data["week"] == "2026-W37" and data["sources"] == []


def test_cac_without_spend_recorded_is_null_not_zero(db):
    act(db, utc(10, 27, 9), deals.create_deal, name="Won", source="webinar")
    act_on(db, utc(10, 28, 9), deals.win_deal, "Won")
    found = report(db)
    data = funnel_data(found)
    assert (data["deals"]["won"], data["spend"], data["cac"], data["cac_by_source"]) == (
        1, "0.00", None, {})
    assert not found.spend_recorded


def test_a_source_that_won_without_spend_of_its_own_has_a_null_cac(db):
    act(db, utc(10, 27, 9), deals.create_deal, name="Won", source="webinar")
    act_on(db, utc(10, 28, 9), deals.win_deal, "Won")
    act(db, utc(11, 22, 12), record_spend, amount=Decimal("600"), week=W44, source="ads")
    data = funnel_data(report(db))
    assert (data["cac"], data["cac_by_source"]) == ("600.00", {"ads": None, "webinar": None})
