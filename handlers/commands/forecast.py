"""`/pipeline forecast [month|quarter] [mine]`: this and the next two periods, the lead
forecast and the velocity; `/pipeline target <amount> [monthly|quarterly] [@user]` (admins;
`off` removes one; no words lists them)."""

from __future__ import annotations

from decimal import Decimal

from handlers import messages
from handlers.blocks.forecast import forecast_blocks, forecast_text
from handlers.blocks.format import escape, format_money, section, user
from handlers.commands.common import Call
from handlers.replies import ephemeral
from storage import values
from storage.errors import UsageError
from storage.kinds import TargetPeriod
from storage.reports.forecast import forecast
from storage.targets import TargetView, remove_target, set_target, targets_of
from storage.workspaces import workspace_settings

PERIODS = {"month": TargetPeriod.MONTH, "monthly": TargetPeriod.MONTH,
           "quarter": TargetPeriod.QUARTER, "quarterly": TargetPeriod.QUARTER}
EACH = {TargetPeriod.MONTH: "each month", TargetPeriod.QUARTER: "each quarter"}


def pipeline_forecast(call: Call, rest: str) -> None:
    period, mine = TargetPeriod.MONTH, False
    for word in rest.split():
        if word.lower() in PERIODS:
            period = PERIODS[word.lower()]
        elif word.lower() == "mine":
            mine = True
        else:
            raise UsageError(messages.FORECAST_WORD.format(word=values.quoted(
                values.as_typed(word))), usage=messages.FORECAST_USAGE)
    call.later(lambda: _show(call, period, call.user if mine else None))


def _show(call: Call, period: TargetPeriod, owner: str | None) -> None:
    with call.deps.db.transaction() as s:
        report = forecast(s, team=call.team, now=call.now, period=period, owner=owner)
    ephemeral(call.respond, forecast_blocks(report), forecast_text(report))


def pipeline_target(call: Call, rest: str) -> None:
    owner, period, amount = _target_words(rest)
    if not amount:
        _list(call)
        return
    call.require_admin("the sales targets")
    with call.deps.db.transaction() as s:
        currency = workspace_settings(s, team=call.team).currency
        if amount.lower() == "off":
            removed = remove_target(s, team=call.team, period=period, owner=owner)
            line = messages.TARGET_REMOVED.format(target=_named(removed, currency))
        else:
            value = values.parse_amount(values.as_typed(amount), currency=currency)
            done = set_target(s, team=call.team, amount=value, period=period, owner=owner,
                              actor=call.user, now=call.now)
            line = messages.TARGET_SET.format(target=_named(done, currency))
            if done.replaced is not None:
                line += messages.TARGET_REPLACED.format(old=format_money(done.replaced,
                                                                         currency))
    ephemeral(call.respond, [section(f":white_check_mark: {line}")], line)


def _target_words(rest: str) -> tuple[str | None, TargetPeriod, str]:
    """The owner (a mention), the period word and what is left: the amount, or `off`."""
    owner: str | None = None
    period: TargetPeriod | None = None
    amount: list[str] = []
    for word in rest.split():
        if word.startswith(("<@", "@")):
            if owner is not None:
                raise UsageError(messages.TARGET_ONE_PERSON, usage=messages.TARGET_USAGE)
            owner = values.parse_user_mention(word)
        elif word.lower() in PERIODS:
            if period is not None:
                raise UsageError(messages.TARGET_ONE_PERIOD, usage=messages.TARGET_USAGE)
            period = PERIODS[word.lower()]
        else:
            amount.append(word)
    if (owner or period) and not amount:
        raise UsageError(messages.TARGET_AMOUNT, usage=messages.TARGET_USAGE)
    return owner, period or TargetPeriod.MONTH, " ".join(amount)


def _list(call: Call) -> None:
    with call.deps.db.transaction() as s:
        currency = workspace_settings(s, team=call.team).currency
        found = targets_of(s, team=call.team)
    lines = [f"• {_named(t, currency)}" for t in found] or [messages.NO_TARGETS]
    text = "*Sales targets*\n" + "\n".join(lines) + "\n" + escape(messages.TARGET_USAGE)
    ephemeral(call.respond, [section(text)], "Sales targets")


def _named(target: TargetView, currency: str) -> str:
    """`the team's target of $100,000 each month`, `<@U2>'s ...`."""
    whose = "the team's" if target.owner is None else f"{user(target.owner)}'s"
    amount: Decimal = target.amount
    return f"{whose} target of {format_money(amount, currency)} {EACH[target.period]}"
