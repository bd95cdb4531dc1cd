"""The lead card and its modals are valid Block Kit in every state of a lead."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from handlers import ids
from handlers.blocks.lead_card import lead_card, lead_journey
from handlers.blocks.lead_modals import (
    convert_modal,
    drop_modal,
    lead_edit_modal,
    lead_note_modal,
)
from storage.leads import operations as leads
from storage.leads import queries as lead_queries
from storage.lookup import resolve_lead
from storage.stages import stage_views


def _valid(blocks: list[dict]) -> list[dict]:
    parsed = Block.parse_all(blocks)
    assert None not in parsed
    return [b.to_dict() for b in parsed]


def _ids(blocks: list[dict]) -> list[str]:
    actions = [b for b in blocks if b["type"] == "actions"]
    return [e["action_id"] for e in actions[0]["elements"]] if actions else []


def _text(blocks: list[dict]) -> str:
    return str(blocks)


def test_the_card_of_each_state_offers_only_what_makes_sense(db, now):
    with db.transaction() as s:
        fresh = leads.add_lead(s, team="T1", name="Jane <Roe>", actor="U1", now=now,
                               company="Globex & Co", source="webinar", tags=["q4"]).lead
        dropped = leads.add_lead(s, team="T1", name="Bob", actor="U1", now=now).lead
        dropped = leads.drop_lead(s, team="T1", number=resolve_lead(s, team="T1", ref="Bob"),
                                  actor="U1", now=now, reason="no budget").lead
        converted = leads.convert_lead(s, team="T1", number=1, actor="U1", now=now,
                                       value=Decimal("20000")).lead
    fresh_card = _valid(lead_card(fresh))
    assert _ids(fresh_card) == [ids.LEAD_ADVANCE, ids.LEAD_PICK_STAGE, ids.LEAD_CONVERT,
                                ids.LEAD_DROP, ids.LEAD_ADD_NOTE, ids.LEAD_EDIT]
    assert "→ Interest" in _text(fresh_card) and "Jane &lt;Roe&gt;" in _text(fresh_card)
    assert "Globex &amp; Co" in _text(fresh_card) and "Conversion" not in _text(fresh_card)
    assert _ids(_valid(lead_card(dropped))) == [ids.LEAD_PICK_STAGE, ids.LEAD_ADD_NOTE,
                                                ids.LEAD_EDIT]
    assert "no budget" in _text(lead_card(dropped))
    converted_card = _valid(lead_card(converted))
    assert _ids(converted_card) == [ids.LEAD_ADD_NOTE, ids.LEAD_EDIT]
    assert "#1 Jane &lt;Roe&gt;" in _text(converted_card)


def test_the_advance_button_stops_before_conversion(db, now):
    with db.transaction() as s:
        leads.add_lead(s, team="T1", name="Jane", actor="U1", now=now)
        lead = leads.move_lead(s, team="T1", number=1, stage="engagement", actor="U1",
                               now=now).lead
    assert ids.LEAD_ADVANCE not in _ids(lead_card(lead))


def test_the_journey_lists_each_step_and_the_modals_are_valid_views(db, now):
    with db.transaction() as s:
        leads.add_lead(s, team="T1", name="Jane", actor="U1", now=now)
        leads.move_lead(s, team="T1", number=1, stage="interest", actor="U1",
                        now=now + timedelta(days=1))
        lead, events = lead_queries.lead_history(s, team="T1", number=1)
        deal_stages = stage_views(s, team="T1", kind="deal")
    journey = _text(_valid(lead_journey(lead, events, now)))
    assert "created it in Awareness" in journey and "moved it from Awareness to Interest" in journey
    for view in (convert_modal(lead, deal_stages, '{"lead": 1}'), drop_modal(lead, "{}"),
                 lead_note_modal(lead, "{}"), lead_edit_modal(lead, "{}")):
        View(**view).validate_json()
    assert [o["value"] for o in convert_modal(lead, deal_stages, "{}")["blocks"][2]["element"]
            ["options"]] == ["Prospecting", "Qualification", "Meeting", "Proposal", "Negotiation"]
