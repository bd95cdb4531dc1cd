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

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.kinds import PipelineKind, StageKind
from storage.models import Stage
from storage.reports.activity import Activity, activity_between
from storage.reports.amounts import CENT, money
from storage.reports.attention import Attention, AttentionList, attention_at
from storage.reports.history import plan_for_reports
from storage.reports.pipeline_totals import AttentionRules, StageTotal, pipeline_totals
from storage.workspaces import (
    default_pipeline_name,
    default_stages,
    find_pipeline,
    workspace_settings,
)

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
    plan_for_reports(session)
    at = as_of or now
    start = since if since is not None and since < at else at - DEFAULT_WINDOW
    zone = timezone or workspace.timezone
    today = at.astimezone(ZoneInfo(zone)).date()
    pipeline = find_pipeline(session, team=team, kind=PipelineKind.DEAL)
    if pipeline is None:  # a team with no workspace yet: the default stages, and no deals
        stages = [s for s in default_stages(PipelineKind.DEAL) if s.kind == StageKind.OPEN]
        nothing = AttentionList(0, ())
        return PipelineSummary(
            team=team, pipeline=default_pipeline_name(PipelineKind.DEAL), as_of=at,
            currency=workspace.currency, timezone=zone, stages=_lines(stages, {}),
            previous=_lines(stages, {}),
            activity=activity_between(session, team=team, since=start, until=at),
            attention=Attention(nothing, nothing, nothing))
    stages = list(session.scalars(select(Stage).where(
        Stage.pipeline_id == pipeline.id, Stage.kind == StageKind.OPEN)
        .order_by(Stage.position, Stage.id)))
    rules = AttentionRules.at(at, today, stages, workspace.rotting_days)
    totals = pipeline_totals(session, team=team, at=at, since=start, stages=stages, rules=rules)
    return PipelineSummary(
        team=team, pipeline=pipeline.name, as_of=at, currency=workspace.currency, timezone=zone,
        stages=_lines(stages, totals.now), previous=_lines(stages, totals.then),
        activity=activity_between(session, team=team, since=start, until=at),
        attention=attention_at(session, team=team, at=at, stages=stages, rules=rules,
                               totals=totals, limit=attention_limit))


def _lines(stages: list[Stage], totals: dict[int, StageTotal]) -> tuple[StageLine, ...]:
    """Every open stage in order with its totals; an archived open stage only while it
    holds deals."""
    lines = []
    for stage in stages:
        total = totals.get(stage.id)
        if stage.archived and total is None:
            continue
        total = total or StageTotal()
        lines.append(StageLine(stage.name, stage.probability, total.count,
                               money(total.value_cents),
                               (Decimal(total.weighted) / 10000).quantize(CENT)))
    return tuple(lines)
