"""`/deal assign|value|close|probability|note|next`: changing one thing about a deal."""

from __future__ import annotations

from collections.abc import Callable

from handlers import messages, parse
from handlers.commands.common import Call, require, show_change
from storage.deals import operations as deals
from storage.errors import UsageError
from storage.lookup import split_reference
from storage.workspaces import workspace_settings

U = messages.DEAL_USAGE


def _ref_and_last(rest: str, usage: str, what: str) -> tuple[str, str]:
    words = require(rest, usage).split()
    if len(words) < 2:
        raise UsageError(f"Tell me the deal and {what}.", usage=usage)
    return parse.unescape(" ".join(words[:-1])), words[-1]


def deal_assign(call: Call, rest: str) -> None:
    ref, mention = _ref_and_last(rest, U["assign"], "the person, as an @-mention")
    owner = parse.parse_user_mention(mention)
    with call.deps.db.transaction() as s:
        change = deals.assign_deal(s, team=call.team, ref=ref, owner=owner, actor=call.user,
                                   now=call.now)
    show_change(call, change)


def deal_value(call: Call, rest: str) -> None:
    words = require(rest, U["value"]).split()
    with call.deps.db.transaction() as s:
        currency = workspace_settings(s, team=call.team, now=call.now).currency
        for size in range(min(3, len(words) - 1), 0, -1):
            if parse.looks_like_amount(" ".join(words[-size:])):
                break
        else:
            raise UsageError(_missing_amount(words), usage=U["value"])
        amount = parse.parse_amount(" ".join(words[-size:]), currency=currency)
        change = deals.set_value(s, team=call.team, ref=parse.unescape(" ".join(words[:-size])),
                                 value=amount, actor=call.user, now=call.now)
    show_change(call, change)


def _missing_amount(words: list[str]) -> str:
    if len(words) < 2:
        return "Tell me the deal and its new value."
    return f"`{words[-1]}` is not an amount."


def deal_close(call: Call, rest: str) -> None:
    words = require(rest, U["close"]).split()
    if len(words) < 2:
        raise UsageError("Tell me the deal and its expected close date.", usage=U["close"])
    with call.deps.db.transaction() as s:
        today = call.today(workspace_settings(s, team=call.team, now=call.now).timezone)
        ref, close = _split_date(words, today)
        change = deals.set_expected_close(s, team=call.team, ref=ref, close=close,
                                          actor=call.user, now=call.now)
    show_change(call, change)


def _split_date(words: list[str], today) -> tuple[str, object]:
    """The shortest tail of `words` (up to 4 words) that is a date, and the rest."""
    first_error: UsageError | None = None
    for size in range(1, min(4, len(words) - 1) + 1):
        try:
            return parse.unescape(" ".join(words[:-size])), parse.parse_date(
                " ".join(words[-size:]), today=today)
        except UsageError as error:
            first_error = first_error or error
    assert first_error is not None
    raise UsageError(first_error.message, usage=U["close"])


def deal_probability(call: Call, rest: str) -> None:
    ref, last = _ref_and_last(rest, U["probability"], "the percent (or `stage`)")
    probability = None if last.lower() == "stage" else parse.parse_percent(last)
    with call.deps.db.transaction() as s:
        change = deals.set_probability(s, team=call.team, ref=ref, probability=probability,
                                       actor=call.user, now=call.now)
    show_change(call, change)


def deal_note(call: Call, rest: str) -> None:
    text = require(rest, U["note"], "Tell me the deal and the note.")
    with call.deps.db.transaction() as s:
        ref, note = split_reference(s, team=call.team, text=parse.unescape(text))
        if not note:
            raise UsageError("The note is empty: write it after the deal.", usage=U["note"])
        change = deals.add_note(s, team=call.team, ref=ref, text=note, actor=call.user,
                                now=call.now)
    show_change(call, change)


def deal_next(call: Call, rest: str) -> None:
    rest, options = parse.extract_options(require(rest, U["next"]), {"due"})
    with call.deps.db.transaction() as s:
        today = call.today(workspace_settings(s, team=call.team, now=call.now).timezone)
        due = parse.parse_date(options["due"], today=today) if options.get("due") else None
        ref, text = split_reference(s, team=call.team, text=parse.unescape(rest))
        if not text:
            raise UsageError("What is the next action? Write it after the deal.", usage=U["next"])
        change = deals.set_next_action(s, team=call.team, ref=ref, text=text, due=due,
                                       actor=call.user, now=call.now)
    show_change(call, change)


SUBCOMMANDS: dict[str, Callable[[Call, str], None]] = {
    "assign": deal_assign, "value": deal_value, "close": deal_close,
    "probability": deal_probability, "prob": deal_probability, "note": deal_note,
    "next": deal_next,
}
