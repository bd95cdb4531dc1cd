"""A lead becomes a deal, and follows it: won puts the lead in Conversion, reopen takes it out."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from storage.deals import operations as deals
from storage.deals import queries as deal_queries
from storage.errors import RuleViolation
from storage.leads import operations as leads
from storage.leads import queries as lead_queries
from storage.lookup import resolve_lead
from storage.models import Deal


def _add(db, now, **kw):
    with db.transaction() as s:
        return leads.add_lead(s, team="T1", name="Jane Roe", actor="U1", now=now,
                              company="Globex", source="Webinar", tags=["q4"], **kw).lead


def _convert(db, now, number=1, **kw):
    with db.transaction() as s:
        return leads.convert_lead(s, team="T1", number=number, actor="U2", now=now, **kw)


def test_converting_creates_a_deal_carrying_the_leads_details(db, now):
    _add(db, now, owner="U3")
    conversion = _convert(db, now, value=Decimal("20000"), stage="meeting")
    deal = conversion.deal
    assert (deal.number, deal.name, deal.company, deal.owner) == (1, "Jane Roe", "Globex", "U3")
    assert (deal.source, deal.tags, deal.value) == ("webinar", ("q4",), Decimal("20000.00"))
    assert deal.stage.name == "Meeting" and deal.lead == (1, "Jane Roe")
    assert conversion.lead.deal == (1, "Jane Roe") and conversion.lead.converted_at == now
    assert conversion.lead.stage.name == "Engagement"


def test_a_lead_beyond_engagement_stays_where_it_is_when_converted(db, now):
    _add(db, now)
    with db.transaction() as s:
        stage = leads.move_lead(s, team="T1", number=1, stage="engagement", actor="U1",
                                now=now).lead.stage
    assert _convert(db, now).lead.stage == stage
    with db.transaction() as s:
        kinds = [e.kind for e in lead_queries.lead_history(s, team="T1", number=1)[1]]
    assert kinds == ["created", "stage", "convert"]


def test_the_whole_journey_is_recorded_with_its_times_in_both_histories(db, now):
    _add(db, now)
    t_move, t_convert, t_won, t_reopen = (now + timedelta(days=d) for d in (1, 3, 10, 12))
    with db.transaction() as s:
        leads.move_lead(s, team="T1", number=resolve_lead(s, team="T1", ref="jane"),
                        stage="interest", actor="U1", now=t_move)
    _convert(db, t_convert, value=Decimal("20000"))
    with db.transaction() as s:
        deals.win_deal(s, team="T1", number=1, actor="U3", now=t_won)
        assert lead_queries.show_lead(s, team="T1", number=1).stage.name == "Conversion"
        deals.reopen_deal(s, team="T1", number=1, actor="U3", now=t_reopen)
        lead, lead_events = lead_queries.lead_history(s, team="T1", number=1)
        _, deal_events = deal_queries.deal_history(s, team="T1", number=1)
    assert [(e.at, e.kind, e.from_stage, e.to_stage, e.actor) for e in lead_events] == [
        (now, "created", None, "Awareness", "U1"),
        (t_move, "stage", "Awareness", "Interest", "U1"),
        (t_convert, "convert", None, None, "U2"),
        (t_convert, "stage", "Interest", "Engagement", "U2"),
        (t_won, "stage", "Engagement", "Conversion", "U3"),
        (t_reopen, "stage", "Conversion", "Engagement", "U3"),
    ]
    assert lead_events[2].new_value == "#1 Jane Roe"
    assert [(e.at, e.kind, e.to_stage) for e in deal_events] == [
        (t_convert, "created", "Prospecting"), (t_won, "stage", "Won"),
        (t_reopen, "stage", "Prospecting")]
    assert lead.stage.name == "Engagement"


def test_losing_the_deal_leaves_the_lead_in_engagement(db, now):
    _add(db, now)
    _convert(db, now)
    with db.transaction() as s:
        deals.lose_deal(s, team="T1", number=1, actor="U1", now=now, reason="price")
        assert lead_queries.show_lead(s, team="T1", number=1).stage.name == "Engagement"


@pytest.mark.parametrize(("prepare", "words"), [
    ("convert", "became deal #1"),
    ("drop", "is dropped"),
])
def test_converting_a_converted_or_dropped_lead_is_refused(db, now, prepare, words):
    _add(db, now)
    with db.transaction() as s:
        if prepare == "convert":
            leads.convert_lead(s, team="T1", number=1, actor="U1", now=now)
        else:
            leads.drop_lead(s, team="T1", number=1, actor="U1", now=now)
    with pytest.raises(RuleViolation, match=words):
        _convert(db, now)
    with db.transaction() as s:
        deals_made = s.scalar(select(func.count()).select_from(Deal))
        assert deals_made == (1 if prepare == "convert" else 0)


def test_a_converted_lead_is_neither_dropped_nor_moved_by_hand(db, now):
    _add(db, now)
    _convert(db, now)
    for operation in (
        lambda s: leads.drop_lead(s, team="T1", number=1, actor="U1", now=now),
        lambda s: leads.move_lead(s, team="T1", number=1, stage="interest", actor="U1", now=now),
    ):
        with pytest.raises(RuleViolation, match="follows the deal"):
            with db.transaction() as s:
                operation(s)


def test_a_bad_deal_stage_or_value_converts_nothing(db, now):
    _add(db, now)
    with pytest.raises(RuleViolation):
        _convert(db, now, stage="won")
    with db.transaction() as s:
        lead = lead_queries.show_lead(s, team="T1", number=1)
    assert lead.deal is None and lead.stage.name == "Awareness"


def test_two_concurrent_conversions_of_one_lead_give_one_deal(db, now):
    """The second conversion reads the lead before the first commits, so only the unique
    deals.lead_id can stop it. On SQLite writers queue, so the second simply sees the first."""
    _add(db, now)
    first_done = threading.Event()
    outcome: dict[str, object] = {}

    def second() -> None:
        first_done.wait(10)
        try:
            _convert(db, now)
            outcome["second"] = "converted"
        except Exception as error:  # kept for the assertion below, whatever it is
            outcome["second"] = error

    thread = threading.Thread(target=second)
    thread.start()
    with db.transaction() as s:
        leads.convert_lead(s, team="T1", number=1, actor="U1", now=now)
        first_done.set()
        if db.dialect == "postgresql":
            _wait_until_another_session_waits_for_a_lock(db, thread)
    thread.join(20)
    assert isinstance(outcome.get("second"), RuleViolation), outcome
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Deal)) == 1


def _wait_until_another_session_waits_for_a_lock(db, thread: threading.Thread) -> None:
    """Holds the first transaction open until the second blocks behind it (no fixed sleep:
    polls the server's own view of lock waits), or until the second has ended anyway."""
    # AUTOCOMMIT: inside one transaction PostgreSQL would keep showing its first snapshot
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for _ in range(6000):
            waiting = conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()")).scalar()
            if waiting or not thread.is_alive():
                return
            conn.execute(text("SELECT pg_sleep(0.005)"))
    raise AssertionError("the second conversion never waited for the first")
