"""Workspaces and their pipelines: created with defaults the first time a team uses the app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.db import insert_if_absent
from storage.kinds import PipelineKind, StageKind
from storage.models import Pipeline, Stage, Workspace

DEFAULT_DEAL_STAGES: tuple[tuple[str, int, StageKind], ...] = (
    ("Prospecting", 10, StageKind.OPEN), ("Qualification", 20, StageKind.OPEN),
    ("Meeting", 40, StageKind.OPEN), ("Proposal", 60, StageKind.OPEN),
    ("Negotiation", 80, StageKind.OPEN), ("Won", 100, StageKind.WON), ("Lost", 0, StageKind.LOST),
)
DEFAULT_LEAD_STAGES: tuple[tuple[str, int, StageKind], ...] = (
    ("Awareness", 0, StageKind.OPEN), ("Interest", 0, StageKind.OPEN),
    ("Consideration", 0, StageKind.OPEN), ("Engagement", 0, StageKind.OPEN),
    ("Conversion", 0, StageKind.OPEN), ("Dropped", 0, StageKind.DROPPED),
)
DEFAULT_PIPELINE = "Sales"
DEFAULT_FUNNEL = "Funnel"


@dataclass(frozen=True)
class WorkspaceSettings:
    team_id: str
    currency: str
    timezone: str
    rotting_days: int
    activity_channel: str | None


def ensure_workspace(session: Session, *, team: str, now: datetime,
                     timezone: str = "UTC") -> Workspace:
    """The team's workspace row, created with default settings and stages on first use.
    Safe when two first requests of a team race: the insert does nothing if it exists."""
    workspace = session.get(Workspace, team)
    if workspace is not None:
        return workspace
    if insert_if_absent(session, Workspace, team_id=team, currency="USD", timezone=timezone,
                        rotting_days=14, next_deal_number=1, next_lead_number=1,
                        created_at=now):
        _create_pipeline(session, team, PipelineKind.DEAL, DEFAULT_PIPELINE, DEFAULT_DEAL_STAGES)
        _create_pipeline(session, team, PipelineKind.LEAD, DEFAULT_FUNNEL, DEFAULT_LEAD_STAGES)
    return session.get_one(Workspace, team, populate_existing=True)


def _create_pipeline(session: Session, team: str, kind: PipelineKind, name: str,
                     stages: tuple[tuple[str, int, StageKind], ...]) -> None:
    pipeline = Pipeline(team_id=team, kind=kind, name=name)
    session.add(pipeline)
    session.flush()
    for position, (stage_name, probability, stage_kind) in enumerate(stages):
        session.add(Stage(pipeline_id=pipeline.id, name=stage_name, position=position,
                          kind=stage_kind, probability=probability))
    session.flush()


def workspace_settings(session: Session, *, team: str, now: datetime) -> WorkspaceSettings:
    ws = ensure_workspace(session, team=team, now=now)
    return WorkspaceSettings(ws.team_id, ws.currency, ws.timezone, ws.rotting_days,
                             ws.activity_channel)


def update_settings(session: Session, *, team: str, now: datetime,
                    **changes: object) -> WorkspaceSettings:
    """Changes workspace settings (currency, timezone, rotting_days, activity_channel)."""
    ensure_workspace(session, team=team, now=now)
    allowed = {"currency", "timezone", "rotting_days", "activity_channel"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"unknown settings: {sorted(unknown)}")
    session.execute(update(Workspace).where(Workspace.team_id == team).values(**changes))
    return workspace_settings(session, team=team, now=now)


def find_pipeline(session: Session, *, team: str, kind: PipelineKind) -> Pipeline | None:
    """The team's pipeline of that kind (`deal` or `lead`), if the workspace has one yet."""
    return session.scalars(select(Pipeline).where(
        Pipeline.team_id == team, Pipeline.kind == kind).order_by(Pipeline.id)).first()


def pipeline_of(session: Session, *, team: str, kind: PipelineKind) -> Pipeline:
    """The team's pipeline of that kind (`deal` or `lead`), made with the workspace."""
    pipeline = find_pipeline(session, team=team, kind=kind)
    if pipeline is None:
        raise LookupError(f"workspace {team} has no {kind} pipeline")
    return pipeline


def next_number(session: Session, *, team: str, kind: PipelineKind, count: int = 1) -> int:
    """Allocates the team's next deal or lead number (the first of `count` consecutive ones,
    for imports); the row lock serializes creators."""
    column = Workspace.next_deal_number if kind == PipelineKind.DEAL else Workspace.next_lead_number
    number = session.execute(
        update(Workspace).where(Workspace.team_id == team).values({column: column + count})
        .returning(column)).scalar_one()
    return number - count
