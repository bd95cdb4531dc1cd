"""The deals of a forecast at a time T, by SQL aggregates over their figures at T
(storage/reports/history.py: the columns, or the history for what changed after T; events of
undone changes and deals whose creation was undone count nowhere).

- open: the deals open at T, per stage, close bucket and owner: count, value, and what the
  weighted value is made of (as in the pipeline summary). The bucket is the period their
  expected close falls in: 0 for the first period shown (overdue ones too), 1 and 2 for the
  next, LATER after the last, NO_CLOSE without a close date.
- won: per owner, the deals in a Won stage at T whose latest win (their latest stage change
  at or before T) lies in [the first period's start, T], at their value at T. A deal won,
  reopened and won again counts once; one reopened since is not won.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    Date,
    Select,
    String,
    and_,
    bindparam,
    case,
    exists,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from storage.kinds import EventKind
from storage.models import Deal, DealEvent
from storage.reports.amounts import SqlExpr, sum_cents, unindexed
from storage.reports.history import DealFigures, changed_after, figures_at, figures_now
from storage.reports.params import AT, START, TEAM
from storage.reports.pipeline_totals import StageTotal

NO_CLOSE, LATER = -1, 3  # buckets beside the periods 0, 1, 2
PERIODS = 3

_OPEN: BindParameter[int] = bindparam("open_stages", expanding=True)
_WON: BindParameter[int] = bindparam("won_stages", expanding=True)
_ENDS = tuple(bindparam(f"end_{i}", type_=Date()) for i in range(PERIODS))
_ENDS_TEXT = tuple(bindparam(f"end_{i}_text", type_=String()) for i in range(PERIODS))

Cell = tuple[int, int, str | None]  # stage id, bucket, owner


@dataclass(frozen=True)
class DealsAt:
    """`open`: the open deals at T by (stage, bucket, owner); `won`: per owner, how many
    were won in the first period by T and their value in cents."""

    open: dict[Cell, StageTotal]
    won: dict[str | None, tuple[int, int]]


def deals_at(session: Session, *, team: str, at: datetime, start: datetime,
             ends: Sequence[date], open_stages: dict[int, int],
             won_stages: Sequence[int]) -> DealsAt:
    """`ends`: the first day after each of the three periods; `start`: the first period's
    start; `open_stages`: the open stages' probabilities by id."""
    values: dict[str, Any] = {TEAM.key: team, AT.key: at, START.key: start,
                              _OPEN.key: list(open_stages), _WON.key: list(won_stages)}
    values.update({p.key: end for p, end in zip(_ENDS, ends, strict=True)})
    values.update({p.key: end.isoformat() for p, end in zip(_ENDS_TEXT, ends, strict=True)})
    found: dict[Cell, StageTotal] = {}
    for statement in (_quiet(), _active()):
        for stage, bucket, owner, count, value, own, plain in session.execute(statement, values):
            found.setdefault((stage, bucket, owner), StageTotal()).add(
                count, value, own, plain, open_stages[stage])
    won = {owner: (int(count), int(value or 0))
           for owner, count, value in session.execute(_won(), values)}
    return DealsAt(found, won)


def _bucket(deal: DealFigures) -> SqlExpr:
    ends = _ENDS_TEXT if deal.close_is_text else _ENDS
    return case((deal.close.is_(None), NO_CLOSE),
                *((deal.close < end, i) for i, end in enumerate(ends)), else_=LATER)


def _sums(value: SqlExpr, own: SqlExpr) -> list[SqlExpr]:
    """count, and in cents: value, value x own probability (of the deals with one), value of
    the rest."""
    return [func.count(), sum_cents(value), sum_cents(value * own),
            sum_cents(case((own.is_(None), value), else_=0))]


@lru_cache(maxsize=1)
def _quiet() -> Select:
    """The deals with no activity after T: their columns are their figures at T."""
    deal = figures_now()
    bucket = _bucket(deal)
    return (select(Deal.stage_id, bucket, Deal.owner, *_sums(deal.value, deal.own_probability))
            .where(Deal.team_id == TEAM, Deal.stage_id.in_(_OPEN), Deal.last_activity_at <= AT,
                   Deal.voided_at.is_(None))
            .group_by(Deal.stage_id, bucket, Deal.owner))


@lru_cache(maxsize=1)
def _active() -> Select:
    """The deals created by T with activity after it: their figures from the history."""
    changed = changed_after(AT)
    deal = figures_at(AT, changed)
    rows = (select(deal.stage_id.label("stage_id"), _bucket(deal).label("bucket"),
                   deal.owner.label("owner"), deal.value.label("value"),
                   deal.own_probability.label("own"))
            .select_from(Deal).outerjoin(changed, changed.c.deal_id == Deal.id)
            .where(Deal.team_id == TEAM, Deal.last_activity_at > AT, Deal.created_at <= AT,
                   Deal.voided_at.is_(None))
            .offset(0).subquery("active_deals"))  # each history lookup once (pipeline_totals)
    r = rows.c
    return (select(r.stage_id, r.bucket, r.owner, *_sums(r.value, r.own))
            .where(r.stage_id.in_(_OPEN)).group_by(r.stage_id, r.bucket, r.owner))


@lru_cache(maxsize=1)
def _won() -> Select:
    win, later = aliased(DealEvent), aliased(DealEvent)
    stage_change = (EventKind.CREATED, EventKind.STAGE)
    superseded = exists().where(
        later.deal_id == win.deal_id, later.kind.in_(stage_change), later.voided_at.is_(None),
        later.at <= AT, or_(later.at > win.at, and_(later.at == win.at, later.id > win.id)))
    changed = changed_after(AT)
    deal = figures_at(AT, changed)
    return (select(deal.owner, func.count(), sum_cents(deal.value))
            .select_from(win).join(Deal, Deal.id == win.deal_id)
            .outerjoin(changed, changed.c.deal_id == Deal.id)
            .where(win.team_id == TEAM, win.to_stage_id.in_(_WON),
                   unindexed(win.kind).in_(stage_change),
                   win.voided_at.is_(None), win.at >= START, win.at <= AT, ~superseded,
                   Deal.voided_at.is_(None))
            .group_by(deal.owner))
