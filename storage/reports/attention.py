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

from sqlalchemy import and_, false, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from storage.kinds import PipelineKind, StageKind
from storage.models import Pipeline, Stage
from storage.reports.history import deals_at, money

CLOSING_SOON_DAYS = 7


@dataclass(frozen=True)
class AttentionDeal:
    number: int  # the team's deal number
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
    """The three lists in one statement: the deals open at `at` are worked out once (a CTE)
    and each list ranks and counts its own (window functions), so a large pipeline costs
    one pass over its history, not one per list."""
    deals = deals_at(team, at)
    stages = session.scalars(select(Stage).join(Pipeline, Pipeline.id == Stage.pipeline_id)
                             .where(Pipeline.team_id == team, Pipeline.kind == PipelineKind.DEAL,
                                    Stage.kind == StageKind.OPEN))
    stale = or_(false(), *(and_(deals.c.stage_id == s.id, deals.c.last_at < at - timedelta(
        days=s.rotting_days or default_rotting)) for s in stages))
    soon = (today + timedelta(days=CLOSING_SOON_DAYS)).isoformat()
    open_deals = (select(deals.c.number, deals.c.name, Stage.name.label("stage"),
                         deals.c.value_cents, deals.c.owner, deals.c.last_at, deals.c.close,
                         stale.label("stale"))
                  .join(Stage, Stage.id == deals.c.stage_id).where(Stage.kind == StageKind.OPEN)
                  .cte("open_deals"))
    lists = {"stale": (open_deals.c.stale, open_deals.c.last_at),
             "overdue": (open_deals.c.close < today.isoformat(), open_deals.c.close),
             "closing_soon": (open_deals.c.close.between(today.isoformat(), soon),
                              open_deals.c.close)}
    ranked = union_all(*(
        select(literal(name).label("list"), *open_deals.c,
               func.row_number().over(order_by=(order, open_deals.c.number)).label("rank"),
               func.count().over().label("total"))
        .where(condition) for name, (condition, order) in lists.items())).subquery("ranked")
    query = select(ranked).order_by(ranked.c.list, ranked.c.rank)
    if limit is not None:
        query = query.where(ranked.c.rank <= limit)
    found: dict[str, list] = {name: [] for name in lists}
    for row in session.execute(query):
        found[row.list].append(row)
    return Attention(**{name: _listed(rows, at) for name, rows in found.items()})


def _listed(rows: list, at: datetime) -> AttentionList:
    return AttentionList(rows[0].total if rows else 0, tuple(
        AttentionDeal(r.number, r.name, r.stage, money(r.value_cents), r.owner,
                      (at - r.last_at).days,
                      date.fromisoformat(r.close[:10]) if r.close else None) for r in rows))
