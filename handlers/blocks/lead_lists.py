"""Ephemeral answers about several leads, or one lead's history."""

from __future__ import annotations

from handlers.blocks.format import Pages, clip, escape, listing, section, user
from handlers.blocks.history import history_lines
from storage.deals.views import EventView
from storage.leads.queries import LeadList
from storage.leads.views import LeadView

MAX_LIST_BLOCKS = 45


def lead_line(lead: LeadView) -> str:
    company = f" ({escape(clip(lead.company, 60))})" if lead.company else ""
    source = f", {escape(lead.source)}" if lead.source else ""
    deal = f" → deal #{lead.deal[0]}" if lead.deal else ""
    return (f"`#{lead.number}` *{escape(clip(lead.name, 80))}*{company} — {escape(lead.stage.name)}"
            f"{source}, {user(lead.owner)}{deal}")


def lead_list_blocks(found: LeadList, pages: Pages) -> list[dict]:
    """A page of leads (at most 25 lines: well within a message's 50 blocks)."""
    if not found.leads:
        return [section(escape("No leads match. `/lead add <name> source:<source>` adds one."))]
    return listing([lead_line(lead) for lead in found.leads], pages, "lead",
                   "a stage, `stale`, `all`, `source:`, `mine`, an @-mention or a #tag")


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
