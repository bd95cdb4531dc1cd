"""Workspaces and their pipelines: created with defaults the first time a team changes
something (creates a deal or lead, subscribes, records spend, changes a setting or a stage).

Reading never creates: a team that has no workspace yet reads as the defaults it will be
created with (settings, pipeline name and stages), so a first `/deal list` writes nothing.
The settings a new workspace starts with are the deployment's (DEALBOT_CURRENCY,
DEALBOT_TIMEZONE): `with_workspace_defaults` gives a store's sessions a `WorkspaceDefaults`,
which both the read and the creation take from the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import available_timezones

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from storage.currencies import currencies_in_use
from storage.db import Database, insert_if_absent
from storage.kinds import PipelineKind, StageKind
from storage.memo import recall, remember, remembered
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
DEFAULT_CURRENCY = "USD"
DEFAULT_TIMEZONE = "UTC"
DEFAULT_ROTTING_DAYS = 14
ROTTING_DAYS = range(1, 366)  # the stale limit a workspace (or a stage) may set
_DEFAULTS_KEY = "dealbot.workspace_defaults"


@dataclass(frozen=True)
class WorkspaceDefaults:
    """The settings a new workspace starts with."""

    currency: str = DEFAULT_CURRENCY
    timezone: str = DEFAULT_TIMEZONE
    rotting_days: int = DEFAULT_ROTTING_DAYS


def with_workspace_defaults(db: Database, defaults: WorkspaceDefaults) -> Database:
    """The store whose sessions create new workspaces with `defaults`, and read a team that
    has none yet as them."""
    return db.with_session_info({_DEFAULTS_KEY: defaults})


def defaults_of(session: Session) -> WorkspaceDefaults:
    """The defaults the session's store was configured with (else USD, UTC, 14 days)."""
    found = session.info.get(_DEFAULTS_KEY)
    return found if isinstance(found, WorkspaceDefaults) else WorkspaceDefaults()


@dataclass(frozen=True)
class WorkspaceSettings:
    team_id: str
    currency: str
    timezone: str
    rotting_days: int
    activity_channel: str | None
    celebrate_wins: bool = True  # wins are celebrated in the activity channel


def ensure_workspace(session: Session, *, team: str, now: datetime) -> Workspace:
    """The team's workspace row, created with default settings and stages on first use.
    Called once by each operation that is about to write, never by a read. Safe when two
    first requests of a team race: the insert does nothing if it exists."""
    workspace = find_workspace(session, team=team)
    if workspace is not None:
        return workspace
    defaults = defaults_of(session)
    if insert_if_absent(session, Workspace, team_id=team, currency=defaults.currency,
                        timezone=defaults.timezone, rotting_days=defaults.rotting_days,
                        next_deal_number=1, next_lead_number=1, created_at=now):
        _create_pipeline(session, team, PipelineKind.DEAL)
        _create_pipeline(session, team, PipelineKind.LEAD)
    workspace = session.get_one(Workspace, team, populate_existing=True)
    remember_workspace(session, workspace)
    return workspace


WORKSPACE = select(Workspace).where(Workspace.team_id == bindparam("team"))  # built once


def find_workspace(session: Session, *, team: str) -> Workspace | None:
    """The team's workspace row, if it has one yet; read once per transaction."""
    return remembered(session, ("workspace", team), lambda: session.scalars(
        WORKSPACE, {"team": team}).first())


def known_workspace(session: Session, *, team: str) -> Workspace | None:
    """The team's workspace row if this transaction read it already; reads nothing."""
    return recall(session, ("workspace", team))


def remember_workspace(session: Session, workspace: Workspace) -> None:
    """`find_workspace` answers `workspace` for the rest of the transaction."""
    remember(session, ("workspace", workspace.team_id), workspace)


def _create_pipeline(session: Session, team: str, kind: PipelineKind) -> None:
    pipeline = Pipeline(team_id=team, kind=kind, name=default_pipeline_name(kind))
    session.add(pipeline)
    session.flush()
    for stage in default_stages(kind):
        stage.pipeline_id = pipeline.id
        session.add(stage)
    session.flush()


def default_pipeline_name(kind: PipelineKind) -> str:
    return DEFAULT_PIPELINE if kind == PipelineKind.DEAL else DEFAULT_FUNNEL


def default_stages(kind: PipelineKind) -> list[Stage]:
    """The stages a new workspace's pipeline (or funnel) starts with, as new unsaved rows
    (no id): what a team that has no workspace yet reads as its stages."""
    stages = DEFAULT_DEAL_STAGES if kind == PipelineKind.DEAL else DEFAULT_LEAD_STAGES
    return [Stage(name=name, position=position, kind=stage_kind, probability=probability,
                  rotting_days=None, archived=False)
            for position, (name, probability, stage_kind) in enumerate(stages)]


def workspace_settings(session: Session, *, team: str) -> WorkspaceSettings:
    """The team's settings; a pure read. A team that has no workspace yet reads as the
    defaults its workspace will be created with."""
    ws = find_workspace(session, team=team)
    if ws is None:
        defaults = defaults_of(session)
        return WorkspaceSettings(team, defaults.currency, defaults.timezone,
                                 defaults.rotting_days, None)
    return WorkspaceSettings(ws.team_id, ws.currency, ws.timezone, ws.rotting_days,
                             ws.activity_channel, ws.celebrate_wins)


def update_settings(session: Session, *, team: str, now: datetime,
                    **changes: object) -> WorkspaceSettings:
    """Changes workspace settings (currency, timezone, rotting_days, activity_channel,
    celebrate_wins).
    Values come checked by the value grammar (`parse_currency_code`, `parse_timezone`); one
    that is not raises ValueError, since no user text reaches here unchecked."""
    ensure_workspace(session, team=team, now=now)
    allowed = {"currency", "timezone", "rotting_days", "activity_channel", "celebrate_wins"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"unknown settings: {sorted(unknown)}")
    _check(changes)
    session.execute(update(Workspace).where(Workspace.team_id == team).values(**changes))
    return workspace_settings(session, team=team)


def _check(changes: dict[str, object]) -> None:
    currency, zone, days = (changes.get(k) for k in ("currency", "timezone", "rotting_days"))
    if currency is not None and currency not in currencies_in_use():
        raise ValueError(f"not an ISO 4217 currency in use: {currency!r}")
    if zone is not None and zone not in available_timezones():
        raise ValueError(f"not an IANA time zone: {zone!r}")
    if days is not None and days not in ROTTING_DAYS:
        raise ValueError(f"not a stale limit in days from 1 to 365: {days!r}")


def find_pipeline(session: Session, *, team: str, kind: PipelineKind) -> Pipeline | None:
    """The team's pipeline of that kind (`deal` or `lead`), if the workspace has one yet;
    read once per transaction."""
    return remembered(session, ("pipeline", team, kind), lambda: session.scalars(select(
        Pipeline).where(Pipeline.team_id == team, Pipeline.kind == kind)
        .order_by(Pipeline.id)).first())


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
