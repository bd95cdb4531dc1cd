"""`/lead`: add leads, move them through the funnel, convert them into deals, look at them.
Parse, one storage call, render."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers import grammar, messages
from handlers.actions import list_pages
from handlers.blocks.deal_card import card_text, deal_card
from handlers.blocks.deal_lists import help_blocks
from handlers.blocks.format import user
from handlers.blocks.history import describe
from handlers.blocks.lead_card import converted_note, lead_card, lead_card_text, lead_journey
from handlers.blocks.lead_lists import lead_history_blocks
from handlers.blocks.lead_modals import convert_modal
from handlers.blocks.nudges import with_snooze
from handlers.commands.common import Call, next_action_of, require, undo_latest_change
from handlers.commands.export import lead_export
from handlers.deps import Deps
from handlers.nudges import tell_new_owner
from handlers.replies import Respond, answering, ephemeral, in_channel
from storage import text_fields, values
from storage.errors import UsageError
from storage.kinds import EventKind, PipelineKind
from storage.leads import operations as leads
from storage.leads import queries as lead_queries
from storage.leads.views import LeadChange
from storage.lookup import resolve_lead, split_reference
from storage.nudges.items import snoozed_until
from storage.stages import stage_views
from storage.workspaces import workspace_settings

U = messages.LEAD_USAGE


def show_lead_change(call: Call, change: LeadChange) -> None:
    """Posts the changed lead's card in the channel, with a line saying what happened; a
    new lead, or a lead assigned, given to somebody else is sent to them."""
    in_channel(call.respond, lead_card(change.lead, note=describe(change.event),
                                       undo=change.event.change_id),
               lead_card_text(change.lead))
    if change.event.kind in (EventKind.CREATED, EventKind.ASSIGN):
        tell_new_owner(call.client, call.deps, actor=call.user, owner=change.lead.owner,
                       blocks=lead_card(change.lead, note=messages.GIVEN_LEAD.format(
                           actor=user(call.user))), text=lead_card_text(change.lead))


def lead_add(call: Call, rest: str) -> None:
    rest, options = grammar.extract_options(rest, {"source", "stage", "owner", "contact"})
    rest, tags = grammar.extract_tags(rest)
    named = require(rest, U["add"], "A lead needs a name.")
    name, company = grammar.split_company(values.as_typed(named))
    owner = values.parse_user_mention(options["owner"]) if options.get("owner") else None
    with call.deps.db.transaction() as s:
        change = leads.add_lead(
            s, team=call.team, name=name, actor=call.user, now=call.now, company=company,
            contact=grammar.contact_of(options.get("contact")),
            source=grammar.optional_text(options.get("source")),
            stage=grammar.optional_text(options.get("stage")),
            owner=owner, tags=tags)
    show_lead_change(call, change)


def lead_move(call: Call, rest: str) -> None:
    ref, stage = grammar.move_args(require(rest, U["move"]), what="lead", usage=U["move"])
    with call.deps.db.transaction() as s:
        number = resolve_lead(s, team=call.team, ref=ref)
        change = leads.move_lead(s, team=call.team, number=number, stage=stage, actor=call.user,
                                 now=call.now)
    show_lead_change(call, change)


def lead_convert(call: Call, rest: str) -> None:
    """With an amount, converts at once; without one, opens the convert form, which asks
    for the deal's value (a deal is never worth $0 by omission)."""
    rest, options = grammar.extract_options(rest, {"stage", "owner"})
    rest = require(rest, U["convert"], "Which lead should become a deal?")
    owner = values.parse_user_mention(options["owner"]) if options.get("owner") else None
    stage = grammar.optional_text(options.get("stage"))
    with call.deps.db.transaction() as s:
        currency = workspace_settings(s, team=call.team).currency
        ref, amount = grammar.split_amount(rest, currency)
        number = resolve_lead(s, team=call.team, ref=values.as_typed(ref))
        if amount is None:
            wanted = leads.convertible_lead(s, team=call.team, number=number, stage=stage)
            deal_stages = stage_views(s, team=call.team, kind=PipelineKind.DEAL)
        else:
            done = leads.convert_lead(s, team=call.team, number=number, actor=call.user,
                                      now=call.now, value=amount, owner=owner, stage=stage)
    if amount is None:
        metadata = json.dumps({"lead": number, "version": wanted.lead.version,
                               "response_url": call.response_url, "from": "command"})
        call.client.views_open(trigger_id=call.trigger_id, view=convert_modal(
            wanted.lead, deal_stages, metadata, stage=wanted.stage, owner=owner))
        return
    in_channel(call.respond, deal_card(done.deal, note=converted_note(done, call.user),
                                       undo=done.event.change_id),
               card_text(done.deal))
    tell_new_owner(call.client, call.deps, actor=call.user, owner=done.deal.owner,
                   blocks=deal_card(done.deal, note=messages.GIVEN_DEAL.format(
                       actor=user(call.user))), text=card_text(done.deal))


def lead_drop(call: Call, rest: str) -> None:
    rest, options = grammar.extract_options(rest, {"reason"})
    ref = require(rest, U["drop"], "Which lead should be dropped?")
    with call.deps.db.transaction() as s:
        number = resolve_lead(s, team=call.team, ref=values.as_typed(ref))
        change = leads.drop_lead(s, team=call.team, number=number, actor=call.user,
                                 now=call.now,
                                 reason=grammar.optional_text(options.get("reason")))
    show_lead_change(call, change)


