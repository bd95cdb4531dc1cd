"""Kinds are enums over the same stored strings; tags are a sorted tuple over the same text."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError

from storage.deals import operations as deals
from storage.deals import queries as deal_queries
from storage.kinds import EventKind, StageKind
from storage.leads import operations as leads
from storage.leads import queries as lead_queries
from storage.models import Deal, DealEvent, Stage


def test_kinds_read_back_as_enum_members_over_the_same_stored_text(db, now):
    with db.transaction() as s:
        deals.create_deal(s, team="T1", name="Acme", actor="U1", now=now)
        deals.win_deal(s, team="T1", number=1, actor="U1", now=now)
    with db.transaction() as s:
        kinds = list(s.scalars(select(DealEvent.kind).order_by(DealEvent.id)))
        stored = list(s.scalars(text("SELECT kind FROM deal_events ORDER BY id")))
        won = s.scalars(select(Stage).where(Stage.kind == StageKind.WON)).one()
    assert kinds == [EventKind.CREATED, EventKind.STAGE]
    assert all(type(k) is EventKind for k in kinds) and type(won.kind) is StageKind
    assert stored == ["created", "stage"] and all(type(k) is str for k in stored)


def test_a_kind_column_refuses_a_word_that_is_not_one_of_its_kinds(db, now):
    with pytest.raises(StatementError, match="'won' is not a valid EventKind"), \
            db.transaction() as s:
        deals.create_deal(s, team="T1", name="Acme", actor="U1", now=now)
        row = s.scalars(select(Deal)).one()
        s.add(DealEvent(team_id="T1", deal_id=row.id, at=now, kind="won"))
        s.flush()


def test_tags_are_sorted_once_each_and_stored_as_space_separated_text(db, now):
    with db.transaction() as s:
        deal = deals.create_deal(s, team="T1", name="Acme", actor="U1", now=now,
                                 tags=["q4", "big", "q4"]).deal
        assert deal.tags == ("big", "q4")
    with db.transaction() as s:
        assert s.scalar(text("SELECT tags FROM deals")) == "big q4"
        assert deal_queries.show_deal(s, team="T1", number=1).tags == ("big", "q4")


def test_editing_tags_records_the_old_and_new_tags_as_text(db, now):
    with db.transaction() as s:
        view = deals.create_deal(s, team="T1", name="Acme", actor="U1", now=now,
                                 tags=["q4"]).deal
        fields = deals.DealFields(name=view.name, value=view.value, owner=view.owner,
                                  expected_close=None, next_action=None, next_action_due=None,
                                  tags=("renewal", "big"))
        edited = deals.edit_deal(s, team="T1", number=1, actor="U1", now=now, fields=fields)
        _, events = deal_queries.deal_history(s, team="T1", number=1)
    assert edited.tags == ("big", "renewal")
    assert [(e.field, e.old_value, e.new_value) for e in events[1:]] == [
        ("tags", "q4", "big renewal")]
    unchanged = deals.DealFields(**{**dataclasses.asdict(fields), "tags": ("big", "renewal")})
    with db.transaction() as s:
        deals.edit_deal(s, team="T1", number=1, actor="U1", now=now, fields=unchanged)
        assert len(deal_queries.deal_history(s, team="T1", number=1)[1]) == 2


NEIGHBOURS = (("q4-renewal",), ("aq4",), ("q4x",), ("qx4",), ("big", "q4"), ("q4",))


def test_the_tag_filter_matches_whole_tags_only_for_deals(db, now):
    with db.transaction() as s:
        for n, tags in enumerate(NEIGHBOURS, start=1):
            deals.create_deal(s, team="T1", name=f"D{n}", actor="U1", now=now, tags=tags)
        found = deal_queries.list_deals(s, team="T1", tag="q4")
        wildcard = deal_queries.list_deals(s, team="T1", tag="q_4")  # `_` is no LIKE wildcard
    assert sorted(d.name for d in found.deals) == ["D5", "D6"] and found.total == 2
    assert wildcard.total == 0


def test_the_tag_filter_matches_whole_tags_only_for_leads(db, now):
    with db.transaction() as s:
        for n, tags in enumerate(NEIGHBOURS, start=1):
            leads.add_lead(s, team="T1", name=f"L{n}", actor="U1", now=now, tags=tags)
        found = lead_queries.list_leads(s, team="T1", tag="q4")
        converted = leads.convert_lead(s, team="T1", number=5, actor="U1", now=now)
    assert sorted(x.name for x in found.leads) == ["L5", "L6"] and found.total == 2
    assert converted.deal.tags == ("big", "q4")
