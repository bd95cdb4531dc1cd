"""**Lost**, **Add note** and **Edit** on a deal card (or the Home tab) open a modal; its
submission makes the change, redraws the card in place and refreshes the Home tab.

Problems are shown on the input they concern (`response_action: errors`). A card that was
out of date when clicked is redrawn instead of opening the form; a deal that changed while
the form was open is not overwritten. A note never overwrites anything, so it is saved
whatever the card's version.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers import ids, messages
from handlers.actions.card_click import CardClick, field_error
from handlers.actions.deal_card import any_place, surface_of
from handlers.actions.deal_form import Form, card_metadata, deal_fields, read_form
from handlers.actions.deal_surface import deal_click, show_stale
from handlers.activity import after_change
from handlers.blocks.deal_card import card_text, deal_card
from handlers.blocks.deal_modals import edit_modal, lost_modal, note_modal
from handlers.blocks.format import user
from handlers.blocks.history import describe
from handlers.deps import Deps
from handlers.nudges import tell_new_owner
from handlers.replies import Respond
from storage.deals import operations as deals
from storage.deals import queries as deal_queries
from storage.deals.views import DealView, EventView
from storage.errors import DealbotError, StaleVersion
from storage.followups import Followups, followups_of
from storage.undo import latest_change
from storage.workspaces import workspace_settings


@dataclass(frozen=True)
class Saved:
    """A change a form made: the deal after it, its event if one describes it, the card note,
    what follows it, and the change (for its **Undo**; None when the form changed nothing)."""

    deal: DealView
    event: EventView | None
    note: str
    followups: Followups
    change_id: int | None


def _lost_view(click: CardClick, deps: Deps, deal: DealView, metadata: str) -> dict:
    with deps.db.transaction() as s:
        reasons = deal_queries.recent_lost_reasons(s, team=click.team)
    return lost_modal(deal, reasons, metadata)


BUILDERS: dict[str, Callable[[CardClick, Deps, DealView, str], dict]] = {
    ids.DEAL_LOST: _lost_view,
    ids.DEAL_ADD_NOTE: lambda click, deps, deal, metadata: note_modal(deal, metadata),
    ids.DEAL_EDIT: lambda click, deps, deal, metadata: edit_modal(deal, metadata),
}


def on_open(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, *,
            deps: Deps, kind: str) -> None:
    ack()
    surface = surface_of(body, respond, client, deps)
    with surface.answering():
        click = deal_click(body, action)
        with deps.db.transaction() as s:
            deal = deal_queries.show_deal(s, team=click.team, number=click.number)
        if deal.version != click.version and kind != ids.DEAL_ADD_NOTE:
            show_stale(surface, click)
            return
        view = BUILDERS[kind](click, deps, deal, card_metadata(click, body))
        client.views_open(trigger_id=body["trigger_id"], view=view)


def _save(ack: Ack, form: Form, block_id: str, change: Callable[[], Saved]) -> None:
    """Applies the form's change, or keeps the form open with the problem on `block_id`."""
    try:
        saved = change()
    except StaleVersion:
        ack(response_action="errors", errors={block_id: messages.STALE_FORM})
        show_stale(form.surface, form.click)
        return
    except DealbotError as error:
        ack(response_action="errors", errors={block_id: field_error(error)})
        return
    ack()
    form.surface.show(saved.deal, saved.note, undo=saved.change_id)
    after_change(form.surface.client, form.surface.deps, form.click.team, form.click.user,
                 saved.deal, saved.event, saved.followups, home_shown=form.surface.respond is None)


def on_lost_submit(ack: Ack, body: dict, view: dict, client: WebClient, *, deps: Deps) -> None:
    form = read_form(body, view, client, deps)
    reason = (form.text(ids.DEAL_LOST_REASON_BLOCK)
              or form.picked(ids.DEAL_LOST_PICK_BLOCK, "selected_option"))
    if not reason:
        ack(response_action="errors",
            errors={ids.DEAL_LOST_REASON_BLOCK: "Pick a reason or write one."})
        return
    click = form.click

    def lose() -> Saved:
        with deps.db.transaction() as s:
            change = deals.lose_deal(s, team=click.team, number=click.number, actor=click.user,
                                     now=deps.clock(), reason=reason,
                                     expected_version=click.version)
        note = describe(change.event, currency=change.deal.currency)
        return Saved(change.deal, change.event, note, change.followups, change.event.change_id)

    _save(ack, form, ids.DEAL_LOST_REASON_BLOCK, lose)


def on_note_submit(ack: Ack, body: dict, view: dict, client: WebClient, *, deps: Deps) -> None:
    form = read_form(body, view, client, deps)
    click = form.click

    def note() -> Saved:
        with deps.db.transaction() as s:
            change = deals.add_note(s, team=click.team, number=click.number,
                                    text=form.text(ids.DEAL_NOTE_BLOCK), actor=click.user,
                                    now=deps.clock())
        note = describe(change.event, currency=change.deal.currency)
        return Saved(change.deal, change.event, note, change.followups, change.event.change_id)

    _save(ack, form, ids.DEAL_NOTE_BLOCK, note)


def on_edit_submit(ack: Ack, body: dict, view: dict, client: WebClient, *, deps: Deps) -> None:
    form = read_form(body, view, client, deps)
    click = form.click
    with deps.db.transaction() as s:
        currency = workspace_settings(s, team=click.team).currency
    read, errors = deal_fields(form, currency)
    if read is None:
        ack(response_action="errors", errors=errors)
        return
    fields = read.fields

    def edit() -> Saved:
        with deps.db.transaction() as s:
            owner = deal_queries.deal_owner(s, team=click.team, number=click.number)
            deal = deals.edit_deal(s, team=click.team, number=click.number, actor=click.user,
                                   now=deps.clock(), expected_version=click.version, fields=fields)
            followups = followups_of(s, team=click.team, actor=click.user)
            changed = deal.version != click.version  # else the form changed nothing
            change_id = latest_change(s, team=click.team, actor=click.user) if changed else None
        if deal.owner != owner:
            tell_new_owner(client, deps, actor=click.user, owner=deal.owner, blocks=deal_card(
                deal, note=messages.GIVEN_DEAL.format(actor=user(click.user))),
                text=card_text(deal))
        return Saved(deal, None, f"{user(click.user)} edited this", followups, change_id)

    _save(ack, form, ids.DEAL_FORM_NAME, edit)


def register(app: App, deps: Deps) -> None:
    for kind in BUILDERS:
        app.action(any_place(kind))(partial(on_open, deps=deps, kind=kind))
    app.view(ids.DEAL_LOST_MODAL)(partial(on_lost_submit, deps=deps))
    app.view(ids.DEAL_NOTE_MODAL)(partial(on_note_submit, deps=deps))
    app.view(ids.DEAL_EDIT_MODAL)(partial(on_edit_submit, deps=deps))
