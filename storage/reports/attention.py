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
the deals that changed after T from their history; the first `limit` of those are the list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, Select, String, cast, literal, null, select, union_all
from sqlalchemy.orm import Session

from storage.models import Deal, Stage
from storage.reports.history import DealFigures, cents, changed_after, figures_at, money
from storage.reports.pipeline_totals import AttentionRules, PipelineTotals


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
    changed = changed_after(team, at)
    past = figures_at(at, changed)
    moved = (select(Deal.number, Deal.name, past.stage_id.label("stage_id"),
                    past.value_cents.label("value_cents"), past.owner.label("owner"),
                    past.last_at.label("last_at"), past.close.label("close"))
             .join(changed, changed.c.deal_id == Deal.id)
             .where(Deal.team_id == team, Deal.created_at <= at)
             .offset(0).subquery("moved"))
    m = moved.c
    moved_flags = rules.flags(DealFigures(m.stage_id, m.value_cents, null(), m.last_at, m.close,
                                          m.owner, close_is_text=True))
    # per stage, conditions an index range serves (ix_deals_team_stage_activity, _close)
    in_stage: dict[str, Callable[[Stage], ColumnElement[bool]]] = {
        "stale": lambda s: Deal.last_activity_at < rules.limits[s.id],
        "overdue": lambda s: Deal.expected_close < rules.today,
        "closing_soon": lambda s: Deal.expected_close.between(rules.first, rules.last)}

    def listed(name: str, history: ColumnElement[bool]) -> Select:
        """The first deals of one list: per stage from the columns, and the changed ones."""
        key = "last_at" if name == "stale" else "close"
        parts = [_first(select(Deal.number, Deal.name, literal(s.id).label("stage_id"),
                               cents(Deal.value).label("value_cents"), Deal.owner,
                               Deal.last_activity_at.label("last_at"),
                               cast(Deal.expected_close, String).label("close"))
                        .where(Deal.team_id == team, Deal.stage_id == s.id,
                               Deal.created_at <= at,
                               Deal.id.not_in(select(changed.c.deal_id)), in_stage[name](s))
                        .order_by(Deal.last_activity_at if key == "last_at"
                                  else Deal.expected_close, Deal.number), limit)
                 for s in stages]
        parts.append(_first(select(moved).where(m.stage_id.in_(list(rules.limits)), history)
                            .order_by(m[key], m.number), limit))
        every = union_all(*parts).subquery("listed")
        query = select(every).order_by(every.c[key], every.c.number)
        return query if limit is None else query.limit(limit)

    names = {s.id: s.name for s in stages}
    return Attention(**{name: AttentionList(getattr(totals, name), tuple(
        AttentionDeal(r.number, r.name, names[r.stage_id], money(r.value_cents), r.owner,
                      (at - r.last_at).days,
                      date.fromisoformat(r.close[:10]) if r.close else None)
        for r in session.execute(listed(name, flag))))
        for name, flag in zip(LISTS, moved_flags, strict=True)})


def _first(query: Select, limit: int | None) -> Select:
    """`query` limited to `limit` rows, wrapped so it can be part of a UNION on SQLite."""
    return select((query if limit is None else query.limit(limit)).subquery())
