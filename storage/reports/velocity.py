"""How fast the pipeline turns into won value, over the window [T - window, T] (PRODUCT.md
"Forecast and targets", velocity).

Counted as stage changes into Won and Lost in the window (events, as in the funnel report;
those of undone changes are void): win_rate = won / (won + lost); average_won_value = won
value (each deal's value at its win) / won; median_days_to_win: over the wins, the days from
the deal's creation to the win. per_day = open deals x win rate x average won value / median
days to win: the value the pipeline is expected to win per day.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import BindParameter, Select, bindparam, case, func, select
from sqlalchemy.orm import Session

from storage.kinds import EventKind
from storage.models import Deal, DealEvent
from storage.reports.amounts import CENT, money, sum_cents, unindexed
from storage.reports.forecast_leads import WINDOW_START
from storage.reports.params import AT, TEAM

_WON: BindParameter[int] = bindparam("won_stages", expanding=True)
_CLOSING: BindParameter[int] = bindparam("closing_stages", expanding=True)


@dataclass(frozen=True)
class Velocity:
    win_rate: float | None
    average_won_value: Decimal | None
    median_days_to_win: float | None
    open_deals: int
    per_day: Decimal | None


def velocity(session: Session, *, team: str, at: datetime, window_start: datetime,
             won_stages: Sequence[int], lost_stages: Sequence[int],
             open_deals: int) -> Velocity:
    values = {TEAM.key: team, AT.key: at, WINDOW_START.key: window_start,
              _WON.key: list(won_stages), _CLOSING.key: [*won_stages, *lost_stages]}
    counts, days = _statements()
    won, won_cents, lost = session.execute(counts, values).one()
    won, lost = int(won or 0), int(lost or 0)
    spans = [(w - c).total_seconds() / 86400 for c, w in session.execute(days, values)]
    win_rate = won / (won + lost) if won + lost else None
    average = (money(won_cents) / won).quantize(CENT) if won else None
    median = round(statistics.median(spans), 4) if spans else None
    per_day = None
    if win_rate is not None and average is not None and median:
        per_day = (open_deals * Decimal(won) / (won + lost) * average
                   / Decimal(str(median))).quantize(CENT)
    return Velocity(win_rate, average, median, open_deals, per_day)


@lru_cache(maxsize=1)
def _statements() -> tuple[Select, Select]:
    window = (DealEvent.team_id == TEAM, unindexed(DealEvent.kind) == EventKind.STAGE,
              DealEvent.voided_at.is_(None), DealEvent.at >= WINDOW_START, DealEvent.at <= AT)
    is_won = DealEvent.to_stage_id.in_(_WON)
    counts = select(func.sum(case((is_won, 1), else_=0)),
                    sum_cents(case((is_won, DealEvent.amount), else_=0)),
                    func.sum(case((is_won, 0), else_=1))).where(
        *window, DealEvent.to_stage_id.in_(_CLOSING))
    created = select(Deal.created_at).where(Deal.id == DealEvent.deal_id).scalar_subquery()
    days = select(created, DealEvent.at).where(*window, is_won)
    return counts, days
