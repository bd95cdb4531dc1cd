"""Deal operations and their rules, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from handlers import messages
from storage import stages
from storage.deals import operations as deals
from storage.deals import queries as deal_queries
from storage.errors import Ambiguous, ClosedDeal, NotFound, StaleVersion
from storage.lookup import resolve_deal


def _new(db, now, name="Acme", value="50000", team="T1", **kw):
    with db.transaction() as s:
        return deals.create_deal(s, team=team, name=name, actor="U1", now=now,
                                 value=Decimal(value), **kw).deal


def test_a_new_deal_starts_in_the_first_stage_with_its_stage_weight(db, now):
    deal = _new(db, now)
    assert (deal.number, deal.stage.name, deal.value, deal.probability) == (
        1, "Prospecting", Decimal("50000.00"), 10)
    assert deal.weighted == Decimal("5000.00")
    assert deal.owner == "U1" and deal.next_stage.name == "Qualification"


def test_deal_numbers_count_per_workspace(db, now):
    _new(db, now, team="T1")
    other = _new(db, now, team="T2")
    assert other.number == 1


def test_moving_records_the_stage_change_in_the_history(db, now):
    _new(db, now)
    with db.transaction() as s:
        change = deals.move_deal(s, team="T1", number=1, stage="prop", actor="U2",
                                 now=now + timedelta(hours=1))
    assert change.deal.stage.name == "Proposal" and change.deal.version == 2
    with db.transaction() as s:
        acme = resolve_deal(s, team="T1", ref="acme")
        _, history = deal_queries.deal_history(s, team="T1", number=acme)
    assert [(e.kind, e.from_stage, e.to_stage, e.actor) for e in history] == [
        ("created", None, "Prospecting", "U1"), ("stage", "Prospecting", "Proposal", "U2")]


def test_moving_a_won_deal_is_refused_naming_the_deal_to_reopen(db, now):
    _new(db, now)
    with db.transaction() as s:
        deals.win_deal(s, team="T1", number=1, actor="U1", now=now)
    with pytest.raises(ClosedDeal) as caught:
        with db.transaction() as s:
            deals.move_deal(s, team="T1", number=1, stage="meeting", actor="U1", now=now)
    assert (caught.value.number, caught.value.stage) == (1, "Won")
    assert messages.error_text(caught.value).endswith("reopen it: `/deal reopen #1`.")
    with db.transaction() as s:
        assert deal_queries.show_deal(s, team="T1", number=1).stage.name == "Won"


def test_reopening_a_lost_deal_returns_it_to_the_stage_it_was_lost_from(db, now):
    _new(db, now)
    with db.transaction() as s:
        deals.move_deal(s, team="T1", number=1, stage="negotiation", actor="U1", now=now)
        deals.lose_deal(s, team="T1", number=1, actor="U1", now=now, reason="price")
        reopened = deals.reopen_deal(s, team="T1", number=1, actor="U1", now=now).deal
    assert reopened.stage.name == "Negotiation" and reopened.lost_reason is None


def test_an_id_of_another_workspace_behaves_like_one_that_does_not_exist(db, now):
    _new(db, now, team="T2")
    with pytest.raises(NotFound, match="There is no deal #1"):
        with db.transaction() as s:
            deal_queries.show_deal(s, team="T1", number=1)


def test_a_name_part_matching_several_deals_offers_them(db, now):
    _new(db, now, name="Acme North")
    _new(db, now, name="Acme South")
    with pytest.raises(Ambiguous) as caught:
        with db.transaction() as s:
            resolve_deal(s, team="T1", ref="acme")
    assert caught.value.candidates == [(1, "Acme North"), (2, "Acme South")]


def test_names_match_case_insensitively_beyond_ascii(db, now):
    _new(db, now, name="Ærlig Åpen Østfold AS")
    with db.transaction() as s:
        assert resolve_deal(s, team="T1", ref="ærlig åpen") == 1


def test_a_stale_version_is_refused_and_nothing_is_overwritten(db, now):
    _new(db, now)
    with db.transaction() as s:
        deals.move_deal(s, team="T1", number=1, stage="meeting", actor="U1", now=now)
    with pytest.raises(StaleVersion):
        with db.transaction() as s:
            deals.move_deal(s, team="T1", number=1, stage="proposal", actor="U2", now=now,
                            expected_version=1)
    with db.transaction() as s:
        assert deal_queries.show_deal(s, team="T1", number=1).stage.name == "Meeting"


def test_renaming_a_stage_keeps_the_history_pointing_at_it(db, now):
    _new(db, now)
    with db.transaction() as s:
        deals.move_deal(s, team="T1", number=1, stage="meeting", actor="U1", now=now)
        stages.rename_stage(s, team="T1", stage="meeting", new_name="Discovery")
        _, history = deal_queries.deal_history(s, team="T1", number=1)
    assert history[-1].to_stage == "Discovery"


def test_the_list_filters_by_stage_owner_and_tag(db, now):
    _new(db, now, name="A", tags=["q4"])
    _new(db, now, name="B", owner="U2")
    with db.transaction() as s:
        assert [d.name for d in deal_queries.list_deals(s, team="T1", owner="U2").deals] == ["B"]
        assert [d.name for d in deal_queries.list_deals(s, team="T1", tag="q4").deals] == ["A"]
        assert deal_queries.list_deals(s, team="T1", stage="won").total == 0


def test_a_deals_own_probability_overrides_the_stage_weight_until_reset(db, now):
    _new(db, now)
    with db.transaction() as s:
        own = deals.set_probability(s, team="T1", number=1, probability=35, actor="U1",
                                    now=now).deal
        back = deals.set_probability(s, team="T1", number=1, probability=None, actor="U1",
                                     now=now).deal
    assert (own.probability, back.probability) == (35, 10)


def test_a_new_stage_goes_after_the_last_open_one_and_before_conversion_in_the_funnel(db, now):
    from storage.workspaces import ensure_workspace

    with db.transaction() as s:
        ensure_workspace(s, team="T1", now=now)
        stages.add_stage(s, team="T1", name="Contract", probability=90)
        stages.add_stage(s, team="T1", name="Trial", kind="lead")
        deal_names = [v.name for v in stages.stage_views(s, team="T1")]
        lead_names = [v.name for v in stages.stage_views(s, team="T1", kind="lead")]
    assert deal_names[-3:] == ["Contract", "Won", "Lost"]
    assert lead_names[-3:] == ["Trial", "Conversion", "Dropped"]


def test_a_deals_source_is_kept_in_the_same_form_as_a_leads(db, now):
    with db.transaction() as s:
        deals.create_deal(s, team="T1", name="Acme", actor="U1", now=now,
                          source="  LinkedIn   Ads ")
        assert deal_queries.show_deal(s, team="T1", number=1).source == "linkedin ads"
