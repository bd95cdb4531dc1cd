"""The weekly funnel conversion report as Block Kit, for `/funnel` and the digests.

The stage table is the message's one `table` block (Slack allows one a message); new leads by
source, deals, spend and days stay section fields beside each other. The notification text
repeats the table, a line a stage."""

from __future__ import annotations

from datetime import timedelta

from handlers import messages
from handlers.blocks.format import clip, context, counted, day, escape, fields, format_money
from handlers.blocks.report_parts import (
    Column,
    change,
    change_words,
    name_cell,
    percent,
    table_block,
)
from handlers.blocks.reports import share_actions
from storage.kinds import DigestKind
from storage.reports.funnel import FunnelReport

SOURCES_SHOWN = 8
STAGE_COLUMNS = (Column("Stage", "left", wrapped=True), Column("Entered"), Column("±", "center"),
                 Column("→ next"), Column("Cohort"))
FOOTER = ("Entered: leads that reached a stage (or a later one) for the first time this week. "
          "→ next: entered next ÷ entered here (can exceed 100%). Cohort: leads created in the "
          "{weeks} ending this week, share that reached each stage by its end. Win rate: "
          "won ÷ (won + lost) this week. CAC: spend ÷ deals won. Lead→deal: median days from a "
          "lead to its deal, for deals created this week; deal→won: for deals won this week.")


def funnel_blocks(report: FunnelReport, *, share: bool = False) -> list[dict]:
    c = report.currency
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "emoji": True,
                                    "text": f"🔻 Funnel — week {report.week}"}},
        context(f"{day(report.monday)} – {day(report.monday + timedelta(days=6))}, "
                f"{escape(report.timezone)} · vs the week before"),
        _stage_table(report),
        fields((f"New leads tagged #{report.sources_tag}" if report.sources_tag
                else "New leads", _sources(report)),
               ("Deals", f"🏆 {report.deals.won} won ({format_money(report.deals.won_value, c)}) "
                         f"{change(report.deals.won, report.deals_prev.won)}\n"
                         f"❌ {report.deals.lost} lost · win rate "
                         f"{percent(report.deals.win_rate)}"),
               ("Spend and CAC", _cac(report)),
               ("Median days", f"lead → deal: {_days(report.median_days_lead_to_deal)}\n"
                               f"deal → won: {_days(report.median_days_deal_to_won)}")),
        context(f"Cohort: {counted(report.cohort_size, 'lead')} created since "
                f"{day(report.cohort_first_day)}. "
                + FOOTER.format(weeks=counted(report.cohort_weeks, "week"))),
    ]
    if share:
        tag = f" #{report.sources_tag}" if report.sources_tag else ""
        blocks.append(share_actions(f"{DigestKind.FUNNEL}:{report.week}{tag}:{report.timezone}"))
    return blocks


def funnel_text(report: FunnelReport) -> str:
    """The notification fallback (and what a screen reader reads): the gist in one line, then
    the stage table, a line a stage."""
    gist = (f"Funnel, week {report.week}: {counted(report.deals.won, 'deal')} won, "
            f"win rate {percent(report.deals.win_rate)}.")
    return "\n".join([gist, *(
        f"{escape(name_cell(s.name))}: {s.entered:,} entered "
        f"({change_words(s.entered, s.entered_prev)} on the week before)"
        + ("" if s.flow_conversion is None else f", {percent(s.flow_conversion)} on to the next")
        + f", cohort {percent(s.cohort_share)} ({counted(s.cohort_reached, 'lead')})"
        for s in report.stages)])


def _stage_table(report: FunnelReport) -> dict:
    """Entered this week, change on the week before, flow to the next stage, cohort reach."""
    return table_block(STAGE_COLUMNS, [
        [name_cell(s.name), f"{s.entered:,}", change(s.entered, s.entered_prev),
         percent(s.flow_conversion), f"{percent(s.cohort_share)} ({s.cohort_reached:,})"]
        for s in report.stages])


def _sources(report: FunnelReport) -> str:
    if not report.sources:
        return "none this week"
    lines = [f"{escape(clip(s.source or 'no source', 40))}: {s.new_leads:,} "
             f"({s.became_deals:,} → deals)" for s in report.sources[:SOURCES_SHOWN]]
    hidden = len(report.sources) - SOURCES_SHOWN
    if hidden > 0:
        lines.append(f"… and {hidden} more {'source' if hidden == 1 else 'sources'}")
    return "\n".join(lines)


def _cac(report: FunnelReport) -> str:
    c = report.currency
    if not report.spend_recorded:
        return f"Spend – · CAC – ({messages.NO_SPEND_RECORDED})"
    cac = format_money(report.cac, c) if report.cac is not None else "– (no deals won)"
    lines = [f"Spend {format_money(report.spend, c)} · CAC {cac}"]
    for source, value in list(report.cac_by_source.items())[:SOURCES_SHOWN]:
        if value is not None:
            shown = format_money(value, c)
        elif source in report.spend_by_source:
            shown = "– (no deals won)"
        else:
            shown = f"– ({messages.NO_SPEND_RECORDED})"
        lines.append(f"{escape(clip(source, 40))}: {shown}")
    return "\n".join(lines)


def _days(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"
