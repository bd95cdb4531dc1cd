"""**Convert to deal** and **Drop** on a lead card: each opens a modal, and its submission
makes the change, redraws the card in place and (for Convert) posts the new deal's card.

The modal remembers the card (lead, version, response_url) in `private_metadata`, since a
view submission has no response_url of its own.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from handlers import ids, messages
from handlers.actions.card_click import CardClick, field_error
from handlers.actions.lead_card import card_click, redraw_stale, replace_card
from handlers.blocks.deal_card import card_text, deal_card
from handlers.blocks.format import user
from handlers.blocks.history import describe
from handlers.blocks.lead_modals import convert_modal, drop_modal
from handlers.deps import Deps
from handlers.nudges import tell_new_owner
from handlers.replies import Respond, answering_errors, in_channel
from storage import values
from storage.errors import DealbotError
from storage.kinds import PipelineKind
from storage.leads import operations as leads
from storage.leads import queries as lead_queries
from storage.stages import stage_views
from storage.workspaces import workspace_settings


def on_convert_click(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient,
                     *, deps: Deps) -> None:
    _open_modal(ack, body, action, respond, client, deps, with_stages=True)


def on_drop_click(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient,
                  *, deps: Deps) -> None:
    _open_modal(ack, body, action, respond, client, deps, with_stages=False)


def _open_modal(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient,
                deps: Deps, *, with_stages: bool) -> None:
    ack()
    with answering_errors(respond):
        click = card_click(body, action)
        with deps.db.transaction() as s:
            lead = lead_queries.show_lead(s, team=click.team, number=click.number)
            stages = stage_views(s, team=click.team, kind=PipelineKind.DEAL)
        if lead.version != click.version:
            redraw_stale(respond, deps, click)
            return
        metadata = json.dumps({"lead": click.number, "version": click.version,
                               "response_url": body.get("response_url")})
        view = convert_modal(lead, stages, metadata) if with_stages else drop_modal(lead, metadata)
        client.views_open(trigger_id=body["trigger_id"], view=view)


def on_convert_submit(ack: Ack, body: dict, view: dict, client: WebClient, *,
                      deps: Deps) -> None:
    click, state, respond = _submission(body, view)
    raw_value = state[ids.LEAD_CONVERT_VALUE_BLOCK][ids.LEAD_CONVERT_VALUE].get("value")
    stage = state[ids.LEAD_CONVERT_STAGE_BLOCK][ids.LEAD_CONVERT_STAGE]["selected_option"]
    owner = state[ids.LEAD_CONVERT_OWNER_BLOCK][ids.LEAD_CONVERT_OWNER].get("selected_user")
    try:
        with deps.db.transaction() as s:
            currency = workspace_settings(s, team=click.team).currency
            amount = values.parse_amount(raw_value, currency=currency) if raw_value else None
            done = leads.convert_lead(s, team=click.team, number=click.number, actor=click.user,
                                      now=deps.clock(), value=amount, stage=stage["value"],
                                      owner=owner, expected_version=click.version)
    except DealbotError as error:
        ack(response_action="errors", errors={ids.LEAD_CONVERT_VALUE_BLOCK: field_error(error)})
        return
    ack()
    if respond is not None:
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
    try:
        with deps.db.transaction() as s:
            change = leads.drop_lead(s, team=click.team, number=click.number, actor=click.user,
                                     now=deps.clock(), reason=reason or None,
                                     expected_version=click.version)
    except DealbotError as error:
        ack(response_action="errors", errors={ids.LEAD_DROP_REASON_BLOCK: field_error(error)})
        return
    ack()
    if respond is not None:
        replace_card(respond, change.lead, describe(change.event), undo=change.event.change_id)


def _submission(body: dict, view: dict) -> tuple[CardClick, dict, Respond | None]:
    """The card the modal was opened from, the submitted values, and a way to redraw it."""
    meta = json.loads(view.get("private_metadata") or "{}")
    click = CardClick(team=body["team"]["id"], user=body["user"]["id"],
                      number=int(meta["lead"]), version=int(meta["version"]))
    url = meta.get("response_url")
    respond: Callable[..., object] | None = WebhookClient(url).send if url else None
    return click, view["state"]["values"], respond


def register(app: App, deps: Deps) -> None:
    app.action(ids.LEAD_CONVERT)(partial(on_convert_click, deps=deps))
    app.action(ids.LEAD_DROP)(partial(on_drop_click, deps=deps))
    app.view(ids.LEAD_CONVERT_MODAL)(partial(on_convert_submit, deps=deps))
    app.view(ids.LEAD_DROP_MODAL)(partial(on_drop_submit, deps=deps))
