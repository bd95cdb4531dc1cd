"""The weekly funnel conversion report as Block Kit, for `/funnel` and the digests."""

from __future__ import annotations

from datetime import timedelta

from handlers.blocks.format import clip, context, day, escape, fields, format_money, section
from handlers.blocks.report_parts import bar, change, name_cell, percent, table
from handlers.blocks.reports import share_actions
from storage.kinds import DigestKind
from storage.reports.funnel import FunnelReport

SOURCES_SHOWN = 8
FOOTER = ("Entered: leads that reached a stage (or a later one) for the first time this week. "
          "→ next: entered next ÷ entered here (can exceed 100%). Cohort: leads created in the "
          "{weeks} weeks ending this week, share that reached each stage by its end. Win rate: "
          "won ÷ (won + lost) this week. CAC: spend ÷ deals won. Lead→deal: median days from a "
          "lead to its deal, for deals created this week; deal→won: for deals won this week.")


def funnel_blocks(report: FunnelReport, *, share: bool = False) -> list[dict]:
    c = report.currency
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "emoji": True,
                                    "text": f"🔻 Funnel — week {report.week}"}},
        context(f"{day(report.monday)} – {day(report.monday + timedelta(days=6))}, "
                f"{escape(report.timezone)} · vs the week before"),
        section(_stage_table(report)),
        fields(("New leads", _sources(report)),
               ("Deals", f"🏆 {report.deals.won} won ({format_money(report.deals.won_value, c)}) "
                         f"{change(report.deals.won, report.deals_prev.won)}\n"
                         f"❌ {report.deals.lost} lost · win rate "
                         f"{percent(report.deals.win_rate)}"),
               ("Spend and CAC", _cac(report)),
               ("Median days", f"lead → deal: {_days(report.median_days_lead_to_deal)}\n"
                               f"deal → won: {_days(report.median_days_deal_to_won)}")),
        context(f"Cohort: {report.cohort_size:,} leads created since "
                f"{day(report.cohort_first_day)}. " + FOOTER.format(weeks=report.cohort_weeks)),
    ]
    if share:
        blocks.append(share_actions(f"{DigestKind.FUNNEL}:{report.week}:{report.timezone}"))
    return blocks


def funnel_text(report: FunnelReport) -> str:
    entered = ", ".join(f"{escape(s.name)} {s.entered}" for s in report.stages)
    return (f"Funnel, week {report.week}: entered {entered}. {report.deals.won} deals won, "
            f"win rate {percent(report.deals.win_rate)}.")


def _stage_table(report: FunnelReport) -> str:
    most = max((s.entered for s in report.stages), default=0)
    rows = [["Stage", "", "Entered", "±", "→ next", "Cohort"]]
    for s in report.stages:
        rows.append([name_cell(s.name), bar(s.entered, most), f"{s.entered:,}",
                     change(s.entered, s.entered_prev), percent(s.flow_conversion),
                     f"{percent(s.cohort_share)} ({s.cohort_reached:,})"])
    return table(rows)


def _sources(report: FunnelReport) -> str:
    if not report.sources:
        return "none this week"
    lines = [f"{escape(clip(s.source or 'no source', 40))}: {s.new_leads:,} "
             f"({s.became_deals:,} → deals)" for s in report.sources[:SOURCES_SHOWN]]
    hidden = len(report.sources) - SOURCES_SHOWN
    if hidden > 0:
        lines.append(f"… and {hidden} more sources")
    return "\n".join(lines)


def _cac(report: FunnelReport) -> str:
    c = report.currency
    cac = format_money(report.cac, c) if report.cac is not None else "– (no deals won)"
    lines = [f"Spend {format_money(report.spend, c)} · CAC {cac}"]
    for source, value in list(report.cac_by_source.items())[:SOURCES_SHOWN]:
        shown = format_money(value, c) if value is not None else "–"
        lines.append(f"{escape(clip(source, 40))}: {shown}")
    return "\n".join(lines)


def _days(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"
