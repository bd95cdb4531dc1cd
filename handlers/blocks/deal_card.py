"""The deal card: the deal's state and the buttons that change it."""

from __future__ import annotations

from handlers import ids
from handlers.blocks.format import (
    button,
    context,
    day,
    escape,
    fields,
    format_money,
    moment,
    option,
    section,
    user,
)
from handlers.blocks.undo import undo_actions
from storage.deals.views import DealView
from storage.kinds import PipelineKind, StageKind

STAGE_EMOJI = {StageKind.WON: ":trophy:", StageKind.LOST: ":x:"}


def card_value(deal: DealView, extra: str = "") -> str:
    """What every button carries: the deal and the version the card was drawn from."""
    return f"{deal.number}:{deal.version}" + (f":{extra}" if extra else "")


def deal_card(deal: DealView, *, note: str | None = None,
              undo: int | None = None) -> list[dict]:
    """The card blocks; `note` is a context line saying what just happened, and `undo` the
    change it describes, for an **Undo** button under it."""
    blocks = [section(_title(deal)), fields(*_facts(deal))]
    blocks.append(context(*_footer(deal)))
    blocks.append({"type": "actions", "block_id": ids.DEAL_CARD_ACTIONS,
                   "elements": _buttons(deal)})
    if note:
        blocks.append(context(note))
    if undo is not None:
        blocks.append(undo_actions(undo, PipelineKind.DEAL, deal.number))
    return blocks


def card_text(deal: DealView) -> str:
    """The notification fallback: readable without the blocks (and mrkdwn like them)."""
    return (f"#{deal.number} {escape(deal.name)} — {escape(deal.stage.name)}, "
            f"{format_money(deal.value, deal.currency)}")


def _title(deal: DealView) -> str:
    emoji = STAGE_EMOJI.get(deal.stage.kind, ":briefcase:")
    company = f" · {escape(deal.company)}" if deal.company else ""
    return f"{emoji} *#{deal.number} {escape(deal.name)}*{company}"


def _facts(deal: DealView) -> list[tuple[str, str]]:
    stage = escape(deal.stage.name if deal.is_open else deal.stage.name.upper())
    if deal.lost_reason:
        stage += f" — {escape(deal.lost_reason)}"
    weight = f"{deal.probability}%" + ("" if deal.own_probability is None else " (own)")
    next_action = escape(deal.next_action) if deal.next_action else "—"
    if deal.next_action and deal.next_action_due:
        next_action += f" (due {day(deal.next_action_due)})"
    return [
        ("Stage", stage),
        ("Value", f"{format_money(deal.value, deal.currency)} · weighted "
                  f"{format_money(deal.weighted, deal.currency)}"),
        ("Owner", user(deal.owner)),
        ("Expected close", day(deal.expected_close) if deal.expected_close else "—"),
        ("Probability", weight),
        ("Last contact", moment(deal.last_contact_at) if deal.last_contact_at else "never"),
        ("Next action", next_action),
    ]


def _footer(deal: DealView) -> list[str]:
    parts = []
    if deal.tags:
        parts.append(" ".join(f"`#{escape(t)}`" for t in deal.tags))
    if deal.lead:
        parts.append(f"From lead #{deal.lead[0]} {escape(deal.lead[1])}")
    if deal.source:
        parts.append(f"Source: {escape(deal.source)}")
    parts.append(f"Last activity {moment(deal.last_activity_at)}")
    return parts


def _buttons(deal: DealView) -> list[dict]:
    value = card_value(deal)
    if not deal.is_open:
        return [button("Reopen", ids.DEAL_REOPEN, value),
                button("Add note", ids.DEAL_ADD_NOTE, value)]
    elements = []
    if deal.next_stage is not None:
        elements.append(button(f"→ {deal.next_stage.name}", ids.DEAL_ADVANCE,
                               card_value(deal, str(deal.next_stage.id)), "primary"))
    elements.append({
        "type": "static_select", "action_id": ids.DEAL_PICK_STAGE,
        "placeholder": {"type": "plain_text", "text": "Move to…"},
        "options": [option(s.name, card_value(deal, str(s.id)))
                    for s in deal.stages if s.id != deal.stage.id][:100]})
    elements += [button("Won", ids.DEAL_WON, value, "primary"),
                 button("Lost", ids.DEAL_LOST, value, "danger"),
                 button("Assign to me", ids.DEAL_ASSIGN_ME, value),
                 button("Add note", ids.DEAL_ADD_NOTE, value),
                 button("Edit", ids.DEAL_EDIT, value)]
    return elements
