"""The deals that need attention at a time T, from the deal history (see history.py).

- stale: open at T, and its last activity (any event) is more than its stage's rotting limit
  (the workspace's when the stage has none) before T;
- overdue: open at T, and its expected close at T is before T's date;
- closing soon: open at T, and its expected close at T lies within T's date and 7 days after.
T's date is taken in the report's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import ColumnElement, Subquery, and_, false, func, or_, select
from sqlalchemy.orm import Session

from storage.models import Stage
from storage.reports.history import deals_at, money

CLOSING_SOON_DAYS = 7


@dataclass(frozen=True)
class AttentionDeal:
    id: int  # the team's deal number
    name: str
    stage: str
    value: Decimal
    owner: str | None
    days_idle: int
    expected_close: date | None


@dataclass(frozen=True)
class AttentionList:
    """`total` deals match; `deals` lists the first of them (all when no limit was set)."""

    total: int
    deals: tuple[AttentionDeal, ...]


@dataclass(frozen=True)
class Attention:
    stale: AttentionList
    overdue: AttentionList
    closing_soon: AttentionList


def attention_at(session: Session, *, team: str, at: datetime, today: date,
                 default_rotting: int, limit: int | None) -> Attention:
    deals = deals_at(team, at)
    stages = list(session.scalars(select(Stage).where(Stage.id.in_(
        select(deals.c.stage_id).distinct())).where(Stage.kind == "open")))
    stale = or_(false(), *(and_(deals.c.stage_id == s.id, deals.c.last_at < at - timedelta(
        days=s.rotting_days or default_rotting)) for s in stages))
    soon = (today + timedelta(days=CLOSING_SOON_DAYS)).isoformat()
    return Attention(
        stale=_matching(session, deals, stale, deals.c.last_at, at, limit),
        overdue=_matching(session, deals, deals.c.close < today.isoformat(), deals.c.close,
                          at, limit),
        closing_soon=_matching(session, deals, deals.c.close.between(today.isoformat(), soon),
                               deals.c.close, at, limit))


def _matching(session: Session, deals: Subquery, condition: ColumnElement[bool],
              order: ColumnElement, at: datetime, limit: int | None) -> AttentionList:
    where = and_(Stage.kind == "open", condition)
    total = session.scalar(select(func.count()).select_from(deals)
                           .join(Stage, Stage.id == deals.c.stage_id).where(where)) or 0
    rows = session.execute(
        select(deals.c.number, deals.c.name, Stage.name.label("stage"), deals.c.value_cents,
               deals.c.owner, deals.c.last_at, deals.c.close)
        .join(Stage, Stage.id == deals.c.stage_id).where(where)
        .order_by(order, deals.c.number).limit(limit)).all()
    return AttentionList(total, tuple(
        AttentionDeal(r.number, r.name, r.stage, money(r.value_cents), r.owner,
                      (at - r.last_at).days,
                      date.fromisoformat(r.close[:10]) if r.close else None) for r in rows))