def lead_note(call: Call, rest: str) -> None:
    text = require(rest, U["note"], "Tell me the lead and the note.")
    with call.deps.db.transaction() as s:
        number, note = split_reference(s, team=call.team, text=values.as_typed(text),
                                       kind=PipelineKind.LEAD)
        if not note:
            raise UsageError("The note is empty: write it after the lead.", usage=U["note"])
        change = leads.add_lead_note(s, team=call.team, number=number, text=note, actor=call.user,
                                     now=call.now)
    show_lead_change(call, change)


def lead_tag(call: Call, rest: str) -> None:
    _retag(call, rest, "tag")


def lead_untag(call: Call, rest: str) -> None:
    _retag(call, rest, "untag")


def _retag(call: Call, rest: str, word: str) -> None:
    """`/lead tag <lead> #a #b` adds the tags, `/lead untag` takes them away."""
    rest, tags = grammar.extract_tags(require(rest, U[word], "Which lead, and which tags?"))
    ref = require(rest, U[word], "Which lead? Name it before the tags.")
    with call.deps.db.transaction() as s:
        number = resolve_lead(s, team=call.team, ref=values.as_typed(ref))
        change = leads.tag_lead(s, team=call.team, number=number, actor=call.user,
                                now=call.now, add=tags if word == "tag" else (),
                                remove=tags if word == "untag" else ())
    show_lead_change(call, change)


def lead_show(call: Call, rest: str) -> None:
    ref = require(rest, U["show"], "Which lead should I show?")
    with call.deps.db.transaction() as s:
        number = resolve_lead(s, team=call.team, ref=values.as_typed(ref))
        lead, events = lead_queries.lead_history(s, team=call.team, number=number)
        until = snoozed_until(s, team=call.team, kind=PipelineKind.LEAD, number=number)
    ephemeral(call.respond, with_snooze(lead_journey(lead, events, call.now), until),
              lead_card_text(lead))


def lead_list(call: Call, rest: str) -> None:
    with list_pages.list_words("lead"):
        rest, options = grammar.extract_options(rest, {"source", "company"})
        filters = grammar.parse_list_filters(rest, me=call.user, views=list_pages.LEAD_VIEWS)
        company = grammar.optional_text(options.get("company"))
        query = list_pages.ListQuery("lead", stage=filters.stage, owner=filters.owner,
                                     tag=filters.tag, view=filters.view,
                                     company=text_fields.COMPANY.optional(company),
                                     source=text_fields.SOURCE.optional(
                                         grammar.optional_text(options.get("source"))))
    ephemeral(call.respond, *list_pages.list_page(call.deps, call.team, query, call.now))


def lead_next(call: Call, rest: str) -> None:
    rest, options = grammar.extract_options(require(rest, U["next"]), {"due"})
    with call.deps.db.transaction() as s:
        number, text, due = next_action_of(call, s, rest, options, kind=PipelineKind.LEAD,
                                           usage=U["next"])
        change = leads.set_lead_next_action(s, team=call.team, number=number, text=text,
                                            due=due, actor=call.user, now=call.now)
    show_lead_change(call, change)


def lead_assign(call: Call, rest: str) -> None:
    ref, owner = grammar.assign_args(rest, U["assign"], record="lead")
    with call.deps.db.transaction() as s:
        number = resolve_lead(s, team=call.team, ref=ref)
        change = leads.assign_lead(s, team=call.team, number=number, owner=owner,
                                   actor=call.user, now=call.now)
    show_lead_change(call, change)


def lead_history(call: Call, rest: str) -> None:
    ref = require(rest, U["history"], "Which lead's history?")
    with call.deps.db.transaction() as s:
        number = resolve_lead(s, team=call.team, ref=values.as_typed(ref))
        lead, events = lead_queries.lead_history(s, team=call.team, number=number)
    ephemeral(call.respond, lead_history_blocks(lead, events), f"History of lead #{lead.number}")


def lead_help(call: Call, rest: str) -> None:
    ephemeral(call.respond, help_blocks(messages.LEAD_HELP_LINES), "How to use /lead")


SUBCOMMANDS: dict[str, Callable[[Call, str], None]] = {
    "add": lead_add, "new": lead_add, "move": lead_move, "convert": lead_convert,
    "drop": lead_drop, "note": lead_note, "show": lead_show, "list": lead_list,
    "history": lead_history, "next": lead_next, "assign": lead_assign, "tag": lead_tag,
    "untag": lead_untag, "help": lead_help, "": lead_help,
    "export": lead_export, "undo": partial(undo_latest_change, kind=PipelineKind.LEAD),
}


def route_lead_command(ack: Ack, command: dict, respond: Respond, client: WebClient, *,
                       deps: Deps) -> None:
    with answering(ack, respond) as answer:
        word, rest = grammar.split_command(command.get("text") or "")
        handler = SUBCOMMANDS.get(word)
        if handler is None:
            raise UsageError(messages.UNKNOWN_SUBCOMMAND.format(command="lead", word=word),
                             usage="`/lead help` lists everything; for example "
                                   "`/lead add Jane Roe (Globex) source:webinar`")
        handler(Call.of(command, deps, answer, client), rest)


def register(app: App, deps: Deps) -> None:
    app.command("/lead")(partial(route_lead_command, deps=deps))
