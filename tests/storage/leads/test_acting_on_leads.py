"""Acting on a lead: last contact, next action, owner, and which leads have gone stale; on
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from storage.errors import RuleViolation, StaleVersion, UsageError
from storage.leads import operations as leads
from storage.leads import queries as lead_queries
from storage.reports.funnel import funnel_report
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
    assert stale(25) == ["New", "Called", "Quiet"]
    assert stale(25, owner="U2") == ["New"]
    with db.transaction() as s:
        update_settings(s, team="T1", now=now, rotting_days=30)
    assert stale(25) == []


def test_the_list_filters_by_a_part_of_the_company_name_whatever_its_case(db, now):
    _add(db, now, name="Jane", company="Globex")
    _add(db, now, name="John", company="globex ")
    _add(db, now, name="Ann", company="Globex Nordic")
    _add(db, now, name="Ola", company="Initech")
    _add(db, now, name="Per")
    with db.transaction() as s:
        found = lead_queries.list_leads(s, team="T1", company="GLOBEX")
        nordic = lead_queries.list_leads(s, team="T1", company="nordic")
    assert sorted(lead.name for lead in found.leads) == ["Ann", "Jane", "John"]
    assert found.total == 3 and [lead.name for lead in nordic.leads] == ["Ann"]


@pytest.mark.parametrize(("add", "remove", "error", "words"), [
    ((), (), UsageError, "Which tags"),
    (("q4",), (), RuleViolation, "has `#q4` already"),
    ((), ("emea",), RuleViolation, "has no `#emea` to take away; its tags are `#q4`"),
    (("x" * 41,), (), UsageError, "too long for a tag"),
])
def test_tagging_what_makes_no_sense_is_refused_and_changes_nothing(db, now, add, remove, error,
                                                                     words):
    _add(db, now, tags=["q4"])
    with pytest.raises(error, match=words):
        with db.transaction() as s:
            leads.tag_lead(s, team="T1", number=1, add=add, remove=remove, actor="U1", now=now)
    assert _show(db).tags == ("q4",) and len(_history(db)) == 1


def test_tags_are_added_and_taken_away_as_one_history_entry(db, now):
    _add(db, now, tags=["q4"])
    with db.transaction() as s:
        leads.tag_lead(s, team="T1", number=1, add=["emea", "webinar"], actor="U1", now=now)
        change = leads.tag_lead(s, team="T1", number=1, remove=["q4"], actor="U2", now=now)
    assert change.lead.tags == ("emea", "webinar")
    assert [(e.field, e.old_value, e.new_value) for e in _history(db)[1:]] == [
        ("tags", "q4", "emea q4 webinar"), ("tags", "emea q4 webinar", "emea webinar")]


def _fields(**changed):
    base = dict(name="Jane Roe", company="Globex", contact=None, source="webinar", owner="U1",
                tags=("q4",), next_action=None, next_action_due=None)
    return leads.LeadFields(**{**base, **changed})


def _edit(db, now, version=None, **changed):
    with db.transaction() as s:
        return leads.edit_lead(s, team="T1", number=1, actor="U2", now=now,
                               fields=_fields(**changed), expected_version=version)


@pytest.mark.parametrize(("changed", "error", "words"), [
    ({}, RuleViolation, "Nothing changed"),
    ({"name": "  "}, UsageError, "A lead needs a name"),
    ({"contact": "jane"}, UsageError, "neither an email address nor a phone number"),
    ({"company": "x" * 201}, UsageError, "at most 200 characters"),
    ({"next_action": "x" * 501}, UsageError, "at most 500 characters"),
])
def test_an_edit_that_breaks_a_rule_changes_nothing(db, now, changed, error, words):
    _add(db, now, company="Globex", source="webinar", tags=["q4"])
    with pytest.raises(error, match=words):
        _edit(db, now, **changed)
    assert _show(db).name == "Jane Roe" and len(_history(db)) == 1


def test_an_edit_from_an_old_form_is_refused(db, now):
    _add(db, now, company="Globex", source="webinar", tags=["q4"])
    with db.transaction() as s:
        leads.add_lead_note(s, team="T1", number=1, text="called", actor="U1", now=now)
    with pytest.raises(StaleVersion):
        _edit(db, now, version=1, name="Jane Doe")


def test_an_edit_corrects_every_field_with_one_history_entry_each(db, now):
    _add(db, now, name="Jane Rho", company="Globx", source="webinar", tags=["q4"])
    lead = _edit(db, now, name="Jane Roe", contact="jane@globex.com", source=" Referral ",
                 owner="U2", tags=("emea",), next_action="demo", next_action_due=date(2026, 12, 4))
    assert (lead.name, lead.company, lead.contact, lead.source, lead.owner, lead.tags) == (
        "Jane Roe", "Globex", "jane@globex.com", "referral", "U2", ("emea",))
    assert (lead.next_action, lead.next_action_due) == ("demo", date(2026, 12, 4))
    assert [(e.kind, e.field, e.old_value, e.new_value) for e in _history(db)[1:]] == [
        ("edit", "name", "Jane Rho", "Jane Roe"), ("edit", "company", "Globx", "Globex"),
        ("edit", "contact", None, "jane@globex.com"), ("edit", "source", "webinar", "referral"),
        ("assign", "owner", "U1", "U2"), ("edit", "tags", "q4", "emea"),
        ("edit", "next_action", None, "demo"), ("edit", "next_action_due", None, "2026-12-04")]
    cleared = _edit(db, now, contact="jane@globex.com", source="referral", owner="U2",
                    tags=(), next_action_due=date(2026, 12, 4))
    assert (cleared.tags, cleared.next_action, cleared.next_action_due) == ((), None, None)


def test_a_dropped_leads_reason_is_added_or_changed_afterwards(db, now):
    _add(db, now)
    with db.transaction() as s:
        leads.drop_lead(s, team="T1", number=1, actor="U1", now=now)
    for reason, words in ((None, "add `reason:`"), ("  ", "add `reason:`")):
        with pytest.raises(RuleViolation, match=words):
            with db.transaction() as s:
                leads.drop_lead(s, team="T1", number=1, actor="U1", now=now, reason=reason)
    with db.transaction() as s:
        leads.drop_lead(s, team="T1", number=1, actor="U1", now=now, reason="no budget")
        change = leads.drop_lead(s, team="T1", number=1, actor="U2", now=now,
                                 reason="chose a competitor")
    assert (change.lead.stage.name, change.lead.drop_reason) == ("Dropped", "chose a competitor")
    assert [(e.kind, e.field, e.old_value, e.new_value) for e in _history(db)[2:]] == [
        ("edit", "drop_reason", None, "no budget"),
        ("edit", "drop_reason", "no budget", "chose a competitor")]
    with pytest.raises(RuleViolation, match="for that reason already"):
        with db.transaction() as s:
            leads.drop_lead(s, team="T1", number=1, actor="U1", now=now,
                            reason="chose a competitor")


def test_the_funnels_sources_can_be_read_for_the_leads_of_one_tag(db, now):
    for name, source, tags in (("A", "webinar", ["enterprise"]), ("B", "webinar", []),
                               ("C", "ads", ["enterprise", "q4"]), ("D", "ads", ["smb"])):
        _add(db, now, name=name, source=source, tags=tags)
    with db.transaction() as s:
        leads.convert_lead(s, team="T1", number=3, actor="U1", now=now, value=Decimal("1"))
        every = funnel_report(s, team="T1", now=now)
        enterprise = funnel_report(s, team="T1", now=now, sources_tag="enterprise")
    assert [(x.source, x.new_leads, x.became_deals) for x in every.sources] == [
        ("ads", 2, 1), ("webinar", 2, 0)]
    assert [(x.source, x.new_leads, x.became_deals) for x in enterprise.sources] == [
        ("ads", 1, 1), ("webinar", 1, 0)]
    assert enterprise.sources_tag == "enterprise" and enterprise.stages == every.stages
