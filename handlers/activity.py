"""What follows a saved change to a deal: a line in the workspace's activity channel for
stage changes, wins and losses, and a fresh Home tab for the person who made it.

Both run after the transaction committed, and neither can undo or fail the change: Slack
errors are logged.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.blocks.activity import activity_line
from handlers.blocks.format import section
from handlers.deps import Deps
from handlers.home import publish_home
from storage.deals.views import DealView, EventView
from storage.kinds import EventKind
from storage.workspaces import workspace_settings

log = logging.getLogger(__name__)


def after_change(client: WebClient, deps: Deps, team: str, actor: str, deal: DealView,
                 event: EventView | None) -> None:
    if event is not None and event.kind == EventKind.STAGE:
        post_activity(client, deps, team, deal, event)
    publish_home(client, deps, team, actor)


def post_activity(client: WebClient, deps: Deps, team: str, deal: DealView,
                  event: EventView) -> None:
    """One line in the activity channel, when the workspace has one."""
    with deps.db.transaction() as s:
        channel = workspace_settings(s, team=team).activity_channel
    if not channel:
        return
    line = activity_line(deal, event)
    try:
        client.chat_postMessage(channel=channel, text=line, blocks=[section(line)],
                                unfurl_links=False)
    except SlackApiError as error:
        log.warning("could not post to the activity channel %s: %s", channel,
                    error.response.get("error"))
