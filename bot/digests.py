"""Running digests: what is due, claimed in the ledger before posting, posted to Slack
(through handlers.digests, which owns the message and the Slack calls).

`run_due_digests` is the scheduler's whole job and a pure function of the database, a way
to get a Web API client per workspace, and the time: tests call it with moved clocks.
Guarantees: at most one post per subscription and period (the ledger row is committed
before the post); a digest missed while nothing ran is posted once when it is less than
GRACE late, older ones are skipped; one channel's failure or rate limit never blocks the
others (channels are posted to side by side); a channel that is gone or closed to the bot
pauses its subscription and its creator gets a DM.
Rate limits and server errors are retried by the client's retry handlers (bot.app.web_client);
a transient failure that outlives them gives the claim back, so a later run retries. When no
answer came back at all (a timeout, a dropped connection), Slack may have posted it: the claim
is lapsed instead, so the next run takes it over like a dead poster's (below) and reads the
channel back before posting again.
A poster that dies between its claim and recording the post (kill -9, a crash, the database
gone before it could record it) leaves a claim that is neither posted nor failed: after the
ledger's LEASE another scheduler takes it over and first reads the channel back for the
digest's message metadata (subscription and period): found, it is recorded as posted and not
posted again; not found, it is posted; when Slack would not say (no history scope, the
channel closed to the bot), it is not posted again (at most once wins) and recorded as
"unverified".
A poster that lives on but lost the database at that moment (an outage right after its
claim or its post) knows what it did: its next run (`Unrecorded`, kept by the scheduler)
records the post, or gives back a claim it never posted, as soon as the database answers,
instead of leaving the claim to the lease. The
weekly funnel digest's chart follows the message in its thread; a chart that fails is logged
and counted, and the digest counts as posted.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from slack_sdk import WebClient

from bot.metrics import digest_outcome
from handlers.digests import (
    CHANNEL_CLOSED,
    CONNECTION_ERROR,
    POSTED,
    TRANSIENT,
    already_posted,
    digest_message,
    digest_metadata,
    post_digest,
    tell_creator,
)
from storage.db import Database
from storage.digests import ledger
from storage.digests.subscriptions import SubscriptionView, active_subscriptions, pause_subscription
from storage.digests.times import latest_due
from storage.errors import DatabaseUnavailable

log = logging.getLogger(__name__)
GRACE = timedelta(hours=3)
CHANNELS_AT_ONCE = 4  # channels posted to side by side in one run
ALREADY_POSTED = "already_posted"  # a taken-over claim whose digest Slack already holds
UNVERIFIED = "unverified"  # a taken-over claim Slack would not confirm: not posted again
ClientFactory = Callable[[str], WebClient]


@dataclass(frozen=True)
class Sent:
    subscription_id: int
    period: str
    outcome: str  # "posted", "already_posted", "unverified", a Slack error code, or
    # "connection_error"


@dataclass
class Unrecorded:
    """What this process did that the ledger does not say yet, because the database stopped
    answering just then: a digest posted (to record as posted), a claim made but nothing
    posted (to give back). `run_due_digests` writes them first thing, once the database
    answers again; one older than the ledger's lease is forgotten (another scheduler may
    have taken the claim over, and reads the channel back before posting)."""

    waiting: dict[tuple[int, str], tuple[bool, datetime]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def keep(self, subscription_id: int, period: str, *, posted: bool, at: datetime) -> None:
        with self.lock:
            self.waiting[(subscription_id, period)] = (posted, at)

    def write(self, db: Database, now: datetime) -> None:
        """Writes what waits, in one transaction; raises DatabaseUnavailable (keeping it all)
        while the database does not answer."""
        with self.lock:
            waiting = dict(self.waiting)
        if not waiting:
            return
        with db.transaction() as session:
            for (subscription_id, period), (posted, at) in waiting.items():
                if now - at >= ledger.LEASE:
                    continue
                if posted:
                    ledger.mark_posted(session, subscription_id=subscription_id,
                                       period=period, now=at)
                else:
                    ledger.release_claim(session, subscription_id=subscription_id,
                                         period=period, claimed_at=at)
        with self.lock:
            for key, value in waiting.items():
                if self.waiting.get(key) == value:
                    del self.waiting[key]
        log.info("recorded %d digest outcome(s) the database missed", len(waiting))


def run_due_digests(db: Database, client_factory: ClientFactory, now: datetime, *,
                    channels_at_once: int = CHANNELS_AT_ONCE,
                    unrecorded: Unrecorded | None = None) -> list[Sent]:
    """Posts every digest due at `now` that nobody posted yet. Subscriptions are read anew on
    every call, so new, changed and removed ones apply at once. Channels are served side by
    side (up to `channels_at_once`), each channel's digests one after the other: a channel
    whose posts wait out a rate limit (the client sleeps its Retry-After) holds up only
    itself. With `unrecorded` (the scheduler's), what a run could not record is recorded by
    the next one."""
    if unrecorded is not None:
        unrecorded.write(db, now)
    with db.transaction() as session:
        subscriptions = active_subscriptions(session)
    by_channel: dict[tuple[str, str], list[SubscriptionView]] = {}
    for sub in subscriptions:
        by_channel.setdefault((sub.team, sub.channel), []).append(sub)

    def run_channel(subs: list[SubscriptionView]) -> list[Sent]:
        sent = []
        for sub in subs:
            try:
                result = _run_one(db, client_factory, sub, now, unrecorded)
            except DatabaseUnavailable as error:  # the claim, if made, waits out its lease
                log.warning("digest %s for %s: the database is not answering (%s)", sub.id,
                            sub.channel, type(error).__name__)
                digest_outcome(posted=False)
                continue
            except Exception:  # one channel's failure never blocks the others; log it fully
                log.exception("digest %s for %s failed", sub.id, sub.channel)
                digest_outcome(posted=False)
                continue
            if result is not None:
                digest_outcome(posted=result.outcome in (POSTED, ALREADY_POSTED))
                sent.append(result)
        return sent

    if len(by_channel) <= 1:
        return [s for subs in by_channel.values() for s in run_channel(subs)]
    workers = min(channels_at_once, len(by_channel))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dealbot-digest") as pool:
        results = list(pool.map(run_channel, by_channel.values()))
    return [s for sent in results for s in sent]


def _run_one(db: Database, client_factory: ClientFactory, sub: SubscriptionView,
             now: datetime, unrecorded: Unrecorded | None = None) -> Sent | None:
    due = latest_due(sub, now)
    if due is None or due.at < sub.set_at or now - due.at >= GRACE:
        return None
    with db.transaction() as session:  # committed before posting: the claim is the guard
        abandoned = None
        if not ledger.claim_digest_period(session, subscription_id=sub.id, period=due.period,
                                          due_at=due.at, now=now):
            abandoned = ledger.take_over(session, subscription_id=sub.id, period=due.period,
                                         now=now)
            if abandoned is None:
                return None
    client = client_factory(sub.team)
    if abandoned is not None:  # its poster died: did the digest reach Slack before?
        found = already_posted(client, sub.channel, subscription_id=sub.id, period=due.period,
                               since=abandoned - timedelta(minutes=1))
        if found is not False:
            outcome = POSTED if found else UNVERIFIED
            log.warning("digest %s for %s: claim taken over, %s", sub.id, due.period,
                        "already posted" if found else "Slack would not say if it was posted")
            _settle(db, client, sub, due.period, outcome, now)
            return Sent(sub.id, due.period, ALREADY_POSTED if found else UNVERIFIED)
    try:
        with db.transaction() as session:
            since = ledger.last_posted_at(session, subscription_id=sub.id, before=now)
        digest = digest_message(db, kind=sub.kind, team=sub.team, now=now,
                                timezone=sub.timezone, since=since, due_day=due.local_date)
    except DatabaseUnavailable:
        if unrecorded is not None and abandoned is None:  # the claim made at `now` is ours
            unrecorded.keep(sub.id, due.period, posted=False, at=now)
        raise
    outcome = post_digest(client, sub.channel, digest, digest_metadata(sub.id, due.period))
    try:
        _settle(db, client, sub, due.period, outcome, now)
    except DatabaseUnavailable:
        if unrecorded is not None and outcome == POSTED:
            unrecorded.keep(sub.id, due.period, posted=True, at=now)
        raise
    return Sent(sub.id, due.period, outcome)


def _settle(db: Database, client: WebClient, sub: SubscriptionView, period: str, outcome: str,
            now: datetime) -> None:
    with db.transaction() as session:
        if outcome == POSTED:
            ledger.mark_posted(session, subscription_id=sub.id, period=period, now=now)
        elif outcome == CONNECTION_ERROR:  # Slack may have it: verify before posting again
            ledger.lapse_claim(session, subscription_id=sub.id, period=period, now=now)
        elif outcome in TRANSIENT:  # Slack answered that it did not post it
            ledger.release_claim(session, subscription_id=sub.id, period=period)
        else:
            ledger.mark_failed(session, subscription_id=sub.id, period=period, outcome=outcome)
            if outcome in CHANNEL_CLOSED:
                pause_subscription(session, subscription_id=sub.id, reason=outcome)
    if outcome in CHANNEL_CLOSED and sub.created_by:
        tell_creator(client, sub, outcome)
