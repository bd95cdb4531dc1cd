"""`/pipeline` and `/funnel`: the reports, ephemeral with a Share button, and their digests.

The Share button posts the same report, computed again at the click, in the channel; an
attention deal's Open button shows that deal's card to the clicker.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers import grammar, ids, messages
from handlers.blocks.deal_card import card_text, deal_card
from handlers.blocks.deal_lists import help_blocks
from handlers.blocks.format import context, section
from handlers.blocks.funnel_report import funnel_blocks, funnel_text
from handlers.blocks.reports import pipeline_blocks, pipeline_text
from handlers.charts.funnel import FunnelChart
from handlers.charts.share import share_chart
from handlers.commands import forecast, spend, subscribe
from handlers.commands.common import Call
from handlers.deps import Deps
from handlers.replies import Respond, answering, answering_errors, ephemeral, in_channel
from storage.deals import queries as deal_queries
from storage.errors import UsageError
from storage.kinds import DigestKind
from storage.reports.forecast import target_lines
from storage.reports.funnel import FunnelReport, funnel_report
from storage.reports.funnel_trend import conversion_trend
from storage.reports.pipeline import pipeline_summary
from storage.reports.weeks import week_containing
from storage.workspaces import workspace_settings

Subcommand = Callable[[Call, str], None]
Rendered = tuple[list[dict], str]


def pipeline_now(call: Call, *, share: bool) -> Rendered:
    with call.deps.db.transaction() as s:
        report = pipeline_summary(s, team=call.team, now=call.now)
        targets = target_lines(s, team=call.team, now=call.now)
    return pipeline_blocks(report, share=share, targets=targets), pipeline_text(report, targets)


def funnel_for(call: Call, words: str, *, share: bool, zone: str | None = None) -> Rendered:
    """The report for `this week` (or nothing), `last week`, or an ISO week like 2026-W47;
    a `#tag` among the words counts only the leads with that tag in its sources."""
    words, tags = grammar.extract_tags(words)
    if len(tags) > 1:
        raise UsageError("The sources can be read for one tag at a time.",
                         usage=messages.FUNNEL_USAGE)
    report, _ = _funnel_week(call, words, zone, messages.FUNNEL_USAGE, chart=False,
                             sources_tag=tags[0] if tags else None)
    return funnel_blocks(report, share=share), funnel_text(report)


def _funnel_week(call: Call, words: str, zone: str | None, usage: str, *, chart: bool,
                 sources_tag: str | None = None) -> tuple[FunnelReport, FunnelChart | None]:
    """The week's report and, when asked, its chart, from one transaction."""
    with call.deps.db.transaction() as s:
        zone = zone or workspace_settings(s, team=call.team).timezone
        report = funnel_report(s, team=call.team, now=call.now, timezone=zone,
                               week=grammar.report_week(words, week_containing(call.now, zone),
                                                         usage),
                               sources_tag=sources_tag)
        return report, FunnelChart(report, conversion_trend(s, report)) if chart else None


def funnel_chart(call: Call, words: str) -> None:
    """`/funnel chart [week]`: the week's chart in a direct message to the caller (the same
    week words as `/funnel`, checked before any work starts)."""
    grammar.report_week(words, call.now.date(), messages.FUNNEL_CHART_USAGE)
    call.later(lambda: _send_funnel_chart(call, words))


def _send_funnel_chart(call: Call, words: str) -> None:
    report, chart = _funnel_week(call, words, None, messages.FUNNEL_CHART_USAGE, chart=True)
    assert chart is not None
    dm = call.client.conversations_open(users=call.user)["channel"]["id"]
    problem = share_chart(call.client, channel=dm, chart=chart,
                          comment=messages.FUNNEL_CHART_COMMENT.format(week=report.week))
    text = (messages.FUNNEL_CHART_SENT.format(week=report.week) if problem is None else
            messages.FUNNEL_CHART_FAILED.format(week=report.week, problem=problem))
    ephemeral(call.respond, [section(text)], text)


def _help(lines: tuple[str, ...], title: str) -> Subcommand:
    return lambda call, rest: ephemeral(call.respond, help_blocks(lines), title)


def _for(kind: DigestKind, operation: Callable[[Call, DigestKind, str], None]) -> Subcommand:
    return lambda call, rest: operation(call, kind, rest)


