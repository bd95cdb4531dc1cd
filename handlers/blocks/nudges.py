"""The nudge: a short direct message listing what needs a person, each line with Snooze,
Log activity and Open; past ten lines, "and N more" with a button that shows them all."""

from __future__ import annotations

from datetime import date, datetime

from handlers import ids
from handlers.blocks.deal_modals import form_input, modal, text_input
from handlers.blocks.format import (
    button,
    clip,
    context,
    day,
    escape,
    format_money,
    moment,
    section,
)
from storage import text_fields
from storage.kinds import PipelineKind
from storage.nudges.items import NudgeItem

SHOWN = 10  # lines in the daily message
ALL_SHOWN = 20  # lines when someone asks to see all (two blocks each, and at most five
# more: under Slack's 50 blocks a message)
NAME_LIMIT = 80


def item_key(item: NudgeItem) -> str:
    """`deal:12` or `lead:3`: what the line's elements carry."""
    return f"{item.kind}:{item.number}"


def _suffix(item: NudgeItem) -> str:
    return f"{ids.PER_ITEM}{'d' if item.kind == PipelineKind.DEAL else 'l'}{item.number}"


def nudge_line(item: NudgeItem, currency: str) -> str:
    name = escape(clip(item.name, NAME_LIMIT))
    value = f", {format_money(item.value, currency)}" if item.value is not None else ""
    what = "" if item.kind == PipelineKind.DEAL else "Lead "
    return (f"*{what}#{item.number} {name}* ({escape(item.stage)}{value}) — "
            + "; ".join(reasons(item)))


def reasons(item: NudgeItem) -> list[str]:
    why = []
    if item.idle_days is not None:
        why.append(f"no activity for {item.idle_days} days")
    if item.close_passed is not None:
        why.append(f"its expected close ({day(item.close_passed)}) has passed")
    if item.action_due is not None:
        what = escape(clip(item.next_action or "next action", NAME_LIMIT))
        why.append(f"next action due {day(item.action_due)}: {what}")
    return why


def _line_blocks(item: NudgeItem, currency: str) -> list[dict]:
    key, suffix = item_key(item), _suffix(item)
    snooze = {"type": "static_select", "action_id": ids.NUDGE_SNOOZE + suffix,
              "placeholder": {"type": "plain_text", "text": "Snooze"},
              "options": [{"text": {"type": "plain_text", "text": text}, "value": f"{key}:{days}"}
                          for text, days in (("3 days", 3), ("1 week", 7))]}
    return [section(nudge_line(item, currency)),
            {"type": "actions", "block_id": ids.NUDGE_ITEM + suffix, "elements": [
                snooze, button("Log activity", ids.NUDGE_LOG + suffix, key),
                button("Open", ids.NUDGE_OPEN + suffix, key)]}]


def nudge_blocks(items: list[NudgeItem], *, currency: str, shown: int = SHOWN,
                 note: str | None = None) -> list[dict]:
    """The message for `items` (at least one), its first `shown` lines with their buttons."""
    blocks = [section(f":wave: *{_count(len(items))} need{'s' if len(items) == 1 else ''} "
                      "you today*")]
    kind = None
    for item in items[:shown]:  # deals, then leads: each group under its name
        if item.kind != kind:
            kind = item.kind
            blocks.append(context("*Your deals*" if kind == PipelineKind.DEAL
                                  else "*Your leads*"))
        blocks += _line_blocks(item, currency)
    if len(items) > shown:
        more = len(items) - shown
        if shown == SHOWN:
            blocks.append(section(f"…and {more} more.", accessory=button(
                "See all", ids.NUDGE_ALL, "all")))
        else:
            blocks.append(context(f"…and {more} more: `/deal list mine` and `/lead list mine` "
                                  "show everything you own."))
    blocks.append(context(note or "Snoozed items leave your nudges until then. "
                                  "`/deal nudges` changes when (or whether) you get them."))
    return blocks


def nudge_text(items: list[NudgeItem]) -> str:
    """The notification: what the first lines are about."""
    first = ", ".join(f"#{i.number} {escape(clip(i.name, 40))}" for i in items[:3])
    more = f" and {len(items) - 3} more" if len(items) > 3 else ""
    return f"{_count(len(items))} need{'s' if len(items) == 1 else ''} you today: {first}{more}"


def _count(n: int) -> str:
    return "1 deal or lead" if n == 1 else f"{n} deals and leads"


def nothing_blocks(note: str) -> list[dict]:
    return [section(":white_check_mark: Nothing else needs you right now."), context(note)]


def with_snooze(blocks: list[dict], until: datetime | None) -> list[dict]:
    """A card's blocks, with a line saying until when it is left out of the nudges (shown
    in each viewer's own zone) when it is snoozed."""
    if until is None:
        return blocks
    return [*blocks, context(f":zzz: Left out of the nudges until {moment(until)}.")]


def snoozed_note(subject: str, until: date) -> str:
    """`subject` is mrkdwn already."""
    return f":zzz: {subject} is left out of your nudges until {day(until)}."


def nudge_note_modal(subject: str, metadata: str) -> dict:
    """Log activity: a note on the deal or lead (`subject`, mrkdwn), logged as a contact now."""
    return modal(ids.NUDGE_NOTE_MODAL, "Log activity", "Save note", metadata, [
        section(f"What happened with {subject}? Saving it logs a contact now."),
        form_input(ids.NUDGE_NOTE_BLOCK, "Note",
                   text_input(max_length=text_fields.NOTE.limit, multiline=True))])
