"""History entries in words: for `/deal history`, card notes and out-of-date clicks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from handlers.blocks.format import clip, day, escape, format_money, moment, user
from storage.deals.views import EventView
from storage.kinds import EventKind

FIELD_NAMES = {"expected_close": "expected close", "next_action": "next action",
               "next_action_due": "next action due date", "probability": "probability",
               "drop_reason": "drop reason"}


def _from(event: EventView) -> str:
    """Where a note logged from a Slack message came from: a link to it and its author."""
    if event.source is None:
        return ""
    url, author = event.source.url, event.source.author
    message = f"<{escape(url)}|a message>" if url else "a message"
    return f" from {message}" + (f" by {user(author)}" if author else "")


def describe(event: EventView, *, subject: str = "this", currency: str | None = None) -> str:
    """One line: who did what. `subject` names the deal or lead ("this", "#12 Acme");
    `currency` is the deal's, for a change of its value."""
    who = user(event.actor)
    if event.kind == EventKind.CREATED:
        return f"{who} created {subject} in {escape(event.to_stage or '')}"
    if event.kind == EventKind.STAGE:
        return (f"{who} moved {subject} from {escape(event.from_stage or '?')} "
                f"to {escape(event.to_stage or '?')}")
    if event.kind == EventKind.NOTE:
        return f"{who} logged a contact{_from(event)}: “{escape(clip(event.new_value or '', 300))}”"
    if event.kind == EventKind.ASSIGN:
        if not event.new_value:
            return f"{who} left {subject} without an owner"
        if event.new_value == event.actor:
            return f"{who} assigned {subject} to themselves"
        return f"{who} assigned {subject} to {user(event.new_value)}"
    if event.kind == EventKind.NEXT:
        return f"{who} set the next action: {escape(event.new_value or '—')}"
    if event.kind == EventKind.ACTIVITY:
        return f"Last activity in the system {subject} was imported from"
    if event.kind == EventKind.CONVERT:
        return f"{who} converted {subject} into deal {escape(event.new_value or '')}"
    name = FIELD_NAMES.get(event.field or "", event.field or "details")
    if not event.new_value and event.field == "probability":
        return f"{who} set the probability of {subject} back to its stage's weight"
    if not event.new_value:
        return f"{who} cleared the {name} of {subject}"
    shown = _shown(event.field, event.new_value, currency)
    return f"{who} changed the {name} of {subject} to {shown}"


def _shown(field: str | None, value: str, currency: str | None) -> str:
    if field == "value" and currency:
        return format_money(Decimal(value), currency)
    if field in ("expected_close", "next_action_due"):
        return day(date.fromisoformat(value))
    if field == "owner":
        return user(value)
    if field == "probability":
        return f"{value}%"
    return escape(clip(value, 300))


def history_lines(events: tuple[EventView, ...], *, subject: str = "it",
                  currency: str | None = None) -> list[str]:
    return [f"{moment(e.at)} — {describe(e, subject=subject, currency=currency)}"
            for e in events]
