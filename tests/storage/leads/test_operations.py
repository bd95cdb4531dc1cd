"""Lead operations and their rules, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage import stages
from storage.errors import Ambiguous, NotFound, RuleViolation, StaleVersion, UsageError
from storage.leads import operations as leads
from storage.leads import queries as lead_queries
from storage.lookup import resolve_lead


def _add(db, now, name="Jane Roe", team="T1", **kw):
    with db.transaction() as s:
        return leads.add_lead(s, team=team, name=name, actor="U1", now=now, **kw).lead


def _history(db, number=1):
    with db.transaction() as s:
        return lead_queries.lead_history(s, team="T1", number=number)[1]


def test_a_new_lead_starts_in_awareness_owned_by_its_creator(db, now):
    lead = _add(db, now, company="Globex", source="Webinar", contact="jane@globex.com",
                tags=["q4", "emea", "q4"])
    assert (lead.number, lead.name, lead.company, lead.stage.name) == (
        1, "Jane Roe", "Globex", "Awareness")
    assert (lead.owner, lead.contact, lead.tags) == ("U1", "jane@globex.com", ("emea", "q4"))
    assert lead.next_stage.name == "Interest" and lead.deal is None
    assert [e.kind for e in _history(db)] == ["created"]


def test_sources_are_one_whatever_their_case_and_spacing(db, now):
    _add(db, now, name="A", source="Webinar")
    _add(db, now, name="B", source="  WEBINAR ")
    _add(db, now, name="C", source="LinkedIn  Ads")
    with db.transaction() as s:
        webinar = lead_queries.list_leads(s, team="T1", source="webinar")
        ads = lead_queries.list_leads(s, team="T1", source="linkedin ads")
    assert {lead.source for lead in webinar.leads} == {"webinar"} and webinar.total == 2
    assert [lead.name for lead in ads.leads] == ["C"]


def test_lead_numbers_count_per_workspace_and_apart_from_deals(db, now):
    _add(db, now, team="T1")
    assert _add(db, now, team="T2").number == 1


def test_moving_records_the_stage_change(db, now):
    _add(db, now)
    with db.transaction() as s:
        change = leads.move_lead(s, team="T1", number=resolve_lead(s, team="T1", ref="jane"),
                                 stage="cons", actor="U2", now=now + timedelta(hours=1))
    assert change.lead.stage.name == "Consideration" and change.lead.version == 2
    assert [(e.kind, e.from_stage, e.to_stage, e.actor) for e in _history(db)] == [
        ("created", None, "Awareness", "U1"), ("stage", "Awareness", "Consideration", "U2")]


@pytest.mark.parametrize(("stage", "error", "words"), [
    ("conversion", RuleViolation, "when the deal it was converted into is won"),
    ("awareness", RuleViolation, "already in Awareness"),
    ("nowhere", NotFound, "There is no stage called `nowhere`"),
])
def test_moves_that_break_a_rule_are_refused_and_change_nothing(db, now, stage, error, words):
    _add(db, now)
    with pytest.raises(error, match=words):
        with db.transaction() as s:
            leads.move_lead(s, team="T1", number=1, stage=stage, actor="U1", now=now)
    assert [e.kind for e in _history(db)] == ["created"]


def test_a_new_lead_cannot_start_in_conversion(db, now):
    with pytest.raises(RuleViolation, match="by hand"):
        _add(db, now, stage="conversion")


def test_a_dropped_lead_keeps_its_reason_and_comes_back_when_moved(db, now):
    _add(db, now)
    with db.transaction() as s:
        dropped = leads.drop_lead(s, team="T1", number=1, actor="U1", now=now,
                                  reason="no budget").lead
    assert dropped.is_dropped and dropped.drop_reason == "no budget" and dropped.next_stage is None
    with pytest.raises(RuleViolation, match="dropped already"):
        with db.transaction() as s:
            leads.drop_lead(s, team="T1", number=1, actor="U1", now=now)
    with db.transaction() as s:
        back = leads.move_lead(s, team="T1", number=1, stage="interest", actor="U1", now=now).lead
    assert (back.stage.name, back.dropped_at, back.drop_reason) == ("Interest", None, None)


def test_notes_go_into_the_history(db, now):
    _add(db, now)
    with db.transaction() as s:
        leads.add_lead_note(s, team="T1", number=1, text="  met at the booth ", actor="U2",
                            now=now)
    assert _history(db)[-1].new_value == "met at the booth"
    with pytest.raises(UsageError, match="cannot be empty"):
        with db.transaction() as s:
            leads.add_lead_note(s, team="T1", number=1, text="  ", actor="U2", now=now)


@pytest.mark.parametrize("contact", ["jane", "12 34", "jane@", "x" * 201])
def test_a_contact_must_be_an_email_or_a_phone_number(db, now, contact):
    with pytest.raises(UsageError):
        _add(db, now, contact=contact)


def test_a_phone_number_is_a_contact(db, now):
    assert _add(db, now, contact="+47 22 33 44 55").contact == "+47 22 33 44 55"


def test_an_ambiguous_name_offers_the_candidates(db, now):
    _add(db, now, name="Jane Roe")
    _add(db, now, name="Jane Doe")
    with pytest.raises(Ambiguous) as caught:
        with db.transaction() as s:
            resolve_lead(s, team="T1", ref="jane")
    assert caught.value.candidates == [(1, "Jane Roe"), (2, "Jane Doe")]


def test_another_workspaces_lead_behaves_like_one_that_does_not_exist(db, now):
    _add(db, now, team="T2")
    with pytest.raises(NotFound, match="There is no lead #1"):
        with db.transaction() as s:
            lead_queries.show_lead(s, team="T1", number=1)


def test_the_list_filters_by_stage_source_owner_and_tag_and_hides_dropped(db, now):
    _add(db, now, name="A", source="webinar", tags=["q4"])
    _add(db, now, name="B", owner="U2", stage="interest")
    _add(db, now, name="C")
    with db.transaction() as s:
        leads.drop_lead(s, team="T1", number=resolve_lead(s, team="T1", ref="C"), actor="U1",
                        now=now)
        def listed(**kw):
            return [x.name for x in lead_queries.list_leads(s, team="T1", **kw).leads]
        assert listed() == ["A", "B"]
        assert listed(owner="U2") == ["B"] and listed(tag="q4") == ["A"]
        assert listed(source="Webinar") == ["A"] and listed(stage="int") == ["B"]
        assert listed(stage="dropped") == ["C"]


def test_a_stale_version_is_refused(db, now):
    _add(db, now)
    with db.transaction() as s:
        leads.move_lead(s, team="T1", number=1, stage="interest", actor="U1", now=now)
    with pytest.raises(StaleVersion):
        with db.transaction() as s:
            leads.move_lead(s, team="T1", number=1, stage="consideration", actor="U1", now=now,
                            expected_version=1)


def test_funnel_stages_are_configurable_and_history_keeps_pointing_at_them(db, now):
    _add(db, now)
    with db.transaction() as s:
        leads.move_lead(s, team="T1", number=1, stage="interest", actor="U1", now=now)
        stages.rename_stage(s, team="T1", stage="interest", new_name="Curious", kind="lead")
    assert _history(db)[-1].to_stage == "Curious"
