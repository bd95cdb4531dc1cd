"""What happened to the pipeline in a window (since, until]: one aggregate over its events.

Counted as events, so a deal won, reopened and won again in the window counts twice: the
report says what happened. "advanced" counts the stage changes to a later open stage and
"moved_back" those to an earlier open stage (a reopened deal goes from Won or Lost, which
come last, to an earlier open stage, so a reopening counts as a move back).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session, aliased

from storage.kinds import EventKind, StageKind
from storage.models import LOST_REASON, DealEvent, Stage
from storage.reports.history import cents, money

NO_REASON = "(no reason given)"


@dataclass(frozen=True)
class Activity:
    since: datetime
    until: datetime
    new_count: int
    new_value: Decimal
    advanced: int
    moved_back: int
    won_count: int
    won_value: Decimal
    lost_count: int
    lost_value: Decimal
    lost_reasons: tuple[tuple[str, int], ...]  # most frequent first


def activity_between(session: Session, *, team: str, since: datetime,
                     until: datetime) -> Activity:
    to, came = aliased(Stage), aliased(Stage)
    window = and_(DealEvent.team_id == team, DealEvent.at > since, DealEvent.at <= until)

    def when(condition: ColumnElement[bool], value: object = 1) -> ColumnElement:
        return func.sum(case((condition, value), else_=0))

    created, moved = DealEvent.kind == EventKind.CREATED, DealEvent.kind == EventKind.STAGE
    row = session.execute(
        select(when(created).label("new_count"),
               when(created, cents(DealEvent.amount)).label("new_value"),
               when(and_(moved, to.kind == StageKind.OPEN,
                         to.position > came.position)).label("advanced"),
               when(and_(moved, to.kind == StageKind.OPEN,
                         to.position < came.position)).label("moved_back"),
               when(and_(moved, to.kind == StageKind.WON)).label("won_count"),
               when(and_(moved, to.kind == StageKind.WON),
                    cents(DealEvent.amount)).label("won_value"),
               when(and_(moved, to.kind == StageKind.LOST)).label("lost_count"),
               when(and_(moved, to.kind == StageKind.LOST),
                    cents(DealEvent.amount)).label("lost_value"))
        .outerjoin(to, to.id == DealEvent.to_stage_id)
        .outerjoin(came, came.id == DealEvent.from_stage_id)
        .where(window, DealEvent.kind.in_((EventKind.CREATED, EventKind.STAGE)))).one()
    given = case((DealEvent.field == LOST_REASON, func.nullif(DealEvent.new_value, "")))
    reason = func.coalesce(given, NO_REASON)  # the reason given when it was lost
    reasons = session.execute(
        select(reason, func.count()).select_from(DealEvent)
        .join(to, to.id == DealEvent.to_stage_id)
        .where(window, DealEvent.kind == EventKind.STAGE, to.kind == StageKind.LOST)
        .group_by(reason).order_by(func.count().desc(), reason)).all()
    return Activity(since, until, row.new_count or 0, money(row.new_value), row.advanced or 0,
                    row.moved_back or 0, row.won_count or 0, money(row.won_value),
                    row.lost_count or 0, money(row.lost_value),
                    tuple((str(r), int(n)) for r, n in reasons))

