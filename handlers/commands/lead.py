"""`/lead`: add leads, move them through the funnel, convert them into deals, look at them.
Parse, one storage call, render."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers import grammar, messages
from handlers.actions import list_pages
from handlers.blocks.deal_card import card_text, deal_card
from handlers.blocks.deal_lists import help_blocks
from handlers.blocks.format import escape
from handlers.blocks.history import describe
from handlers.blocks.lead_card import lead_card, lead_card_text, lead_journey
from handlers.blocks.lead_lists import lead_history_blocks
from handlers.commands.common import Call, require, undo_latest_change
from handlers.commands.export import lead_export
from handlers.deps import Deps
from handlers.replies import Respond, answering, ephemeral, in_channel
from storage import text_fields, values
from storage.errors import UsageError
from storage.kinds import PipelineKind
from storage.leads import operations as leads
from storage.leads import queries as lead_queries
from storage.leads.views import LeadChange
from storage.lookup import resolve_lead, split_reference
from storage.workspaces import workspace_settings

U = messages.LEAD_USAGE


def show_lead_change(call: Call, change: LeadChange) -> None:
    """Posts the changed lead's card in the channel, with a line saying what happened."""
    in_channel(call.respond, lead_card(change.lead, note=describe(change.event),
                                       undo=change.event.change_id),
               lead_card_text(change.lead))


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
    rest, options = grammar.extract_options(rest, {"stage", "owner"})
    rest = require(rest, U["convert"], "Which lead should become a deal?")
    owner = values.parse_user_mention(options["owner"]) if options.get("owner") else None
    with call.deps.db.transaction() as s:
        currency = workspace_settings(s, team=call.team).currency
        ref, amount = grammar.split_amount(rest, currency)
        number = resolve_lead(s, team=call.team, ref=values.as_typed(ref))
        done = leads.convert_lead(s, team=call.team, number=number, actor=call.user,
                                  now=call.now, value=amount, owner=owner,
                                  stage=grammar.optional_text(options.get("stage")))
    note = (f"<@{call.user}> converted lead #{done.lead.number} into this deal; the lead is in "
            f"{escape(done.lead.stage.name)} and enters {escape(done.lead.conversion_stage.name)} "
            "when it is won.")
    in_channel(call.respond, deal_card(done.deal, note=note, undo=done.event.change_id),
               card_text(done.deal))


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


def lead_show(call: Call, rest: str) -> None:
    ref = require(rest, U["show"], "Which lead should I show?")
    with call.deps.db.transaction() as s:
        number = resolve_lead(s, team=call.team, ref=values.as_typed(ref))
        lead, events = lead_queries.lead_history(s, team=call.team, number=number)
    ephemeral(call.respond, lead_journey(lead, events), lead_card_text(lead))


def lead_list(call: Call, rest: str) -> None:
    with list_pages.list_words("lead"):
        rest, options = grammar.extract_options(rest, {"source"})
        filters = grammar.parse_list_filters(rest, me=call.user, views=list_pages.LEAD_VIEWS)
        query = list_pages.ListQuery("lead", stage=filters.stage, owner=filters.owner,
                                     tag=filters.tag, view=filters.view,
                                     source=text_fields.SOURCE.optional(
                                         grammar.optional_text(options.get("source"))))
    ephemeral(call.respond, *list_pages.list_page(call.deps, call.team, query, call.now))


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
    "history": lead_history, "help": lead_help, "": lead_help,
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
