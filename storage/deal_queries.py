"""Reading deals: one deal, filtered lists, and a deal's history."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.deal_views import DealView, EventView, deal_view, event_view
from storage.lookup import find_deal
from storage.models import Deal, DealEvent, Stage
from storage.stages import find_stage

LIST_LIMIT = 40


@dataclass(frozen=True)
class DealList:
    """A page of deals and how many matched in all."""

    deals: tuple[DealView, ...]
    total: int


def show_deal(session: Session, *, team: str, ref: str) -> DealView:
    return deal_view(session, find_deal(session, team=team, ref=ref))


def list_deals(session: Session, *, team: str, stage: str | None = None,
               owner: str | None = None, tag: str | None = None,
               limit: int = LIST_LIMIT) -> DealList:
    """Open deals (or the deals in `stage`, closed ones included), in stage order, largest
    value first."""
    query = select(Deal).join(Stage, Stage.id == Deal.stage_id).where(Deal.team_id == team)
    if stage:
        query = query.where(Deal.stage_id == find_stage(session, team=team, name=stage).id)
    else:
        query = query.where(Stage.kind == "open")
    if owner:
        query = query.where(Deal.owner == owner)
    if tag:
        padded = " " + Deal.tags + " "
        query = query.where(padded.contains(f" {tag} ", autoescape=True))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Stage.position, Deal.value.desc(), Deal.number)
                           .limit(limit))
    return DealList(tuple(deal_view(session, d) for d in rows), total)


def deal_history(session: Session, *, team: str, ref: str,
                 limit: int = 100) -> tuple[DealView, tuple[EventView, ...]]:
    """The deal and its history, oldest first (the newest `limit` entries)."""
    deal = find_deal(session, team=team, ref=ref)
    events = list(session.scalars(select(DealEvent).where(DealEvent.deal_id == deal.id)
                                  .order_by(DealEvent.at.desc(), DealEvent.id.desc())
                                  .limit(limit)))
    return deal_view(session, deal), tuple(event_view(session, e) for e in reversed(events))