PIPELINE_SUBCOMMANDS: dict[str, Subcommand] = {
    "help": _help(messages.PIPELINE_HELP_LINES, "How to use /pipeline"),
    "subscribe": _for(DigestKind.PIPELINE, subscribe.subscribe),
    "unsubscribe": _for(DigestKind.PIPELINE, subscribe.unsubscribe),
    "subscriptions": subscribe.list_all,
    "forecast": forecast.pipeline_forecast,
    "target": forecast.pipeline_target,
    "targets": forecast.pipeline_target,
}
# /funnel's subcommands; any other text names a week. Features add theirs here: `spend`
# belongs to the lead funnel (handlers/commands/spend.py).
FUNNEL_SUBCOMMANDS: dict[str, Subcommand] = {
    "help": _help(messages.FUNNEL_HELP_LINES, "How to use /funnel"),
    "subscribe": _for(DigestKind.FUNNEL, subscribe.subscribe),
    "unsubscribe": _for(DigestKind.FUNNEL, subscribe.unsubscribe),
    "subscriptions": subscribe.list_all,
    "spend": spend.funnel_spend,
    "chart": funnel_chart,
}


def show_pipeline(call: Call, text: str) -> None:
    if text.strip():
        raise UsageError(messages.UNKNOWN_SUBCOMMAND.format(
            command="pipeline", word=grammar.split_command(text)[0]),
                         usage="`/pipeline help` lists everything; for example "
                               "`/pipeline` or `/pipeline subscribe #sales at 9:00`")
    call.later(lambda: ephemeral(call.respond, *pipeline_now(call, share=True)))


def show_funnel(call: Call, text: str) -> None:
    call.later(lambda: ephemeral(call.respond, *funnel_for(call, text, share=True)))


def route(subcommands: dict[str, Subcommand], otherwise: Subcommand, ack: Ack, command: dict,
          respond: Respond, client: WebClient, *, deps: Deps) -> None:
    with answering(ack, respond) as answer:
        text = command.get("text") or ""
        word, rest = grammar.split_command(text)
        call = Call.of(command, deps, answer, client)
        handler = subcommands.get(word)
        if handler is not None:
            handler(call, rest)
        else:
            otherwise(call, text)


def on_share(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, *,
             deps: Deps) -> None:
    """Posts the report the button sits under in the channel, as it is at the click."""
    ack()
    with answering_errors(respond):
        call = Call.of(_command_of(body), deps, respond, client)
        kind, _, rest = action["value"].partition(":")
        week, _, zone = rest.partition(":")

        def share() -> None:
            blocks, text = (pipeline_now(call, share=False) if kind == DigestKind.PIPELINE
                            else funnel_for(call, week, share=False, zone=zone or None))
            in_channel(respond, [*blocks, context(f"Shared by <@{call.user}>")], text)

        call.later(share)


def on_open_deal(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, *,
                 deps: Deps) -> None:
    ack()
    with answering_errors(respond):
        call = Call.of(_command_of(body), deps, respond, client)
        with deps.db.transaction() as s:
            deal = deal_queries.show_deal(s, team=call.team, number=_deal_number(action))
        ephemeral(respond, deal_card(deal), card_text(deal))


def _command_of(body: dict) -> dict:
    return {"team_id": body["team"]["id"], "user_id": body["user"]["id"],
            "channel_id": (body.get("channel") or {}).get("id", "")}


def register(app: App, deps: Deps) -> None:
    app.command("/pipeline")(partial(route, PIPELINE_SUBCOMMANDS, show_pipeline, deps=deps))
    app.command("/funnel")(partial(route, FUNNEL_SUBCOMMANDS, show_funnel, deps=deps))
    app.action(ids.REPORT_SHARE)(partial(on_share, deps=deps))
    app.action(re.compile(rf"^{re.escape(ids.REPORT_DEAL)}(\.\w+)?({re.escape(ids.PER_ITEM)}\d+)?$"))(
        partial(on_open_deal, deps=deps))


def _deal_number(action: dict) -> int:
    """The deal number an **Open** button of a report carries."""
    value = str(action.get("value") or "")
    if not value.isdigit():
        raise UsageError(messages.NOT_A_DEAL_CARD)
    return int(value)
