"""The open deals per stage at T and at the start of the activity window, and how many of
those at T need attention: the states of the deals worked out once for the whole summary.

A deal whose last activity is at or before the window start is, at both times, what its
columns say: one aggregate over those, per stage. The few active since are summed up by a
second aggregate over them alone, each figure at each time from its column or, when it
changed after that time, from the deal's history (storage/reports/history.py). So history is
read only from the window start on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    Date,
    Integer,
    Select,
    String,
    bindparam,
    case,
    false,
    func,
    null,
    select,
)
from sqlalchemy.orm import Session

from storage.models import Deal, Stage, UTCDateTime
from storage.reports.amounts import SqlExpr, sum_cents
from storage.reports.history import DealFigures, changed_after, figures_at, figures_now
from storage.reports.params import AT, SINCE, TEAM

CLOSING_SOON_DAYS = 7


@dataclass
class StageTotal:
    """The open deals of one stage: how many, their value in cents and their weighted value
    in cents x percent (value x the deal's own probability when set, else the stage's)."""

    count: int = 0
    value_cents: int = 0
    weighted: int = 0

    def add(self, count: int, value: int | None, own_weighted: int | None,
            plain_value: int | None, probability: int) -> None:
        """Adds deals: `own_weighted` of those with a probability of their own,
        `plain_value` the value of the others, weighted here with the stage's."""
        self.count += count
        self.value_cents += value or 0
        self.weighted += (own_weighted or 0) + probability * (plain_value or 0)


@dataclass
class PipelineTotals:
    now: dict[int, StageTotal] = field(default_factory=dict)  # by stage id, at T
    then: dict[int, StageTotal] = field(default_factory=dict)  # at the window start
    stale: int = 0  # open deals at T that need attention
    overdue: int = 0
    closing_soon: int = 0

    def add_attention(self, stale: int | None, overdue: int | None,
                      closing_soon: int | None) -> None:
        self.stale += stale or 0
        self.overdue += overdue or 0
        self.closing_soon += closing_soon or 0


@dataclass(frozen=True)
class AttentionRules:
    """What makes a deal open at T stale, overdue or closing soon. `flags` gives them as SQL
    conditions on a deal's figures (none holds in a stage that is not open), over the bound
    values that `values` gives."""

    stage_ids: tuple[int, ...]  # the open stages, in order
    limits: tuple[datetime, ...]  # for each, the last activity before which a deal is stale
    today: date  # overdue: an expected close before T's date; closing soon: from T's date
    last: date  # to 7 days after it

    @classmethod
    def at(cls, at: datetime, today: date, stages: Sequence[Stage],
           default_rotting: int) -> AttentionRules:
        return cls(tuple(s.id for s in stages),
                   tuple(at - timedelta(days=s.rotting_days or default_rotting) for s in stages),
                   today, today + timedelta(days=CLOSING_SOON_DAYS))

    def values(self) -> dict[str, Any]:
        """The values of the bound names: the stages (statements are kept per number of
        stages, not per pipeline, so that a server with many teams keeps a few), their stale
        limits, and the dates."""
        dates = {"today": self.today, "last": self.last}
        return {**dates, **{f"{name}_text": d.isoformat() for name, d in dates.items()},
                **{stage_param(i).key: sid for i, sid in enumerate(self.stage_ids)},
                **{stale_limit(i).key: moment for i, moment in enumerate(self.limits)}}


TODAY, LAST = bindparam("today", type_=Date()), bindparam("last", type_=Date())
_TODAY_TEXT = bindparam("today_text", type_=String())
_LAST_TEXT = bindparam("last_text", type_=String())


def stage_param(i: int) -> BindParameter[int]:
    """The id of the i-th open stage (a bound value)."""
    return bindparam(f"stage_{i}", type_=Integer())


def stale_limit(i: int) -> BindParameter[datetime]:
    """The last activity before which a deal in the i-th open stage is stale at T."""
    return bindparam(f"stale_{i}", type_=UTCDateTime())


