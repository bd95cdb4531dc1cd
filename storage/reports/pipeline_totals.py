"""The open deals per stage at T and at the start of the activity window, and how many of
those at T need attention: the states of the deals worked out once for the whole summary.

A deal that did nothing after the window start is, at both times, what its columns say: one
aggregate over those, per stage. The few with events after the window start are summed up by
a second aggregate over them alone, each figure at each time from its column or, when it
changed after that time, from the deal's history (storage/reports/history.py). So history is
read only from the window start on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Subquery, case, false, func, literal, null, select
from sqlalchemy.orm import Session

from storage.models import Deal, Stage, UTCDateTime
from storage.reports.history import (
    DealFigures,
    SqlExpr,
    changed_after,
    figures_at,
    figures_now,
)

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
    """What makes a deal open at T stale, overdue or closing soon, as conditions on its
    figures; none holds for a deal in a stage that is not open."""

    limits: dict[int, datetime]  # open stage id -> the last activity before which it is stale
    first: date  # closing soon: an expected close within T's date and 7 days after
    last: date
    today: date  # overdue: an expected close before T's date

    @classmethod
    def at(cls, at: datetime, today: date, stages: Sequence[Stage],
           default_rotting: int) -> AttentionRules:
        return cls({s.id: at - timedelta(days=s.rotting_days or default_rotting)
                    for s in stages}, today, today + timedelta(days=CLOSING_SOON_DAYS), today)

    def stale(self, stage_id: SqlExpr, last_at: SqlExpr) -> ColumnElement[bool]:
        if not self.limits:
            return false()
        return last_at < case({sid: literal(moment, UTCDateTime())
                               for sid, moment in self.limits.items()}, value=stage_id)

    def flags(self, deal: DealFigures) -> tuple[ColumnElement[bool], ...]:
        """stale, overdue, closing soon."""
        dates = (self.today, self.first, self.last)
        today, first, last = (d.isoformat() for d in dates) if deal.close_is_text else dates
        return (self.stale(deal.stage_id, deal.last_at), deal.close < today,
                deal.close.between(first, last))


def pipeline_totals(session: Session, *, team: str, at: datetime, since: datetime,
                    stages: Sequence[Stage], rules: AttentionRules) -> PipelineTotals:
    """`stages`: the pipeline's open stages. `since` <= `at` starts the activity window."""
    totals = PipelineTotals()
    if stages:
        probability = {s.id: s.probability for s in stages}
        changed = changed_after(team, since)
        _add_quiet(session, totals, team, since, probability, changed, rules)
        _add_changed(session, totals, team, at, since, probability, changed, rules)
    return totals


def _add_quiet(session: Session, totals: PipelineTotals, team: str, since: datetime,
               probability: dict[int, int], changed: Subquery, rules: AttentionRules) -> None:
    """The deals that did nothing since the window start: at both times in the stage their
    columns say (they were created by then: a deal's `created` event is at its created_at)."""
    columns = figures_now()
    quiet = (select(Deal.stage_id, *_sums(columns.value_cents, columns.own_probability),
                    *(func.sum(case((flag, 1), else_=0)) for flag in rules.flags(columns)))
             .where(Deal.team_id == team, Deal.created_at <= since,
                    Deal.stage_id.in_(list(probability)),
                    Deal.id.not_in(select(changed.c.deal_id)))
             .group_by(Deal.stage_id))
    for stage_id, count, value, own, plain, stale, overdue, closing_soon in session.execute(
            quiet):
        for lines in (totals.now, totals.then):
            lines.setdefault(stage_id, StageTotal()).add(count, value, own, plain,
                                                         probability[stage_id])
        totals.add_attention(stale, overdue, closing_soon)


def _add_changed(session: Session, totals: PipelineTotals, team: str, at: datetime,
                 since: datetime, probability: dict[int, int], changed: Subquery,
                 rules: AttentionRules) -> None:
    """The deals with events since the window start, grouped by their stage at each time."""
    now, then = figures_at(at, changed), figures_at(since, changed)
    rows = (select(
        now.stage_id.label("stage_now"),
        case((Deal.created_at > since, null()), else_=then.stage_id).label("stage_then"),
        now.value_cents.label("value_now"), now.own_probability.label("own_now"),
        then.value_cents.label("value_then"), then.own_probability.label("own_then"),
        *(case((flag, 1), else_=0).label(name) for flag, name in zip(
            rules.flags(now), ("stale", "overdue", "closing_soon"), strict=True)))
        .select_from(Deal).join(changed, changed.c.deal_id == Deal.id)
        .where(Deal.team_id == team, Deal.created_at <= at)
        # OFFSET 0 keeps this a subquery of its own, so each history lookup runs once a
        # deal rather than once for every aggregate below that reads its result
        .offset(0).subquery("changed_deals"))
    r = rows.c
    for row in session.execute(
            select(r.stage_now, r.stage_then, *_sums(r.value_now, r.own_now),
                   *_sums(r.value_then, r.own_then)[1:], func.sum(r.stale),
                   func.sum(r.overdue), func.sum(r.closing_soon))
            .group_by(r.stage_now, r.stage_then)):
        (stage_now, stage_then, count, value_now, own_now, plain_now, value_then, own_then,
         plain_then, stale, overdue, closing_soon) = row
        if stage_now in probability:
            totals.now.setdefault(stage_now, StageTotal()).add(
                count, value_now, own_now, plain_now, probability[stage_now])
            totals.add_attention(stale, overdue, closing_soon)
        if stage_then in probability:
            totals.then.setdefault(stage_then, StageTotal()).add(
                count, value_then, own_then, plain_then, probability[stage_then])


def _sums(value_cents: SqlExpr, own_probability: SqlExpr) -> list[SqlExpr]:
    """count, value, value x own probability (of the deals with one), value of the rest."""
    return [func.count(), func.sum(value_cents), func.sum(value_cents * own_probability),
            func.sum(case((own_probability.is_(None), value_cents), else_=0))]
