"""The digest ledger: one row per subscription and period, claimed before anything is posted.

The unique (subscription_id, period) constraint is what makes a digest go out at most once,
whatever the number of scheduler processes and restarts: the first INSERT wins, every
other one does nothing (`ON CONFLICT DO NOTHING` on both databases) and learns it lost.

A claim is a lease: a claim neither posted nor failed LEASE after it was made belongs to a
poster that died (killed, crashed, cut off from the database before it could record the
post). `take_over` gives it to exactly one other scheduler, which first asks Slack whether
the digest was in fact posted (handlers.digests.already_posted) before posting it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from storage.db import insert_if_absent
from storage.models import DigestLedger

POSTED = "posted"
# Longer than a live poster can hold a claim: Slack's answer with the client's retries (rate
# limits honour Retry-After) takes a few minutes at the very most.
LEASE = timedelta(minutes=10)


def claim_digest_period(session: Session, *, subscription_id: int, period: str,
                        due_at: datetime, now: datetime) -> bool:
    """True when this caller claimed the period; False when someone else already had. Commit
    the claim before posting, so a concurrent claimer sees it."""
    return insert_if_absent(session, DigestLedger, conflict=["subscription_id", "period"],
                            subscription_id=subscription_id, period=period, due_at=due_at,
                            claimed_at=now)


def take_over(session: Session, *, subscription_id: int, period: str, now: datetime,
              lease: timedelta = LEASE) -> datetime | None:
    """When the period's claim is older than `lease` and neither posted nor failed, makes it
    this caller's (its lease starts again at `now`) and returns when the first claim was
    made; None when there is no such claim or another caller took it over first (the update
    only matches the claim time it read)."""
    row = session.execute(select(DigestLedger.claimed_at).where(
        DigestLedger.subscription_id == subscription_id, DigestLedger.period == period,
        DigestLedger.posted_at.is_(None), DigestLedger.outcome.is_(None))).first()
    if row is None or row.claimed_at > now - lease:
        return None
    taken = session.execute(update(DigestLedger).where(
        DigestLedger.subscription_id == subscription_id, DigestLedger.period == period,
        DigestLedger.posted_at.is_(None), DigestLedger.outcome.is_(None),
        DigestLedger.claimed_at == row.claimed_at).values(claimed_at=now))
    return row.claimed_at if taken.rowcount == 1 else None  # type: ignore[attr-defined]


def mark_posted(session: Session, *, subscription_id: int, period: str, now: datetime) -> None:
    _finish(session, subscription_id, period, posted_at=now, outcome=POSTED)


def mark_failed(session: Session, *, subscription_id: int, period: str, outcome: str) -> None:
    """Records why the period's digest was not posted; the claim stays, so it is not retried
    by another process (a failure that outlives Slack's retries is not transient)."""
    _finish(session, subscription_id, period, posted_at=None, outcome=outcome[:200])


def last_posted_at(session: Session, *, subscription_id: int,
                   before: datetime | None = None) -> datetime | None:
    """When the subscription's latest digest (before `before`) was posted, if ever."""
    query = select(DigestLedger.posted_at).where(
        DigestLedger.subscription_id == subscription_id, DigestLedger.posted_at.is_not(None))
    if before is not None:
        query = query.where(DigestLedger.posted_at < before)
    return session.scalar(query.order_by(DigestLedger.posted_at.desc()).limit(1))


def _finish(session: Session, subscription_id: int, period: str, *,
            posted_at: datetime | None, outcome: str) -> None:
    session.execute(update(DigestLedger).where(
        DigestLedger.subscription_id == subscription_id, DigestLedger.period == period)
        .values(posted_at=posted_at, outcome=outcome))


def lapse_claim(session: Session, *, subscription_id: int, period: str, now: datetime,
                lease: timedelta = LEASE) -> None:
    """Ends the period's claim lease at once, keeping the claim: the next run takes it over
    (`take_over`) and checks whether the digest was posted before posting it. For a post
    whose answer never came (a timeout): Slack may have posted it."""
    session.execute(update(DigestLedger).where(
        DigestLedger.subscription_id == subscription_id, DigestLedger.period == period,
        DigestLedger.posted_at.is_(None)).values(claimed_at=now - lease))


def release_claim(session: Session, *, subscription_id: int, period: str,
                  claimed_at: datetime | None = None) -> None:
    """Gives a claimed period back after a transient failure, so a later run (still within
    the period's grace window) tries again. With `claimed_at`, only the claim made then (not
    one another scheduler took over since)."""
    query = delete(DigestLedger).where(
        DigestLedger.subscription_id == subscription_id, DigestLedger.period == period,
        DigestLedger.posted_at.is_(None))
    if claimed_at is not None:
        query = query.where(DigestLedger.claimed_at == claimed_at,
                            DigestLedger.outcome.is_(None))
    session.execute(query)
