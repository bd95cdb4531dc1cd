"""Acting on a lead: last contact, next action, owner, and which leads have gone stale; on
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from storage.errors import RuleViolation, UsageError
from storage.leads import operations as leads
from storage.leads import queries as lead_queries
from storage.workspaces import update_settings
from tests.storage.leads.test_operations import _add, _history


def _show(db, number=1):
    with db.transaction() as s:
        return lead_queries.show_lead(s, team="T1", number=number)


@pytest.mark.parametrize(("text", "words"), [("", "What is the next action"),
                                             ("x" * 501, "at most 500 characters")])
def test_a_next_action_needs_text_within_its_limit_and_changes_nothing_else(db, now, text,
                                                                             words):
    _add(db, now)
    with pytest.raises(UsageError, match=words):
        with db.transaction() as s:
            leads.set_lead_next_action(s, team="T1", number=1, text=text, due=None,
                                       actor="U1", now=now)
    assert _show(db).next_action is None and len(_history(db)) == 1


def test_assigning_to_the_owner_it_has_is_refused(db, now):
    _add(db, now)
    with pytest.raises(RuleViolation, match="has that owner already"):
        with db.transaction() as s:
            leads.assign_lead(s, team="T1", number=1, owner="U1", actor="U1", now=now)
    assert len(_history(db)) == 1


def test_a_note_is_the_last_contact(db, now):
    assert _add(db, now).last_contact_at is None
    later = now + timedelta(days=2)
    with db.transaction() as s:
        change = leads.add_lead_note(s, team="T1", number=1, text="called", actor="U2",
                                     now=later)
    assert change.lead.last_contact_at == later == _show(db).last_contact_at


def test_the_next_action_and_the_owner_are_history(db, now):
    _add(db, now)
    with db.transaction() as s:
        leads.set_lead_next_action(s, team="T1", number=1, text=" send the deck ",
                                   due=date(2026, 12, 4), actor="U1", now=now)
        leads.assign_lead(s, team="T1", number=1, owner="U2", actor="U1", now=now)
    lead = _show(db)
    assert (lead.next_action, lead.next_action_due, lead.owner) == (
        "send the deck", date(2026, 12, 4), "U2")
    assert [(e.kind, e.field, e.old_value, e.new_value) for e in _history(db)[1:]] == [
        ("next", "next_action", None, "send the deck"), ("assign", "owner", "U1", "U2")]


def test_stale_leads_had_no_contact_within_the_workspaces_limit(db, now):
    _add(db, now, name="Quiet")
    _add(db, now, name="Called")
    _add(db, now, name="Dropped")
    _add(db, now, name="Converted")
    _add(db, now + timedelta(days=10), name="New", owner="U2")
    with db.transaction() as s:
        leads.add_lead_note(s, team="T1", number=2, text="called", actor="U1",
                            now=now + timedelta(days=10))
        leads.drop_lead(s, team="T1", number=3, actor="U1", now=now)
        leads.convert_lead(s, team="T1", number=4, actor="U1", now=now)

    def stale(days, **kw):
        with db.transaction() as s:
            found = lead_queries.stale_leads(s, team="T1", now=now + timedelta(days=days), **kw)
        return [lead.name for lead in found.leads]

    assert stale(14) == []
    assert stale(15) == ["Quiet"]  # the default limit is 14 days
    assert stale(25) == ["Quiet", "Called", "New"]  # longest idle first
    assert stale(25, owner="U2") == ["New"]
    with db.transaction() as s:
        update_settings(s, team="T1", now=now, rotting_days=30)
    assert stale(25) == []


def test_the_list_filters_by_company_whatever_its_case(db, now):
    _add(db, now, name="Jane", company="Globex")
    _add(db, now, name="John", company="globex ")
    _add(db, now, name="Ann", company="Globex Nordic")
    _add(db, now, name="Ola")
    with db.transaction() as s:
        found = lead_queries.list_leads(s, team="T1", company="GLOBEX")
    assert sorted(lead.name for lead in found.leads) == ["Jane", "John"] and found.total == 2
