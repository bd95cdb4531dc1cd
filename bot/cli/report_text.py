"""The reports as plain text for a terminal (`dealbot report ... --format text`)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from handlers.blocks.format import at_time, counted, day
from handlers.messages import NO_SPEND_RECORDED
from storage.reports.forecast import Figures, Forecast
from storage.reports.funnel import FunnelReport
from storage.reports.pipeline import PipelineSummary
from storage.values import format_money


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _number(value: float | None) -> str:
    return "-" if value is None else str(value)


def _money(value: Decimal | None, currency: str) -> str:
    return "-" if value is None else format_money(value, currency)


def _at(moment: datetime, zone: str) -> str:
    """A time in the report's zone, which its days and weeks were counted in."""
    return f"{at_time(moment.astimezone(ZoneInfo(zone)))} {zone}"


def pipeline_text(r: PipelineSummary) -> str:
    c = r.currency
    lines = [f"Pipeline {r.pipeline} ({r.team}) as of {_at(r.as_of, r.timezone)}", ""]
    lines.append(f"{'Stage':<20}{'Prob':>6}{'Deals':>8}{'Value':>20}{'Weighted':>20}")
    for s in r.stages:
        lines.append(f"{s.name[:19]:<20}{s.probability:>5}%{s.count:>8,}"
                     f"{_money(s.value, c):>20}{_money(s.weighted, c):>20}")
    lines.append(f"{'Total':<26}{r.count:>8,}{_money(r.value, c):>20}{_money(r.weighted, c):>20}")
    a = r.activity
    lines += ["", f"Since {_at(a.since, r.timezone)}: {a.new_count} new "
              f"({_money(a.new_value, c)}), {a.advanced} moved forward, {a.moved_back} moved "
              f"back, {a.won_count} won ({_money(a.won_value, c)}), {a.lost_count} lost "
              f"({_money(a.lost_value, c)})"]
    lines += [f"  lost because {reason}: {n}" for reason, n in a.lost_reasons]
    for title, found in (("Stale", r.attention.stale), ("Overdue", r.attention.overdue),
                         ("Closing within 7 days", r.attention.closing_soon)):
        lines.append(f"{title}: {found.total}")
        lines += [f"  #{d.number} {d.name} - {d.stage}, {_money(d.value, c)}, idle "
                  f"{counted(d.days_idle, 'day')}, close "
                  f"{day(d.expected_close) if d.expected_close else '-'}" for d in found.deals]
        if found.total > len(found.deals):
            lines.append(f"  ... and {found.total - len(found.deals):,} more")
    return "\n".join(lines)


def funnel_text(r: FunnelReport) -> str:
    c = r.currency
    lines = [f"Funnel week {r.week}: {_at(r.start, r.timezone)} to {_at(r.end, r.timezone)}",
             "",
             f"{'Stage':<20}{'Entered':>9}{'Prev':>7}{'-> next':>9}{'Prev':>9}"
             f"{'Cohort':>8}{'Share':>8}"]
    for s in r.stages:
        lines.append(f"{s.name[:19]:<20}{s.entered:>9}{s.entered_prev:>7}"
                     f"{_rate(s.flow_conversion):>9}{_rate(s.flow_conversion_prev):>9}"
                     f"{s.cohort_reached:>8}{_rate(s.cohort_share):>8}")
    lines += ["", f"Cohort: {counted(r.cohort_size, 'lead')} created from "
                  f"{_at(r.cohort_start, r.timezone)}",
              f"New leads tagged #{r.sources_tag} by source:" if r.sources_tag
              else "New leads by source:"]
    lines += [f"  {s.source or '(none)'}: {s.new_leads} new, {s.became_deals} became "
              f"{'a deal' if s.became_deals == 1 else 'deals'}"
              for s in r.sources]
    lines += [f"Deals: {r.deals.won} won ({_money(r.deals.won_value, c)}), {r.deals.lost} lost, "
              f"win rate {_rate(r.deals.win_rate)}",
              f"Spend {_money(r.spend, c)}, CAC {_money(r.cac, c)}" if r.spend_recorded
              else f"Spend -, CAC - ({NO_SPEND_RECORDED})"]
    lines += [f"  CAC {source}: {_money(value, c)}"
              + ("" if source in r.spend_by_source else f" ({NO_SPEND_RECORDED})")
              for source, value in r.cac_by_source.items()]
    lines.append(f"Median days lead -> deal: {_number(r.median_days_lead_to_deal)}, "
                 f"deal -> won: {_number(r.median_days_deal_to_won)}")
    return "\n".join(lines)


def forecast_text(r: Forecast) -> str:
    c = r.currency
    whose = f"{r.owner}'s deals" if r.owner else "the team"
    lines = [f"Forecast by {r.period} for {whose} ({r.team}) as of {_at(r.as_of, r.timezone)}; "
             f"commit stage {r.commit_stage}", "",
             f"{'Period':<10}{'Won':>16}{'Open':>6}{'Value':>16}{'Weighted':>16}{'Commit':>16}"
             f"{'Best case':>16}{'Target':>16}{'Attained':>10}"]
    for p in r.periods:
        lines.append(f"{p.period.label:<10}{_money(p.won_value, c):>16}{p.open.count:>6,}"
                     f"{_money(p.open.value, c):>16}{_money(p.open.weighted, c):>16}"
                     f"{_money(p.commit, c):>16}{_money(p.best_case, c):>16}"
                     f"{_money(p.target, c):>16}{_rate(p.attainment):>10}")
    for title, figures in (("Later", r.later), ("No date", r.no_close_date)):
        lines.append(f"{title:<10}{'':>16}{_figures(figures, c)}")
    leads, pace = r.from_leads, r.velocity
    lines += ["", "From leads (rates to customer over the last "
                  f"{counted(leads.window_weeks, 'week')}):"]
    lines += [f"  {s.name}: {s.open_leads} open x {_rate(s.rate_to_customer)}"
              for s in leads.stages]
    lines += [f"  expected {leads.expected_customers:g} customers, "
              f"{_money(leads.expected_value, c)}",
              f"Velocity: {counted(pace.open_deals, 'open deal')} x win rate "
              f"{_rate(pace.win_rate)} x average won {_money(pace.average_won_value, c)} / median "
              f"{_number(pace.median_days_to_win)} days to win = "
              f"{_money(pace.per_day, c)} a day"]
    return "\n".join(lines)


def _figures(figures: Figures, currency: str) -> str:
    return (f"{figures.count:>6,}{_money(figures.value, currency):>16}"
            f"{_money(figures.weighted, currency):>16}")
