"""The modals the lead card opens: Convert to deal (value, pipeline stage, owner) and Drop."""

from __future__ import annotations

from handlers import ids
from handlers.blocks.format import clip, escape, option, section
from storage import text_fields
from storage.leads.views import LeadView
from storage.stages import StageView


def _modal(callback_id: str, title: str, submit: str, metadata: str,
           blocks: list[dict]) -> dict:
    return {"type": "modal", "callback_id": callback_id,
            "title": {"type": "plain_text", "text": title},
            "submit": {"type": "plain_text", "text": submit},
            "close": {"type": "plain_text", "text": "Cancel"},
            "private_metadata": metadata, "blocks": blocks}


def convert_modal(lead: LeadView, deal_stages: list[StageView], metadata: str) -> dict:
    """Asks for the new deal's value, its first pipeline stage and its owner."""
    open_stages = [s for s in deal_stages if s.is_open][:100]
    stage_options = [option(s.name, s.name) for s in open_stages]
    owner: dict = {"type": "users_select", "action_id": ids.LEAD_CONVERT_OWNER}
    if lead.owner:
        owner["initial_user"] = lead.owner
    return _modal(ids.LEAD_CONVERT_MODAL, "Convert to deal", "Create deal", metadata, [
        section(f"Lead *#{lead.number} {escape(clip(lead.name, 200))}* becomes a deal in the "
                "pipeline. It enters Conversion when the deal is won."),
        {"type": "input", "block_id": ids.LEAD_CONVERT_VALUE_BLOCK, "optional": True,
         "label": {"type": "plain_text", "text": "Value"},
         "hint": {"type": "plain_text", "text": "For example 20k, 50000 or $1.2m"},
         "element": {"type": "plain_text_input", "action_id": ids.LEAD_CONVERT_VALUE}},
        {"type": "input", "block_id": ids.LEAD_CONVERT_STAGE_BLOCK,
         "label": {"type": "plain_text", "text": "Pipeline stage"},
         "element": {"type": "static_select", "action_id": ids.LEAD_CONVERT_STAGE,
                     "options": stage_options, "initial_option": stage_options[0]}},
        {"type": "input", "block_id": ids.LEAD_CONVERT_OWNER_BLOCK,
         "label": {"type": "plain_text", "text": "Owner"}, "element": owner},
    ])


def drop_modal(lead: LeadView, metadata: str) -> dict:
    """Asks why the lead leaves the funnel (optional)."""
    return _modal(ids.LEAD_DROP_MODAL, "Drop lead", "Drop", metadata, [
        section(f"Lead *#{lead.number} {escape(clip(lead.name, 200))}* leaves the funnel."),
        {"type": "input", "block_id": ids.LEAD_DROP_REASON_BLOCK, "optional": True,
         "label": {"type": "plain_text", "text": "Reason"},
         "element": {"type": "plain_text_input", "action_id": ids.LEAD_DROP_REASON,
                     "max_length": text_fields.DROP_REASON.limit}},
    ])
