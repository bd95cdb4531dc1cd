"""Slack deliveries already applied: Slack retries events, and a retry must not apply twice;
a slash command received again (a replay of its signed bytes) must not apply twice either."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import String, bindparam, delete, text
from sqlalchemy.orm import Session

from storage.db import before_first_transaction
from storage.models import ProcessedDelivery, UTCDateTime

KEEP = timedelta(days=1)  # Slack retries within minutes; a day is plenty
# Every slash command claims its key: one statement built once, the same SQL on both
# databases (SQLite 3.35+ has RETURNING), a third of the Python work of building an INSERT
# ... ON CONFLICT construct per request (benchmarks/statements.py).
CLAIM = text("INSERT INTO processed_deliveries (key, at) VALUES (:key, :at) "
             "ON CONFLICT (key) DO NOTHING RETURNING key").bindparams(
    bindparam("key", type_=String()), bindparam("at", type_=UTCDateTime()))


class AlreadyDelivered(Exception):
    """This delivery was applied before: the transaction that found it out rolled back."""


def claim_delivery(session: Session, *, key: str, now: datetime) -> bool:
    """True the first time `key` is claimed, False for every later delivery of it, also
    when two processes receive it at once (the primary key decides)."""
    claimed = session.execute(CLAIM, {"key": key, "at": now}).first() is not None
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
