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
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from storage.kinds import EventKind, StageKind
from storage.models import Deal, DealEvent, Lead, Spend, Stage
from storage.reports.history import cents, money


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


def sources(session: Session, *, team: str, start: datetime,
            end: datetime) -> tuple[SourceLine, ...]:
    became = func.sum(case((and_(Deal.id.is_not(None), Deal.created_at < end), 1), else_=0))
    rows = session.execute(
        select(Lead.source, func.count(Lead.id), became).outerjoin(Deal, Deal.lead_id == Lead.id)
        .where(Lead.team_id == team, Lead.created_at >= start, Lead.created_at < end)
        .group_by(Lead.source)
        .order_by(func.count(Lead.id).desc(), Lead.source.is_(None), Lead.source)).all()
    return tuple(SourceLine(source, int(count), int(deals or 0)) for source, count, deals in rows)


def closed(session: Session, *, team: str, start: datetime, end: datetime) -> Closed:
    to = aliased(Stage)
    rows = session.execute(
        select(to.kind, Deal.source, func.count(), func.sum(cents(DealEvent.amount)))
        .select_from(DealEvent).join(to, to.id == DealEvent.to_stage_id)
        .join(Deal, Deal.id == DealEvent.deal_id)
        .where(DealEvent.team_id == team, DealEvent.kind == EventKind.STAGE, DealEvent.at >= start,
               DealEvent.at < end, to.kind.in_((StageKind.WON, StageKind.LOST)))
        .group_by(to.kind, Deal.source)).all()
    won = [r for r in rows if r[0] == StageKind.WON]
    return Closed(won=sum(r[2] for r in won), won_value=money(sum(r[3] or 0 for r in won)),
                  lost=sum(r[2] for r in rows if r[0] == StageKind.LOST),
                  won_by_source={r[1]: int(r[2]) for r in won})


def spend_by_source(session: Session, *, team: str, monday: date) -> dict[str, Decimal]:
    """Spend recorded for the ISO week starting `monday`, by source ('' when none)."""
    return {source: money(total) for source, total in session.execute(
        select(Spend.source, func.sum(cents(Spend.amount))).where(
            Spend.team_id == team, Spend.week_start == monday).group_by(Spend.source))}


def cac(spend: Decimal, customers: int) -> Decimal | None:
    return (spend / customers).quantize(Decimal("0.01")) if customers else None


def median_days_lead_to_deal(session: Session, *, team: str, start: datetime,
                             end: datetime) -> float | None:
    rows = session.execute(select(Lead.created_at, Deal.created_at).join(
        Lead, Lead.id == Deal.lead_id).where(Deal.team_id == team, Deal.created_at >= start,
                                             Deal.created_at < end)).all()
    return _median_days((a, b) for a, b in rows)


def median_days_deal_to_won(session: Session, *, team: str, start: datetime,
                            end: datetime) -> float | None:
    to = aliased(Stage)
    rows = session.execute(
        select(Deal.created_at, DealEvent.at).select_from(DealEvent)
        .join(to, to.id == DealEvent.to_stage_id).join(Deal, Deal.id == DealEvent.deal_id)
        .where(DealEvent.team_id == team, DealEvent.kind == EventKind.STAGE,
               to.kind == StageKind.WON,
               DealEvent.at >= start, DealEvent.at < end)).all()
    return _median_days((a, b) for a, b in rows)


def _median_days(pairs: Iterable[tuple[datetime, datetime]]) -> float | None:
    # one row per deal of a single week: small enough to take the median here, the same way
    # on both databases (SQLite has no percentile function)
    days = [(later - earlier).total_seconds() / 86400 for earlier, later in pairs]
    return round(statistics.median(days), 4) if days else None
