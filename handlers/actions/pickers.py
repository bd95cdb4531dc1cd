"""Type-ahead pickers (deals, leads): what an `external_select` offers while a person types,
answered in the ack within Slack's 3 s, from one query scoped to the person's workspace (another
workspace's records never appear)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from slack_bolt import Ack, App

from handlers import ids
from handlers.blocks.pickers import deal_options
from handlers.deps import Deps
from storage.deals.choices import DealChoice, deal_choices, lead_choices

Choices = Callable[..., tuple[DealChoice, ...]]


def on_suggestion(ack: Ack, body: dict, *, deps: Deps, choices: Choices) -> None:
    team = (body.get("team") or {}).get("id") or body["user"]["team_id"]
    with deps.db.transaction() as s:
        found = choices(s, team=team, typed=str(body.get("value") or ""))
    ack(options=deal_options(found))


def register(app: App, deps: Deps) -> None:
    app.options(ids.PICK_DEAL)(partial(on_suggestion, deps=deps, choices=deal_choices))
    app.options(ids.PICK_LEAD)(partial(on_suggestion, deps=deps, choices=lead_choices))
