"""An undone change leaves no trace in any report of any time (forecasts too): the same
history with the change undone, and without it ever made, give the same figures."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from storage.deals import operations as deals
from storage.imports.exports import rows_of
from storage.kinds import TargetPeriod
from storage.leads import operations as leads
from storage.reports.as_data import forecast_data, funnel_data, pipeline_data
from storage.reports.forecast import forecast
from storage.reports.funnel import funnel_report
from storage.reports.pipeline import pipeline_summary
from storage.spend import record_spend
from storage.undo import undo_last_change

HOUR = timedelta(hours=1)


def _history(db, team, now, mistake):
    """Two weeks of a lead that became a deal and is worked; `mistake` is made at `now` and
    undone five minutes later."""
    start = now - timedelta(days=10)
    with db.transaction() as s:
        leads.add_lead(s, team=team, name="Jane", actor="U1", now=start, source="webinar")
        leads.add_lead(s, team=team, name="Joe", actor="U1", now=start + HOUR)
        leads.convert_lead(s, team=team, number=1, actor="U1", now=start + 2 * HOUR,
                           value=Decimal("1200"))
        deals.create_deal(s, team=team, name="Acme", actor="U1", now=start + 3 * HOUR,
                          value=Decimal("500"), source="webinar")
        deals.move_deal(s, team=team, number=1, stage="proposal", actor="U1",
                        now=now - 2 * HOUR)
        record_spend(s, team=team, amount=Decimal("900"), actor="U1", now=now,
                     week=now.date(), source="webinar")
        if mistake is not None:
            mistake(s, team, now)
            undo_last_change(s, team=team, actor="U1", now=now + timedelta(minutes=5))


def _reports(db, team, now):
    found = []
    with db.transaction() as s:
        for at, since in ((now - HOUR, None), (now, None), (now + timedelta(minutes=2), None),
                          (now + HOUR, now - 3 * HOUR), (now + 3 * 24 * HOUR, now - 24 * HOUR),
                          (now + 30 * 24 * HOUR, None)):
            found.append(pipeline_data(pipeline_summary(
                s, team=team, now=now, as_of=at, since=since, attention_limit=None)))
        for week in (now - 7 * 24 * HOUR, now, now + 7 * 24 * HOUR):
            found.append(funnel_data(funnel_report(s, team=team, now=now, week=week.date())))
        for at in (now - HOUR, now + timedelta(minutes=2), now + 30 * 24 * HOUR):
            found += [forecast_data(forecast(s, team=team, now=now, as_of=at, period=kind))
                      for kind in TargetPeriod]
        found += [list(rows_of(s, team=team, kind=kind)) for kind in ("deals", "leads",
                                                                      "events")]
    for report in found:
        if isinstance(report, dict):
            report.pop("team")
    return found


def _win(s, team, now):
    deals.win_deal(s, team=team, number=1, actor="U1", now=now)


def _lose(s, team, now):
    deals.lose_deal(s, team=team, number=2, reason="price", actor="U1", now=now)


def _move_back(s, team, now):
    deals.move_deal(s, team=team, number=1, stage="prospecting", actor="U1", now=now)


def _edit(s, team, now):
    deals.set_value(s, team=team, number=2, value=Decimal("99"), actor="U1", now=now)
    # only the latest change is undone: this one


def _convert(s, team, now):
    leads.convert_lead(s, team=team, number=2, actor="U1", now=now, value=Decimal("70"))


def _new_deal(s, team, now):
    deals.create_deal(s, team=team, name="Globex", actor="U1", now=now, value=Decimal("3"))


def _new_lead(s, team, now):
    leads.add_lead(s, team=team, name="Ann", actor="U1", now=now)


def _drop(s, team, now):
    leads.drop_lead(s, team=team, number=2, reason="spam", actor="U1", now=now)


@pytest.mark.parametrize("mistake", [_win, _lose, _move_back, _edit, _convert, _new_deal,
                                     _new_lead, _drop])
def test_an_undone_change_is_in_no_report_of_any_time_nor_in_an_export(db, now, mistake):
    _history(db, "T1", now, mistake)
    _history(db, "T2", now, None)
    assert _reports(db, "T1", now) == _reports(db, "T2", now)


def test_a_win_undone_is_no_win_no_customer_and_no_conversion(db, now):
    """The issue's case, figure by figure: a mis-clicked Won, then Undo."""
    _history(db, "T1", now, _win)
    with db.transaction() as s:
        summary = pipeline_summary(s, team="T1", now=now, as_of=now + HOUR, since=now - HOUR)
        week = funnel_report(s, team="T1", now=now)
    assert (summary.activity.won_count, summary.activity.moved_back) == (0, 0)
    assert summary.count == 2
    assert (week.deals.won, week.deals.win_rate, week.cac) == (0, None, None)
    assert [s.entered for s in week.stages][-1] == 0  # nobody entered Conversion
