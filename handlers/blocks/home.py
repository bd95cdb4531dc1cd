"""The App Home tab: the user's open deals with their buttons, and the pipeline at a glance;
and the two modals it opens (the full pipeline, all of the user's deals).

The pipeline at a glance is a `table` block on the Home tab; Slack takes no `table` in a
modal, so the Full pipeline modal shows the same figures as section fields.

Deal elements repeat the card's action_ids with `~<number>` appended, since action_ids must
be unique in a view; the listeners accept both forms.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from handlers import ids
from handlers.blocks.deal_card import card_value
from handlers.blocks.format import (
    button,
    clip,
    context,
    counted,
    day,
    divider,
    escape,
    fields,
    format_money,
    section,
)
from handlers.blocks.report_parts import Column, name_cell, table_block
from handlers.blocks.undo import undo_actions
from storage.deals.queries import DealList, StageTotal
from storage.deals.views import DealView
from storage.kinds import PipelineKind

HOME_DEALS = 20  # two blocks each: at most 40 of the Home tab's 100
LIST_SECTION = 2900  # characters packed into one section of a list
GLANCE_COLUMNS = (Column("Stage", "left", wrapped=True), Column("Deals"), Column("Value"))


def per_item(action_id: str, deal: DealView) -> str:
    return f"{action_id}{ids.PER_ITEM}{deal.number}"


def home_view(mine: DealList, totals: tuple[StageTotal, ...], *, currency: str, today: date,
              notice: str | None = None, undo: tuple[int, int] | None = None) -> dict:
    """The Home view: within 100 blocks however many deals the user owns. `notice` is a line
    on top; `undo` the change it confirms and its deal's number, for an **Undo** under it."""
    blocks: list[dict] = [{"type": "header", "text": {"type": "plain_text", "text": "Your deals"}}]
    if notice:
        blocks.append(context(notice))
    if notice and undo is not None:
        blocks.append(undo_actions(undo[0], PipelineKind.DEAL, undo[1]))
    blocks.append({"type": "actions", "block_id": ids.HOME_ACTIONS, "elements": [
        button("New deal", ids.HOME_NEW_DEAL, "new", "primary"),
        button("Full pipeline", ids.HOME_PIPELINE, "pipeline")]})
    blocks += [_pipeline_headline(totals, currency), _glance_table(totals, currency)]
    blocks += [divider(), section(f"*Your open deals* ({mine.total})")]
    if not mine.deals:
        blocks.append(context("None yet. `/deal new Acme 50k` or *New deal* creates one."))
    for deal in mine.deals[:HOME_DEALS]:
        blocks += [section(_deal_line(deal, today)), _deal_buttons(deal)]
    more = mine.total - min(len(mine.deals), HOME_DEALS)
    if more > 0:
        blocks.append(context(f"… and {more} more, with later or no expected close."))
        blocks.append({"type": "actions", "block_id": ids.HOME_MORE_DEALS, "elements": [
            button(f"Show all {mine.total}", ids.HOME_MORE_DEALS, "more")]})
    return {"type": "home", "blocks": blocks}


def _pipeline_headline(totals: tuple[StageTotal, ...], currency: str) -> dict:
    count = sum(t.count for t in totals)
    value = sum((t.value for t in totals), Decimal("0"))
    return section(f"*Pipeline* — {counted(count, 'open deal')}, "
                   f"{format_money(value, currency)}")


def _glance_table(totals: tuple[StageTotal, ...], currency: str) -> dict:
    """Count and value per open stage (a pipeline has at most 20 stages)."""
    return table_block(GLANCE_COLUMNS, [
        [name_cell(t.stage), f"{t.count:,}", format_money(t.value, currency)] for t in totals])


def _glance_fields(totals: tuple[StageTotal, ...], currency: str) -> list[dict]:
    """Count and value per open stage as fields, ten stages a section (Slack's limit)."""
    pairs = [(escape(t.stage), f"{t.count:,} · {format_money(t.value, currency)}")
             for t in totals]
    return [fields(*pairs[i:i + 10]) for i in range(0, len(pairs), 10)]


def _deal_line(deal: DealView, today: date) -> str:
    close = ""
    if deal.expected_close:
        late = " :warning: *overdue*" if deal.expected_close < today else ""
        close = f" · closes {day(deal.expected_close)}{late}"
    return (f"`#{deal.number}` *{escape(clip(deal.name, 120))}* — {escape(deal.stage.name)}, "
            f"{format_money(deal.value, deal.currency)}{close}")


def _deal_buttons(deal: DealView) -> dict:
    value = card_value(deal)
    elements = []
    if deal.next_stage is not None:
        elements.append(button(f"→ {deal.next_stage.name}", per_item(ids.DEAL_ADVANCE, deal),
                               card_value(deal, str(deal.next_stage.id))))
    elements += [button("Won", per_item(ids.DEAL_WON, deal), value, "primary"),
                 button("Lost", per_item(ids.DEAL_LOST, deal), value, "danger"),
                 button("Add note", per_item(ids.DEAL_ADD_NOTE, deal), value),
                 button("Edit", per_item(ids.DEAL_EDIT, deal), value)]
    return {"type": "actions", "block_id": f"{ids.HOME_DEAL_ACTIONS}{ids.PER_ITEM}{deal.number}",
            "elements": elements}


def pipeline_modal(totals: tuple[StageTotal, ...], currency: str) -> dict:
    """The pipeline, stage by stage (the `/pipeline` summary adds movement and attention)."""
    blocks = [_pipeline_headline(totals, currency), *_glance_fields(totals, currency)]
    blocks.append(context("`/pipeline` posts the full summary: weighted values, what moved, "
                          "and the deals that need attention."))
    return {"type": "modal", "callback_id": ids.PIPELINE_MODAL,
            "title": {"type": "plain_text", "text": "Pipeline"},
            "close": {"type": "plain_text", "text": "Close"}, "blocks": blocks}


def my_deals_modal(mine: DealList, today: date) -> dict:
    """All of the user's open deals as a list, packed into as few sections as fit."""
    blocks: list[dict] = [section(f"*Your {counted(mine.total, 'open deal')}*, by expected close")]
    chunk: list[str] = []
    for deal in mine.deals:
        line = _deal_line(deal, today)
        if sum(len(x) + 1 for x in chunk) + len(line) > LIST_SECTION:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(section("\n".join(chunk)))
    blocks = blocks[:98]
    if mine.total > len(mine.deals):
        blocks.append(context(escape(f"… and {mine.total - len(mine.deals)} more: "
                                     "`/deal list <stage> mine` narrows it down.")))
    return {"type": "modal", "callback_id": ids.MY_DEALS_MODAL,
            "title": {"type": "plain_text", "text": "Your deals"},
            "close": {"type": "plain_text", "text": "Close"}, "blocks": blocks}
