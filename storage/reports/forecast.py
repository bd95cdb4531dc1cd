"""The forecast at a time T (PRODUCT.md "Forecast and targets"): what will close in this and
the next two months or quarters of the workspace's time zone, against the targets; what the
lead funnel promises; how fast the pipeline turns into won value.

- An open deal falls in the period of its expected close at T; an overdue one in the first
  period; one closing after the last period in `later`; one without a date in
  `no_close_date`. So those add up to the pipeline summary's totals at T: each stage's
  weighted value, rounded to cents as in the pipeline summary, is shared among the periods
  by largest remainder (ties to the earlier period).
- commit: the weighted value of a period's deals in stages at or after the commit stage
  (an admin's choice, else the last open stage); best_case: the full value of those plus the
  weighted value of the rest.
- won: the deals won in the first period by T (storage/reports/forecast_deals.py);
  attainment: won value / target; coverage: weighted value / what is still missing.
- With `owner`, the periods hold that owner's deals (owner at T) and target; the lead
  forecast and velocity stay the team's.
Targets and the commit stage are today's settings, also in a forecast of the past.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.kinds import PipelineKind, StageKind, TargetPeriod
from storage.models import Stage
from storage.reports.amounts import money
from storage.reports.forecast_deals import LATER, NO_CLOSE, PERIODS, deals_at
from storage.reports.forecast_leads import lead_counts
from storage.reports.history import plan_for_reports
from storage.reports.periods import Period, periods_from
from storage.reports.pipeline_totals import StageTotal
from storage.reports.velocity import Velocity, velocity
from storage.stages import commit_stage, stages_of
from storage.targets import target_for, targets_of
from storage.workspaces import find_pipeline, workspace_settings

WINDOW_WEEKS = 12


@dataclass(frozen=True)
class Figures:
    count: int = 0
    value: Decimal = Decimal("0.00")
    weighted: Decimal = Decimal("0.00")


@dataclass(frozen=True)
class PeriodForecast:
    period: Period
    won_count: int
    won_value: Decimal
    open: Figures
    commit: Decimal
    best_case: Decimal
    target: Decimal | None

    @property
    def attainment(self) -> float | None:
        return float(self.won_value / self.target) if self.target else None

    @property
    def missing(self) -> Decimal | None:
        """What is still to win to reach the target (None without one; 0 when reached)."""
        return None if self.target is None else max(self.target - self.won_value, Decimal(0))

    @property
    def coverage(self) -> float | None:
        """Weighted open value / what is still missing (None once the target is reached)."""
        missing = self.missing
        return float(self.open.weighted / missing) if missing else None


@dataclass(frozen=True)
class LeadStageForecast:
    name: str
    open_leads: int
    rate_to_customer: float | None


@dataclass(frozen=True)
class FromLeads:
    window_weeks: int
    stages: tuple[LeadStageForecast, ...]
    expected_customers: float
    expected_value: Decimal | None


@dataclass(frozen=True)
class Forecast:
    team: str
    as_of: datetime
    today: date  # T's date in the workspace's time zone
    currency: str
    timezone: str
    period: TargetPeriod
    owner: str | None
    commit_stage: str
    periods: tuple[PeriodForecast, ...]
    later: Figures
    no_close_date: Figures
    from_leads: FromLeads
    velocity: Velocity


@dataclass(frozen=True)
class _Pipeline:
    """The stages as the forecast needs them: open ones' probabilities by id, those at or
    after the commit stage, the Won and Lost ids."""

    probability: dict[int, int]
    commit: frozenset[int]
    won: tuple[int, ...]
    lost: tuple[int, ...]


@dataclass(frozen=True)
class TargetLine:
    """A team target in the period it is running: won so far, days left, coverage."""

    kind: TargetPeriod
    days_left: int
    forecast: PeriodForecast


def forecast(session: Session, *, team: str, now: datetime, as_of: datetime | None = None,
             period: TargetPeriod = TargetPeriod.MONTH, owner: str | None = None) -> Forecast:
    """The forecast at `as_of` (default `now`); with `owner`, that owner's (module doc)."""
    workspace = workspace_settings(session, team=team)
    plan_for_reports(session)
    at = as_of or now
    today = at.astimezone(ZoneInfo(workspace.timezone)).date()
    pipeline = _pipeline(session, team)
    lines, buckets, open_deals = _periods(session, team, at, today, workspace.timezone,
                                          period, owner, pipeline)
    window_start = at - timedelta(weeks=WINDOW_WEEKS)
    pace = velocity(session, team=team, at=at, window_start=window_start,
                    won_stages=pipeline.won, lost_stages=pipeline.lost, open_deals=open_deals)
    return Forecast(team, at, today, workspace.currency, workspace.timezone, period, owner,
                    commit_stage(session, team=team).name, lines, buckets[LATER][0],
                    buckets[NO_CLOSE][0],
                    _from_leads(session, team, at, window_start, pace.average_won_value), pace)


def target_lines(session: Session, *, team: str, now: datetime,
                 as_of: datetime | None = None) -> tuple[TargetLine, ...]:
    """For each of the team's own targets (monthly first), the period running at `as_of`."""
    team_targets = [t for t in targets_of(session, team=team) if t.owner is None]
    if not team_targets:
        return ()
    zone = workspace_settings(session, team=team).timezone
    plan_for_reports(session)
    at = as_of or now
    today = at.astimezone(ZoneInfo(zone)).date()
    pipeline = _pipeline(session, team)
    found = []
    for target in team_targets:
        lines = _periods(session, team, at, today, zone, target.period, None, pipeline)[0]
        found.append(TargetLine(target.period, lines[0].period.days_left(today), lines[0]))
    return tuple(found)


