"""Digests in Slack: the message a subscription posts, posting it (joining a public channel
when needed), Slack's answer as an outcome the scheduler can act on, and the DM that tells a
subscription's creator it was paused. The scheduling itself is bot.digests.

The weekly funnel digest also has a chart. It goes in the digest's thread, uploaded once the
message is posted: the message (with its table and text fallback) is what the channel lists
and what notifications and search read, the picture is one click away under it, and a chart
that cannot be drawn or uploaded is logged and counted but never holds back, fails or repeats
the message. (Inside the message, as an image block, the text would have to wait for the
upload, and a failed upload would change the message.)"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from handlers import messages
from handlers.blocks.funnel_report import funnel_blocks, funnel_text
from handlers.blocks.reports import pipeline_blocks, pipeline_text
from handlers.charts.funnel import FunnelChart
from handlers.charts.share import share_chart
from storage.db import Database
from storage.digests.subscriptions import SubscriptionView
from storage.kinds import DigestKind
from storage.reports.forecast import target_lines
from storage.reports.funnel import funnel_report
from storage.reports.funnel_trend import conversion_trend
from storage.reports.pipeline import pipeline_summary
from storage.reports.weeks import monday_of
from storage.workspaces import workspace_settings

log = logging.getLogger(__name__)
POSTED = "posted"
# Errors that will not go away by retrying: the channel is gone or closed to the bot.
CHANNEL_CLOSED = frozenset({"channel_not_found", "is_archived", "not_in_channel",
                            "method_not_supported_for_channel_type", "restricted_action",
                            "cannot_join_channel", "access_denied", "team_access_not_granted",
                            "restricted_action_read_only_channel", "ekm_access_denied"})
# Errors a later run may not meet: the scheduler gives the period back for another try.
TRANSIENT = frozenset({"ratelimited", "server_error", "internal_error", "fatal_error",
                       "service_unavailable", "request_timeout", "connection_error"})


@dataclass(frozen=True)
class Digest:
    """A digest's message, and the chart posted in its thread (the weekly funnel's)."""

    blocks: list[dict]
    text: str
    chart: FunnelChart | None = None


def digest_message(db: Database, *, kind: DigestKind, team: str, now: datetime, timezone: str,
                   since: datetime | None = None, due_day: date | None = None) -> Digest:
    """The digest's blocks, fallback text and chart. A weekly funnel digest reports the last
    complete week before the day it is due; a pipeline digest, the state now, what changed
    since the previous digest, and a line per team target."""
    with db.transaction() as session:
        if kind == DigestKind.FUNNEL:
            local_day = due_day or now.astimezone(ZoneInfo(timezone)).date()
            report = funnel_report(session, team=team, now=now, timezone=timezone,
                                   week=monday_of(local_day) - timedelta(days=7))
            return Digest(funnel_blocks(report), funnel_text(report),
                          FunnelChart(report, conversion_trend(session, report)))
        summary = pipeline_summary(session, team=team, now=now, since=since, timezone=timezone)
        targets = target_lines(session, team=team, now=now)
    return Digest(pipeline_blocks(summary, targets=targets), pipeline_text(summary, targets))


def preview_digest(db: Database, *, kind: DigestKind, team: str, now: datetime) -> Digest:
    """What a digest of `kind` would post now, in the workspace's time zone (for `dealbot
    digest send` and the console)."""
    with db.transaction() as session:
        zone = workspace_settings(session, team=team).timezone
    return digest_message(db, kind=kind, team=team, now=now, timezone=zone)


def post_digest(client: WebClient, channel: str, digest: Digest) -> str:
    """Posts the message; on `not_in_channel` joins the (public) channel and tries once more.
    Returns "posted", the Slack error code, or "connection_error" when Slack could not be
    reached even after the client's retries. Once posted, the chart follows in its thread; the
    outcome is the message's, whatever becomes of the chart."""
    outcome, ts = _post(client, channel, digest)
    if outcome == POSTED and digest.chart is not None:
        share_chart(client, channel=channel, chart=digest.chart, thread_ts=ts)
    return outcome


def _post(client: WebClient, channel: str, digest: Digest) -> tuple[str, str | None]:
    def post() -> tuple[str, str | None]:
        posted = client.chat_postMessage(channel=channel, blocks=digest.blocks,
                                         text=digest.text, unfurl_links=False)
        return POSTED, posted.get("ts")

    try:
        try:
            return post()
        except SlackApiError as error:
            if (code := error_code(error)) != "not_in_channel":
                return code, None
        client.conversations_join(channel=channel)
        return post()
    except SlackApiError as error:
        return error_code(error), None
    except (SlackClientError, OSError) as error:  # urllib's URLError is an OSError
        log.warning("digest for %s: %s", channel, type(error).__name__)
        return "connection_error", None


def error_code(error: SlackApiError) -> str:
    """Slack's error code; an HTTP 5xx or 429 answer (after the client's own retries) is a
    server error or a rate limit whatever its body says."""
    status = error.response.status_code
    if status >= 500:
        return "server_error"
    if status == 429:
        return "ratelimited"
    return str(error.response.get("error") or "unknown_error")


def tell_creator(client: WebClient, sub: SubscriptionView, outcome: str) -> None:
    """A DM to whoever set the subscription up: its channel refused it, so it is paused."""
    text = messages.DIGEST_PAUSED.format(kind=sub.kind, channel=sub.channel,
                                         why=messages.CHANNEL_PROBLEMS.get(outcome, outcome))
    try:
        dm = client.conversations_open(users=sub.created_by)["channel"]["id"]
        client.chat_postMessage(channel=dm, text=text)
    except SlackApiError as error:
        log.warning("could not tell %s about digest %s: %s", sub.created_by, sub.id,
                    error.response.get("error"))
