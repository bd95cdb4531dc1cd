"""The forecast as Block Kit, for `/pipeline forecast`, and the target lines of `/pipeline`
and the daily digest.

The periods are the message's one `table` block (aligned columns: five rows); the lead
forecast and the velocity are a line each, and a footer defines the figures, like the funnel
report's.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from handlers.blocks.format import context, counted, day, escape, format_money, section, user
from handlers.blocks.report_parts import Column, percent, table_block
from storage.kinds import TargetPeriod
from storage.reports.forecast import Figures, Forecast, PeriodForecast, TargetLine
from storage.reports.periods import Period

COLUMNS = (Column("Closing in", "left"), Column("Deals"), Column("Value"), Column("Weighted"),
           Column("Commit"), Column("Best case"), Column("Won"), Column("Target"),
           Column("Attained"))
FOOTER = ("Deals count in the period of their expected close; overdue ones in this one. "
          "Commit: weighted value of the deals in {stage} or a later stage. Best case: their "
          "full value plus the weighted value of the rest. Won: won this period so far. "
          "Coverage: weighted value closing in the period ÷ what is still missing to the "
          "target. From leads: each stage's open leads × the share of the leads in that stage "
          "in the last {weeks} that are customers now, × the average won value. Per "
          "day: open deals × win rate × average won value ÷ median days to win.")
ADJECTIVE = {TargetPeriod.MONTH: "Monthly", TargetPeriod.QUARTER: "Quarterly"}


def period_name(period: Period) -> str:
    """`November 2026` or `Q4 2026`."""
    if "Q" in period.label:
        return f"Q{period.label.rsplit('Q', 1)[1]} {period.first.year}"
    return f"{period.first:%B %Y}"


def forecast_blocks(report: Forecast) -> list[dict]:
    c = report.currency
    whose = f"{user(report.owner)}'s deals" if report.owner else "the team"
    local = report.as_of.astimezone(ZoneInfo(report.timezone))
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "emoji": True,
                                    "text": f"🔮 Forecast by {report.period}"}},
        context(f"For {whose} · as of {day(local.date())} {local:%H:%M} "
                f"({escape(report.timezone)}) · commit stage "
                f"*{escape(report.commit_stage)}*"),
        table_block(COLUMNS, [*(_period_row(p, c) for p in report.periods),
                              _rest_row("Later", report.later, c),
                              _rest_row("No close date", report.no_close_date, c)]),
    ]
    first = report.periods[0]
    if first.target is not None:
        blocks.append(section(target_text(report.period, first, first.period.days_left(
            report.today), c)))
    blocks += [section(_leads_line(report)), section(_velocity_line(report)),
               context(FOOTER.format(stage=escape(report.commit_stage),
                                     weeks=counted(report.from_leads.window_weeks, "week")))]
    return blocks


def forecast_text(report: Forecast) -> str:
    """The notification fallback: the gist, then a line a period."""
    c = report.currency
    lines = [f"Forecast by {report.period} ({'your deals' if report.owner else 'the team'})."]
    lines += [f"{period_name(p.period)}: {counted(p.open.count, 'deal')}, "
              f"{format_money(p.open.value, c)}"
              f" ({format_money(p.open.weighted, c)} weighted, commit "
              f"{format_money(p.commit, c)}, best case {format_money(p.best_case, c)}), won "
              f"{format_money(p.won_value, c)}" for p in report.periods]
    return "\n".join(lines)


def _period_row(p: PeriodForecast, currency: str) -> list[str]:
    return [period_name(p.period), f"{p.open.count:,}", format_money(p.open.value, currency),
            format_money(p.open.weighted, currency), format_money(p.commit, currency),
            format_money(p.best_case, currency), format_money(p.won_value, currency),
            "–" if p.target is None else format_money(p.target, currency),
            percent(p.attainment)]


def _rest_row(title: str, figures: Figures, currency: str) -> list[str]:
    return [title, f"{figures.count:,}", format_money(figures.value, currency),
            format_money(figures.weighted, currency), *["–"] * 5]


def _leads_line(report: Forecast) -> str:
    leads = report.from_leads
    stages = " · ".join(f"{escape(s.name)} {s.open_leads:,} × {percent(s.rate_to_customer)}"
                        for s in leads.stages)
    value = ("" if leads.expected_value is None else
             f", *{format_money(leads.expected_value, report.currency)}*")
    return (f"*From leads:* {stages} → about {leads.expected_customers:,.1f} customers"
            f"{value}")


def _velocity_line(report: Forecast) -> str:
    v, c = report.velocity, report.currency
    average = "–" if v.average_won_value is None else format_money(v.average_won_value, c)
    days = "–" if v.median_days_to_win is None else f"{v.median_days_to_win:,.1f}"
    per_day = "–" if v.per_day is None else f"*{format_money(v.per_day, c)} a day*"
    window = counted(report.from_leads.window_weeks, "week")
    return (f"*Velocity ({window}):* {counted(v.open_deals, 'open deal')}"
            f" × {percent(v.win_rate)} win rate × {average} average won ÷ {days} days to win ="
            f" {per_day}")


def target_text(kind: TargetPeriod, p: PeriodForecast, days_left: int, currency: str) -> str:
    """🎯 A target's line: won so far against it, days left, coverage."""
    assert p.target is not None
    head = (f"🎯 *{ADJECTIVE[kind]} target, {period_name(p.period)}:* won "
            f"{format_money(p.won_value, currency)} of {format_money(p.target, currency)} "
            f"({percent(p.attainment)}) · {counted(days_left, 'day')} left")
    if p.coverage is None:
        return f"{head} · reached ✅"
    assert p.missing is not None
    return (f"{head} · coverage {p.coverage:,.1f}× ({format_money(p.open.weighted, currency)} "
            f"weighted closing, {format_money(p.missing, currency)} to go)")


def target_lines_text(lines: tuple[TargetLine, ...], currency: str) -> list[str]:
    return [target_text(t.kind, t.forecast, t.days_left, currency) for t in lines]