def _periods(session: Session, team: str, at: datetime, today: date, zone: str,
             kind: TargetPeriod, owner: str | None, pipeline: _Pipeline
             ) -> tuple[tuple[PeriodForecast, ...], dict[int, Bucket], int]:
    """The periods' forecasts, every bucket's figures, and the team's open deals at `at`."""
    periods = periods_from(today, kind, zone, PERIODS)
    found = deals_at(session, team=team, at=at, start=periods[0].start,
                     ends=[p.after for p in periods], open_stages=pipeline.probability,
                     won_stages=pipeline.won)
    mine = {k: v for k, v in found.open.items() if owner is None or k[2] == owner}
    buckets = _buckets(mine, pipeline.commit)
    target = target_for(targets_of(session, team=team), period=kind, owner=owner)
    won_count, won_cents = _won(found.won, owner)
    lines = tuple(PeriodForecast(p, won_count if i == 0 else 0,
                                 money(won_cents if i == 0 else 0), *buckets[i], target)
                  for i, p in enumerate(periods))
    return lines, buckets, sum(t.count for t in found.open.values())


def _pipeline(session: Session, team: str) -> _Pipeline:
    found = find_pipeline(session, team=team, kind=PipelineKind.DEAL)
    stages = [] if found is None else list(session.scalars(
        select(Stage).where(Stage.pipeline_id == found.id).order_by(Stage.position, Stage.id)))
    opened = [s for s in stages if s.kind == StageKind.OPEN]
    commit = commit_stage(session, team=team)
    return _Pipeline({s.id: s.probability for s in opened},
                     frozenset(s.id for s in opened if s.position >= commit.position),
                     tuple(s.id for s in stages if s.kind == StageKind.WON),
                     tuple(s.id for s in stages if s.kind == StageKind.LOST))


def _won(won: dict[str | None, tuple[int, int]], owner: str | None) -> tuple[int, int]:
    rows = [v for k, v in won.items() if owner is None or k == owner]
    return sum(r[0] for r in rows), sum(r[1] for r in rows)


Cells = dict[tuple[int, int, str | None], StageTotal]
Bucket = tuple[Figures, Decimal, Decimal]  # figures, commit, best case


def _buckets(cells: Cells, commit: frozenset[int]) -> dict[int, Bucket]:
    """For each bucket: its figures, commit and best case (in cents, then as money)."""
    per_stage: dict[tuple[int, int], StageTotal] = {}
    for (stage, bucket, _), total in cells.items():
        cell = per_stage.setdefault((stage, bucket), StageTotal())
        cell.count += total.count
        cell.value_cents += total.value_cents
        cell.weighted += total.weighted
    shared = share_weighted({k: v.weighted for k, v in per_stage.items()})
    sums = {b: [0, 0, 0, 0, 0] for b in (*range(PERIODS), LATER, NO_CLOSE)}
    for (stage, bucket), cell in per_stage.items():
        line, weighted = sums[bucket], shared[(stage, bucket)]
        in_commit = stage in commit
        line[0] += cell.count
        line[1] += cell.value_cents
        line[2] += weighted
        line[3] += weighted if in_commit else 0
        line[4] += cell.value_cents if in_commit else weighted
    return {b: (Figures(c, money(v), money(w)), money(commit_cents), money(best))
            for b, (c, v, w, commit_cents, best) in sums.items()}


def share_weighted(weighted: dict[tuple[int, int], int]) -> dict[tuple[int, int], int]:
    """Cents for each (stage, bucket) from its weighted value in cents x percent: per stage,
    the total rounded half to even (as the pipeline summary rounds a stage), shared by
    largest remainder, ties to the earlier bucket (NO_CLOSE last)."""
    shared: dict[tuple[int, int], int] = {}
    for stage in {s for s, _ in weighted}:
        keys = sorted((k for k in weighted if k[0] == stage),
                      key=lambda k: k[1] if k[1] != NO_CLOSE else LATER + 1)
        total = int((Decimal(sum(weighted[k] for k in keys)) / 100).quantize(Decimal(1)))
        for k in keys:
            shared[k] = weighted[k] // 100
        extra = total - sum(shared[k] for k in keys)
        for k in sorted(keys, key=lambda k: -(weighted[k] % 100))[:extra]:
            shared[k] += 1
    return shared


def _from_leads(session: Session, team: str, at: datetime, window_start: datetime,
                average: Decimal | None) -> FromLeads:
    funnel = [s for s in stages_of(session, team=team, kind=PipelineKind.LEAD)
              if s.kind == StageKind.OPEN]
    counts = lead_counts(session, team=team, at=at, window_start=window_start,
                         conversion=funnel[-1].id or -1)
    lines = []
    expected = Fraction(0)
    for stage in funnel[:-1]:
        seen, customers = counts.in_window.get(stage.id, (0, 0))
        open_leads = counts.open_leads.get(stage.id, 0)
        lines.append(LeadStageForecast(stage.name, open_leads,
                                       customers / seen if seen else None))
        expected += Fraction(open_leads * customers, seen) if seen else 0
    return FromLeads(WINDOW_WEEKS, tuple(lines), round(float(expected), 4),
                     None if average is None else _cents(expected * Fraction(average)))


def _cents(amount: Fraction) -> Decimal:
    return money(round(amount * 100))

