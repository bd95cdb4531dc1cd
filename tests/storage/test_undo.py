"""Undo: a person takes back their latest change (or one change, by its id) within 15 minutes,
unless something else changed its records since; the change's events stay, void."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from storage.deals import operations as deals
from storage.deals import queries as deal_queries
from storage.errors import (
    AlreadyUndone,
    ChangedSince,
    NoSuchChange,
    NoSuchRecord,
    NothingToUndo,
    NotYourChange,
    TooLateToUndo,
)
from storage.kinds import EventKind, PipelineKind
from storage.leads import operations as leads
from storage.leads import queries as lead_queries
from storage.lookup import resolve_deal
from storage.models import Change, Deal, DealEvent, LeadEvent
from storage.undo import latest_change, undo_change, undo_last_change

MINUTE = timedelta(minutes=1)


def _deal(db, now, name="Acme", value="50000", actor="U1", **kw):
    with db.transaction() as s:
        return deals.create_deal(s, team="T1", name=name, actor=actor, now=now,
                                 value=Decimal(value), **kw)


def _undo(db, now, actor="U1", **kw):
    with db.transaction() as s:
        return undo_last_change(s, team="T1", actor=actor, now=now, **kw)


def _show(db, number=1):
    with db.transaction() as s:
        return deal_queries.show_deal(s, team="T1", number=number)


def _history(db, number=1):
    with db.transaction() as s:
        return [(e.kind, e.to_stage, e.field) for e in
                deal_queries.deal_history(s, team="T1", number=number)[1]]


def test_an_edit_form_a_conversion_and_a_win_each_write_one_change(db, now):
    with db.transaction() as s:
        leads.add_lead(s, team="T1", name="Jane", actor="U1", now=now)
        conversion = leads.convert_lead(s, team="T1", number=1, actor="U1", now=now + MINUTE)
        deals.edit_deal(s, team="T1", number=1, actor="U1", now=now + 2 * MINUTE,
                        fields=deals.DealFields(
                            name="Jane Roe", value=Decimal("10"), expected_close=None,
                            owner="U2", next_action=None, next_action_due=None, tags=("q4",)))
        win = deals.win_deal(s, team="T1", number=1, actor="U1", now=now + 3 * MINUTE)
        rows = (s.execute(select(DealEvent.at, DealEvent.change_id)).all()
                + s.execute(select(LeadEvent.at, LeadEvent.change_id)).all())
    changes: dict = {}
    for at, change in rows:
        changes.setdefault(change, []).append((at - now) // MINUTE)
    # the lead's creation; the conversion (lead: convert, to Engagement; deal: created); the
    # edit (name, value, owner, tags); the win (deal: to Won; lead: to Conversion)
    assert sorted(changes.values()) == [[0], [1, 1, 1], [2, 2, 2, 2], [3, 3]]
    assert conversion.event.change_id in changes and win.event.change_id in changes


def test_undoing_a_move_puts_the_deal_back_and_hides_the_move_from_its_history(db, now):
    _deal(db, now)
    with db.transaction() as s:
        deals.move_deal(s, team="T1", number=1, stage="proposal", actor="U1", now=now + MINUTE)
    undone = _undo(db, now + 5 * MINUTE)
    deal = _show(db)
    assert (deal.stage.name, deal.last_activity_at, deal.version) == ("Prospecting", now, 3)
    assert _history(db) == [(EventKind.CREATED, "Prospecting", None)]
    assert [(r.kind, r.number, r.removed) for r in undone.records] == [("deal", 1, False)]
    assert [(e.kind, e.to_stage) for e in undone.records[0].events] == [("stage", "Proposal")]
    assert undone.deals[0].stage.name == "Prospecting"
    with db.transaction() as s:  # kept for audit, void
        kept = s.execute(select(DealEvent.kind, DealEvent.voided_at, DealEvent.voided_by)
                         .order_by(DealEvent.id)).all()
    assert kept == [("created", None, None), ("stage", now + 5 * MINUTE, "U1")]


def test_undoing_an_edit_form_restores_every_field_it_changed(db, now):
    _deal(db, now, expected_close=date(2026, 12, 1), tags=["a"])
    before = _show(db)
    with db.transaction() as s:
        deals.set_next_action(s, team="T1", number=1, text="call", due=date(2026, 11, 30),
                              actor="U1", now=now + MINUTE)
    after_next = _show(db)
    with db.transaction() as s:
        deals.edit_deal(s, team="T1", number=1, actor="U1", now=now + 2 * MINUTE,
                        fields=deals.DealFields(
                            name="Acme North", value=Decimal("7"), expected_close=None,
                            owner="U2", next_action="email", next_action_due=None,
                            tags=("b", "c")))
    _undo(db, now + 3 * MINUTE)
    restored = _show(db)
    assert (restored.name, restored.value, restored.expected_close, restored.owner,
            restored.next_action, restored.next_action_due, restored.tags,
            restored.last_activity_at) == (
        "Acme", Decimal("50000.00"), date(2026, 12, 1), "U1", "call", date(2026, 11, 30),
        ("a",), now + MINUTE)
    assert restored.version > after_next.version
    _undo(db, now + 4 * MINUTE)  # and the next action before it
    again = _show(db)
    assert (again.next_action, again.next_action_due, again.last_activity_at) == (
        before.next_action, before.next_action_due, now)


def test_the_edit_forms_change_is_found_for_its_undo_button(db, now):
    _deal(db, now)
    with db.transaction() as s:
        deals.edit_deal(s, team="T1", number=1, actor="U2", now=now + MINUTE,
                        fields=deals.DealFields(
                            name="Acme", value=Decimal("1"), expected_close=None, owner="U1",
                            next_action=None, next_action_due=None, tags=()))
        change_id = latest_change(s, team="T1", actor="U2")
        assert latest_change(s, team="T1", actor="U3") is None
    assert change_id is not None
    with db.transaction() as s:
        undo_change(s, team="T1", actor="U2", change_id=change_id, now=now + 2 * MINUTE)
        assert latest_change(s, team="T1", actor="U2") is None
    assert _show(db).value == Decimal("50000.00")


def test_undoing_a_note_restores_the_last_contact(db, now):
    _deal(db, now)
    with db.transaction() as s:
        deals.add_note(s, team="T1", number=1, text="called", actor="U1", now=now + MINUTE)
    _undo(db, now + 2 * MINUTE)
    deal = _show(db)
    assert (deal.last_contact_at, deal.last_activity_at) == (None, now)
    assert _history(db) == [(EventKind.CREATED, "Prospecting", None)]


def test_undoing_a_loss_reopens_the_deal_without_its_reason(db, now):
    _deal(db, now)
    with db.transaction() as s:
        deals.lose_deal(s, team="T1", number=1, reason="price", actor="U1", now=now + MINUTE)
    _undo(db, now + 2 * MINUTE)
    deal = _show(db)
    assert (deal.stage.name, deal.closed_at, deal.lost_reason) == ("Prospecting", None, None)
    with db.transaction() as s:
        assert deal_queries.recent_lost_reasons(s, team="T1") == ()


def test_a_reopen_stays_a_reopen_and_undoing_it_closes_the_deal_again(db, now):
    _deal(db, now)
    with db.transaction() as s:
        deals.lose_deal(s, team="T1", number=1, reason="price", actor="U1", now=now + MINUTE)
        deals.reopen_deal(s, team="T1", number=1, actor="U1", now=now + 2 * MINUTE)
    _undo(db, now + 3 * MINUTE)  # the reopen, not the loss
    deal = _show(db)
    assert (deal.stage.name, deal.closed_at, deal.lost_reason) == (
        "Lost", now + MINUTE, "price")
    assert [k for k, _, _ in _history(db)] == ["created", "stage"]


def test_undoing_a_creation_makes_the_deal_disappear_everywhere(db, now):
    _deal(db, now, name="Acme")
    _deal(db, now + MINUTE, name="Acme North", owner="U1")
    undone = _undo(db, now + 2 * MINUTE)
    assert [(r.number, r.removed) for r in undone.records] == [(2, True)]
    assert undone.deals == ()
    with db.transaction() as s:
        assert resolve_deal(s, team="T1", ref="acme") == 1  # no longer ambiguous
        with pytest.raises(NoSuchRecord):
            deal_queries.show_deal(s, team="T1", number=2)
        assert [d.number for d in deal_queries.list_deals(s, team="T1").deals] == [1]
        assert deal_queries.open_deals_of(s, team="T1", owner="U1", limit=10).total == 1
        assert [t.count for t in deal_queries.stage_totals(s, team="T1")][0] == 1
        assert s.get(Deal, 2).voided_at == now + 2 * MINUTE  # kept for audit
        number = deals.create_deal(s, team="T1", name="Next", actor="U1",
                                   now=now + 3 * MINUTE).deal.number
    assert number == 3  # a number once shown is never given to another deal


def test_undoing_a_conversion_removes_its_deal_and_puts_the_lead_back(db, now):
    with db.transaction() as s:
        leads.add_lead(s, team="T1", name="Jane", actor="U1", now=now)
    with db.transaction() as s:
        leads.convert_lead(s, team="T1", number=1, actor="U1", now=now + MINUTE)
    undone = _undo(db, now + 2 * MINUTE)
    assert sorted((r.kind, r.removed) for r in undone.records) == [
        ("deal", True), ("lead", False)]
    assert undone.leads[0].stage.name == "Awareness" and undone.leads[0].deal is None
    with db.transaction() as s:
        lead = lead_queries.show_lead(s, team="T1", number=1)
        assert (lead.stage.name, lead.converted_at, lead.last_activity_at) == (
            "Awareness", None, now)
        assert [e.kind for e in lead_queries.lead_history(s, team="T1", number=1)[1]] == [
            "created"]
        assert deal_queries.list_deals(s, team="T1").total == 0
        again = leads.convert_lead(s, team="T1", number=1, actor="U1", now=now + 3 * MINUTE)
    assert again.deal.number == 2 and again.lead.deal == (2, "Jane")


def test_undoing_a_win_takes_the_lead_back_out_of_conversion(db, now):
    with db.transaction() as s:
        leads.add_lead(s, team="T1", name="Jane", actor="U1", now=now)
        leads.convert_lead(s, team="T1", number=1, actor="U1", now=now + MINUTE)
        deals.win_deal(s, team="T1", number=1, actor="U1", now=now + 2 * MINUTE)
    _undo(db, now + 3 * MINUTE)
    with db.transaction() as s:
        lead = lead_queries.show_lead(s, team="T1", number=1)
        deal = deal_queries.show_deal(s, team="T1", number=1)
    assert (lead.stage.name, lead.last_activity_at) == ("Engagement", now + MINUTE)
    assert (deal.stage.name, deal.closed_at) == ("Prospecting", None)


def test_undoing_a_lead_creation_makes_the_lead_disappear(db, now):
    with db.transaction() as s:
        leads.add_lead(s, team="T1", name="Jane", actor="U1", now=now)
    _undo(db, now + MINUTE)
    with db.transaction() as s:
        assert lead_queries.list_leads(s, team="T1").total == 0
        with pytest.raises(NoSuchRecord):
            lead_queries.show_lead(s, team="T1", number=1)


def test_lead_undo_takes_the_latest_change_to_a_lead(db, now):
    with db.transaction() as s:
        leads.add_lead(s, team="T1", name="Jane", actor="U1", now=now)
    _deal(db, now + MINUTE, name="Acme")
    _undo(db, now + 2 * MINUTE, kind=PipelineKind.LEAD)
    with db.transaction() as s:
        assert lead_queries.list_leads(s, team="T1").total == 0
        assert deal_queries.list_deals(s, team="T1").total == 1


def test_undo_walks_back_one_change_at_a_time_and_then_has_nothing(db, now):
    _deal(db, now)
    with db.transaction() as s:
        deals.move_deal(s, team="T1", number=1, stage="meeting", actor="U1", now=now + MINUTE)
        deals.set_value(s, team="T1", number=1, value=Decimal(1), actor="U1",
                        now=now + 2 * MINUTE)
    for minute in (3, 4, 5):
        _undo(db, now + minute * MINUTE)
    with pytest.raises(NothingToUndo):
        _undo(db, now + 6 * MINUTE)
    with db.transaction() as s:
        assert deal_queries.list_deals(s, team="T1").total == 0


def _changed_nothing(db, expected):
    with db.transaction() as s:
        assert [(d.number, d.stage.name, d.value, d.version)
                for d in deal_queries.list_deals(s, team="T1").deals] == expected


def test_an_undo_after_15_minutes_is_refused_and_changes_nothing(db, now):
    _deal(db, now)
    with db.transaction() as s:
        deals.move_deal(s, team="T1", number=1, stage="meeting", actor="U1", now=now)
    with pytest.raises(TooLateToUndo) as caught:
        _undo(db, now + 15 * MINUTE + timedelta(seconds=1))
    assert (caught.value.at, caught.value.minutes) == (now, 15)
    _changed_nothing(db, [(1, "Meeting", Decimal("50000.00"), 2)])
    assert _undo(db, now + 15 * MINUTE).deals[0].stage.name == "Prospecting"


def test_an_undo_is_refused_saying_who_changed_the_record_since(db, now):
    _deal(db, now)
    with db.transaction() as s:
        deals.move_deal(s, team="T1", number=1, stage="meeting", actor="U1", now=now + MINUTE)
        deals.set_value(s, team="T1", number=1, value=Decimal(9), actor="U2",
                        now=now + 2 * MINUTE)
    with pytest.raises(ChangedSince) as caught:
        _undo(db, now + 3 * MINUTE)
    refused = caught.value
    assert (refused.kind, refused.number, refused.name) == ("deal", 1, "Acme")
    assert (refused.by, refused.what, refused.field, refused.at) == (
        "U2", EventKind.EDIT, "value", now + 2 * MINUTE)
    _changed_nothing(db, [(1, "Meeting", Decimal("9.00"), 3)])
    _undo(db, now + 3 * MINUTE, actor="U2")  # once U2 takes theirs back, U1 may too
    _undo(db, now + 4 * MINUTE)
    _changed_nothing(db, [(1, "Prospecting", Decimal("50000.00"), 5)])


def test_an_undo_of_a_conversion_is_refused_once_its_deal_was_touched(db, now):
    with db.transaction() as s:
        leads.add_lead(s, team="T1", name="Jane", actor="U1", now=now)
        leads.convert_lead(s, team="T1", number=1, actor="U1", now=now + MINUTE)
        deals.add_note(s, team="T1", number=1, text="hi", actor="U2", now=now + 2 * MINUTE)
    with pytest.raises(ChangedSince) as caught:
        _undo(db, now + 3 * MINUTE)
    assert (caught.value.kind, caught.value.by, caught.value.what) == ("deal", "U2", "note")


def test_an_undo_button_is_only_for_its_maker_and_works_once(db, now):
    change_id = _deal(db, now).event.change_id
    assert change_id is not None
    with pytest.raises(NotYourChange) as caught:
        with db.transaction() as s:
            undo_change(s, team="T1", actor="U2", change_id=change_id, now=now)
    assert caught.value.actor == "U1"
    with pytest.raises(NoSuchChange):
        with db.transaction() as s:
            undo_change(s, team="T2", actor="U1", change_id=change_id, now=now)
    with db.transaction() as s:
        undo_change(s, team="T1", actor="U1", change_id=change_id, now=now + MINUTE)
    with pytest.raises(AlreadyUndone) as again:
        with db.transaction() as s:
            undo_change(s, team="T1", actor="U1", change_id=change_id, now=now + MINUTE)
    assert (again.value.by, again.value.at) == ("U1", now + MINUTE)


def test_nothing_to_undo_for_someone_who_changed_nothing(db, now):
    _deal(db, now)
    with pytest.raises(NothingToUndo):
        _undo(db, now, actor="U2")


def test_imports_are_not_changes_anyone_can_undo(db, now):
    from storage.imports.deals import import_deals
    from storage.imports.records import DealRecord

    with db.transaction() as s:
        import_deals(s, team="T1", now=now, records=[DealRecord(
            line=2, external_id="X1", name="Imported", value=Decimal(5), stage="Won",
            created=now - timedelta(days=3), won_at=now - timedelta(days=1))])
        assert s.scalars(select(Change)).all() == []
        assert {e.change_id for e in s.scalars(select(DealEvent))} == {None}
    with pytest.raises(NothingToUndo):
        _undo(db, now)
