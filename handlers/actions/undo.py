"""**Undo** under a change's confirmation, and `/deal undo` / `/lead undo`: one storage call
(storage/undo.py) takes the change back, or refuses it and changes nothing.

A click redraws the card it is on as the record is now (or says it is gone, when the change
had created it); the command answers the caller alone with what it took back and the cards
as they are again. A refusal (too late, changed since, not theirs, undone already, nothing to
undo) is an ephemeral answer for the person who asked, saying why.
"""

from __future__ import annotations

import logging
from functools import partial

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers import ids, messages
from handlers.activity import after_undo
from handlers.blocks.deal_card import card_text, deal_card
from handlers.blocks.format import clip
from handlers.blocks.lead_card import lead_card, lead_card_text
from handlers.blocks.undo import refusal_blocks, refusal_text, undone_blocks, undone_lines
from handlers.deps import Deps
from handlers.home import refresh_home
from handlers.replies import Respond, ephemeral
from storage.errors import DealbotError, NotFound
from storage.kinds import PipelineKind
from storage.undo import Undone, undo_change, undo_last_change

log = logging.getLogger(__name__)
NOTE_LIMIT = 1500  # a card's context line


def undo_latest(respond: Respond, client: WebClient, deps: Deps, *, team: str, user: str,
                kind: PipelineKind) -> None:
    """`/deal undo`, `/lead undo`: the caller's latest change to a deal (or lead)."""
    try:
        with deps.db.transaction() as s:
            undone = undo_last_change(s, team=team, actor=user, now=deps.clock(), kind=kind)
    except DealbotError as error:
        ephemeral(respond, *refusal_blocks(error, clicker=user))
        return
    blocks, text = undone_blocks(undone, user)
    for deal in undone.deals:
        blocks += deal_card(deal)
    for lead in undone.leads:
        blocks += lead_card(lead)
    ephemeral(respond, blocks[:50], text)
    after_undo(client, deps, team, user, undone)


def on_undo_click(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, *,
                  deps: Deps) -> None:
    ack()
    team, user = body["team"]["id"], body["user"]["id"]
    try:
        change_id, kind, number = _read(body, action)
        with deps.db.transaction() as s:
            undone = undo_change(s, team=team, actor=user, change_id=change_id,
                                 now=deps.clock())
    except DealbotError as error:
        if body.get("response_url"):
            ephemeral(respond, *refusal_blocks(error, clicker=user))
        else:  # the Home tab: said on top of it
            refresh_home(client, deps, team, user, at_once=True,
                         notice=f":warning: {refusal_text(error, clicker=user)}")
        return
    if body.get("response_url"):
        _redraw(respond, undone, user, kind, number)
    else:
        refresh_home(client, deps, team, user, at_once=True,
                     notice=":leftwards_arrow_with_hook: " + " ".join(undone_lines(undone, user)))
    after_undo(client, deps, team, user, undone, home_shown=not body.get("response_url"))


def _read(body: dict, action: dict) -> tuple[int, PipelineKind, int]:
    message = body.get("message") or {}
    if message.get("team") and message["team"] != body["team"]["id"]:
        raise NotFound(messages.FOREIGN_CARD)
    parts = (action.get("value") or "").split(":")
    kinds = {str(k) for k in PipelineKind}
    if len(parts) != 3 or not parts[0].isdigit() or parts[1] not in kinds \
            or not parts[2].isdigit():
        raise NotFound(messages.NOT_AN_UNDO_BUTTON)
    return int(parts[0]), PipelineKind(parts[1]), int(parts[2])


def _redraw(respond: Respond, undone: Undone, user: str, kind: PipelineKind,
            number: int) -> None:
    """The card the button was on, as its record is now; or what was undone, when the
    change had created it."""
    note = clip(":leftwards_arrow_with_hook: " + " ".join(undone_lines(undone, user)),
                NOTE_LIMIT)
    deal = next((d for d in undone.deals if d.number == number), None)
    lead = next((ld for ld in undone.leads if ld.number == number), None)
    if kind == PipelineKind.DEAL and deal is not None:
        blocks, text = deal_card(deal, note=note), card_text(deal)
    elif kind == PipelineKind.LEAD and lead is not None:
        blocks, text = lead_card(lead, note=note), lead_card_text(lead)
    else:
        blocks, text = undone_blocks(undone, user)
    response = respond(replace_original=True, blocks=blocks, text=text)
    if getattr(response, "status_code", 200) != 200:
        log.warning("could not redraw the undone card: %s", getattr(response, "body", ""))


def register(app: App, deps: Deps) -> None:
    app.action(ids.UNDO)(partial(on_undo_click, deps=deps))

