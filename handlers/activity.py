"""What follows a saved change to a deal: a line in the workspace's activity channel for
stage changes, wins and losses, and a fresh Home tab for the person who made it, if they
keep one.

Both run after the transaction committed, from what it read (`Followups`), and neither can
undo or fail the change: Slack errors are logged. Both happen in the background, after the
answer: the line through the outbox (in order), the Home tab through its refresh.
"""

from __future__ import annotations

import logging
from functools import partial

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.blocks.activity import activity_line
from handlers.blocks.format import section
from handlers.deps import Deps
from handlers.home import refresh_home
from storage.deals.views import DealView, EventView
from storage.followups import Followups
from storage.kinds import EventKind

log = logging.getLogger(__name__)


def after_change(client: WebClient, deps: Deps, team: str, actor: str, deal: DealView,
                 event: EventView | None, followups: Followups) -> None:
    if followups.activity_channel and event is not None and event.kind == EventKind.STAGE:
        deps.outbox.send(partial(post_activity, client, followups.activity_channel, deal,
                                 event))
    if followups.home_tab:
        refresh_home(client, deps, team, actor)


def post_activity(client: WebClient, channel: str, deal: DealView, event: EventView) -> None:
    """One line in the workspace's activity channel."""
    line = activity_line(deal, event)
    try:
        client.chat_postMessage(channel=channel, text=line, blocks=[section(line)],
                                unfurl_links=False)
    except SlackApiError as error:
        log.warning("could not post to the activity channel %s: %s", channel,
                    error.response.get("error"))
