"""What a week's leads and deals came to: new leads by source, deals won and lost, spend and
CAC, and the median durations. All over one window [start, end) of UTC instants.

- new leads by source: leads created in the window; "became deals": those of them whose deal
  was created before the window's end.
- won / lost: stage changes into the Won / Lost stage in the window (events, so a deal won,
  reopened and won again counts twice); the value is the deal's value at that change.
- CAC: spend recorded for the week / deals won in the week; by source, a source's spend /
  deals won in the week whose source is that source.
- median days lead -> deal: for the deals created in the window from a lead, the days from
  the lead's creation to the deal's; deal -> won: for the wins in the window, the days from
  the deal's creation to the win.
Events of undone changes (void) count nowhere, nor leads whose creation was undone.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import BindParameter, Select, and_, bindparam, case, exists, func, select
from sqlalchemy.orm import Session

from storage.kinds import EventKind, PipelineKind, StageKind
from storage.models import Deal, DealEvent, Lead, Pipeline, Spend, Stage, has_tag
from storage.reports.amounts import SqlExpr, money, sum_cents
from storage.reports.params import END, MONDAY, PREV_START, START, TEAM


@dataclass(frozen=True)
class SourceLine:
    source: str | None  # None: leads recorded without a source
    new_leads: int
    became_deals: int


@dataclass(frozen=True)
class Closed:
    """Deals won and lost in the window; `won_by_source` counts the wins per deal source."""

    won: int
    won_value: Decimal
    lost: int
    won_by_source: dict[str | None, int]

    @property
    def win_rate(self) -> float | None:
        return ratio(self.won, self.won + self.lost)


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def sources(session: Session, *, team: str, start: datetime, end: datetime,
            tag: str | None = None) -> tuple[SourceLine, ...]:
    """New leads by source; with `tag`, only the leads that carry it (a group of companies,
    say `#enterprise`)."""
    query = _sources() if tag is None else _sources().where(has_tag(Lead.tags, tag))
    rows = session.execute(query, {TEAM.key: team, START.key: start, END.key: end})
    return tuple(SourceLine(source, int(count), int(deals or 0)) for source, count, deals in rows)


@lru_cache(maxsize=1)
def _sources() -> Select:
    # one at most (an undone conversion's deal is void and lets go of its lead)
    deal = exists().where(Deal.lead_id == Lead.id, Deal.created_at < END)
    became = func.sum(case((deal, 1), else_=0))
    return (select(Lead.source, func.count(Lead.id), became)
            .where(Lead.team_id == TEAM, Lead.created_at >= START, Lead.created_at < END,
                   Lead.voided_at.is_(None))
            .group_by(Lead.source)
            .order_by(func.count(Lead.id).desc(), Lead.source.is_(None), Lead.source))


def closing_stages(session: Session, *, team: str) -> dict[int, StageKind]:
    """The ids of the team's Won and Lost stages (archived or not) and their kinds."""
    return {stage_id: kind for stage_id, kind in session.execute(
        select(Stage.id, Stage.kind).join(Pipeline, Pipeline.id == Stage.pipeline_id)
        .where(Pipeline.team_id == team, Pipeline.kind == PipelineKind.DEAL,
               Stage.kind.in_((StageKind.WON, StageKind.LOST))))}


def closed(session: Session, *, team: str, closing: dict[int, StageKind], prev_start: datetime,
           start: datetime, end: datetime) -> tuple[Closed, Closed]:
    """The deals won and lost in [prev_start, start) and in [start, end), in one statement;
    `closing` as closing_stages gives it."""
    rows = session.execute(_closed_in(), {
        TEAM.key: team, _STAGES.key: list(closing), PREV_START.key: prev_start,
        START.key: start, END.key: end}).all()
    before, during = ([(closing[stage], *rest) for week, stage, *rest in rows
                       if bool(week) == this] for this in (False, True))
    return _closed(before), _closed(during)


_STAGES: BindParameter[int] = bindparam("stages", expanding=True)  # Won and Lost, or Won


