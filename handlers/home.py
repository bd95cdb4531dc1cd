"""The App Home tab: published when the user opens it, and refreshed after each change they
make once they have opened it.

Publishing is a view of the data, never part of a change. It runs in the background
(`HomeRefresh`: after the answer, debounced per user), and a failure is logged, not raised,
so a change that was saved is never reported as failed because the Home tab was not
refreshed.
"""

from __future__ import annotations

import logging
from datetime import date
from functools import partial
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers import ids
from handlers.blocks.home import HOME_DEALS, home_view, my_deals_modal, pipeline_modal
from handlers.deps import Deps
from storage.deals import queries as deal_queries
from storage.followups import record_home_opened
from storage.workspaces import workspace_settings

log = logging.getLogger(__name__)
MY_DEALS_LIMIT = 100


def _today(deps: Deps, timezone: str) -> date:
    return deps.clock().astimezone(ZoneInfo(timezone)).date()


def refresh_home(client: WebClient, deps: Deps, team: str, user: str, *,
                 notice: str | None = None, at_once: bool = False,
                 undo: tuple[int, int] | None = None) -> None:
    """Publishes `user`'s Home tab soon, in the background; `at_once` when the publish is the
    answer to the user (they opened the tab, or clicked in it), else debounced. `undo`: the
    change the notice confirms and its deal's number, for an **Undo** under it."""
    deps.home_refresh.request((team, user),
                              partial(publish_home, client, deps, team, user, undo=undo),
                              notice=notice, at_once=at_once)


def publish_home(client: WebClient, deps: Deps, team: str, user: str,
                 notice: str | None = None, *, undo: tuple[int, int] | None = None) -> None:
    """Publishes `user`'s Home tab: one transaction, a page of their open deals (and how many)
    and the stage totals (an index-only scan)."""
    with deps.db.transaction() as s:
        ws = workspace_settings(s, team=team)
        mine = deal_queries.open_deals_of(s, team=team, owner=user, limit=HOME_DEALS)
        totals = deal_queries.stage_totals(s, team=team)
    view = home_view(mine, totals, currency=ws.currency, today=_today(deps, ws.timezone),
                     notice=notice, undo=undo if notice else None)
    try:
        client.views_publish(user_id=user, view=view)
    except SlackApiError as error:
        log.warning("could not publish the Home tab of %s: %s", user,
                    error.response.get("error"))


def on_home_opened(event: dict, body: dict, client: WebClient, *, deps: Deps) -> None:
    """Remembers that the user keeps a Home tab (so their changes refresh it) and publishes
    it at once."""
    if event.get("tab", "home") != "home":
        return
    team, user = body["team_id"], event["user"]
    with deps.db.transaction() as s:
        record_home_opened(s, team=team, user=user, now=deps.clock())
    refresh_home(client, deps, team, user, at_once=True)


def on_pipeline(ack: Ack, body: dict, client: WebClient, *, deps: Deps) -> None:
    """**Full pipeline** on the Home tab: the stage totals in a modal."""
    ack()
    team = body["team"]["id"]
    with deps.db.transaction() as s:
        currency = workspace_settings(s, team=team).currency
        totals = deal_queries.stage_totals(s, team=team)
    client.views_open(trigger_id=body["trigger_id"], view=pipeline_modal(totals, currency))


def on_more_deals(ack: Ack, body: dict, client: WebClient, *, deps: Deps) -> None:
    """**Show all** under the Home tab's deals: the whole list (its first hundred) in a modal."""
    ack()
    team, user = body["team"]["id"], body["user"]["id"]
    with deps.db.transaction() as s:
        timezone = workspace_settings(s, team=team).timezone
        mine = deal_queries.open_deals_of(s, team=team, owner=user, limit=MY_DEALS_LIMIT)
    client.views_open(trigger_id=body["trigger_id"],
                      view=my_deals_modal(mine, _today(deps, timezone)))


def register(app: App, deps: Deps) -> None:
    app.event("app_home_opened")(partial(on_home_opened, deps=deps))
    app.action(ids.HOME_PIPELINE)(partial(on_pipeline, deps=deps))
    app.action(ids.HOME_MORE_DEALS)(partial(on_more_deals, deps=deps))
