"""The create form: `/deal new` without arguments, **New deal** on the Home tab and the
**New deal** global shortcut open it; its submission creates the deal and posts its card
where the command was typed (from the Home tab or the shortcut: in the app's direct messages
with the user)."""

from __future__ import annotations

from functools import partial

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers import ids
from handlers.actions.card_click import field_error
from handlers.actions.deal_form import card_metadata, deal_fields, read_form
from handlers.activity import after_change
from handlers.blocks.deal_card import card_text, deal_card
from handlers.blocks.deal_modals import create_modal
from handlers.blocks.history import describe
from handlers.deps import Deps
from handlers.replies import in_channel, post_to_author
from storage.deals import operations as deals
from storage.errors import DealbotError
from storage.stages import stage_views
from storage.workspaces import workspace_settings


def open_create_modal(client: WebClient, deps: Deps, *, team: str, user: str, trigger_id: str,
                      origin: dict) -> None:
    """Opens the form; `origin` is the command or click it came from (its response_url and
    channel say where the card goes)."""
    with deps.db.transaction() as s:
        stages = stage_views(s, team=team)
    client.views_open(trigger_id=trigger_id,
                      view=create_modal(stages, card_metadata(None, origin), owner=user))


def on_new_deal_click(ack: Ack, body: dict, client: WebClient, *, deps: Deps) -> None:
    ack()
    open_create_modal(client, deps, team=body["team"]["id"], user=body["user"]["id"],
                      trigger_id=body["trigger_id"], origin=body)


def on_new_deal_shortcut(ack: Ack, shortcut: dict, client: WebClient, *, deps: Deps) -> None:
    ack()
    open_create_modal(client, deps, team=shortcut["team"]["id"], user=shortcut["user"]["id"],
                      trigger_id=shortcut["trigger_id"], origin={})


def on_create_submit(ack: Ack, body: dict, view: dict, client: WebClient, *,
                     deps: Deps) -> None:
    form = read_form(body, view, client, deps)
    team, actor = form.click.team, form.click.user
    with deps.db.transaction() as s:
        currency = workspace_settings(s, team=team).currency
    read, errors = deal_fields(form, currency, with_stage=True)
    if read is None:
        ack(response_action="errors", errors=errors)
        return
    f = read.fields
    try:
        with deps.db.transaction() as s:
            created = deals.create_deal(
                s, team=team, actor=actor, now=deps.clock(), name=f.name, value=f.value,
                stage=read.stage, expected_close=f.expected_close, owner=f.owner, tags=f.tags)
            deal = created.deal
            if f.next_action:
                deal = deals.set_next_action(s, team=team, number=deal.number, text=f.next_action,
                                             due=f.next_action_due, actor=actor,
                                             now=deps.clock()).deal
    except DealbotError as error:
        ack(response_action="errors", errors={ids.DEAL_FORM_NAME: field_error(error)})
        return
    ack()
    blocks = deal_card(deal, note=describe(created.event), undo=created.event.change_id)
    text = card_text(deal)
    if form.surface.respond is not None:
        in_channel(form.surface.respond, blocks, text)
    else:
        post_to_author(client, actor, blocks, text, "the new deal's card")
    after_change(client, deps, team, actor, deal, created.event, created.followups)


def register(app: App, deps: Deps) -> None:
    app.action(ids.HOME_NEW_DEAL)(partial(on_new_deal_click, deps=deps))
    app.shortcut(ids.SHORTCUT_NEW_DEAL)(partial(on_new_deal_shortcut, deps=deps))
    app.view(ids.DEAL_CREATE_MODAL)(partial(on_create_submit, deps=deps))
