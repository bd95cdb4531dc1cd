"""**Convert to deal**, **Drop**, **Add note** and **Edit** on a lead card: each opens a modal, and
its submission makes the change, redraws the card in place and (for Convert) posts the new
deal's card.

The modal remembers the card (lead, version, response_url) in `private_metadata`, since a
view submission has no response_url of its own.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from handlers import ids, messages
from handlers.actions.card_click import CardClick, field_error
from handlers.actions.deal_form import read_form
from handlers.actions.lead_card import card_click, redraw_stale, replace_card
from handlers.actions.lead_create import read_lead_form
from handlers.blocks.deal_card import card_text, deal_card
from handlers.blocks.format import user
from handlers.blocks.history import describe
from handlers.blocks.lead_card import converted_note, lead_card, lead_card_text
from handlers.blocks.lead_modals import (
    convert_modal,
    drop_modal,
    lead_edit_modal,
    lead_note_modal,
)
from handlers.deps import Deps
from handlers.nudges import tell_new_owner
from handlers.replies import Respond, answering_errors, in_channel
from storage import values
from storage.errors import DealbotError, StaleVersion
from storage.kinds import PipelineKind
from storage.leads import operations as leads
from storage.leads import queries as lead_queries
from storage.leads.views import LeadChange
from storage.stages import stage_views
from storage.undo import latest_change
from storage.workspaces import workspace_settings


def on_open(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient,
            *, deps: Deps, kind: str) -> None:
    """Opens the modal of the button `kind`. A card out of date is redrawn instead, except
    for a note, which overwrites nothing."""
    ack()
    with answering_errors(respond):
        click = card_click(body, action)
        with deps.db.transaction() as s:
            lead = lead_queries.show_lead(s, team=click.team, number=click.number)
            stages = stage_views(s, team=click.team, kind=PipelineKind.DEAL)
        if lead.version != click.version and kind != ids.LEAD_ADD_NOTE:
            redraw_stale(respond, deps, click)
            return
        metadata = json.dumps({"lead": click.number, "version": click.version,
                               "response_url": body.get("response_url")})
        view = (convert_modal(lead, stages, metadata) if kind == ids.LEAD_CONVERT
                else drop_modal(lead, metadata) if kind == ids.LEAD_DROP
                else lead_edit_modal(lead, metadata) if kind == ids.LEAD_EDIT
                else lead_note_modal(lead, metadata))
        client.views_open(trigger_id=body["trigger_id"], view=view)


def on_convert_submit(ack: Ack, body: dict, view: dict, client: WebClient, *,
                      deps: Deps) -> None:
    click, state, respond = _submission(body, view)
    raw_value = state[ids.LEAD_CONVERT_VALUE_BLOCK][ids.LEAD_CONVERT_VALUE].get("value")
    stage = state[ids.LEAD_CONVERT_STAGE_BLOCK][ids.LEAD_CONVERT_STAGE]["selected_option"]
    owner = state[ids.LEAD_CONVERT_OWNER_BLOCK][ids.LEAD_CONVERT_OWNER].get("selected_user")
    if not (raw_value or "").strip():
        ack(response_action="errors", errors={ids.LEAD_CONVERT_VALUE_BLOCK: messages.NO_VALUE})
        return
    try:
        with deps.db.transaction() as s:
            currency = workspace_settings(s, team=click.team).currency
            amount = values.parse_amount(raw_value, currency=currency)
            done = leads.convert_lead(s, team=click.team, number=click.number, actor=click.user,
                                      now=deps.clock(), value=amount, stage=stage["value"],
                                      owner=owner, expected_version=click.version)
    except DealbotError as error:
        ack(response_action="errors", errors={ids.LEAD_CONVERT_VALUE_BLOCK: field_error(error)})
        return
    ack()
    if respond is not None and json.loads(view.get("private_metadata") or "{}").get(
            "from") == "command":
        in_channel(respond, deal_card(done.deal, note=converted_note(done, click.user),
                                      undo=done.event.change_id),
                   card_text(done.deal))
    elif respond is not None:
        replace_card(respond, done.lead, describe(done.event))
        in_channel(respond, deal_card(done.deal, note=f"From lead #{done.lead.number}",
                                      undo=done.event.change_id),
                   card_text(done.deal))
    tell_new_owner(client, deps, actor=click.user, owner=done.deal.owner, blocks=deal_card(
        done.deal, note=messages.GIVEN_DEAL.format(actor=user(click.user))),
        text=card_text(done.deal))


def on_drop_submit(ack: Ack, body: dict, view: dict, *, deps: Deps) -> None:
    click, state, respond = _submission(body, view)
    reason = state[ids.LEAD_DROP_REASON_BLOCK][ids.LEAD_DROP_REASON].get("value")

    def drop(s: Any) -> LeadChange:
        return leads.drop_lead(s, team=click.team, number=click.number, actor=click.user,
                               now=deps.clock(), reason=reason or None,
                               expected_version=click.version)

    _save_change(ack, deps, respond, ids.LEAD_DROP_REASON_BLOCK, drop)


def on_note_submit(ack: Ack, body: dict, view: dict, *, deps: Deps) -> None:
    click, state, respond = _submission(body, view)
    text = state[ids.LEAD_NOTE_BLOCK][ids.LEAD_NOTE_BLOCK].get("value") or ""

    def note(s: Any) -> LeadChange:
        return leads.add_lead_note(s, team=click.team, number=click.number, text=text,
                                   actor=click.user, now=deps.clock())

    _save_change(ack, deps, respond, ids.LEAD_NOTE_BLOCK, note)


def _save_change(ack: Ack, deps: Deps, respond: Respond | None, block_id: str,
                 change: Callable[[Any], LeadChange]) -> None:
    """Makes the form's change in one transaction and redraws the card with an **Undo**, or
    keeps the form open with the problem on `block_id`."""
    try:
        with deps.db.transaction() as s:
            done = change(s)
    except DealbotError as error:
        ack(response_action="errors", errors={block_id: field_error(error)})
        return
    ack()
    if respond is not None:
        replace_card(respond, done.lead, describe(done.event), undo=done.event.change_id)


def on_edit_submit(ack: Ack, body: dict, view: dict, client: WebClient, *,
                   deps: Deps) -> None:
    click, _, respond = _submission(body, view)
    form = read_form(body, view, client, deps)
    errors: dict[str, str] = {}
    read = read_lead_form(form, errors)
    due = form.picked(ids.LEAD_FORM_DUE, "selected_date")
    if read is None:
        ack(response_action="errors", errors=errors)
        return
    fields = leads.LeadFields(
        name=read.name, company=read.company, contact=read.contact, source=read.source,
        owner=read.owner, tags=read.tags, next_action=form.text(ids.LEAD_FORM_NEXT) or None,
        next_action_due=date.fromisoformat(due) if due else None)
    try:
        with deps.db.transaction() as s:
            owner = lead_queries.show_lead(s, team=click.team, number=click.number).owner
            lead = leads.edit_lead(s, team=click.team, number=click.number, actor=click.user,
                                   now=deps.clock(), fields=fields,
                                   expected_version=click.version)
            change_id = latest_change(s, team=click.team, actor=click.user)
    except StaleVersion:
        ack(response_action="errors", errors={ids.LEAD_FORM_NAME: messages.STALE_LEAD_FORM})
        if respond is not None:
            redraw_stale(respond, deps, click)
        return
    except DealbotError as error:
        ack(response_action="errors", errors={ids.LEAD_FORM_NAME: field_error(error)})
        return
    ack()
    if respond is not None:
        replace_card(respond, lead, f"{user(click.user)} edited this", undo=change_id)
    if lead.owner != owner:
        tell_new_owner(client, deps, actor=click.user, owner=lead.owner, blocks=lead_card(
            lead, note=messages.GIVEN_LEAD.format(actor=user(click.user))),
            text=lead_card_text(lead))


def _submission(body: dict, view: dict) -> tuple[CardClick, dict, Respond | None]:
    """The card the modal was opened from, the submitted values, and a way to redraw it."""
    meta = json.loads(view.get("private_metadata") or "{}")
    click = CardClick(team=body["team"]["id"], user=body["user"]["id"],
                      number=int(meta["lead"]), version=int(meta["version"]))
    url = meta.get("response_url")
    respond: Callable[..., object] | None = WebhookClient(url).send if url else None
    return click, view["state"]["values"], respond


def register(app: App, deps: Deps) -> None:
    for kind in (ids.LEAD_CONVERT, ids.LEAD_DROP, ids.LEAD_ADD_NOTE, ids.LEAD_EDIT):
        app.action(kind)(partial(on_open, deps=deps, kind=kind))
    app.view(ids.LEAD_NOTE_MODAL)(partial(on_note_submit, deps=deps))
    app.view(ids.LEAD_EDIT_MODAL)(partial(on_edit_submit, deps=deps))
    app.view(ids.LEAD_CONVERT_MODAL)(partial(on_convert_submit, deps=deps))
    app.view(ids.LEAD_DROP_MODAL)(partial(on_drop_submit, deps=deps))
