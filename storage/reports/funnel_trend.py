"""Overall conversion week by week, for the small trend under the funnel chart.

For each of the `weeks` ISO weeks ending with a report's week: the week's cohort (leads
created in the 28 days ending with it) and how many of it had reached the funnel's last stage
by the week's end. These are the figures the funnel report gives for its own week
(`cohort_size` and the last stage's `cohort_reached`; funnel_reach defines *reaching*: a
`created` or `stage` event into an open stage at or after it, void events left out), for the
earlier weeks by one statement over every week at once: each lead created in the weeks'
cohorts with the first time it reached the last stage, summed per week. The report's own week
is taken from the report object itself, so the trend ends exactly where the report stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import BindParameter, Integer, Select, and_, bindparam, case, func, select
from sqlalchemy.orm import Session

from storage.kinds import EventKind, PipelineKind, StageKind
from storage.models import Lead, LeadEvent, Stage, UTCDateTime
from storage.reports.funnel import COHORT_DAYS, FunnelReport
from storage.reports.funnel_outcomes import ratio
from storage.reports.params import TEAM
from storage.reports.weeks import local_midnight, week_bounds
from storage.stages import stages_of
from storage.values import iso_week_label

TREND_WEEKS = 8
LAST = bindparam("last_position", type_=Integer())


@dataclass(frozen=True)
class TrendWeek:
    week: str  # "2026-W47"
    monday: date
    cohort_size: int
    converted: int  # of the cohort, the leads that had reached the last stage by the week's end

    @property
    def share(self) -> float | None:
        return ratio(self.converted, self.cohort_size)


def conversion_trend(session: Session, report: FunnelReport, *,
                     weeks: int = TREND_WEEKS) -> tuple[TrendWeek, ...]:
    """The `weeks` weeks ending with the report's week, oldest first, in the report's zone."""
    funnel = [s for s in stages_of(session, team=report.team, kind=PipelineKind.LEAD)
              if s.kind == StageKind.OPEN]
    own = TrendWeek(report.week, report.monday, report.cohort_size,
                    report.stages[-1].cohort_reached if report.stages else 0)
    if not funnel or weeks < 2:
        return (own,)
    mondays = [report.monday - timedelta(days=7 * back) for back in range(weeks - 1, 0, -1)]
    windows = [_cohort_window(monday, report.timezone) for monday in mondays]
    values: dict[str, object] = {TEAM.key: report.team, LAST.key: funnel[-1].position}
    for i, (start, end) in enumerate(windows):
        values.update({f"cohort_start_{i}": start, f"end_{i}": end})
    row = session.execute(_trend(len(windows)), values).one()
    earlier = [TrendWeek(iso_week_label(monday), monday, row[2 * i] or 0, row[2 * i + 1] or 0)
               for i, monday in enumerate(mondays)]
    return (*earlier, own)


def _cohort_window(monday: date, zone: str) -> tuple[datetime, datetime]:
    """[cohort start, week end) of the week starting `monday`, as UTC instants."""
    return (local_midnight(monday + timedelta(days=7 - COHORT_DAYS), zone),
            week_bounds(monday, zone)[1])


def _bound(name: str) -> BindParameter[datetime]:
    return bindparam(name, type_=UTCDateTime())


@lru_cache(maxsize=4)
def _trend(weeks: int) -> Select:
    """One row: for each week i, its cohort's size and how many of it had converted."""
    starts = [_bound(f"cohort_start_{i}") for i in range(weeks)]
    ends = [_bound(f"end_{i}") for i in range(weeks)]
    reached = and_(Stage.id == LeadEvent.to_stage_id, Stage.kind == StageKind.OPEN,
                   Stage.position >= LAST,
                   LeadEvent.kind.in_((EventKind.CREATED, EventKind.STAGE)))
    per_lead = (select(Lead.created_at.label("created_at"),
                       func.min(case((reached, LeadEvent.at))).label("reached_at"))
                .select_from(Lead)
                .outerjoin(LeadEvent, and_(LeadEvent.lead_id == Lead.id,
                                           LeadEvent.at < ends[-1],
                                           LeadEvent.voided_at.is_(None)))
                .outerjoin(Stage, Stage.id == LeadEvent.to_stage_id)
                .where(Lead.team_id == TEAM, Lead.voided_at.is_(None),
                       Lead.created_at >= starts[0], Lead.created_at < ends[-1])
                .group_by(Lead.id, Lead.created_at).subquery("per_lead"))
    lead = per_lead.c
    sums = []
    for start, end in zip(starts, ends, strict=True):
        in_cohort = and_(lead.created_at >= start, lead.created_at < end)
        sums += [func.sum(case((in_cohort, 1), else_=0)),
                 func.sum(case((and_(in_cohort, lead.reached_at < end), 1), else_=0))]
    return select(*sums)
