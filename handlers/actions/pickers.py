"""Type-ahead pickers: what an `external_select` offers while a person types, answered in
the ack within Slack's 3 s, from one query scoped to the person's workspace (another
workspace's records never appear)."""

from __future__ import annotations

from functools import partial

from slack_bolt import Ack, App

from handlers import ids
from handlers.blocks.pickers import deal_options
from handlers.deps import Deps
from storage.deals.choices import deal_choices


def on_deal_suggestion(ack: Ack, body: dict, *, deps: Deps) -> None:
    team = (body.get("team") or {}).get("id") or body["user"]["team_id"]
    with deps.db.transaction() as s:
        choices = deal_choices(s, team=team, typed=str(body.get("value") or ""))
    ack(options=deal_options(choices))


def register(app: App, deps: Deps) -> None:
    app.options(ids.PICK_DEAL)(partial(on_deal_suggestion, deps=deps))
