"""The pipeline summary at any time T, computed by SQL aggregates over the deal history.

PRODUCT.md "Reports, defined" is the contract. For each open stage: the deals open in it at T,
their value and weighted value (value x the deal's own probability when set, else the
stage's); what happened in the activity window (since the previous digest, else the 24 hours
before T); and the deals that need attention at T.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.kinds import PipelineKind, StageKind
from storage.models import Stage
from storage.reports.activity import Activity, activity_between
from storage.reports.attention import Attention, attention_at
from storage.reports.history import deals_at, money, weight
from storage.stages import stages_of
from storage.workspaces import default_pipeline_name, find_pipeline, workspace_settings

DEFAULT_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class StageLine:
    """One open stage at T: how many open deals sit in it, their value and weighted value."""

    name: str
    probability: int
    count: int
    value: Decimal
    weighted: Decimal


@dataclass(frozen=True)
class PipelineSummary:
    """The summary at `as_of`; `previous` holds the same stage lines at `activity.since`, so
    changes can be shown against the previous period."""

    team: str
    pipeline: str
    as_of: datetime
    currency: str
    timezone: str
    stages: tuple[StageLine, ...]
    previous: tuple[StageLine, ...]
    activity: Activity
    attention: Attention

    @property
    def count(self) -> int:
        return sum(s.count for s in self.stages)

    @property
    def value(self) -> Decimal:
        return sum((s.value for s in self.stages), Decimal("0.00"))

    @property
    def weighted(self) -> Decimal:
        return sum((s.weighted for s in self.stages), Decimal("0.00"))


def pipeline_summary(session: Session, *, team: str, now: datetime,
                     as_of: datetime | None = None, since: datetime | None = None,
                     timezone: str | None = None, attention_limit: int | None = 10
                     ) -> PipelineSummary:
    """The summary at `as_of` (default `now`). `since` starts the activity window (the
    subscription's previous digest); `timezone` decides which day is today for overdue and
    closing-soon deals (default the workspace's). `attention_limit` caps each attention list
    (their totals are always complete); None lists them all."""
    workspace = workspace_settings(session, team=team)
    pipeline = find_pipeline(session, team=team, kind=PipelineKind.DEAL)
    at = as_of or now
    start = since if since is not None and since < at else at - DEFAULT_WINDOW
    zone = timezone or workspace.timezone
    today = at.astimezone(ZoneInfo(zone)).date()
    return PipelineSummary(
        team=team, as_of=at,
        pipeline=pipeline.name if pipeline else default_pipeline_name(PipelineKind.DEAL),
        currency=workspace.currency, timezone=zone,
        stages=stage_lines(session, team=team, at=at),
        previous=stage_lines(session, team=team, at=start),
        activity=activity_between(session, team=team, since=start, until=at),
        attention=attention_at(session, team=team, at=at, today=today,
                               default_rotting=workspace.rotting_days, limit=attention_limit))


def stage_lines(session: Session, *, team: str, at: datetime) -> tuple[StageLine, ...]:
    """Every open stage in order, with the deals open in it at `at` (one GROUP BY query).
    Archived open stages appear only while they still hold deals. A team that has no
    workspace yet has the default stages, with no deals."""
    pipeline = find_pipeline(session, team=team, kind=PipelineKind.DEAL)
    if pipeline is None:
        return tuple(StageLine(s.name, s.probability, 0, Decimal("0.00"), Decimal("0.00"))
                     for s in stages_of(session, team=team) if s.kind == StageKind.OPEN)
    deals = deals_at(team, at)
    totals = {row.stage_id: row for row in session.execute(
        select(deals.c.stage_id, func.count().label("deals"),
               func.sum(deals.c.value_cents).label("value"),
               func.sum(deals.c.value_cents * weight(deals, Stage)).label("weighted"))
        .join(Stage, Stage.id == deals.c.stage_id).group_by(deals.c.stage_id))}
    stages = session.scalars(select(Stage).where(
        Stage.pipeline_id == pipeline.id,
        Stage.kind == StageKind.OPEN).order_by(Stage.position, Stage.id))
    lines = []
    for stage in stages:
        row = totals.get(stage.id)
        if stage.archived and row is None:
            continue
        lines.append(StageLine(
            stage.name, stage.probability, row.deals if row else 0,
            money(row.value if row else 0),
            (money(row.weighted if row else 0) / 100).quantize(Decimal("0.01"))))
    return tuple(lines)
