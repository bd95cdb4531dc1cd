"""Nudges in Slack: who a person is (their time zone, whether they are still here), the
message, and sending it by direct message, with Slack's answer as an outcome the scheduler
(bot.nudges) acts on. Also the direct message that tells someone a deal or lead was given to
them."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from handlers.blocks.format import SLACK_USER_ID
from handlers.blocks.nudges import nudge_blocks, nudge_text
from handlers.deps import Deps
from handlers.digests import POSTED, TRANSIENT, error_code
from storage.db import Database
from storage.nudges.items import NudgeItem, nudge_items
from storage.nudges.settings import nudge_setting
from storage.workspaces import workspace_settings

log = logging.getLogger(__name__)
NOTHING = "nothing to say"
# The person is not there any more: never retried, until they turn nudges on again.
GONE = frozenset({"user_not_found", "account_inactive", "user_disabled", "cannot_dm_bot",
                  "users_not_found"})


@dataclass(frozen=True)
class Person:
    """What Slack says of someone: their zone (None: none given), or why they are gone, or
    that Slack could not say right now (`transient`)."""

    timezone: str | None = None
    gone: str | None = None
    transient: str | None = None


def slack_person(client: WebClient, user: str) -> Person:
    try:
        info = client.users_info(user=user)["user"]
    except SlackApiError as error:
        code = error_code(error)
        if code in GONE:
            return Person(gone=code)
        return Person(transient=code) if code in TRANSIENT else Person()
    except (SlackClientError, OSError):
        return Person(transient="connection_error")
    if info.get("deleted"):
        return Person(gone="account_inactive")
    zone = info.get("tz")
    try:
        return Person(timezone=zone if zone and ZoneInfo(zone) else None)
    except (ValueError, KeyError):  # a zone this server does not know
        return Person()


@dataclass(frozen=True)
class Nudge:
    items: list[NudgeItem]
    currency: str
    blocks: list[dict]
    text: str


def nudge_message(items: list[NudgeItem], currency: str) -> Nudge | None:
    """The nudge for `items`; None when there are none (nothing to say, no message)."""
    if not items:
        return None
    return Nudge(items, currency, nudge_blocks(items, currency=currency), nudge_text(items))


def current_nudge(db: Database, *, team: str, user: str, now: datetime,
                  timezone: str) -> Nudge | None:
    """The nudge `user` would get now, their date counted in `timezone`."""
    with db.transaction() as s:
        items = nudge_items(s, team=team, user=user, now=now,
                            today=now.astimezone(ZoneInfo(timezone)).date())
        currency = workspace_settings(s, team=team).currency
    return nudge_message(items, currency)


def nudge_zone(db: Database, *, team: str, user: str) -> str:
    """The zone a person's nudges count in: their Slack zone as last known, else the
    workspace's."""
    with db.transaction() as s:
        zone = nudge_setting(s, team=team, user=user).slack_timezone
        return zone or workspace_settings(s, team=team).timezone


def tell_new_owner(client: WebClient, deps: Deps, *, actor: str, owner: str | None,
                   blocks: list[dict], text: str) -> None:
    """The person a deal or lead was given to by somebody else gets its card by direct
    message, after the answer (through the outbox). Giving it to oneself tells nobody, and
    an owner imported as a name (not a Slack user id) cannot be told."""
    if owner and owner != actor and SLACK_USER_ID.fullmatch(owner):
        deps.outbox.send(partial(_tell, client, owner, blocks, text))


def _tell(client: WebClient, owner: str, blocks: list[dict], text: str) -> None:
    outcome = send_direct(client, owner, blocks=blocks, text=text)
    if outcome != POSTED:
        log.warning("could not tell %s of what they were given: %s", owner, outcome)


def send_direct(client: WebClient, user: str, *, blocks: list[dict], text: str) -> str:
    """Opens the direct message with `user` and posts there. Returns "posted", the Slack
    error code, or "connection_error"."""
    try:
        channel = client.conversations_open(users=user)["channel"]["id"]
        client.chat_postMessage(channel=channel, blocks=blocks, text=text, unfurl_links=False)
    except SlackApiError as error:
        return error_code(error)
    except (SlackClientError, OSError) as error:
        log.warning("direct message to %s: %s", user, type(error).__name__)
        return "connection_error"
    return POSTED
