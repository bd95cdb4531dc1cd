"""The funnel conversion report for an ISO week W in a time zone (PRODUCT.md "Reports,
defined"), computed by SQL aggregates over the lead and deal histories.

For each open funnel stage s, in order: entered(s), the leads that reached s for the first
time during W (see funnel_reach); flow conversion entered(next) / entered(s) (None for the
last stage or when entered(s) is 0); the cohort (leads created in the 28 days ending with W)
and the share of it that reached s by the end of W, with the step conversion reached(s) /
reached(previous stage); and the same figures for the week before W.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from storage.kinds import PipelineKind, StageKind
from storage.models import Stage
from storage.reports import funnel_outcomes as outcomes
from storage.reports.funnel_outcomes import Closed, SourceLine, ratio
from storage.reports.funnel_reach import Reach, reach
from storage.reports.history import plan_for_reports
from storage.reports.weeks import (
    local_midnight,
    monday_of,
    week_bounds,
    week_containing,
)
from storage.stages import stages_of
from storage.values import iso_week_label
from storage.workspaces import workspace_settings

COHORT_DAYS = 28


@dataclass(frozen=True)
class FunnelStage:
    name: str
    entered: int
    entered_prev: int
    flow_conversion: float | None
    flow_conversion_prev: float | None
    cohort_reached: int
    cohort_share: float | None
    cohort_step: float | None  # reached(s) / reached(previous stage); None for the first


@dataclass(frozen=True)
class FunnelReport:
    team: str
    week: str
    monday: date
    start: datetime
    end: datetime
    timezone: str
    currency: str
    stages: tuple[FunnelStage, ...]
    cohort_start: datetime
    cohort_first_day: date  # the local date cohort_start begins
    cohort_weeks: int  # the cohort: leads created in these weeks, ending with W
    cohort_size: int
    sources: tuple[SourceLine, ...]
    deals: Closed
    deals_prev: Closed
    spend: Decimal
    spend_by_source: dict[str, Decimal]
    median_days_lead_to_deal: float | None
    median_days_deal_to_won: float | None
    sources_tag: str | None = None  # the sources count only the leads with this tag

    @property
    def spend_recorded(self) -> bool:
        """Whether any spend was recorded for W: without it there is no CAC (customers were
        not free; the spend is missing)."""
        return bool(self.spend_by_source)

    @property
    def cac(self) -> Decimal | None:
        """Spend / deals won in W; None when no spend was recorded or nothing was won."""
        return outcomes.cac(self.spend, self.deals.won) if self.spend_recorded else None

    @property
    def cac_by_source(self) -> dict[str, Decimal | None]:
        """CAC for each source that has spend of its own in W, and None for each source that
        won deals in W without spend of its own (when any spend was recorded for W)."""
        if not self.spend_recorded:
            return {}
        won = self.deals.won_by_source
        sources = sorted({s for s in self.spend_by_source if s} | {s for s in won if s})
        return {source: (outcomes.cac(self.spend_by_source[source], won.get(source, 0))
                         if source in self.spend_by_source else None) for source in sources}

    @property
    def new_leads(self) -> int:
        return sum(s.new_leads for s in self.sources)


def funnel_report(session: Session, *, team: str, now: datetime, week: date | None = None,
                  timezone: str | None = None, sources_tag: str | None = None) -> FunnelReport:
    """The report for the ISO week containing `week` (default: the week of `now`) in
    `timezone` (default the workspace's); with `sources_tag`, its new leads by source are
    those of the leads with that tag only (a group of companies, say `#enterprise`)."""
    workspace = workspace_settings(session, team=team)
    plan_for_reports(session)
    zone = timezone or workspace.timezone
    monday = monday_of(week) if week else week_containing(now, zone)
    start, end = week_bounds(monday, zone)
    prev_start, _ = week_bounds(monday - timedelta(days=7), zone)
    cohort_monday = monday + timedelta(days=7 - COHORT_DAYS)
    cohort_start = local_midnight(cohort_monday, zone)
    spend = outcomes.spend_by_source(session, team=team, monday=monday)
    funnel = [s for s in stages_of(session, team=team, kind=PipelineKind.LEAD)
              if s.kind == StageKind.OPEN]
    positions = [s.position for s in funnel]
    leads = reach(session, team=team, positions=positions, prev_start=prev_start, start=start,
                  end=end, cohort_start=cohort_start)
    closing = outcomes.closing_stages(session, team=team)
    closed_before, closed_now = outcomes.closed(session, team=team, closing=closing,
                                                prev_start=prev_start, start=start, end=end)
    return FunnelReport(
        team=team, week=iso_week_label(monday), monday=monday, start=start, end=end, timezone=zone,
        currency=workspace.currency,
        stages=_stages(funnel, leads), cohort_start=cohort_start, cohort_first_day=cohort_monday,
        cohort_weeks=COHORT_DAYS // 7, cohort_size=leads.cohort_size,
        sources=outcomes.sources(session, team=team, start=start, end=end, tag=sources_tag),
        deals=closed_now, deals_prev=closed_before,
        spend=sum(spend.values(), Decimal("0.00")), spend_by_source=spend,
        median_days_lead_to_deal=outcomes.median_days_lead_to_deal(
            session, team=team, start=start, end=end),
        median_days_deal_to_won=outcomes.median_days_deal_to_won(
            session, team=team, closing=closing, start=start, end=end),
        sources_tag=sources_tag)


def _stages(funnel: list[Stage], leads: Reach) -> tuple[FunnelStage, ...]:
    now_in = [leads.entered[s.position] for s in funnel]
    before = [leads.entered_before[s.position] for s in funnel]
    reached = [leads.cohort_reached[s.position] for s in funnel]
    size = leads.cohort_size
    lines = []
    for i, stage in enumerate(funnel):
        last = i == len(funnel) - 1
        lines.append(FunnelStage(
            name=stage.name, entered=now_in[i], entered_prev=before[i],
            flow_conversion=None if last else ratio(now_in[i + 1], now_in[i]),
            flow_conversion_prev=None if last else ratio(before[i + 1], before[i]),
            cohort_reached=reached[i], cohort_share=ratio(reached[i], size),
            cohort_step=ratio(reached[i], reached[i - 1]) if i else None))
    return tuple(lines)
