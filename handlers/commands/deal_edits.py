"""`/deal assign|value|close|probability|note|next`: changing one thing about a deal."""

from __future__ import annotations

from collections.abc import Callable

from handlers import grammar, messages
from handlers.commands.common import Call, next_action_of, require, show_change
from storage import values
from storage.deals import operations as deals
from storage.errors import UsageError
from storage.kinds import PipelineKind
from storage.lookup import resolve_deal, split_reference
from storage.workspaces import workspace_settings

U = messages.DEAL_USAGE


def deal_assign(call: Call, rest: str) -> None:
    ref, owner = grammar.assign_args(rest, U["assign"])
    with call.deps.db.transaction() as s:
        number = resolve_deal(s, team=call.team, ref=ref)
        change = deals.assign_deal(s, team=call.team, number=number, owner=owner, actor=call.user,
                                   now=call.now)
    show_change(call, change)


def deal_value(call: Call, rest: str) -> None:
    text = require(rest, U["value"])
    with call.deps.db.transaction() as s:
        currency = workspace_settings(s, team=call.team).currency
        ref, amount = grammar.split_value(text, currency, U["value"])
        number = resolve_deal(s, team=call.team, ref=ref)
        change = deals.set_value(s, team=call.team, number=number, value=amount, actor=call.user,
                                 now=call.now)
    show_change(call, change)


def deal_close(call: Call, rest: str) -> None:
    words = require(rest, U["close"]).split()
    if len(words) < 2:
        raise UsageError("Tell me the deal and its expected close date.", usage=U["close"])
    with call.deps.db.transaction() as s:
        today = call.today(workspace_settings(s, team=call.team).timezone)
        ref, close = grammar.split_date(words, today, U["close"])
        number = resolve_deal(s, team=call.team, ref=ref)
        change = deals.set_expected_close(s, team=call.team, number=number, close=close,
                                          actor=call.user, now=call.now)
    show_change(call, change)


def deal_probability(call: Call, rest: str) -> None:
    ref, last = grammar.ref_and_last(require(rest, U["probability"]), U["probability"],
                                     "the percent (or `stage`)")
    last = values.as_typed(last)
    probability = None if last.lower() == "stage" else values.parse_percent(last)
    with call.deps.db.transaction() as s:
        number = resolve_deal(s, team=call.team, ref=ref)
        change = deals.set_probability(s, team=call.team, number=number, probability=probability,
                                       actor=call.user, now=call.now)
    show_change(call, change)


def deal_note(call: Call, rest: str) -> None:
    text = require(rest, U["note"], "Tell me the deal and the note.")
    with call.deps.db.transaction() as s:
        number, note = split_reference(s, team=call.team, text=values.as_typed(text))
        if not note:
            raise UsageError("The note is empty: write it after the deal.", usage=U["note"])
        change = deals.add_note(s, team=call.team, number=number, text=note, actor=call.user,
                                now=call.now)
    show_change(call, change)


def deal_next(call: Call, rest: str) -> None:
    rest, options = grammar.extract_options(require(rest, U["next"]), {"due"})
    with call.deps.db.transaction() as s:
        number, text, due = next_action_of(call, s, rest, options, kind=PipelineKind.DEAL,
                                           usage=U["next"])
        change = deals.set_next_action(s, team=call.team, number=number, text=text, due=due,
                                       actor=call.user, now=call.now)
    show_change(call, change)


SUBCOMMANDS: dict[str, Callable[[Call, str], None]] = {
    "assign": deal_assign, "value": deal_value, "close": deal_close,
    "probability": deal_probability, "prob": deal_probability, "note": deal_note,
    "next": deal_next,
}
