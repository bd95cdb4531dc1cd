"""Clicks that change a deal at once: advance, the stage picker, Won, Assign to me, Reopen.

Each applies the change only if the deal is still at the version the card was drawn from,
records who did it (the storage operation appends the event), redraws the same message in
place, posts to the activity channel and refreshes the clicker's Home tab. A click on an
out-of-date card changes nothing: the card is redrawn as the deal is now and the clicker is
told what changed and by whom.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers import ids
from handlers.actions.card_click import CardClick
from handlers.actions.deal_surface import Surface, deal_click, show_stale
from handlers.activity import after_change
from handlers.blocks.history import describe
from handlers.deps import Deps
from handlers.replies import Respond
from storage.deals import operations as deals
from storage.deals.views import DealChange
from storage.errors import StaleVersion, UsageError

Operation = Callable[[CardClick, Deps], DealChange]  # one transaction, one storage call


def any_place(action_id: str) -> re.Pattern[str]:
    """Matches the card's action_id and the Home tab's per-deal `<action_id>~<number>`."""
    return re.compile(rf"^{re.escape(action_id)}({re.escape(ids.PER_ITEM)}\d+)?$")


def surface_of(body: dict, respond: Respond | None, client: WebClient, deps: Deps) -> Surface:
    return Surface(client=client, deps=deps, team=body["team"]["id"], user=body["user"]["id"],
                   respond=respond if body.get("response_url") else None)


def _move(click: CardClick, deps: Deps) -> DealChange:
    if click.stage_id is None:
        raise UsageError("This button does not name a stage. Show the deal again with "
                         "`/deal show`.")
    with deps.db.transaction() as s:
        return deals.move_deal(s, team=click.team, number=click.number, stage_id=click.stage_id,
                               actor=click.user, now=deps.clock(), expected_version=click.version)


def _win(click: CardClick, deps: Deps) -> DealChange:
    with deps.db.transaction() as s:
        return deals.win_deal(s, team=click.team, number=click.number, actor=click.user,
                              now=deps.clock(), expected_version=click.version)


def _assign_me(click: CardClick, deps: Deps) -> DealChange:
    with deps.db.transaction() as s:
        return deals.assign_deal(s, team=click.team, number=click.number, owner=click.user,
                                 actor=click.user, now=deps.clock(),
                                 expected_version=click.version)


def _reopen(click: CardClick, deps: Deps) -> DealChange:
    with deps.db.transaction() as s:
        return deals.reopen_deal(s, team=click.team, number=click.number, actor=click.user,
                                 now=deps.clock(), expected_version=click.version)


def on_click(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, *,
             deps: Deps, operation: Operation) -> None:
    ack()
    surface = surface_of(body, respond, client, deps)
    with surface.answering():
        click = deal_click(body, action)
        try:
            change = operation(click, deps)
        except StaleVersion:
            show_stale(surface, click)
            return
        surface.show(change.deal, describe(change.event, currency=change.deal.currency),
                     undo=change.event.change_id)
        after_change(client, deps, click.team, click.user, change.deal, change.event,
                     change.followups, home_shown=surface.respond is None)


OPERATIONS: dict[str, Operation] = {
    ids.DEAL_ADVANCE: _move, ids.DEAL_PICK_STAGE: _move, ids.DEAL_WON: _win,
    ids.DEAL_ASSIGN_ME: _assign_me, ids.DEAL_REOPEN: _reopen,
}


def register(app: App, deps: Deps) -> None:
    for action_id, operation in OPERATIONS.items():
        app.action(any_place(action_id))(partial(on_click, deps=deps, operation=operation))
