"""The forecast in the cases a team meets first, on SQLite and PostgreSQL (the random
histories are in test_forecast_oracle.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from storage.deals import operations as deals
from storage.kinds import TargetPeriod
from storage.reports.forecast import forecast, target_lines
from storage.targets import set_target
from storage.workspaces import ensure_workspace, update_settings

DAY = timedelta(days=1)


def _deal(s, now, name, value, close=None, stage=None, owner=None):
    deals.create_deal(s, team="T1", name=name, value=Decimal(value), actor="U1",
                      now=now - 5 * DAY, expected_close=close, stage=stage, owner=owner)


def test_overdue_deals_count_in_this_month_and_those_closing_after_the_third_in_later(db, now):
    with db.transaction() as s:
        _deal(s, now, "Overdue", "1000", close=date(2026, 10, 3))
        _deal(s, now, "December", "2000", close=date(2026, 12, 31), stage="Negotiation")
        _deal(s, now, "March", "4000", close=date(2027, 3, 1))
        _deal(s, now, "Someday", "8000")
    with db.transaction() as s:
        report = forecast(s, team="T1", now=now)
    assert [(p.period.label, p.open.count, p.open.value) for p in report.periods] == [
        ("2026-11", 1, Decimal("1000.00")), ("2026-12", 1, Decimal("2000.00")),
        ("2027-01", 0, Decimal("0.00"))]
    assert (report.later.count, report.no_close_date.value) == (1, Decimal("8000.00"))
    december = report.periods[1]  # Negotiation is the default commit stage
    assert (december.open.weighted, december.commit, december.best_case) == (
        Decimal("1600.00"), Decimal("1600.00"), Decimal("2000.00"))


def test_a_deal_won_reopened_and_won_again_counts_once_and_one_reopened_since_not(db, now):
    with db.transaction() as s:
        _deal(s, now, "Acme", "1000")
        _deal(s, now, "Globex", "500")
        for number in (1, 2):
            deals.win_deal(s, team="T1", number=number, actor="U1", now=now - 3 * DAY)
            deals.reopen_deal(s, team="T1", number=number, actor="U1", now=now - 2 * DAY)
        deals.win_deal(s, team="T1", number=1, actor="U1", now=now - DAY)
    with db.transaction() as s:
        report = forecast(s, team="T1", now=now)
        before = forecast(s, team="T1", now=now, as_of=now - 2.5 * DAY)
    assert (report.periods[0].won_count, report.periods[0].won_value) == (1, Decimal("1000.00"))
    assert (before.periods[0].won_count, before.periods[0].won_value) == (2, Decimal("1500.00"))


def test_periods_are_the_workspaces_months_and_quarters(db):
    new_year_in_oslo = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    with db.transaction() as s:
        ensure_workspace(s, team="T1", now=new_year_in_oslo)
        update_settings(s, team="T1", now=new_year_in_oslo, timezone="Europe/Oslo")
        quarters = forecast(s, team="T1", now=new_year_in_oslo, period=TargetPeriod.QUARTER)
    assert [p.period.label for p in quarters.periods] == ["2027-Q1", "2027-Q2", "2027-Q3"]
    assert quarters.periods[0].period.start == datetime(2026, 12, 31, 23, 0, tzinfo=UTC)


def test_a_team_target_line_has_won_so_far_days_left_and_coverage(db, now):
    with db.transaction() as s:
        _deal(s, now, "Won", "4000")
        deals.win_deal(s, team="T1", number=1, actor="U1", now=now - DAY)
        _deal(s, now, "Open", "10000", close=date(2026, 11, 30), stage="Proposal")  # 60%
        set_target(s, team="T1", amount=Decimal("10000"), period=TargetPeriod.MONTH,
                   owner=None, actor="UADMIN", now=now)
        set_target(s, team="T1", amount=Decimal("5000"), period=TargetPeriod.MONTH,
                   owner="U2", actor="UADMIN", now=now)
    with db.transaction() as s:
        (line,) = target_lines(s, team="T1", now=now)
    assert (line.kind, line.days_left) == (TargetPeriod.MONTH, 9)  # 22 to 30 November
    assert (line.forecast.won_value, line.forecast.missing) == (Decimal("4000.00"),
                                                                Decimal("6000.00"))
    assert (line.forecast.attainment, line.forecast.coverage) == (0.4, 1.0)


def test_a_forecast_for_one_owner_has_only_their_deals_and_their_target(db, now):
    with db.transaction() as s:
        _deal(s, now, "Theirs", "1000", owner="U2", close=date(2026, 11, 28))
        _deal(s, now, "Others", "3000", owner="U3", close=date(2026, 11, 28))
        set_target(s, team="T1", amount=Decimal("2000"), period=TargetPeriod.MONTH,
                   owner="U2", actor="UADMIN", now=now)
    with db.transaction() as s:
        mine = forecast(s, team="T1", now=now, owner="U2")
        team = forecast(s, team="T1", now=now)
    assert (mine.periods[0].open.value, mine.periods[0].target) == (Decimal("1000.00"),
                                                                    Decimal("2000.00"))
    assert (team.periods[0].open.value, team.periods[0].target) == (Decimal("4000.00"), None)
