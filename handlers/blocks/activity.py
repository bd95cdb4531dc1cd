"""The one line the activity channel gets for a stage change, a win or a loss."""

from __future__ import annotations

from handlers.blocks.format import clip, escape, format_money, user
from storage.deals.views import DealView, EventView
from storage.kinds import StageKind


def activity_line(deal: DealView, event: EventView, *, celebrate: bool = True) -> str:
    """Wins are celebrated (unless the workspace turned that off): who won it, its value and
    how many days it took from creation; every other move says from where to where."""
    who = user(event.actor)
    subject = (f"*#{deal.number} {escape(clip(deal.name, 200))}* "
               f"({format_money(deal.value, deal.currency)})")
    if deal.stage.kind == StageKind.WON and celebrate:
        days = ((deal.closed_at or event.at) - deal.created_at).days
        took = "the day it was created" if days == 0 else (
            "1 day after it was created" if days == 1 else f"{days} days after it was created")
        return f":tada: {who} won {subject}, {took}! :trophy:"
    if deal.stage.kind == StageKind.LOST:
        reason = f" — {escape(deal.lost_reason)}" if deal.lost_reason else ""
        return f":x: {who} lost {subject}{reason}"
    return (f":arrow_right: {who} moved {subject} from {escape(event.from_stage or '?')} "
            f"to {escape(event.to_stage or '?')}")
