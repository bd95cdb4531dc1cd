"""`/deal`: create, move, close and look at deals. Parse, one storage call, render."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers import grammar, messages
from handlers.actions import list_pages
from handlers.actions.deal_create import open_create_modal
from handlers.blocks.deal_card import card_text, deal_card
from handlers.blocks.deal_lists import help_blocks, history_blocks
from handlers.blocks.format import escape
from handlers.blocks.nudges import with_snooze
from handlers.commands import deal_edits, nudges, settings, stages
from handlers.commands.common import Call, require, show_change, undo_latest_change
from handlers.commands.export import deal_export
from handlers.deps import Deps
from handlers.replies import Respond, answering, ephemeral
from storage import text_fields, values
from storage.deals import operations as deals
from storage.deals import queries as deal_queries
from storage.errors import UsageError
from storage.kinds import PipelineKind
from storage.lookup import resolve_deal
from storage.nudges.items import snoozed_until
from storage.workspaces import workspace_settings

U = messages.DEAL_USAGE


def deal_new(call: Call, rest: str) -> None:
    if not rest.strip():  # nothing typed: the form asks for everything
        open_create_modal(call.client, call.deps, team=call.team, user=call.user,
                          trigger_id=call.trigger_id,
                          origin={"response_url": call.response_url, "channel_id": call.channel})
        return
    rest, options = grammar.extract_options(rest, {"stage", "close", "owner"})
    rest, tags = grammar.extract_tags(rest)
    with call.deps.db.transaction() as s:
        ws = workspace_settings(s, team=call.team)
        name, amount = grammar.split_amount(rest, ws.currency)
        close = options.get("close")
        today = call.today(ws.timezone)
        change = deals.create_deal(
            s, team=call.team,
            name=values.as_typed(require(name, U["new"], "A deal needs a name.")),
            actor=call.user, now=call.now, value=amount,
            stage=grammar.optional_text(options.get("stage")),
            expected_close=(values.parse_date(values.as_typed(close), today=today)
                            if close else None),
            owner=values.parse_user_mention(options["owner"]) if "owner" in options else None,
            tags=tags)
    show_change(call, change)


def deal_move(call: Call, rest: str) -> None:
    ref, stage = grammar.move_args(require(rest, U["move"]), what="deal", usage=U["move"])
    with call.deps.db.transaction() as s:
        number = resolve_deal(s, team=call.team, ref=ref)
        change = deals.move_deal(s, team=call.team, number=number, stage=stage, actor=call.user,
                                 now=call.now)
    show_change(call, change)


def deal_won(call: Call, rest: str) -> None:
    ref = require(rest, U["won"], "Which deal was won?")
    with call.deps.db.transaction() as s:
        number = resolve_deal(s, team=call.team, ref=values.as_typed(ref))
        change = deals.win_deal(s, team=call.team, number=number, actor=call.user,
                                now=call.now)
    show_change(call, change)


def deal_lost(call: Call, rest: str) -> None:
    rest, options = grammar.extract_options(rest, {"reason"})
    ref = require(rest, U["lost"], "Which deal was lost?")
    with call.deps.db.transaction() as s:
        number = resolve_deal(s, team=call.team, ref=values.as_typed(ref))
        change = deals.lose_deal(s, team=call.team, number=number, actor=call.user,
                                 now=call.now,
                                 reason=grammar.optional_text(options.get("reason")))
    show_change(call, change)


def deal_reopen(call: Call, rest: str) -> None:
    ref, stage = grammar.reopen_args(require(rest, U["reopen"], "Which deal should reopen?"))
    with call.deps.db.transaction() as s:
        number = resolve_deal(s, team=call.team, ref=ref)
        change = deals.reopen_deal(s, team=call.team, number=number, actor=call.user, now=call.now,
                                   stage=stage)
    show_change(call, change)


def deal_show(call: Call, rest: str) -> None:
    ref = require(rest, U["show"], "Which deal should I show?")
    with call.deps.db.transaction() as s:
        number = resolve_deal(s, team=call.team, ref=values.as_typed(ref))
        deal = deal_queries.show_deal(s, team=call.team, number=number)
        until = snoozed_until(s, team=call.team, kind=PipelineKind.DEAL, number=number)
    ephemeral(call.respond, with_snooze(deal_card(deal), until), card_text(deal))


def deal_list(call: Call, rest: str) -> None:
    with list_pages.list_words("deal"):
        rest, options = grammar.extract_options(rest, {"company"})
        filters = grammar.parse_list_filters(rest, me=call.user, views=list_pages.DEAL_VIEWS)
        company = grammar.optional_text(options.get("company"))
        query = list_pages.ListQuery("deal", stage=filters.stage, owner=filters.owner,
                                     tag=filters.tag, view=filters.view,
                                     company=text_fields.COMPANY.optional(company))
    ephemeral(call.respond, *list_pages.list_page(call.deps, call.team, query, call.now))


def deal_history(call: Call, rest: str) -> None:
    ref = require(rest, U["history"], "Which deal's history?")
    with call.deps.db.transaction() as s:
        number = resolve_deal(s, team=call.team, ref=values.as_typed(ref))
        deal, events = deal_queries.deal_history(s, team=call.team, number=number)
    ephemeral(call.respond, history_blocks(deal, events),
              f"History of #{deal.number} {escape(deal.name)}")


def deal_help(call: Call, rest: str) -> None:
    ephemeral(call.respond, help_blocks(messages.DEAL_HELP_LINES), "How to use /deal")


SUBCOMMANDS: dict[str, Callable[[Call, str], None]] = {
    "new": deal_new, "add": deal_new, "move": deal_move, "won": deal_won, "lost": deal_lost,
    "reopen": deal_reopen, "show": deal_show, "list": deal_list, "history": deal_history,
    "help": deal_help, "": deal_help, "stages": stages.deal_stages, **deal_edits.SUBCOMMANDS,
    "export": deal_export, "settings": settings.deal_settings, "nudges": nudges.deal_nudges,
    "undo": partial(undo_latest_change, kind=PipelineKind.DEAL),
}


def route_deal_command(ack: Ack, command: dict, respond: Respond, client: WebClient, *,
                       deps: Deps) -> None:
    with answering(ack, respond) as answer:
        word, rest = grammar.split_command(command.get("text") or "")
        handler = SUBCOMMANDS.get(word)
        if handler is None:
            raise UsageError(messages.UNKNOWN_SUBCOMMAND.format(command="deal", word=word),
                             usage="`/deal help` lists everything; for example "
                                   "`/deal new Acme 50k` or `/deal move Acme proposal`")
        handler(Call.of(command, deps, answer, client), rest)


def register(app: App, deps: Deps) -> None:
    app.command("/deal")(partial(route_deal_command, deps=deps))
