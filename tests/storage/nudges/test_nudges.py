"""What needs a person, their nudge setting, snoozes and the ledger, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, insert, select, text

from storage import stages
from storage.deals import operations as deals
from storage.errors import NotFound, UsageError
from storage.kinds import PipelineKind, StageKind
from storage.leads import operations as leads
from storage.models import Deal, Lead, Stage
from storage.nudges import ledger
from storage.nudges.items import (
    forget_expired_snoozes,
    nudge_items,
    owners,
    snooze,
    snoozed_until,
)
from storage.nudges.settings import (
    change_nudges,
    mark_gone,
    nudge_setting,
    nudge_settings,
    remember_timezone,
)

DEAL, LEAD = PipelineKind.DEAL, PipelineKind.LEAD


def _deal(db, when, name="Acme", owner="UBOB", **kw):
    with db.transaction() as s:
        return deals.create_deal(s, team="T1", name=name, actor="UANN", now=when,
                                 value=Decimal(1000), owner=owner, **kw).deal


def _items(db, now, user="UBOB", today=None):
    with db.transaction() as s:
        return nudge_items(s, team="T1", user=user, now=now, today=today or now.date())


# bad input first


@pytest.mark.parametrize("days", [0, 1, 5, 30, -3])
def test_a_snooze_other_than_three_days_or_a_week_is_refused(db, now, days):
    _deal(db, now - timedelta(days=30))
    with pytest.raises(UsageError, match="3 days or a week"), db.transaction() as s:
        snooze(s, team="T1", kind=DEAL, number=1, days=days, actor="UBOB", now=now)
    assert [i.number for i in _items(db, now)] == [1]


def test_snoozing_a_deal_or_lead_that_is_not_there_is_refused(db, now):
    _deal(db, now)
    for kind, number in ((DEAL, 2), (LEAD, 1)):
        with pytest.raises(NotFound), db.transaction() as s:
            snooze(s, team="T1", kind=kind, number=number, days=3, actor="UBOB", now=now)
    with pytest.raises(NotFound), db.transaction() as s:  # another workspace's deal 1
        snooze(s, team="T2", kind=DEAL, number=1, days=3, actor="UBOB", now=now)


@pytest.mark.parametrize("text", ["25:00", "9", "nine", "09:60", "9:5", ""])
def test_a_nudge_time_that_is_not_a_time_of_day_is_refused_and_changes_nothing(db, now, text):
    with pytest.raises(UsageError, match="not a time of day"), db.transaction() as s:
        change_nudges(s, team="T1", user="UBOB", now=now, at_time=text)
    with db.transaction() as s:
        assert nudge_setting(s, team="T1", user="UBOB").set_at is None


# what needs a person


def test_a_fresh_deal_needs_nobody_and_a_stale_one_needs_its_owner(db, now):
    _deal(db, now - timedelta(days=2), name="Fresh")
    _deal(db, now - timedelta(days=20), name="Old")
    _deal(db, now - timedelta(days=40), name="Not mine", owner="UANN")
    [item] = _items(db, now)
    assert (item.number, item.name, item.stage, item.idle_days) == (2, "Old", "Prospecting", 20)
    assert [i.name for i in _items(db, now, user="UANN")] == ["Not mine"]


def test_a_stage_with_its_own_rotting_limit_counts_by_it(db, now):
    _deal(db, now - timedelta(days=5))
    with db.transaction() as s:
        stages.set_stage_rotting(s, team="T1", stage="Prospecting", days=3)
    assert [i.idle_days for i in _items(db, now)] == [5]


def test_a_passed_close_and_a_due_next_action_need_the_owner_even_when_active(db, now):
    _deal(db, now, name="Late", expected_close=date(2026, 11, 20))
    _deal(db, now, name="Soon", expected_close=date(2026, 11, 23))
    _deal(db, now, name="Call")
    with db.transaction() as s:
        deals.set_next_action(s, team="T1", number=3, text="call Jane", due=now.date(),
                              actor="UBOB", now=now)
    late, call = _items(db, now)
    assert (late.name, late.close_passed, late.idle_days) == ("Late", date(2026, 11, 20), None)
    assert (call.name, call.next_action, call.action_due) == ("Call", "call Jane", now.date())


def test_the_persons_own_date_decides_what_is_due(db, now):
    _deal(db, now, name="Call", expected_close=date(2026, 11, 22))
    assert _items(db, now, today=date(2026, 11, 22)) == []
    assert [i.name for i in _items(db, now, today=date(2026, 11, 23))] == ["Call"]


def test_closed_deals_need_nobody(db, now):
    _deal(db, now - timedelta(days=30), name="Won")
    _deal(db, now - timedelta(days=30), name="Lost")
    with db.transaction() as s:
        deals.win_deal(s, team="T1", number=1, actor="UBOB", now=now - timedelta(days=20))
        deals.lose_deal(s, team="T1", number=2, actor="UBOB", now=now - timedelta(days=20))
    assert _items(db, now) == []


def test_a_stale_open_lead_needs_its_owner_but_a_dropped_one_does_not(db, now):
    with db.transaction() as s:
        for name in ("Jane", "Joe"):
            leads.add_lead(s, team="T1", name=name, actor="UANN", owner="UBOB",
                           now=now - timedelta(days=30))
        leads.drop_lead(s, team="T1", number=2, actor="UANN", now=now - timedelta(days=30))
    [item] = _items(db, now)
    assert (item.kind, item.number, item.name, item.value) == (LEAD, 1, "Jane", None)
    with db.transaction() as s:
        assert owners(s) == [("T1", "UBOB")]


def test_owners_are_everyone_with_an_open_deal_or_lead_once(db, now):
    _deal(db, now, owner="UBOB")
    _deal(db, now, owner="UBOB")
    _deal(db, now, owner="UCAT")
    _deal(db, now, owner="UDAN")
    with db.transaction() as s:
        deals.win_deal(s, team="T1", number=4, actor="UDAN", now=now)
        assert owners(s) == [("T1", "UBOB"), ("T1", "UCAT")]


def _plan(db, session, statement: str, parameters) -> str:
    """How the database would run `statement` (PostgreSQL: as if its tables were large)."""
    if db.dialect == "postgresql":
        session.execute(text("SET LOCAL enable_seqscan = off"))
        rows = session.connection().exec_driver_sql("EXPLAIN " + statement, parameters)
    else:
        rows = session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                   parameters)
    return "\n".join(str(row[-1]) for row in rows)


def _closed_history(db, now, count: int = 3000) -> None:
    """`count` won deals and as many dropped leads beside the open ones, and on PostgreSQL
    the statistics of them: the planner then weighs the indexes as it would for a team some
    years in, whatever the tests before left in its statistics."""
    with db.transaction() as s:
        deal = s.scalars(select(Deal)).one()
        lead = s.scalars(select(Lead)).one()
        won = s.scalars(select(Stage.id).where(Stage.pipeline_id == deal.pipeline_id,
                                               Stage.kind == StageKind.WON)).first()
        dropped = s.scalars(select(Stage.id).where(Stage.pipeline_id == lead.pipeline_id,
                                                   Stage.kind == StageKind.DROPPED)).first()
        common = {"team_id": "T1", "owner": "UBOB", "created_at": now, "last_activity_at": now}
        s.execute(insert(Deal), [
            {**common, "number": 100 + i, "pipeline_id": deal.pipeline_id, "stage_id": won,
             "name": f"Won {i}", "value": Decimal(1000), "closed_at": now, "version": 1}
            for i in range(count)])
        s.execute(insert(Lead), [
            {**common, "number": 100 + i, "pipeline_id": lead.pipeline_id, "stage_id": dropped,
             "name": f"Dropped {i}", "dropped_at": now, "version": 1} for i in range(count)])
        if db.dialect == "postgresql":
            s.execute(text("ANALYZE deals, leads, stages, workspaces"))


def test_the_owners_asked_every_minute_are_read_from_indexes_of_open_records_only(db, now):
    _deal(db, now)
    with db.transaction() as s:
        leads.add_lead(s, team="T1", name="Lead", actor="UANN", now=now, owner="UCAT")
    _closed_history(db, now)
    seen = []
    listen = event.listens_for(db.engine, "before_cursor_execute")(
        lambda conn, cursor, statement, parameters, context, many: seen.append(
            (statement, parameters)))
    try:
        with db.transaction() as s:
            assert owners(s) == [("T1", "UBOB"), ("T1", "UCAT")]
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    [(statement, parameters)] = [(st, p) for st, p in seen if "UNION" in st.upper()]
    with db.transaction() as s:
        plan = _plan(db, s, statement, parameters)
    for index in ("ix_deals_stage_team_owner", "ix_leads_stage_team_owner"):
        assert index in plan, plan
    if db.dialect == "postgresql":  # only the open stages' entries, not the whole index
        assert plan.count("Index Cond: (stage_id = ANY") == 2, plan


# snoozes


def test_a_snoozed_deal_leaves_the_nudges_until_the_snooze_ends(db, now):
    _deal(db, now - timedelta(days=30))
    with db.transaction() as s:
        until = snooze(s, team="T1", kind=DEAL, number=1, days=3, actor="UBOB", now=now)
    assert until == now + timedelta(days=3)
    assert _items(db, now + timedelta(days=2)) == []
    assert [i.number for i in _items(db, now + timedelta(days=3))] == [1]


def test_snoozing_again_replaces_the_snooze_and_expired_ones_are_forgotten(db, now):
    _deal(db, now - timedelta(days=30))
    with db.transaction() as s:
        snooze(s, team="T1", kind=DEAL, number=1, days=7, actor="UBOB", now=now)
        snooze(s, team="T1", kind=DEAL, number=1, days=3, actor="UBOB", now=now)
    with db.transaction() as s:
        assert snoozed_until(s, team="T1", kind=DEAL, number=1) == now + timedelta(days=3)
        forget_expired_snoozes(s, now=now + timedelta(days=3))
    with db.transaction() as s:
        assert snoozed_until(s, team="T1", kind=DEAL, number=1) is None


# settings


def test_the_default_is_weekdays_at_nine_and_changes_count_from_when_they_were_made(db, now):
    with db.transaction() as s:
        default = nudge_setting(s, team="T1", user="UBOB")
        assert (default.enabled, default.at_time, default.days, default.set_at) == (
            True, "09:00", ("mon", "tue", "wed", "thu", "fri"), None)
        later = now + timedelta(hours=1)
        changed = change_nudges(s, team="T1", user="UBOB", now=later, at_time="7:30",
                                every_day=True)
        assert (changed.at_time, len(changed.days), changed.set_at) == ("07:30", 7, later)
        off = change_nudges(s, team="T1", user="UBOB", now=later, enabled=False)
        assert (off.enabled, off.at_time) == (False, "07:30")


def test_a_person_slack_refused_is_on_again_once_they_turn_nudges_on(db, now):
    with db.transaction() as s:
        remember_timezone(s, team="T1", user="UBOB", timezone="Europe/Oslo", now=now)
        mark_gone(s, team="T1", user="UBOB", reason="user_not_found")
        gone = nudge_setting(s, team="T1", user="UBOB")
        assert (gone.gone_reason, gone.slack_timezone, gone.set_at) == (
            "user_not_found", "Europe/Oslo", None)
        change_nudges(s, team="T1", user="UBOB", now=now, enabled=True)
        assert nudge_setting(s, team="T1", user="UBOB").gone_reason is None
        both = nudge_settings(s, [("T1", "UBOB"), ("T1", "UCAT")])
        assert both[("T1", "UBOB")].slack_timezone == "Europe/Oslo"
        assert both[("T1", "UCAT")].set_at is None


# the ledger


def test_a_day_is_claimed_once_and_given_back_only_while_unsent(db, now):
    day = {"team": "T1", "user": "UBOB", "period": "2026-11-22"}
    with db.transaction() as s:
        assert ledger.claim_nudge(s, **day, due_at=now, now=now)
        assert not ledger.claim_nudge(s, **day, due_at=now, now=now)
        ledger.release_nudge(s, **day)
        assert ledger.claim_nudge(s, **day, due_at=now, now=now)
        assert not ledger.claim_nudge(s, team="T1", user="UBOB", period="2026-11-22",
                                      due_at=now, now=now)
        ledger.settle_nudge(s, **day, outcome="posted", posted_at=now)
        ledger.release_nudge(s, **day)  # sent: stays claimed
        assert not ledger.claim_nudge(s, **day, due_at=now, now=now)
        assert ledger.claim_nudge(s, team="T2", user="UBOB", period="2026-11-22",
                                  due_at=now, now=now)




def test_a_lead_is_stale_by_its_last_contact_and_its_next_action_due_needs_its_owner(db, now):
    with db.transaction() as s:
        for name in ("Called", "Due", "Quiet"):
            leads.add_lead(s, team="T1", name=name, actor="UANN", owner="UBOB",
                           now=now - timedelta(days=30))
        leads.add_lead_note(s, team="T1", number=1, text="called", actor="UBOB",
                            now=now - timedelta(days=2))
        leads.add_lead_note(s, team="T1", number=2, text="called", actor="UBOB",
                            now=now - timedelta(days=2))
        leads.set_lead_next_action(s, team="T1", number=2, text="send the deck",
                                   due=now.date(), actor="UBOB", now=now - timedelta(days=2))
        leads.move_lead(s, team="T1", number=3, stage="interest", actor="UANN",
                        now=now - timedelta(days=1))  # activity, but no contact
    quiet, due = _items(db, now)  # the longest without a contact first
    assert (due.name, due.idle_days, due.next_action, due.action_due) == (
        "Due", None, "send the deck", now.date())
    assert (quiet.name, quiet.idle_days, quiet.next_action) == ("Quiet", 30, None)
