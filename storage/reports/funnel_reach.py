"""When leads reach funnel stages, as SQL over the lead history.

A lead *reaches* an open funnel stage s when it enters s or any later open stage (a
`created` or `stage` event whose stage's position is at or after s's); skipping a stage
counts as passing through it. Dropped is outside the order and reaches nothing. Positions
are the stages' current ones, so a renamed or reordered funnel keeps its history.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from storage.kinds import EventKind, StageKind
from storage.models import Lead, LeadEvent, Stage


def _reaches(event: type[LeadEvent], stage: type[Stage], position: int) -> ColumnElement[bool]:
    return and_(stage.id == event.to_stage_id, stage.kind == StageKind.OPEN,
                stage.position >= position,
                event.kind.in_((EventKind.CREATED, EventKind.STAGE)))


def entered(session: Session, *, team: str, position: int, start: datetime,
            end: datetime) -> int:
    """Leads that reached the stage at `position` for the first time in [start, end): they
    reached it in the window and never before it. Cost follows the window's events."""
    earlier, earlier_stage = aliased(LeadEvent), aliased(Stage)
    reached_before = exists(select(1).select_from(earlier).join(
        earlier_stage, _reaches(earlier, earlier_stage, position))
        .where(earlier.lead_id == LeadEvent.lead_id, earlier.at < start))
    return session.scalar(
        select(func.count(LeadEvent.lead_id.distinct())).select_from(LeadEvent)
        .join(Stage, _reaches(LeadEvent, Stage, position))
        .where(LeadEvent.team_id == team, LeadEvent.at >= start, LeadEvent.at < end,
               ~reached_before)) or 0


def cohort_size(session: Session, *, team: str, start: datetime, end: datetime) -> int:
    """Leads created in [start, end)."""
    return session.scalar(select(func.count()).select_from(Lead).where(
        Lead.team_id == team, Lead.created_at >= start, Lead.created_at < end)) or 0


def cohort_reached(session: Session, *, team: str, position: int, start: datetime,
                   end: datetime) -> int:
    """Of the leads created in [start, end), those that reached the stage before `end`."""
    reached = exists(select(1).select_from(LeadEvent).join(Stage, _reaches(LeadEvent, Stage,
                                                                          position))
                     .where(LeadEvent.lead_id == Lead.id, LeadEvent.at < end))
    return session.scalar(select(func.count()).select_from(Lead).where(
        Lead.team_id == team, Lead.created_at >= start, Lead.created_at < end, reached)) or 0