def attention_flags(deal: DealFigures, stages: int) -> tuple[SqlExpr, ...]:
    """stale, overdue, closing soon, as conditions on the deal's figures at T, for a pipeline
    of `stages` open stages."""
    stale = deal.last_at < case(*((deal.stage_id == stage_param(i), stale_limit(i))
                                  for i in range(stages))) if stages else false()
    today, last = (_TODAY_TEXT, _LAST_TEXT) if deal.close_is_text else (TODAY, LAST)
    return stale, deal.close < today, deal.close.between(today, last)


def pipeline_totals(session: Session, *, team: str, at: datetime, since: datetime,
                    stages: Sequence[Stage], rules: AttentionRules) -> PipelineTotals:
    """`stages`: the pipeline's open stages. `since` <= `at` starts the activity window."""
    totals = PipelineTotals()
    if not stages:
        return totals
    probability = {s.id: s.probability for s in stages}
    shape = len(stages)
    values = {TEAM.key: team, AT.key: at, SINCE.key: since, **rules.values()}
    for stage_id, count, value, own, plain, stale, overdue, closing_soon in session.execute(
            _quiet(shape), values):
        for lines in (totals.now, totals.then):
            lines.setdefault(stage_id, StageTotal()).add(count, value, own, plain,
                                                         probability[stage_id])
        totals.add_attention(stale, overdue, closing_soon)
    for row in session.execute(_active(shape), values):
        (stage_now, stage_then, count, value_now, own_now, plain_now, value_then, own_then,
         plain_then, stale, overdue, closing_soon) = row
        if stage_now in probability:
            totals.now.setdefault(stage_now, StageTotal()).add(
                count, value_now, own_now, plain_now, probability[stage_now])
            totals.add_attention(stale, overdue, closing_soon)
        if stage_then in probability:
            totals.then.setdefault(stage_then, StageTotal()).add(
                count, value_then, own_then, plain_then, probability[stage_then])
    return totals


@lru_cache(maxsize=64)
def _quiet(stages: int) -> Select:
    """The deals whose last activity is at or before the window start, per open stage: at
    both times in the stage their columns say."""
    columns = figures_now()
    return (select(Deal.stage_id, *_sums(columns.value, columns.own_probability),
                   *(func.sum(case((flag, 1), else_=0))
                     for flag in attention_flags(columns, stages)))
            .where(Deal.team_id == TEAM, Deal.stage_id.in_([stage_param(i)
                                                            for i in range(stages)]),
                   Deal.last_activity_at <= SINCE, Deal.created_at <= SINCE,
                   Deal.voided_at.is_(None))
            .group_by(Deal.stage_id))


@lru_cache(maxsize=64)
def _active(stages: int) -> Select:
    """The deals active since the window start, grouped by their stage at each time."""
    changed = changed_after(SINCE)
    now, then = figures_at(AT, changed), figures_at(SINCE, changed)
    rows = (select(
        now.stage_id.label("stage_now"),
        case((Deal.created_at > SINCE, null()), else_=then.stage_id).label("stage_then"),
        now.value.label("value_now"), now.own_probability.label("own_now"),
        then.value.label("value_then"), then.own_probability.label("own_then"),
        *(case((flag, 1), else_=0).label(name) for flag, name in zip(
            attention_flags(now, stages), ("stale", "overdue", "closing_soon"),
            strict=True)))
        .select_from(Deal).outerjoin(changed, changed.c.deal_id == Deal.id)
        .where(Deal.team_id == TEAM, Deal.last_activity_at > SINCE, Deal.created_at <= AT,
               Deal.voided_at.is_(None))
        # OFFSET 0 keeps this a subquery of its own, so each history lookup runs once a
        # deal rather than once for every aggregate below that reads its result
        .offset(0).subquery("active_deals"))
    r = rows.c
    return (select(r.stage_now, r.stage_then, *_sums(r.value_now, r.own_now),
                   *_sums(r.value_then, r.own_then)[1:], func.sum(r.stale),
                   func.sum(r.overdue), func.sum(r.closing_soon))
            .group_by(r.stage_now, r.stage_then))


def _sums(value: SqlExpr, own_probability: SqlExpr) -> list[SqlExpr]:
    """count, and in cents: value, value x own probability (of the deals with one), value of
    the rest."""
    return [func.count(), sum_cents(value), sum_cents(value * own_probability),
            sum_cents(case((own_probability.is_(None), value), else_=0))]
