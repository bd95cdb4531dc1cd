"""Ephemeral answers about several deals: lists, history, stages, help."""

from __future__ import annotations

from datetime import date, timedelta

from handlers.blocks.format import (
    Pages,
    clip,
    context,
    counted,
    day,
    divider,
    escape,
    format_money,
    listing,
    section,
    user,
)
from handlers.blocks.history import history_lines
from storage.deals.queries import DealList
from storage.deals.views import DealView, EventView
from storage.kinds import StageKind
from storage.stages import StageView

MAX_LIST_BLOCKS = 45


def deal_line(deal: DealView, today: date | None = None) -> str:
    """One deal of a list; with `today`, an open deal's close tells whether it is overdue
    or closing within the week."""
    close = f" · closes {day(deal.expected_close)}" if deal.expected_close else ""
    if deal.expected_close and today and deal.is_open:
        if deal.expected_close < today:
            close = f" · :warning: *overdue*, was to close {day(deal.expected_close)}"
        elif deal.expected_close <= today + timedelta(days=7):
            close = f" · *closing soon*, {day(deal.expected_close)}"
    return (f"`#{deal.number}` *{escape(clip(deal.name, 80))}* — {escape(deal.stage.name)}, "
            f"{format_money(deal.value, deal.currency)}, {user(deal.owner)}{close}")


def deal_list_blocks(found: DealList, pages: Pages) -> list[dict]:
    """A page of deals (at most 25 lines: well within a message's 50 blocks)."""
    if not found.deals:
        return [section(escape("No deals match. `/deal new <name> <amount>` creates one."))]
    return listing([deal_line(d, found.today) for d in found.deals], pages, "deal",
                   "a stage, `stale`, `overdue`, `closing`, `won`, `lost`, `all`, `mine`, "
                   "an @-mention, a #tag or `company:`")


def history_blocks(deal: DealView, events: tuple[EventView, ...]) -> list[dict]:
    lines = history_lines(events, currency=deal.currency)
    blocks = [section(f"*History of #{deal.number} {escape(deal.name)}*")]
    chunk: list[str] = []
    for line in lines:  # pack lines into sections of at most 3000 characters
        if sum(len(x) + 1 for x in chunk) + len(line) > 2900:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(section("\n".join(chunk)))
    return blocks[:MAX_LIST_BLOCKS]


def stages_blocks(stages: list[StageView], *, note: str | None = None) -> list[dict]:
    lines = []
    for stage in stages:
        rot = f", stale after {counted(stage.rotting_days, 'day')}" if stage.rotting_days else ""
        label = {StageKind.WON: " (closes as won)",
                 StageKind.LOST: " (closes as lost)"}.get(stage.kind, "")
        lines.append(f"{stage.position + 1}. *{escape(stage.name)}* — "
                     f"{stage.probability}%{rot}{label}")
    blocks = [section("*The pipeline's stages*\n" + "\n".join(lines))]
    if note:
        blocks.insert(0, section(f":white_check_mark: {note}"))
    blocks.append(context("Admins change them with `/deal stages rename|add|move|weight|rotting` "
                          "— see `/deal help`."))
    return blocks


def help_blocks(lines: tuple[str, ...]) -> list[dict]:
    blocks: list[dict] = []
    for line in lines:
        blocks += [section(escape(line)), divider()]
    return blocks[:-1]
