"""`/funnel spend <amount> [source:<source>] [week:<date>]`: marketing spend, for CAC.
Admins only; recording a week and source again replaces the amount (a correction)."""

from __future__ import annotations

from handlers import grammar, messages
from handlers.blocks.format import day, escape, format_money, section
from handlers.commands.common import Call, require
from handlers.replies import ephemeral
from storage import values
from storage.spend import record_spend
from storage.workspaces import workspace_settings

USAGE = messages.FUNNEL_SPEND_USAGE


def funnel_spend(call: Call, rest: str) -> None:
    rest, options = grammar.extract_options(rest, {"source", "week"})
    text = require(rest, USAGE, "How much was spent? Give the amount.")
    call.require_admin("marketing spend")
    with call.deps.db.transaction() as s:
        ws = workspace_settings(s, team=call.team)
        amount = values.parse_amount(values.as_typed(text), currency=ws.currency)
        week = (grammar.day_in_week(options["week"], call.today(ws.timezone))
                if options.get("week") else None)
        recorded = record_spend(s, team=call.team, amount=amount, actor=call.user, now=call.now,
                                week=week, source=values.as_typed(options.get("source") or ""))
    line = messages.SPEND_RECORDED.format(
        amount=format_money(recorded.amount, recorded.currency),
        source=f" from *{escape(recorded.source)}*" if recorded.source else "",
        week=recorded.iso_week, monday=day(recorded.week_start))
    if recorded.replaced is not None:
        old = format_money(recorded.replaced, recorded.currency)
        line += messages.SPEND_REPLACED.format(old=old)
    ephemeral(call.respond, [section(f":white_check_mark: {line}")], line)
