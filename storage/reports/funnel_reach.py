"""When leads reach funnel stages, as SQL over the lead history.

A lead *reaches* an open funnel stage s when it enters s or any later open stage (a
`created` or `stage` event whose stage's position is at or after s's); skipping a stage
counts as passing through it. Events of undone changes (void) are left out, and leads whose
creation was undone. Dropped is outside the order and reaches nothing. Positions
are the stages' current ones, so a renamed or reordered funnel keeps its history.

So what a lead had reached by a time is one number, the furthest position it had entered.
One statement sums up each lead that matters to a week's report by such numbers and counts
the leads per summary; the figures per stage are sums over those few rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from storage.kinds import EventKind, StageKind
from storage.models import Lead, LeadEvent, Stage
from storage.reports.params import COHORT_START, END, PREV_START, START, TEAM


@dataclass
class Reach:
    """Per funnel position: the leads that reached it for the first time in the week before
    W (`entered_before`) and in W (`entered`); the cohort's size and how many of it had
    reached the position by the end of W (`cohort_reached`)."""

    positions: Sequence[int]
    entered_before: dict[int, int] = field(default_factory=dict)
    entered: dict[int, int] = field(default_factory=dict)
    cohort_size: int = 0
    cohort_reached: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for counts in (self.entered_before, self.entered, self.cohort_reached):
            counts.update({p: 0 for p in self.positions})

    def add(self, count: int, in_cohort: bool, earlier: int | None, before: int | None,
            during: int | None) -> None:
        """`count` leads whose furthest positions were `earlier` before the week before W,
        `before` in it and `during` in W (None: none)."""
        for p in self.positions:
            if _rank(before) >= p > _rank(earlier):
                self.entered_before[p] += count
            if _rank(during) >= p > max(_rank(earlier), _rank(before)):
                self.entered[p] += count
            if in_cohort and max(_rank(earlier), _rank(before), _rank(during)) >= p:
                self.cohort_reached[p] += count
        if in_cohort:
            self.cohort_size += count


def reach(session: Session, *, team: str, positions: Sequence[int], prev_start: datetime,
          start: datetime, end: datetime, cohort_start: datetime) -> Reach:
    """W is [start, end), the week before it [prev_start, start), the cohort the leads
    created in [cohort_start, end). A lead entered a position in a week when it reached it
    then and never before. Reads, once, the history up to `end` of the cohort's leads and of
    those active since prev_start: a lead's `last_activity_at` is the time of its latest
    event (every operation sets it with the event it records; an import to the latest event
    it writes), so these include every lead that moved in the two weeks."""
    found = Reach(positions)
    for in_window, earlier, before, during, count in session.execute(_reach(), {
            TEAM.key: team, PREV_START.key: prev_start, START.key: start, END.key: end,
            COHORT_START.key: cohort_start}):
        found.add(count, bool(in_window), earlier, before, during)
    return found


@lru_cache(maxsize=1)
def _reach() -> Select:
    in_cohort = and_(Lead.created_at >= COHORT_START, Lead.created_at < END)
    per_lead = (select(func.max(case((in_cohort, 1), else_=0)).label("in_cohort"),
                       _furthest(LeadEvent.at < PREV_START).label("earlier"),
                       _furthest(and_(LeadEvent.at >= PREV_START,
                                      LeadEvent.at < START)).label("before"),
                       _furthest(LeadEvent.at >= START).label("during"))
                .select_from(Lead)
                .outerjoin(LeadEvent, and_(LeadEvent.lead_id == Lead.id, LeadEvent.at < END,
                                           LeadEvent.voided_at.is_(None)))
                .outerjoin(Stage, _reaching())
                .where(Lead.team_id == TEAM, Lead.voided_at.is_(None),
                       or_(in_cohort, Lead.last_activity_at >= PREV_START))
                .group_by(Lead.id).subquery("per_lead"))
    r = per_lead.c
    return (select(r.in_cohort, r.earlier, r.before, r.during, func.count())
            .group_by(r.in_cohort, r.earlier, r.before, r.during))


def _furthest(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """The furthest open position a lead entered in its events that meet `condition`."""
    return func.max(case((condition, Stage.position)))


def _reaching() -> ColumnElement[bool]:
    return and_(Stage.id == LeadEvent.to_stage_id, Stage.kind == StageKind.OPEN,
                LeadEvent.kind.in_((EventKind.CREATED, EventKind.STAGE)))


def _rank(position: int | None) -> int:
    return -1 if position is None else position
