"""Clicks on a lead card: advance and the stage picker update the card in place.

Clicks are read by handlers.actions.card_click. A click on a card drawn before
the lead's latest change never overwrites that change: the card is redrawn as the lead is
now and the clicker is told why nothing happened.
"""

from __future__ import annotations

import logging
from functools import partial

from slack_bolt import Ack, App

from handlers import ids, messages
from handlers.actions.card_click import CardClick, read_click
from handlers.blocks.format import section
from handlers.blocks.history import describe
from handlers.blocks.lead_card import lead_card, lead_card_text
from handlers.deps import Deps
from handlers.replies import Respond, answering_errors, ephemeral
from storage.errors import StaleVersion
from storage.leads import operations as leads
from storage.leads import queries as lead_queries
from storage.leads.views import LeadView

log = logging.getLogger(__name__)


def card_click(body: dict, action: dict) -> CardClick:
    return read_click(body, action, not_ours=messages.NOT_A_LEAD_CARD)


def replace_card(respond: Respond, lead: LeadView, note: str | None = None,
                 undo: int | None = None) -> None:
    """Redraws the card the click came from, in place (with an **Undo** for the change
    `undo`, when given)."""
    response = respond(replace_original=True, blocks=lead_card(lead, note=note, undo=undo),
                       text=lead_card_text(lead))
    if getattr(response, "status_code", 200) != 200:
        log.warning("could not redraw lead card: %s", getattr(response, "body", ""))


def redraw_stale(respond: Respond, deps: Deps, click: CardClick) -> None:
    """The card was out of date: show the lead as it is now, and say so to the clicker."""
    with deps.db.transaction() as s:
        current = lead_queries.show_lead(s, team=click.team, number=click.number)
    replace_card(respond, current)
    note = messages.STALE_LEAD_CLICK.format(id=click.number)
    ephemeral(respond, [section(f":information_source: {note}")], note)


def on_move_click(ack: Ack, body: dict, action: dict, respond: Respond, *, deps: Deps) -> None:
    """Advance button and stage picker: move the lead, redraw the card in place."""
    ack()
    with answering_errors(respond):
        click = card_click(body, action)
        try:
            with deps.db.transaction() as s:
                change = leads.move_lead(s, team=click.team, number=click.number, actor=click.user,
                                         now=deps.clock(), stage_id=click.stage_id,
                                         expected_version=click.version)
        except StaleVersion:
            redraw_stale(respond, deps, click)
            return
        replace_card(respond, change.lead, describe(change.event), undo=change.event.change_id)


def register(app: App, deps: Deps) -> None:
    app.action(ids.LEAD_ADVANCE)(partial(on_move_click, deps=deps))
    app.action(ids.LEAD_PICK_STAGE)(partial(on_move_click, deps=deps))
