"""The nudge ledger: one row per person and local day, claimed before the message is sent.

As with digests (storage.digests.ledger), the unique (team, user, period) row is the guard:
the first INSERT wins and every other scheduler learns it lost, whatever their number.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from storage.db import insert_if_absent
from storage.models import NudgeLedger


def claim_nudge(session: Session, *, team: str, user: str, period: str, due_at: datetime,
                now: datetime) -> bool:
    """True when this caller claimed the person's day; commit before sending."""
    return insert_if_absent(session, NudgeLedger, conflict=["team_id", "user_id", "period"],
                            team_id=team, user_id=user, period=period, due_at=due_at,
                            claimed_at=now)


def settle_nudge(session: Session, *, team: str, user: str, period: str, outcome: str,
                 posted_at: datetime | None) -> None:
    """Records what became of the claimed day (`posted`, `nothing to say`, a Slack error);
    the claim stays, so nobody sends it again."""
    session.execute(update(NudgeLedger).where(
        NudgeLedger.team_id == team, NudgeLedger.user_id == user, NudgeLedger.period == period)
        .values(outcome=outcome[:200], posted_at=posted_at))


def release_nudge(session: Session, *, team: str, user: str, period: str) -> None:
    """Gives the day back after a transient failure, so that a later run tries again."""
    session.execute(delete(NudgeLedger).where(
        NudgeLedger.team_id == team, NudgeLedger.user_id == user, NudgeLedger.period == period,
        NudgeLedger.posted_at.is_(None)))
