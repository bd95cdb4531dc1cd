"""Reading deals: one deal, filtered lists, and a deal's history."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.deals.views import DealView, EventView, deal_view, deal_views, event_view
from storage.kinds import StageKind
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
    """A page of deals and how many matched in all."""

    deals: tuple[DealView, ...]
    total: int


def show_deal(session: Session, *, team: str, number: int) -> DealView:
    return deal_view(session, deal_by_number(session, team=team, number=number))


def deal_owner(session: Session, *, team: str, number: int) -> str | None:
    """Who owns the deal now (read before a change that may give it to someone else)."""
    return deal_by_number(session, team=team, number=number).owner


def list_deals(session: Session, *, team: str, stage: str | None = None,
               owner: str | None = None, tag: str | None = None,
               limit: int = LIST_LIMIT) -> DealList:
    """Open deals (or the deals in `stage`, closed ones included), in stage order, largest
    value first."""
    query = (select(Deal).join(Stage, Stage.id == Deal.stage_id)
             .where(Deal.team_id == team, Deal.voided_at.is_(None)))
    if stage:
        query = query.where(Deal.stage_id == find_stage(session, team=team, name=stage).id)
    else:
        query = query.where(Stage.kind == StageKind.OPEN)
    if owner:
        query = query.where(Deal.owner == owner)
    if tag:
        query = query.where(has_tag(Deal.tags, tag))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Stage.position, Deal.value.desc(), Deal.number)
                           .limit(limit))
    return DealList(deal_views(session, team, list(rows)), total)


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
