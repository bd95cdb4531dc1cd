"""Slack deliveries already applied: Slack retries events, and a retry must not apply twice;
a slash command received again (a replay of its signed bytes) must not apply twice either."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from storage.db import before_first_transaction, insert_if_absent
from storage.models import ProcessedDelivery

KEEP = timedelta(days=1)  # Slack retries within minutes; a day is plenty


class AlreadyDelivered(Exception):
    """This delivery was applied before: the transaction that found it out rolled back."""


def claim_delivery(session: Session, *, key: str, now: datetime) -> bool:
    """True the first time `key` is claimed, False for every later delivery of it, also
    when two processes receive it at once (the primary key decides)."""
    claimed = insert_if_absent(session, ProcessedDelivery, key=key, at=now)
    if claimed and now.minute == 0:  # prune now and then, not on every delivery
        session.execute(delete(ProcessedDelivery).where(ProcessedDelivery.at < now - KEEP))
    return claimed


def claim_with_next_transaction(*, key: str, now: datetime) -> None:
    """The next transaction of the current context (a request) claims `key` before anything
    else, in that same transaction (so an interaction still takes one); it raises
    AlreadyDelivered when `key` was claimed before. A transaction that fails rolls its claim
    back with its change, so a repeat is then answered like the first."""
    def claim(session: Session) -> None:
        if not claim_delivery(session, key=key, now=now):
            raise AlreadyDelivered(key)

    before_first_transaction(claim)
