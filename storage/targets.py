"""Sales targets: the value a team, or one owner, means to win each month or quarter.

One per team, owner and period (the team's has owner ''); setting it again replaces the
amount, `off` removes it. Forecasts (storage/reports/forecast.py) set won value against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.db import upsert
from storage.errors import NotFound, UsageError
from storage.kinds import TargetPeriod
from storage.models import Target
from storage.workspaces import ensure_workspace

MAX_TARGET = Decimal(10) ** 12


@dataclass(frozen=True)
class TargetView:
    """A target; `owner` None is the team's. `replaced`: the amount it replaced, if any."""

    period: TargetPeriod
    owner: str | None
    amount: Decimal
    replaced: Decimal | None = None


def set_target(session: Session, *, team: str, amount: Decimal, period: TargetPeriod,
               owner: str | None, actor: str, now: datetime) -> TargetView:
    """Sets the team's (owner None) or an owner's target for each `period`."""
    ensure_workspace(session, team=team, now=now)
    clean = _check_amount(amount)
    key = owner or ""
    replaced = session.scalar(select(Target.amount).where(
        Target.team_id == team, Target.owner == key, Target.period == period))
    changes = {"amount": clean, "set_by": actor, "set_at": now}
    upsert(session, Target, conflict=["team_id", "owner", "period"],
           values={"team_id": team, "owner": key, "period": period, **changes},
           changes=changes)
    return TargetView(period, owner or None, clean, replaced)


def remove_target(session: Session, *, team: str, period: TargetPeriod,
                  owner: str | None) -> TargetView:
    """Removes the target; NotFound when there is none."""
    row = session.execute(delete(Target).where(
        Target.team_id == team, Target.owner == (owner or ""), Target.period == period)
        .returning(Target.amount)).first()
    if row is None:
        raise NotFound(f"There is no {_adjective(period)} target for "
                       f"{'that person' if owner else 'the team'} to remove.")
    return TargetView(period, owner or None, row[0])


def targets_of(session: Session, *, team: str) -> tuple[TargetView, ...]:
    """Every target of the team: the team's first, then the owners', monthly before
    quarterly."""
    rows = session.execute(select(Target.period, Target.owner, Target.amount)
                           .where(Target.team_id == team)
                           .order_by(Target.owner, Target.period))
    return tuple(TargetView(period, owner or None, amount) for period, owner, amount in rows)


def target_for(targets: tuple[TargetView, ...], *, period: TargetPeriod,
               owner: str | None) -> Decimal | None:
    """The amount of the team's (owner None) or an owner's target for `period`, if set."""
    return next((t.amount for t in targets if t.period == period and t.owner == owner), None)


def _adjective(period: TargetPeriod) -> str:
    return "monthly" if period == TargetPeriod.MONTH else "quarterly"


def _check_amount(amount: Decimal) -> Decimal:
    if not amount.is_finite() or amount <= 0:
        raise UsageError("A target is an amount of money above zero, like `100k`.")
    if amount > MAX_TARGET:
        raise UsageError("That target is too large: the largest is 1,000,000,000,000.")
    return amount.quantize(Decimal("0.01"))
