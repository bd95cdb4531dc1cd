"""What `/deal list` and `/lead list` share: a page of a filtered query read with LIMIT and
OFFSET after one COUNT, and the rule that makes a record stale (open, and its last activity
more than its stage's rotting limit, else the workspace's, before now)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from storage.kinds import PipelineKind, StageKind
from storage.stages import stages_of
from storage.workspaces import workspace_settings

CLOSING_SOON_DAYS = 7


@dataclass(frozen=True)
class Moment:
    """Now, and the team's date today (in its time zone), which overdue and closing soon
    count from."""

    now: datetime
    today: date

    @property
    def soon(self) -> date:
        """The last day of "closing soon"."""
        return self.today + timedelta(days=CLOSING_SOON_DAYS)


def moment_of(session: Session, *, team: str, now: datetime) -> Moment:
    zone = workspace_settings(session, team=team).timezone
    return Moment(now, now.astimezone(ZoneInfo(zone)).date())


def stale(session: Session, *, team: str, kind: PipelineKind, now: datetime,
          stage_id: InstrumentedAttribute[int],
          last_activity: InstrumentedAttribute[datetime] | ColumnElement[datetime]
          ) -> ColumnElement[bool]:
    """SQL: the record sits in an open stage longer than that stage's rotting limit."""
    default = workspace_settings(session, team=team).rotting_days
    limits = [and_(stage_id == s.id,
                   last_activity < now - timedelta(days=s.rotting_days or default))
              for s in stages_of(session, team=team, kind=kind)
              if s.kind == StageKind.OPEN and s.id is not None]
    return or_(*limits) if limits else false()


def page_of(session: Session, query: Select, *, offset: int,
            limit: int) -> tuple[int, int]:
    """How many rows `query` matches, and where the page starting at `offset` starts: past
    the end (the list got shorter since it was drawn) it is the last page."""
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if offset >= total:
        offset = (max(total - 1, 0) // limit) * limit
    return total, max(offset, 0)
