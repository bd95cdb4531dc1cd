"""The pipeline summary at any time T, against figures computed by hand on a small history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from storage import stages
from storage.deals import operations as deals
from storage.reports.as_data import pipeline_data
from storage.reports.pipeline import pipeline_summary

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def at(days: float, hours: float = 0) -> datetime:
    return T0 + timedelta(days=days, hours=hours)


def act(db, when, operation, **kwargs):
    with db.transaction() as s:
        return operation(s, team="T1", actor="U1", now=when, **kwargs)


@pytest.fixture
def history(db):
    """A: skips stages, then moves back; B: own probability, won, reopened; C: lost."""
    act(db, at(0), deals.create_deal, name="Acme", value=Decimal("10000"))
    act(db, at(0), deals.create_deal, name="Beta", value=Decimal("20000"), stage="meeting",
        owner="U2")
    act(db, at(1), deals.move_deal, number=1, stage="proposal")
    act(db, at(1), deals.set_probability, number=2, probability=50)
    act(db, at(1), deals.create_deal, name="Cargo", value=Decimal("5000"))
    act(db, at(2), deals.move_deal, number=1, stage="qualification")
    act(db, at(3), deals.win_deal, number=2)
    act(db, at(4), deals.reopen_deal, number=2)
    act(db, at(5), deals.lose_deal, number=3, reason="budget")
    act(db, at(6), deals.set_value, number=1, value=Decimal("15000"))
    act(db, at(6), deals.set_expected_close, number=1, close=date(2026, 11, 20))
    with db.transaction() as s:  # renamed after deals passed through it
        stages.rename_stage(s, team="T1", stage="qualification", new_name="Qualify")
    return db


def summary(db, when, **kwargs):
    with db.transaction() as s:
        return pipeline_summary(s, team="T1", now=at(30), as_of=when, **kwargs)


def by_stage(report):
    return {s.name: (s.count, s.value, s.weighted) for s in report.stages if s.count}


def test_a_past_time_shows_the_past_stages_values_and_weights(history):
    report = summary(history, at(2, 1))
    assert by_stage(report) == {
        "Prospecting": (1, Decimal("5000.00"), Decimal("500.00")),
        "Qualify": (1, Decimal("10000.00"), Decimal("2000.00")),  # its value before the edit
        "Meeting": (1, Decimal("20000.00"), Decimal("10000.00")),  # own probability 50%
    }
    assert (report.count, report.value, report.weighted) == (
        3, Decimal("35000.00"), Decimal("12500.00"))
    assert [s.name for s in report.stages] == [
        "Prospecting", "Qualify", "Meeting", "Proposal", "Negotiation"]


def test_the_own_probability_counts_only_from_when_it_was_set(history):
    report = summary(history, at(0, 12))
    assert by_stage(report)["Meeting"] == (1, Decimal("20000.00"), Decimal("8000.00"))


def test_a_won_deal_leaves_the_open_stages_and_a_reopened_one_comes_back(history):
    assert "Meeting" not in by_stage(summary(history, at(3, 1)))
    assert by_stage(summary(history, at(4, 1)))["Meeting"][0] == 1


def test_activity_counts_skips_moves_back_wins_reopenings_and_losses(history):
    first = summary(history, at(1, 1), since=at(0, -1)).activity
    assert (first.new_count, first.new_value, first.advanced, first.moved_back) == (
        3, Decimal("35000.00"), 1, 0)
    won = summary(history, at(3, 1)).activity
    assert (won.won_count, won.won_value, won.advanced, won.moved_back) == (
        1, Decimal("20000.00"), 0, 0)
    assert summary(history, at(4, 1)).activity.moved_back == 1  # reopened: Won -> Meeting
    lost = summary(history, at(5, 1)).activity
    assert (lost.lost_count, lost.lost_value, lost.lost_reasons) == (
        1, Decimal("5000.00"), (("budget", 1),))


def test_stale_overdue_and_closing_soon_are_judged_at_the_time_of_the_report(history):
    early = summary(history, at(13, 1), timezone="UTC").attention
    assert [d.number for d in early.closing_soon.deals] == [1]
    assert early.stale.total == 0 and early.overdue.total == 0
    late = summary(history, at(20, 1), timezone="UTC").attention
    assert [(d.number, d.days_idle, d.stage) for d in late.stale.deals] == [
        (2, 16, "Meeting"), (1, 14, "Qualify")]  # most idle first
    assert [d.number for d in late.overdue.deals] == [1]
    limited = summary(history, at(20, 1), timezone="UTC", attention_limit=1).attention
    assert limited.stale.total == 2 and len(limited.stale.deals) == 1


def test_the_json_form_has_the_contract_keys_and_money_as_strings(history):
    data = pipeline_data(summary(history, at(5, 1)))
    assert data["kind"] == "pipeline" and data["currency"] == "USD"
    assert data["as_of"] == "2026-11-07T10:00:00Z"
    assert data["totals"] == {"count": 2, "value": "30000.00", "weighted": "12000.00"}
    assert data["stages"][0] == {"name": "Prospecting", "probability": 10, "count": 0,
                                 "value": "0.00", "weighted": "0.00"}
    assert data["activity"]["lost"] == {"count": 1, "value": "5000.00",
                                        "reasons": {"budget": 1}}
    assert set(data["attention"]) == {"stale", "overdue", "closing_soon", "stale_total",
                                      "overdue_total", "closing_soon_total"}


def test_the_json_lists_as_many_deals_as_asked_and_says_how_many_there_are(history):
    data = pipeline_data(summary(history, at(20, 1), timezone="UTC", attention_limit=1))
    assert [d["id"] for d in data["attention"]["stale"]] == [2]  # the most idle
    assert data["attention"]["stale_total"] == 2
    assert (len(data["attention"]["overdue"]), data["attention"]["overdue_total"]) == (1, 1)


def test_an_empty_workspace_has_empty_stages_and_zero_totals(db):
    with db.transaction() as s:
        report = pipeline_summary(s, team="T9", now=T0)
    assert report.count == 0 and report.weighted == Decimal("0.00")
    assert pipeline_data(report)["activity"]["new"] == {"count": 0, "value": "0.00"}
