"""Ephemeral answers about several leads, or one lead's history."""

from __future__ import annotations

from datetime import datetime

from handlers.blocks.format import Pages, ago, clip, escape, listing, section, user
from handlers.blocks.history import history_lines
from handlers.blocks.lead_card import next_action
from storage.deals.views import EventView
from storage.leads.queries import LeadList
from storage.leads.views import LeadView

MAX_LIST_BLOCKS = 45


def lead_line(lead: LeadView, now: datetime) -> str:
    company = f" ({escape(clip(lead.company, 60))})" if lead.company else ""
    source = f", {escape(lead.source)}" if lead.source else ""
    deal = f" → deal #{lead.deal[0]}" if lead.deal else ""
    contact = (f"last contact {ago(lead.last_contact_at, now)}" if lead.last_contact_at
               else f"no contact yet, added {ago(lead.created_at, now)}")
    line = (f"`#{lead.number}` *{escape(clip(lead.name, 80))}*{company} — "
            f"{escape(lead.stage.name)}{source}, {user(lead.owner)}{deal} · {contact}")
    if lead.next_action:
        line += f"\nNext: {next_action(lead)}"
    return line


def lead_list_blocks(found: LeadList, pages: Pages, now: datetime) -> list[dict]:
    """A page of leads (at most 25 lines: well within a message's 50 blocks), each with how
    long ago its last contact was (`now`) and its next action."""
    if not found.leads:
        return [section(escape("No leads match. `/lead add <name> source:<source>` adds one."))]
    return listing([lead_line(lead, now) for lead in found.leads], pages, "lead",
                   "a stage, `stale`, `all`, `company:`, `source:`, `mine`, an @-mention or "
                   "a #tag")


def lead_history_blocks(lead: LeadView, events: tuple[EventView, ...]) -> list[dict]:
    """The history in sections of at most ~2900 characters, within the message block limit."""
    blocks = [section(f"*History of lead #{lead.number} {escape(lead.name)}*")]
    chunk: list[str] = []
    for line in history_lines(events):
        if sum(len(x) + 1 for x in chunk) + len(line) > 2900:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(section("\n".join(chunk)))
    return blocks[:MAX_LIST_BLOCKS]
