"""Running digests: what is due, claimed in the ledger before posting, posted to Slack
(through handlers.digests, which owns the message and the Slack calls).

`run_due_digests` is the scheduler's whole job and a pure function of the database, a way
to get a Web API client per workspace, and the time: tests call it with moved clocks.
Guarantees: at most one post per subscription and period (the ledger row is committed
before the post); a digest missed while nothing ran is posted once when it is less than
GRACE late, older ones are skipped; one channel's failure never blocks the others; a
channel that is gone or closed to the bot pauses its subscription and its creator gets a DM.
Rate limits and server errors are retried by the client's retry handlers (bot.app.web_client);
a transient failure that outlives them gives the claim back, so a later run retries. The
weekly funnel digest's chart follows the message in its thread; a chart that fails is logged
and counted, and the digest counts as posted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk import WebClient

from bot.metrics import digest_outcome
from handlers.digests import (
    CHANNEL_CLOSED,
    POSTED,
    TRANSIENT,
    digest_message,
    post_digest,
    tell_creator,
)
from storage.db import Database
from storage.digests import ledger
from storage.digests.subscriptions import SubscriptionView, active_subscriptions, pause_subscription
from storage.digests.times import latest_due

log = logging.getLogger(__name__)
GRACE = timedelta(hours=3)
ClientFactory = Callable[[str], WebClient]


@dataclass(frozen=True)
class Sent:
    subscription_id: int
    period: str
    outcome: str  # "posted", a Slack error code, or "connection_error"


def run_due_digests(db: Database, client_factory: ClientFactory, now: datetime) -> list[Sent]:
    """Posts every digest due at `now` that nobody posted yet. Subscriptions are read anew on
    every call, so new, changed and removed ones apply at once."""
    with db.transaction() as session:
        subscriptions = active_subscriptions(session)
    sent = []
    for sub in subscriptions:
        try:
            result = _run_one(db, client_factory, sub, now)
        except Exception:  # one channel's failure never blocks the others; log it fully
            log.exception("digest %s for %s failed", sub.id, sub.channel)
            digest_outcome(posted=False)
            continue
        if result is not None:
            digest_outcome(posted=result.outcome == POSTED)
            sent.append(result)
    return sent


def _run_one(db: Database, client_factory: ClientFactory, sub: SubscriptionView,
             now: datetime) -> Sent | None:
    due = latest_due(sub, now)
    if due is None or due.at < sub.set_at or now - due.at >= GRACE:
        return None
    with db.transaction() as session:  # committed before posting: the claim is the guard
        if not ledger.claim_digest_period(session, subscription_id=sub.id, period=due.period,
                                          due_at=due.at, now=now):
            return None
    with db.transaction() as session:
        since = ledger.last_posted_at(session, subscription_id=sub.id, before=now)
    digest = digest_message(db, kind=sub.kind, team=sub.team, now=now, timezone=sub.timezone,
                            since=since, due_day=due.local_date)
    client = client_factory(sub.team)
    outcome = post_digest(client, sub.channel, digest)
    _settle(db, client, sub, due.period, outcome, now)
    return Sent(sub.id, due.period, outcome)


def _settle(db: Database, client: WebClient, sub: SubscriptionView, period: str, outcome: str,
            now: datetime) -> None:
    with db.transaction() as session:
        if outcome == POSTED:
            ledger.mark_posted(session, subscription_id=sub.id, period=period, now=now)
        elif outcome in TRANSIENT:
            ledger.release_claim(session, subscription_id=sub.id, period=period)
        else:
            ledger.mark_failed(session, subscription_id=sub.id, period=period, outcome=outcome)
            if outcome in CHANNEL_CLOSED:
                pause_subscription(session, subscription_id=sub.id, reason=outcome)
    if outcome in CHANNEL_CLOSED and sub.created_by:
        tell_creator(client, sub, outcome)
