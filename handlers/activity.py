"""What follows a saved change to a deal (or its undo): a line in the workspace's activity
channel for stage changes, wins and losses, the card by direct message to someone the deal
was given to by somebody else, and a fresh Home tab for the person who made it, if they keep
one.

Both run after the transaction committed, from what it read (`Followups`), and neither can
undo or fail the change: Slack errors are logged. Both happen in the background, after the
answer: the line through the outbox (in order), the Home tab through its refresh.
"""

from __future__ import annotations

import logging
from functools import partial
from http.client import HTTPException
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers import messages
from handlers.blocks.activity import activity_line
from handlers.blocks.deal_card import card_text, deal_card
from handlers.blocks.format import section, user
from handlers.blocks.undo import undone_activity_lines
from handlers.deps import Deps
from handlers.home import refresh_home
from handlers.nudges import tell_new_owner
from handlers.outbox import TryAgain
from storage.deals.views import DealView, EventView
from storage.followups import Followups
from storage.kinds import EventKind
from storage.undo import Undone

log = logging.getLogger(__name__)


def after_change(client: WebClient, deps: Deps, team: str, actor: str, deal: DealView,
                 event: EventView | None, followups: Followups, *,
                 home_shown: bool = False) -> None:
    """`home_shown`: the change was made in the Home tab, which is republished already (with
    the change's confirmation on top)."""
    if followups.activity_channel and event is not None and event.kind == EventKind.STAGE:
        deps.outbox.send(partial(post_activity, client, followups.activity_channel, deal,
                                 event, celebrate=followups.celebrate_wins))
    if event is not None and event.kind in (EventKind.ASSIGN, EventKind.CREATED):
        tell_new_owner(client, deps, actor=actor, owner=deal.owner, blocks=deal_card(
            deal, note=messages.GIVEN_DEAL.format(actor=user(actor))), text=card_text(deal))
    if followups.home_tab and not home_shown:
        refresh_home(client, deps, team, actor)


def post_activity(client: WebClient, channel: str, deal: DealView, event: EventView, *,
                  celebrate: bool = True) -> None:
    """One line in the workspace's activity channel."""
    post_line(client, channel, activity_line(deal, event, celebrate=celebrate))


def after_undo(client: WebClient, deps: Deps, team: str, actor: str, undone: Undone, *,
               home_shown: bool = False) -> None:
    """An undo that took back stage changes of deals says so in the activity channel, which
    had heard of them; the Home tab is refreshed like after any change."""
    if undone.followups.activity_channel:
        for line in undone_activity_lines(undone, actor):
            deps.outbox.send(partial(post_line, client, undone.followups.activity_channel, line))
    if undone.followups.home_tab and not home_shown:
        refresh_home(client, deps, team, actor)


def post_line(client: WebClient, channel: str, line: str) -> None:
    """Posts the line; raises TryAgain when Slack surely did not take it (a rate limit or a
    server error, or not reached at all), for the outbox to try again later."""
    try:
        client.chat_postMessage(channel=channel, text=line, blocks=[section(line)],
                                unfurl_links=False)
    except SlackApiError as error:
        status = error.response.status_code
        if status == 429 or status >= 500:
            raise TryAgain(f"HTTP {status}") from error
        log.warning("could not post to the activity channel %s: %s", channel,
                    error.response.get("error"))
    except URLError as error:  # failed connecting or sending: Slack never had it
        raise TryAgain(type(error.reason).__name__) from error
    except (OSError, HTTPException) as error:  # no answer: Slack may have posted it
        log.warning("the activity line for %s may or may not be posted (%s); it is not "
                    "posted again", channel, type(error).__name__)
