"""What happened to the pipeline in a window (since, until]: one aggregate over its events.

Counted as events (those of undone changes are void and left out), so a deal won, reopened
and won again in the window counts twice: the report says what happened. "advanced" counts
the stage changes to a later open stage and "moved_back" those to an earlier open stage (a
reopened deal goes from Won or Lost, which come last, to an earlier open stage, so a
reopening counts as a move back).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import Session, aliased

from storage.kinds import EventKind, StageKind
from storage.models import LOST_REASON, DealEvent, Stage
from storage.reports.amounts import money, sum_cents
from storage.reports.params import SINCE, TEAM, UNTIL

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
    values = {TEAM.key: team, SINCE.key: since, UNTIL.key: until}
    counts, reasons_query = _statements()
    row = session.execute(counts, values).one()
    reasons = session.execute(reasons_query, values).all()
    return Activity(since, until, row.new_count or 0, money(row.new_value), row.advanced or 0,
                    row.moved_back or 0, row.won_count or 0, money(row.won_value),
                    row.lost_count or 0, money(row.lost_value),
                    tuple((str(r), int(n)) for r, n in reasons))


@lru_cache(maxsize=1)
def _statements() -> tuple[Select, Select]:
    """The counts of the window, and its losses by reason (built once)."""
    to, came = aliased(Stage), aliased(Stage)
    window = and_(DealEvent.team_id == TEAM, DealEvent.at > SINCE, DealEvent.at <= UNTIL,
                  DealEvent.voided_at.is_(None))

    def when(condition: ColumnElement[bool]) -> ColumnElement:
        return func.sum(case((condition, 1), else_=0))

    def value_when(condition: ColumnElement[bool]) -> ColumnElement:
        return sum_cents(case((condition, DealEvent.amount), else_=0))

    created, moved = DealEvent.kind == EventKind.CREATED, DealEvent.kind == EventKind.STAGE
    counts = (
        select(when(created).label("new_count"),
               value_when(created).label("new_value"),
               when(and_(moved, to.kind == StageKind.OPEN,
                         to.position > came.position)).label("advanced"),
               when(and_(moved, to.kind == StageKind.OPEN,
                         to.position < came.position)).label("moved_back"),
               when(and_(moved, to.kind == StageKind.WON)).label("won_count"),
               value_when(and_(moved, to.kind == StageKind.WON)).label("won_value"),
               when(and_(moved, to.kind == StageKind.LOST)).label("lost_count"),
               value_when(and_(moved, to.kind == StageKind.LOST)).label("lost_value"))
        .outerjoin(to, to.id == DealEvent.to_stage_id)
        .outerjoin(came, came.id == DealEvent.from_stage_id)
        .where(window, DealEvent.kind.in_((EventKind.CREATED, EventKind.STAGE))))
    given = case((DealEvent.field == LOST_REASON, func.nullif(DealEvent.new_value, "")))
    reason = func.coalesce(given, NO_REASON)  # the reason given when it was lost
    reasons = (select(reason, func.count()).select_from(DealEvent)
               .join(to, to.id == DealEvent.to_stage_id)
               .where(window, DealEvent.kind == EventKind.STAGE, to.kind == StageKind.LOST)
               .group_by(reason).order_by(func.count().desc(), reason))
    return counts, reasons
