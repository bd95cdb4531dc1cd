"""The lead card: the lead's place in the funnel and the buttons that move it on."""

from __future__ import annotations

from datetime import datetime

from handlers import ids
from handlers.blocks.format import (
    ago,
    button,
    context,
    day,
    escape,
    fields,
    moment,
    option,
    section,
    user,
)
from handlers.blocks.history import history_lines
from handlers.blocks.undo import undo_actions
from storage.deals.views import EventView
from storage.kinds import EventKind, PipelineKind
from storage.leads.views import LeadConversion, LeadView

JOURNEY_KINDS = (EventKind.CREATED, EventKind.STAGE, EventKind.CONVERT)
MAX_JOURNEY_LINES = 30


def lead_card_value(lead: LeadView, extra: str = "") -> str:
    """What every button carries: the lead and the version the card was drawn from."""
    return f"{lead.number}:{lead.version}" + (f":{extra}" if extra else "")


def lead_card(lead: LeadView, *, note: str | None = None,
              undo: int | None = None, now: datetime | None = None) -> list[dict]:
    """The card blocks; `note` is a context line saying what just happened, and `undo` the
    change it describes, for an **Undo** button under it. A card posted in a channel shows
    its times as Slack dates, which stay true; an answer only the caller sees is drawn `now`
    and also says how long ago the last contact was."""
    blocks = [section(_title(lead)), fields(*_facts(lead, now)), context(*_footer(lead))]
    blocks.append({"type": "actions", "block_id": ids.LEAD_CARD_ACTIONS,
                   "elements": _buttons(lead)})
    if note:
        blocks.append(context(note))
    if undo is not None:
        blocks.append(undo_actions(undo, PipelineKind.LEAD, lead.number))
    return blocks


def lead_journey(lead: LeadView, events: tuple[EventView, ...], now: datetime) -> list[dict]:
    """The card followed by the lead's path through the funnel (`/lead show`)."""
    steps = [e for e in events if e.kind in JOURNEY_KINDS][-MAX_JOURNEY_LINES:]
    lines = history_lines(tuple(steps), subject="it")
    return lead_card(lead, now=now) + [section("*Journey*\n" + "\n".join(lines))]


def last_contact(lead: LeadView, now: datetime | None = None) -> str:
    """`never`, or when the last contact was (and how long before `now`)."""
    if lead.last_contact_at is None:
        return "never"
    when = moment(lead.last_contact_at)
    return f"{when} ({ago(lead.last_contact_at, now)})" if now else when


def next_action(lead: LeadView) -> str:
    """The next action and its due date, or `—`."""
    if not lead.next_action:
        return "—"
    due = f" (due {day(lead.next_action_due)})" if lead.next_action_due else ""
    return escape(lead.next_action) + due


def converted_note(done: LeadConversion, actor: str) -> str:
    """The line under the new deal's card: where the lead it came from is now."""
    return (f"{user(actor)} converted lead #{done.lead.number} into this deal; the lead is in "
            f"{escape(done.lead.stage.name)} and enters "
            f"{escape(done.lead.conversion_stage.name)} when it is won.")


def lead_card_text(lead: LeadView) -> str:
    """The notification fallback: readable without the blocks (and mrkdwn like them)."""
    return f"Lead #{lead.number} {escape(lead.name)} — {escape(lead.stage.name)}"


def _title(lead: LeadView) -> str:
    emoji = ":wastebasket:" if lead.is_dropped else ":seedling:"
    company = f" · {escape(lead.company)}" if lead.company else ""
    return f"{emoji} *Lead #{lead.number} {escape(lead.name)}*{company}"


def _facts(lead: LeadView, now: datetime | None) -> list[tuple[str, str]]:
    stage = escape(lead.stage.name)
    if lead.drop_reason:
        stage += f" — {escape(lead.drop_reason)}"
    deal = f"#{lead.deal[0]} {escape(lead.deal[1])}" if lead.deal else "—"
    return [
        ("Stage", stage),
        ("Source", escape(lead.source) if lead.source else "—"),
        ("Owner", user(lead.owner)),
        ("Contact", escape(lead.contact) if lead.contact else "—"),
        ("Deal", deal),
        ("Last contact", last_contact(lead, now)),
        ("Next action", next_action(lead)),
    ]


def _footer(lead: LeadView) -> list[str]:
    parts = []
    if lead.tags:
        parts.append(" ".join(f"`#{escape(t)}`" for t in lead.tags))
    if lead.deal and lead.converted_at:
        parts.append(f"Became deal #{lead.deal[0]} {moment(lead.converted_at)}")
    parts.append(f"Added {moment(lead.created_at)}")
    return parts


def _buttons(lead: LeadView) -> list[dict]:
    value = lead_card_value(lead)
    elements = []
    if lead.next_stage is not None:
        elements.append(button(f"→ {lead.next_stage.name}", ids.LEAD_ADVANCE,
                               lead_card_value(lead, str(lead.next_stage.id)), "primary"))
    if lead.movable_stages:
        elements.append({
            "type": "static_select", "action_id": ids.LEAD_PICK_STAGE,
            "placeholder": {"type": "plain_text", "text": "Move to…"},
            "options": [option(s.name, lead_card_value(lead, str(s.id)))
                        for s in lead.movable_stages][:100]})
    if not lead.is_converted and not lead.is_dropped:
        elements += [button("Convert to deal", ids.LEAD_CONVERT, value),
                     button("Drop", ids.LEAD_DROP, value, "danger")]
    elements += [button("Add note", ids.LEAD_ADD_NOTE, value),
                 button("Edit", ids.LEAD_EDIT, value)]
    return elements
