"""The modals the lead card opens, Convert to deal (value, pipeline stage, owner), Drop,
Add note and Edit, and the create form of the **New lead** shortcut (Edit's fields but the
next action, and a stage)."""

from __future__ import annotations

from handlers import ids, messages
from handlers.blocks.deal_modals import TAGS_TYPED, date_input, form_input, modal, text_input
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


def convert_modal(lead: LeadView, deal_stages: list[StageView], metadata: str, *,
                  stage: str | None = None, owner: str | None = None) -> dict:
    """Asks for the new deal's value (a deal's value is never left to chance: `0` says
    there is none), its first pipeline stage (`stage` first, when given) and its owner (the
    lead's unless `owner`)."""
    open_stages = [s for s in deal_stages if s.is_open][:100]
    stage_options = [option(s.name, s.name) for s in open_stages]
    first = next((o for o in stage_options if o["value"] == stage), stage_options[0])
    owner_element: dict = {"type": "users_select", "action_id": ids.LEAD_CONVERT_OWNER}
    if owner or lead.owner:
        owner_element["initial_user"] = owner or lead.owner
    return _modal(ids.LEAD_CONVERT_MODAL, "Convert to deal", "Create deal", metadata, [
        section(f"Lead *#{lead.number} {escape(clip(lead.name, 200))}* becomes a deal in the "
                "pipeline. It enters Conversion when the deal is won."),
        {"type": "input", "block_id": ids.LEAD_CONVERT_VALUE_BLOCK,
         "label": {"type": "plain_text", "text": "Value"},
         "hint": {"type": "plain_text", "text": messages.CONVERT_VALUE_HINT},
         "element": {"type": "plain_text_input", "action_id": ids.LEAD_CONVERT_VALUE}},
        {"type": "input", "block_id": ids.LEAD_CONVERT_STAGE_BLOCK,
         "label": {"type": "plain_text", "text": "Pipeline stage"},
         "element": {"type": "static_select", "action_id": ids.LEAD_CONVERT_STAGE,
                     "options": stage_options, "initial_option": first}},
        {"type": "input", "block_id": ids.LEAD_CONVERT_OWNER_BLOCK,
         "label": {"type": "plain_text", "text": "Owner"}, "element": owner_element},
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


def lead_note_modal(lead: LeadView, metadata: str) -> dict:
    """A note about a contact; its submission makes the lead's last contact now."""
    return _modal(ids.LEAD_NOTE_MODAL, "Add note", "Save note", metadata, [
        section(f"What happened with lead *#{lead.number} {escape(clip(lead.name, 200))}*? "
                "Saving it logs a contact now."),
        form_input(ids.LEAD_NOTE_BLOCK, "Note",
                   text_input(max_length=text_fields.NOTE.limit, multiline=True)),
    ])


def lead_create_modal(stages: list[StageView], *, owner: str) -> dict:
    """The form behind the **New lead** shortcut: what `/lead add` takes, field by field.
    The stages offered are the open ones a lead may be put in by hand (not Conversion)."""
    return modal(ids.LEAD_CREATE_MODAL, "New lead", "Add lead", "{}",
                 _lead_inputs(None, stages, owner=owner))


def lead_edit_modal(lead: LeadView, metadata: str) -> dict:
    """Every field of the lead a person corrects, filled in with what it holds now."""
    return modal(ids.LEAD_EDIT_MODAL, f"Edit lead #{lead.number}", "Save", metadata,
                 _lead_inputs(lead, None, owner=lead.owner))


def _lead_inputs(lead: LeadView | None, stages: list[StageView] | None, *,
                 owner: str | None) -> list[dict]:
    owner_element: dict = {"type": "users_select"}
    if owner:
        owner_element["initial_user"] = owner
    blocks = [
        form_input(ids.LEAD_FORM_NAME, "Name",
                   text_input(lead.name if lead else None, max_length=text_fields.LEAD_NAME.limit)),
        form_input(ids.LEAD_FORM_COMPANY, "Company",
                   text_input(lead.company if lead else None, max_length=text_fields.COMPANY.limit),
                   optional=True),
        form_input(ids.LEAD_FORM_SOURCE, "Source",
                   text_input(lead.source if lead else None, max_length=text_fields.SOURCE.limit),
                   optional=True, hint="Where the lead came from, for example webinar or referral"),
    ]
    if stages is not None:
        open_stages = [s for s in stages if s.is_open][:-1] or [s for s in stages if s.is_open]
        choices = [option(s.name, s.name) for s in open_stages[:100]]
        blocks.append(form_input(ids.LEAD_FORM_STAGE, "Stage", {
            "type": "static_select", "options": choices, "initial_option": choices[0]}))
    blocks += [
        form_input(ids.LEAD_FORM_OWNER, "Owner", owner_element),
        form_input(ids.LEAD_FORM_CONTACT, "Contact",
                   text_input(lead.contact if lead else None, max_length=text_fields.CONTACT.limit),
                   optional=True, hint="An email address or a phone number"),
        form_input(ids.LEAD_FORM_TAGS, "Tags",
                   text_input(" ".join(f"#{t}" for t in lead.tags) if lead else None,
                              max_length=TAGS_TYPED),
                   optional=True, hint="Words starting with #, for example #q4 #renewal"),
    ]
    if lead is not None:
        blocks += [
            form_input(ids.LEAD_FORM_NEXT, "Next action",
                       text_input(lead.next_action, max_length=text_fields.NEXT_ACTION.limit),
                       optional=True),
            form_input(ids.LEAD_FORM_DUE, "Next action due", date_input(lead.next_action_due),
                       optional=True),
        ]
    return blocks