@lru_cache(maxsize=1)
def _closed_in() -> Select:
    this_week = DealEvent.at >= START
    source = _of_the_deal(Deal.source)
    return (select(this_week.label("this_week"), DealEvent.to_stage_id, source, func.count(),
                   sum_cents(DealEvent.amount))
            .where(DealEvent.team_id == TEAM, DealEvent.to_stage_id.in_(_STAGES),
                   DealEvent.kind == EventKind.STAGE, DealEvent.voided_at.is_(None),
                   DealEvent.at >= PREV_START, DealEvent.at < END)
            .group_by(this_week, DealEvent.to_stage_id, source))


def _closed(rows: list[Any]) -> Closed:
    won = [r for r in rows if r[0] == StageKind.WON]
    return Closed(won=sum(r[2] for r in won), won_value=money(sum(r[3] or 0 for r in won)),
                  lost=sum(r[2] for r in rows if r[0] == StageKind.LOST),
                  won_by_source={r[1]: int(r[2]) for r in won})


def spend_by_source(session: Session, *, team: str, monday: date) -> dict[str, Decimal]:
    """Spend recorded for the ISO week starting `monday`, by source ('' when none)."""
    return {source: money(total) for source, total in session.execute(
        _spend(), {TEAM.key: team, MONDAY.key: monday})}


@lru_cache(maxsize=1)
def _spend() -> Select:
    return (select(Spend.source, sum_cents(Spend.amount))
            .where(Spend.team_id == TEAM, Spend.week_start == MONDAY).group_by(Spend.source))


def cac(spend: Decimal, customers: int) -> Decimal | None:
    return (spend / customers).quantize(Decimal("0.01")) if customers else None


def median_days_lead_to_deal(session: Session, *, team: str, start: datetime,
                             end: datetime) -> float | None:
    rows = session.execute(_lead_to_deal(), {TEAM.key: team, START.key: start, END.key: end})
    return _median_days((a, b) for a, b in rows)


@lru_cache(maxsize=1)
def _lead_to_deal() -> Select:
    # the deals created in the window are found by their `created` events, which are
    # indexed by time (ix_deal_events_team_kind_at) and happen at the deal's created_at
    return (select(select(Lead.created_at).where(Lead.id == Deal.lead_id).scalar_subquery(),
                   Deal.created_at).select_from(DealEvent)
            .join(Deal, and_(Deal.id == DealEvent.deal_id, Deal.lead_id.is_not(None)))
            .where(DealEvent.team_id == TEAM, DealEvent.kind == EventKind.CREATED,
                   DealEvent.voided_at.is_(None), DealEvent.at >= START, DealEvent.at < END))


def median_days_deal_to_won(session: Session, *, team: str, closing: dict[int, StageKind],
                            start: datetime, end: datetime) -> float | None:
    won = [stage for stage, kind in closing.items() if kind == StageKind.WON]
    rows = session.execute(_deal_to_won(), {TEAM.key: team, _STAGES.key: won, START.key: start,
                                            END.key: end})
    return _median_days((a, b) for a, b in rows)


@lru_cache(maxsize=1)
def _deal_to_won() -> Select:
    return (select(_of_the_deal(Deal.created_at), DealEvent.at)
            .where(DealEvent.team_id == TEAM, DealEvent.to_stage_id.in_(_STAGES),
                   DealEvent.kind == EventKind.STAGE, DealEvent.voided_at.is_(None),
                   DealEvent.at >= START, DealEvent.at < END))


def _of_the_deal(column: SqlExpr) -> SqlExpr:
    """A column of the event's deal, looked up by its key: the events of a window are few,
    and a join would let the planner read every deal of the team instead."""
    return select(column).where(Deal.id == DealEvent.deal_id).scalar_subquery()


def _median_days(pairs: Iterable[tuple[datetime, datetime]]) -> float | None:
    # one row per deal of a single week: small enough to take the median here, the same way
    # on both databases (SQLite has no percentile function)
    days = [(later - earlier).total_seconds() / 86400 for earlier, later in pairs]
    return round(statistics.median(days), 4) if days else None
