"""Posting digests: what is due, claimed in the ledger before posting, posted to Slack.

`run_due_digests` is the scheduler's whole job and a pure function of the database, a way
to get a Web API client per workspace, and the time: tests call it with moved clocks.
Guarantees: at most one post per subscription and period (the ledger row is committed
before the post); a digest missed while nothing ran is posted once when it is less than
GRACE late, older ones are skipped; one channel's failure never blocks the others; a
channel that is gone or closed to the bot pauses its subscription and its creator gets a DM.
Rate limits and server errors are retried by the client's retry handlers (bot.app.web_client);
a transient failure that outlives them gives the claim back, so a later run retries.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.orm import Session

from storage.digest_times import latest_due
from handlers import messages
from handlers.blocks.funnel_report import funnel_blocks, funnel_text
from handlers.blocks.reports import pipeline_blocks, pipeline_text
from storage import ledger
from storage.db import Database
from storage.reports.funnel import funnel_report
from storage.reports.pipeline import pipeline_summary
from storage.reports.weeks import monday_of
from storage.subscriptions import SubscriptionView, active_subscriptions, pause_subscription

log = logging.getLogger(__name__)
GRACE = timedelta(hours=3)
ClientFactory = Callable[[str], WebClient]
# Errors that will not go away by retrying: the channel is gone or closed to the bot.
CHANNEL_CLOSED = frozenset({"channel_not_found", "is_archived", "not_in_channel",
                            "method_not_supported_for_channel_type", "restricted_action",
                            "cannot_join_channel", "access_denied", "team_access_not_granted",
                            "restricted_action_read_only_channel", "ekm_access_denied"})
TRANSIENT = frozenset({"ratelimited", "server_error", "internal_error", "fatal_error", "service_unavailable",
                       "request_timeout", "connection_error"})


@dataclass(frozen=True)
class Sent:
    subscription_id: int
    period: str
    outcome: str  # "posted", a Slack error code, or "retry later"


def digest_message(session: Session, *, kind: str, team: str, now: datetime, timezone: str,
                   since: datetime | None = None,
                   due_day: date | None = None) -> tuple[list[dict], str]:
    """The digest's blocks and fallback text. A weekly funnel digest reports the last complete
    week before the day it is due; a pipeline digest, the state now and what changed since
    the previous digest."""
    if kind == "funnel":
        local_day = due_day or now.astimezone(ZoneInfo(timezone)).date()
        report = funnel_report(session, team=team, now=now, timezone=timezone,
                               week=monday_of(local_day) - timedelta(days=7))
        return funnel_blocks(report), funnel_text(report)
    summary = pipeline_summary(session, team=team, now=now, since=since, timezone=timezone)
    return pipeline_blocks(summary), pipeline_text(summary)


def preview_digest(session: Session, *, kind: str, team: str, channel: str,
                   now: datetime) -> tuple[list[dict], str]:
    """What a digest of `kind` would post in `channel` now (the console shows it)."""
    from storage.workspaces import workspace_settings

    zone = workspace_settings(session, team=team, now=now).timezone
    return digest_message(session, kind=kind, team=team, now=now, timezone=zone)


def post_digest(client: WebClient, channel: str, blocks: list[dict], text: str) -> str:
    """Posts; on `not_in_channel` joins the (public) channel and tries once more. Returns
    "posted" or the Slack error code."""
    try:
        client.chat_postMessage(channel=channel, blocks=blocks, text=text, unfurl_links=False)
        return "posted"
    except SlackApiError as error:
        code = _error_code(error)
        if code != "not_in_channel":
            return code
    try:
        client.conversations_join(channel=channel)
        client.chat_postMessage(channel=channel, blocks=blocks, text=text, unfurl_links=False)
        return "posted"
    except SlackApiError as error:
        return _error_code(error)


def _error_code(error: SlackApiError) -> str:
    """Slack's error code; an HTTP 5xx or 429 answer (after the client's own retries) is a
    server error or a rate limit whatever its body says."""
    status = error.response.status_code
    if status >= 500:
        return "server_error"
    if status == 429:
        return "ratelimited"
    return str(error.response.get("error") or "unknown_error")


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
            continue
        if result is not None:
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
        blocks, text = digest_message(session, kind=sub.kind, team=sub.team, now=now,
                                      timezone=sub.timezone, since=since, due_day=due.local_date)
    client = client_factory(sub.team)
    try:
        outcome = post_digest(client, sub.channel, blocks, text)
    except SlackClientError as error:  # the connection failed even after the retries
        log.warning("digest %s: %s", sub.id, type(error).__name__)
        outcome = "connection_error"
    _settle(db, client, sub, due.period, outcome, now)
    return Sent(sub.id, due.period, outcome)


def _settle(db: Database, client: WebClient, sub: SubscriptionView, period: str, outcome: str,
            now: datetime) -> None:
    with db.transaction() as session:
        if outcome == "posted":
            ledger.mark_posted(session, subscription_id=sub.id, period=period, now=now)
        elif outcome in TRANSIENT:
            ledger.release_claim(session, subscription_id=sub.id, period=period)
        else:
            ledger.mark_failed(session, subscription_id=sub.id, period=period, outcome=outcome)
            if outcome in CHANNEL_CLOSED:
                pause_subscription(session, subscription_id=sub.id, reason=outcome)
    if outcome in CHANNEL_CLOSED and sub.created_by:
        _tell_creator(client, sub, outcome)


def _tell_creator(client: WebClient, sub: SubscriptionView, outcome: str) -> None:
    text = messages.DIGEST_PAUSED.format(kind=sub.kind, channel=sub.channel,
                                         why=messages.CHANNEL_PROBLEMS.get(outcome, outcome))
    try:
        dm = client.conversations_open(users=sub.created_by)["channel"]["id"]
        client.chat_postMessage(channel=dm, text=text)
    except SlackApiError as error:
        log.warning("could not tell %s about digest %s: %s", sub.created_by, sub.id,
                    error.response.get("error"))
