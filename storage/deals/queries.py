"""Reading deals: one deal, filtered lists, and a deal's history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, case, func, literal, select, true
from sqlalchemy.orm import Session

from storage.deals.views import DealView, EventView, deal_view, deal_views, event_view
from storage.kinds import ListView, PipelineKind, StageKind
from storage.lists import Moment, moment_of, page_of, stale
from storage.lookup import deal_by_number
from storage.models import Deal, DealEvent, Stage, has_tag
from storage.stages import find_stage, stages_of

LIST_LIMIT = 40
CENT = Decimal("0.01")
PICKABLE_REASON = 75  # longer reasons do not fit a pick list's option text


@dataclass(frozen=True)
class StageTotal:
    """How many open deals an open stage holds, and their value."""

    stage: str
    count: int
    value: Decimal


@dataclass(frozen=True)
class DealList:
    """A page of deals, how many matched in all, where the page starts among them, and the
    team's date today (None: the list was not ordered by attention)."""

    deals: tuple[DealView, ...]
    total: int
    offset: int = 0
    today: date | None = None


def show_deal(session: Session, *, team: str, number: int) -> DealView:
    return deal_view(session, deal_by_number(session, team=team, number=number))


def deal_owner(session: Session, *, team: str, number: int) -> str | None:
    """Who owns the deal now (read before a change that may give it to someone else)."""
    return deal_by_number(session, team=team, number=number).owner


def list_deals(session: Session, *, team: str, stage: str | None = None,
               owner: str | None = None, tag: str | None = None, company: str | None = None,
               view: ListView | None = None, now: datetime | None = None,
               limit: int = LIST_LIMIT, offset: int = 0) -> DealList:
    """A page of the team's deals: open ones (or those of `view`; in `stage`, closed ones
    too unless `view` says otherwise). With `now`, those that need attention first: overdue,
    then closing within 7 days (the team's dates), then the other open deals, then closed
    ones; within each, largest value first. Without `now`, largest value first. `view`
    stale, overdue and closing need `now`. `company`: a part of the company's name, any case.
    One COUNT and one page read with LIMIT/OFFSET (a page past the end is the last page)."""
    query = (select(Deal).join(Stage, Stage.id == Deal.stage_id)
             .where(Deal.team_id == team, Deal.voided_at.is_(None)))
    if stage:
        query = query.where(Deal.stage_id == find_stage(session, team=team, name=stage).id)
    view = view or (ListView.ALL if stage else ListView.OPEN)
    moment = moment_of(session, team=team, now=now) if now is not None else None
    query = query.where(_in_view(session, team, view, moment))
    if owner:
        query = query.where(Deal.owner == owner)
    if tag:
        query = query.where(has_tag(Deal.tags, tag))
    if company:
        query = query.where(func.lower(Deal.company).contains(company.lower(), autoescape=True))
    total, offset = page_of(session, query, offset=offset, limit=limit)
    is_open = Stage.kind == StageKind.OPEN
    urgency = (case((and_(is_open, Deal.expected_close < moment.today), 0),
                    (and_(is_open, Deal.expected_close <= moment.soon), 1),
                    (is_open, 2), else_=3) if moment else literal(0))
    rows = session.scalars(query.order_by(urgency, Deal.value.desc(), Deal.number)
                           .limit(limit).offset(offset))
    return DealList(deal_views(session, team, list(rows)), total, offset,
                    moment.today if moment else None)


def _in_view(session: Session, team: str, view: ListView,
             moment: Moment | None) -> ColumnElement[bool]:
    kinds = {ListView.WON: StageKind.WON, ListView.LOST: StageKind.LOST}
    if view == ListView.ALL:
        return true()
    if view in kinds:
        return Stage.kind == kinds[view]
    is_open = Stage.kind == StageKind.OPEN
    if view == ListView.OPEN:
        return is_open
    if moment is None:
        raise ValueError(f"the {view} deals need the time now")
    if view == ListView.STALE:
        return and_(is_open, stale(session, team=team, kind=PipelineKind.DEAL, now=moment.now,
                                   stage_id=Deal.stage_id, last_activity=Deal.last_activity_at))
    if view == ListView.OVERDUE:
        return and_(is_open, Deal.expected_close < moment.today)
    return and_(is_open, Deal.expected_close.between(moment.today, moment.soon))


def deal_history(session: Session, *, team: str, number: int,
                 limit: int = 100) -> tuple[DealView, tuple[EventView, ...]]:
    """The deal and its history, oldest first (the newest `limit` entries; undone changes
    are not history)."""
    deal = deal_by_number(session, team=team, number=number)
    events = list(session.scalars(select(DealEvent).where(DealEvent.deal_id == deal.id,
                                                          DealEvent.voided_at.is_(None))
                                  .order_by(DealEvent.at.desc(), DealEvent.id.desc())
                                  .limit(limit)))
    return deal_view(session, deal), tuple(event_view(session, e) for e in reversed(events))


def open_deals_of(session: Session, *, team: str, owner: str, limit: int) -> DealList:
    """The owner's open deals by expected close, earliest (so overdue) first, undated last."""
    query = (select(Deal).join(Stage, Stage.id == Deal.stage_id)
             .where(Deal.team_id == team, Deal.owner == owner, Stage.kind == StageKind.OPEN,
                    Deal.voided_at.is_(None)))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Deal.expected_close.is_(None), Deal.expected_close,
                                          Deal.number).limit(limit))
    return DealList(deal_views(session, team, list(rows)), total)


def stage_totals(session: Session, *, team: str) -> tuple[StageTotal, ...]:
    """Count and value of the open deals in each open stage, in pipeline order (empty
    stages included): one GROUP BY over the open stages' deals, read from an index alone on
    PostgreSQL (ix_deals_team_stage_activity carries the value). A team that has no
    workspace yet has the default stages, empty."""
    stages = [s for s in stages_of(session, team=team) if s.kind == StageKind.OPEN]
    ids = [s.id for s in stages if s.id is not None]
    rows = session.execute(
        select(Deal.stage_id, func.count(), func.coalesce(func.sum(Deal.value), 0))
        .where(Deal.team_id == team, Deal.stage_id.in_(ids), Deal.voided_at.is_(None))
        .group_by(Deal.stage_id)).all() if ids else []
    totals = {stage_id: (count, Decimal(value).quantize(CENT)) for stage_id, count, value in rows}
    return tuple(StageTotal(s.name, *totals.get(s.id, (0, CENT * 0))) for s in stages)


def recent_lost_reasons(session: Session, *, team: str, limit: int = 10) -> tuple[str, ...]:
    """The distinct reasons of the team's lost deals, most recently lost first; only those
    short enough to offer in a pick list."""
    last_lost = func.max(Deal.closed_at)
    rows = session.scalars(
        select(Deal.lost_reason).join(Stage, Stage.id == Deal.stage_id)
        .where(Deal.team_id == team, Stage.kind == StageKind.LOST, Deal.lost_reason.is_not(None),
               Deal.voided_at.is_(None),
               func.length(Deal.lost_reason) <= PICKABLE_REASON)
        .group_by(Deal.lost_reason).order_by(last_lost.desc(), Deal.lost_reason).limit(limit))
    return tuple(reason for reason in rows if reason is not None)
