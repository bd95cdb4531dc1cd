"""The pipeline summary as Block Kit, for `/pipeline`, its Share button and the digests.

Within Slack's limits for any size of pipeline: the stage table is the message's one `table`
block (a pipeline has at most 20 stages; Slack takes 100 rows), each attention list shows a few
deals and ends with "… and N more". The notification text repeats the table, a line a stage.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from handlers import ids
from handlers.blocks.forecast import target_lines_text
from handlers.blocks.format import (
    at_time,
    button,
    clip,
    context,
    counted,
    day,
    divider,
    escape,
    format_money,
    moment,
    section,
    user,
)
from handlers.blocks.report_parts import Column, change, change_words, name_cell, table_block
from storage.kinds import DigestKind
from storage.reports.attention import AttentionDeal, AttentionList
from storage.reports.forecast import TargetLine
from storage.reports.pipeline import PipelineSummary

ATTENTION_SHOWN = 5
STAGE_COLUMNS = (Column("Stage", "left", wrapped=True), Column("Deals"), Column("±", "center"),
                 Column("Value"), Column("Weighted"))


def share_actions(value: str) -> dict:
    return {"type": "actions", "block_id": ids.REPORT_ACTIONS,
            "elements": [button("Share in channel", ids.REPORT_SHARE, value, style="primary")]}


def pipeline_blocks(report: PipelineSummary, *, share: bool = False,
                    targets: tuple[TargetLine, ...] = ()) -> list[dict]:
    """The summary: stage table, totals, a line per team target, activity since the previous
    period, attention."""
    c = report.currency
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "emoji": True,
                                    "text": clip(f"📊 Pipeline — {report.pipeline}", 150)}},
        context(f"As of {_local(report)} · changes since {moment(report.activity.since)}"),
        _stage_table(report),
        section(f"*Open:* {counted(report.count, 'deal')} · *{format_money(report.value, c)}* · "
                f"weighted {format_money(report.weighted, c)}"),
        *(section(line) for line in target_lines_text(targets, c)),
        section(_activity_line(report)),
    ]
    attention = report.attention
    for title, found, why in (("🕸️ Stale", attention.stale, "stale"),
                              ("⏰ Overdue", attention.overdue, "overdue"),
                              ("📅 Closing within 7 days", attention.closing_soon, "soon")):
        if found.total:
            blocks += [divider(), *_attention(title, found, why, c)]
    if not (attention.stale.total or attention.overdue.total or attention.closing_soon.total):
        blocks.append(context("✅ No stale, overdue or soon-closing deals."))
    if share:
        blocks.append(share_actions(DigestKind.PIPELINE))
    return blocks


def _local(report: PipelineSummary) -> str:
    """The report's moment in the zone its "today" (overdue, closing soon) was counted in."""
    local = report.as_of.astimezone(ZoneInfo(report.timezone))
    return f"{at_time(local)} ({escape(report.timezone)})"


def pipeline_text(report: PipelineSummary, targets: tuple[TargetLine, ...] = ()) -> str:
    """The notification fallback (and what a screen reader reads): the gist in one line, then
    the stage table, a line a stage, then the targets."""
    a, c = report.activity, report.currency
    gist = (f"Pipeline: {counted(report.count, 'open deal')}, {format_money(report.value, c)} "
            f"({format_money(report.weighted, c)} weighted). Since the last summary: "
            f"{a.new_count} new, {a.won_count} won, {a.lost_count} lost.")
    previous = _previous_counts(report)
    return "\n".join([gist, *(
        f"{escape(name_cell(s.name))}: {counted(s.count, 'deal')} "
        f"({change_words(s.count, previous.get(s.name, 0))}), "
        f"{format_money(s.value, c)}, weighted {format_money(s.weighted, c)}"
        for s in report.stages), *(line.replace("*", "").replace("🎯 ", "")
                                   for line in target_lines_text(targets, c))])


def _previous_counts(report: PipelineSummary) -> dict[str, int]:
    return {s.name: s.count for s in report.previous}


def _stage_table(report: PipelineSummary) -> dict:
    """Deals, change since the previous summary, value and weighted value of each stage."""
    previous, c = _previous_counts(report), report.currency
    return table_block(STAGE_COLUMNS, [
        [name_cell(s.name), f"{s.count:,}", change(s.count, previous.get(s.name, 0)),
         format_money(s.value, c), format_money(s.weighted, c)] for s in report.stages])


def _activity_line(report: PipelineSummary) -> str:
    a, c = report.activity, report.currency
    parts = [f"🆕 {a.new_count} new ({format_money(a.new_value, c)})",
             f"⏩ {a.advanced} moved forward", f"⏪ {a.moved_back} moved back",
             f"🏆 {a.won_count} won ({format_money(a.won_value, c)})",
             f"❌ {a.lost_count} lost ({format_money(a.lost_value, c)})"]
    line = "*Since the last summary:* " + " · ".join(parts)
    if a.lost_reasons:
        reasons = ", ".join(f"{escape(clip(r, 60))} ×{n}" for r, n in a.lost_reasons[:5])
        line += f"\n_Lost because:_ {reasons}"
    return line


def _attention(title: str, found: AttentionList, why: str, currency: str) -> list[dict]:
    blocks = [section(f"*{title}* ({found.total:,})")]
    for deal in found.deals[:ATTENTION_SHOWN]:
        # a deal can be in two lists (stale and overdue): the list makes its action_id unique
        blocks.append(section(_deal_line(deal, why, currency), accessory=button(
            "Open", f"{ids.REPORT_DEAL}.{why}{ids.PER_ITEM}{deal.number}", str(deal.number))))
    hidden = found.total - min(len(found.deals), ATTENTION_SHOWN)
    if hidden > 0:
        blocks.append(context(f"… and {hidden:,} more. `/deal list` shows them all."))
    return blocks


def _deal_line(deal: AttentionDeal, why: str, currency: str) -> str:
    detail = (f"idle {counted(deal.days_idle, 'day')}" if why == "stale" else
              f"expected {day(deal.expected_close)}" if deal.expected_close else "")
    return (f"`#{deal.number}` *{escape(clip(deal.name, 80))}* — {escape(deal.stage)}, "
            f"{format_money(deal.value, currency)}, {user(deal.owner)} · {detail}")
