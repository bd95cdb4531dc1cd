"""The deals that need attention at a time T, from the deal history (see history.py).

- stale: open at T, and its last activity (any event) is more than its stage's rotting limit
  (the workspace's when the stage has none) before T;
- overdue: open at T, and its expected close at T is before T's date;
- closing soon: open at T, and its expected close at T lies within T's date and 7 days after.
T's date is taken in the report's time zone. Each list is ordered by what makes it urgent
(longest idle, earliest close), then by deal number.

How many deals each list holds comes with the stage totals (pipeline_totals.py); here only
the first `limit` of each are read: per open stage, the deals that did nothing after T in
index order (ix_deals_team_stage_activity, ix_deals_team_stage_close), `limit` at most, and
the deals active after T (ix_deals_team_activity) as they were then; the first `limit` of
those are the list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    Subquery,
    cast,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from storage.models import Deal, Stage
from storage.reports.amounts import cents, money
from storage.reports.history import DealFigures, changed_after, figures_at
from storage.reports.params import AT, LIMIT, TEAM
from storage.reports.pipeline_totals import (
    LAST,
    TODAY,
    AttentionRules,
    PipelineTotals,
    attention_flags,
    stage_param,
    stale_limit,
)


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


LISTS = ("stale", "overdue", "closing_soon")


def attention_at(session: Session, *, team: str, at: datetime, stages: Sequence[Stage],
                 rules: AttentionRules, totals: PipelineTotals,
                 limit: int | None) -> Attention:
    """The three lists; `stages` are the pipeline's open stages, `totals` their counts."""
    names = {s.id: s.name for s in stages}
    values = {TEAM.key: team, AT.key: at, LIMIT.key: limit, **rules.values()}
    return Attention(**{name: AttentionList(getattr(totals, name), tuple(
        AttentionDeal(r.number, r.name, names[r.stage_id], money(r.value_cents), r.owner,
                      (at - r.last_at).days,
                      date.fromisoformat(r.close[:10]) if r.close else None)
        for r in session.execute(_listed(name, len(stages), limit is not None), values)))
        for name in LISTS})


@lru_cache(maxsize=64)
def _listed(name: str, stages: int, limited: bool) -> Select:
    """The first deals of one list (all of them unless `limited`): per open stage, those
    that did nothing after T, from their columns in index order; and those active after T,
    as they were at T; the first of all those."""
    key = "last_at" if name == "stale" else "close"
    # conditions an index range serves (ix_deals_team_stage_activity, ix_deals_team_stage_close)
    in_stage: dict[str, Callable[[int], ColumnElement[bool]]] = {
        "stale": lambda i: Deal.last_activity_at < stale_limit(i),
        "overdue": lambda i: Deal.expected_close < TODAY,
        "closing_soon": lambda i: Deal.expected_close.between(TODAY, LAST)}
    parts = [_first(select(Deal.number, Deal.name, stage_param(i).label("stage_id"),
                           cents(Deal.value).label("value_cents"), Deal.owner,
                           Deal.last_activity_at.label("last_at"),
                           cast(Deal.expected_close, String).label("close"))
                    .where(Deal.team_id == TEAM, Deal.stage_id == stage_param(i),
                           Deal.last_activity_at <= AT, Deal.created_at <= AT,
                           Deal.voided_at.is_(None), in_stage[name](i))
                    .order_by(Deal.last_activity_at if key == "last_at"
                              else Deal.expected_close, Deal.number), limited)
             for i in range(stages)]
    moved = _active_at_t()
    m = moved.c
    flag = attention_flags(DealFigures(m.stage_id, m.value_cents, null(), m.last_at, m.close,
                                       m.owner, close_is_text=True), stages)[LISTS.index(name)]
    parts.append(_first(select(moved).where(m.stage_id.in_([stage_param(i)
                                                            for i in range(stages)]), flag)
                        .order_by(m[key], m.number), limited))
    every = union_all(*parts).subquery("listed")
    query = select(every).order_by(every.c[key], every.c.number)
    return query.limit(LIMIT) if limited else query


def _active_at_t() -> Subquery:
    """The deals active after T, as they were at T."""
    changed = changed_after(AT)
    past = figures_at(AT, changed)
    return (select(Deal.number, Deal.name, past.stage_id.label("stage_id"),
                   cents(past.value).label("value_cents"), past.owner.label("owner"),
                   past.last_at.label("last_at"), past.close.label("close"))
            .outerjoin(changed, changed.c.deal_id == Deal.id)
            .where(Deal.team_id == TEAM, Deal.last_activity_at > AT, Deal.created_at <= AT,
                   Deal.voided_at.is_(None))
            .offset(0).subquery("moved"))


def _first(query: Select, limited: bool) -> Select:
    """`query` (limited to the first LIMIT rows), wrapped to be part of a UNION on SQLite."""
    return select((query.limit(LIMIT) if limited else query).subquery())
