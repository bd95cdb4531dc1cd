"""Slack deliveries already applied: Slack retries events, and a retry must not apply twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models import ProcessedDelivery

KEEP = timedelta(days=1)  # Slack retries within minutes; a day is plenty


def claim_delivery(session: Session, *, key: str, now: datetime) -> bool:
    """True the first time `key` is claimed, False for every later delivery of it, also
    when two processes receive it at once (the primary key decides)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    result = session.execute(insert(ProcessedDelivery).values(key=key, at=now)
                             .on_conflict_do_nothing())
    if result.rowcount and now.minute == 0:  # prune now and then, not on every delivery
        session.execute(delete(ProcessedDelivery).where(ProcessedDelivery.at < now - KEEP))
    return bool(result.rowcount)
