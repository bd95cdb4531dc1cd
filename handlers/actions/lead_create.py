"""The **New lead** global shortcut: the lead create form, field by field (what `/lead add`
takes). Its submission adds the lead and posts its card in the app's direct messages with
the person (a global shortcut has no channel); problems are shown on the field they concern."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers import ids, messages
from handlers.actions.card_click import field_error
from handlers.actions.deal_form import Form, read_form, typed_tags
from handlers.blocks.format import user
from handlers.blocks.history import describe
from handlers.blocks.lead_card import lead_card, lead_card_text
from handlers.blocks.lead_modals import lead_create_modal
from handlers.deps import Deps
from handlers.nudges import tell_new_owner
from handlers.replies import post_to_author
from storage import text_fields
from storage.errors import DealbotError
from storage.kinds import PipelineKind
from storage.leads import checks
from storage.leads import operations as leads
from storage.stages import stage_views

T = TypeVar("T")


def on_new_lead_shortcut(ack: Ack, shortcut: dict, client: WebClient, *, deps: Deps) -> None:
    ack()
    with deps.db.transaction() as s:
        stages = stage_views(s, team=shortcut["team"]["id"], kind=PipelineKind.LEAD)
    client.views_open(trigger_id=shortcut["trigger_id"],
                      view=lead_create_modal(stages, owner=shortcut["user"]["id"]))


@dataclass(frozen=True)
class LeadForm:
    """What the create and edit forms share, read and checked."""

    name: str
    company: str | None
    source: str | None
    contact: str | None
    tags: tuple[str, ...]
    owner: str | None


def read_lead_form(form: Form, errors: dict[str, str]) -> LeadForm | None:
    """The lead's fields from the create or edit form; None when one is wrong, with the
    problem added to `errors` by input."""
    def read(block_id: str, reader: Callable[[str], T]) -> T | None:
        try:
            return reader(form.text(block_id))
        except DealbotError as error:
            errors[block_id] = field_error(error)
            return None

    name = read(ids.LEAD_FORM_NAME, checks.check_lead_name)
    company = read(ids.LEAD_FORM_COMPANY, checks.check_company)
    source = read(ids.LEAD_FORM_SOURCE, text_fields.SOURCE.optional)
    contact = read(ids.LEAD_FORM_CONTACT, checks.check_contact)
    tags = read(ids.LEAD_FORM_TAGS, typed_tags)
    if errors or name is None:
        return None
    return LeadForm(name, company, source, contact, tuple(tags or ()),
                    form.picked(ids.LEAD_FORM_OWNER, "selected_user"))


def on_lead_create_submit(ack: Ack, body: dict, view: dict, client: WebClient, *,
                          deps: Deps) -> None:
    form = read_form(body, view, client, deps)
    errors: dict[str, str] = {}
    lead = read_lead_form(form, errors)
    if lead is None:
        ack(response_action="errors", errors=errors)
        return
    team, actor = form.click.team, form.click.user
    stage = form.picked(ids.LEAD_FORM_STAGE, "selected_option")
    try:
        with deps.db.transaction() as s:
            change = leads.add_lead(
                s, team=team, name=lead.name, actor=actor, now=deps.clock(),
                company=lead.company, contact=lead.contact, source=lead.source, stage=stage,
                owner=lead.owner, tags=lead.tags)
    except DealbotError as error:
        ack(response_action="errors", errors={ids.LEAD_FORM_STAGE: field_error(error)})
        return
    ack()
    post_to_author(client, actor, lead_card(change.lead, note=describe(change.event),
                                            undo=change.event.change_id),
                   lead_card_text(change.lead), "the new lead's card")
    tell_new_owner(client, deps, actor=actor, owner=change.lead.owner, blocks=lead_card(
        change.lead, note=messages.GIVEN_LEAD.format(actor=user(actor))),
        text=lead_card_text(change.lead))


def register(app: App, deps: Deps) -> None:
    app.shortcut(ids.SHORTCUT_NEW_LEAD)(partial(on_new_lead_shortcut, deps=deps))
    app.view(ids.LEAD_CREATE_MODAL)(partial(on_lead_create_submit, deps=deps))
