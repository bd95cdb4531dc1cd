"""Slack deliveries already applied: Slack retries events, and a retry must not apply twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from storage.db import insert_if_absent
from storage.models import ProcessedDelivery

KEEP = timedelta(days=1)  # Slack retries within minutes; a day is plenty


def claim_delivery(session: Session, *, key: str, now: datetime) -> bool:
    """True the first time `key` is claimed, False for every later delivery of it, also
    when two processes receive it at once (the primary key decides)."""
    claimed = insert_if_absent(session, ProcessedDelivery, key=key, at=now)
    if claimed and now.minute == 0:  # prune now and then, not on every delivery
        session.execute(delete(ProcessedDelivery).where(ProcessedDelivery.at < now - KEEP))
    return claimed
