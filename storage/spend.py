"""Marketing spend per ISO week and source: what CAC is computed from.

One row per (team, week, source); recording again for the same week and source replaces
the amount (a correction), so nothing is ever counted twice. A spend without a source is
stored with source '' (the whole week's general spend).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.db import upsert
from storage.errors import UsageError
from storage.models import Spend
from storage.text_fields import normalise_source
from storage.values import iso_week_label
from storage.workspaces import ensure_workspace

MAX_SPEND = Decimal(10) ** 12
EARLIEST_WEEK = date(2000, 1, 3)


@dataclass(frozen=True)
class SpendView:
    """Spend recorded for the week starting `week_start` (a Monday); `replaced` is the amount
    it replaced, or None when the week and source had none."""

    week_start: date
    source: str | None
    amount: Decimal
    currency: str
    replaced: Decimal | None

    @property
    def iso_week(self) -> str:
        return iso_week_label(self.week_start)


def week_start(day: date) -> date:
    """The Monday of the ISO week `day` lies in."""
    return day - timedelta(days=day.weekday())


def record_spend(session: Session, *, team: str, amount: Decimal, actor: str, now: datetime,
                 week: date | None = None, source: str | None = None) -> SpendView:
    """Sets the spend for the ISO week containing `week` (default: the current week in the
    workspace's time zone) and `source`, replacing what was recorded there before."""
    workspace = ensure_workspace(session, team=team, now=now)
    this_week = week_start(now.astimezone(ZoneInfo(workspace.timezone)).date())
    monday = week_start(week) if week is not None else this_week
    if monday > this_week:
        raise UsageError(f"The week of {monday.isoformat()} has not started yet; spend is "
                         "recorded for this week or earlier ones.")
    if monday < EARLIEST_WEEK:
        raise UsageError("Spend can be recorded for weeks from the year 2000 on.")
    clean = _check_amount(amount)
    key = normalise_source(source) or ""
    replaced = session.scalar(select(Spend.amount).where(
        Spend.team_id == team, Spend.week_start == monday, Spend.source == key))
    changes = {"amount": clean, "recorded_by": actor, "recorded_at": now}
    upsert(session, Spend, conflict=["team_id", "week_start", "source"],
           values={"team_id": team, "week_start": monday, "source": key, **changes},
           changes=changes)
    return SpendView(monday, key or None, clean, workspace.currency, replaced)


def _check_amount(amount: Decimal) -> Decimal:
    if not amount.is_finite():
        raise UsageError("A spend is an amount of money, like `2500` or `2.5k`.")
    if amount < 0:
        raise UsageError("A spend cannot be negative. To correct a week, record the right "
                         "amount: it replaces the old one.")
    if amount > MAX_SPEND:
        raise UsageError("That spend is too large: the largest is 1,000,000,000,000.")
    return amount.quantize(Decimal("0.01"))
