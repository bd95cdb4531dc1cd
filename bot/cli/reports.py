"""`dealbot report`, `dealbot digest send` and `dealbot scheduler`: reports (as text, JSON or a
chart) and digests from the command line, through the same code as Slack and the scheduler."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.cli.history import TeamError, resolve_team
from bot.cli.parser import add_command
from storage.kinds import DigestKind, TargetPeriod

if TYPE_CHECKING:
    from bot.config import Settings


FORECAST = "forecast"
REPORTS = (*DigestKind, FORECAST)
ATTENTION_LISTED = 50  # deals per attention list, by default; the totals are always complete


class ArgumentProblem(Exception):
    """A malformed --as-of, --week, --tag or --tz."""


def cmd_report(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli import report_text
    from bot.database import open_database
    from storage.reports.as_data import forecast_data, funnel_data, pipeline_data
    from storage.reports.forecast import forecast
    from storage.reports.funnel import funnel_report
    from storage.reports.pipeline import pipeline_summary

    if args.format == "png" and args.kind == FORECAST:
        print("dealbot: the forecast has no picture; use --format text or json.",
              file=sys.stderr)
        return 2
    if args.tag is not None and args.kind != DigestKind.FUNNEL:
        print("dealbot: --tag goes with the funnel report (its new leads by source).",
              file=sys.stderr)
        return 2
    if args.format == "png" and not args.output:
        print("dealbot: --format png needs --output FILE (a picture is not written to the "
              "terminal).", file=sys.stderr)
        return 2
    db = open_database(settings)
    try:
        team = resolve_team(db, args.team)
        now = datetime.now(UTC)
        data: Callable[[Any], dict[str, Any]]
        text: Callable[[Any], str]
        with db.transaction() as s:
            if args.kind == DigestKind.PIPELINE:
                report: Any = pipeline_summary(s, team=team, now=now, as_of=_as_of(args.as_of),
                                               timezone=_zone(args.tz),
                                               attention_limit=args.attention_limit)
                data, text = pipeline_data, report_text.pipeline_text
            elif args.kind == FORECAST:
                report = forecast(s, team=team, now=now, as_of=_as_of(args.as_of),
                                  period=TargetPeriod(args.period), owner=args.owner)
                data, text = forecast_data, report_text.forecast_text
            else:
                report = funnel_report(s, team=team, now=now, week=_week(args.week),
                                       timezone=_zone(args.tz), sources_tag=_tag(args.tag))
                data, text = funnel_data, report_text.funnel_text
            chart = _chart(s, report) if args.format == "png" else None
    except (TeamError, ArgumentProblem) as error:
        print(f"dealbot: {error}", file=sys.stderr)
        return 2
    if chart is not None:
        return _write(args.output, chart.png())
    shown = json.dumps(data(report), indent=2) if args.format == "json" else text(report)
    return _write(args.output, f"{shown}\n".encode()) if args.output else _print(shown)


def _chart(session: Any, report: Any) -> Any:
    """The report's picture, from the report object itself (and, for the funnel, the
    conversion trend that ends with it)."""
    from handlers.charts.funnel import FunnelChart
    from handlers.charts.pipeline import PipelineChart
    from storage.reports.funnel import FunnelReport
    from storage.reports.funnel_trend import conversion_trend

    if isinstance(report, FunnelReport):
        return FunnelChart(report, conversion_trend(session, report))
    return PipelineChart(report)


def _write(path: str, content: bytes) -> int:
    try:
        with open(path, "wb") as out:
            out.write(content)
    except OSError as error:
        print(f"dealbot: {path} cannot be written: {error.strerror or error}.", file=sys.stderr)
        return 2
    print(f"Wrote {path}.", file=sys.stderr)
    return 0


def _print(shown: str) -> int:
    print(shown)
    return 0


def cmd_digest(settings: Settings, args: argparse.Namespace) -> int:
    from bot.database import open_database
    from bot.scheduler import client_factory
    from handlers.digests import post_digest, preview_digest

    db = open_database(settings)
    try:
        team = resolve_team(db, args.team)
    except TeamError as error:
        print(f"dealbot: {error}", file=sys.stderr)
        return 2
    digest = preview_digest(db, kind=args.kind, team=team, now=datetime.now(UTC))
    if args.dry_run:
        print(json.dumps({"channel": args.channel, "text": digest.text, "blocks": digest.blocks},
                         indent=2, ensure_ascii=False))
        return 0
    outcome = post_digest(client_factory(settings, db)(team), args.channel, digest)
    if outcome != "posted":
        print(f"dealbot: the digest for {args.channel} was not posted: {outcome}",
              file=sys.stderr)
        return 1
    print(f"Posted the {args.kind} digest to {args.channel}.")
    return 0


def cmd_scheduler(settings: Settings, args: argparse.Namespace) -> int:
    from bot.database import open_database
    from bot.lifecycle import on_stop_signal, stop_scheduler
    from bot.scheduler import build_scheduler

    db = open_database(settings, bounded=True)
    scheduler = build_scheduler(settings, db, every=args.every)
    stopping = on_stop_signal(lambda: None)
    scheduler.start()
    print("Dealbot digest scheduler running; Ctrl-C stops it.", file=sys.stderr)
    while not stopping.wait(1.0):  # a timed wait: the signal's handler runs meanwhile
        pass
    stop_scheduler(scheduler)  # after the digest run under way, if any
    return 0


def _as_of(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ArgumentProblem(f"--as-of {text!r} is not an ISO date-time like "
                              "2026-11-20T09:00:00Z.") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _week(text: str | None) -> date | None:
    if text is None:
        return None
    from storage.errors import UsageError
    from storage.values import parse_iso_week

    try:
        return parse_iso_week(text)
    except UsageError:
        raise ArgumentProblem(f"--week {text!r} is not an ISO week like 2026-W47.") from None


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number like 50")
    return int(text)


def _seconds(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 60:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds from 1 to 60")
    return int(text)


def _tag(text: str | None) -> str | None:
    """`enterprise` or `#Enterprise` as the tag `enterprise`, checked as `/funnel #tag`
    checks it (the `#` is optional: a shell reads a word that starts with it as a comment)."""
    if text is None:
        return None
    from handlers.grammar import parse_tag
    from storage.errors import UsageError

    try:
        return parse_tag(text if text.startswith("#") else f"#{text}")
    except UsageError as error:
        raise ArgumentProblem(f"--tag: {error.message}") from None


def _zone(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ArgumentProblem(f"--tz {text!r} is not a time zone like Europe/Oslo.") from None
    return text


REPORT = """\
Prints the pipeline summary (as of a time, default now), the funnel
conversion report (of an ISO week, default this week) or the forecast (this
and the next two months or quarters, as of a time) as text, or as JSON for
other tools. All are computed from the event history, so a past --as-of shows
the pipeline as it was then."""

DIGEST = """\
Posts one digest (the pipeline summary or the funnel report) to a channel now,
through the same code as the scheduler; --dry-run prints it instead. The bot
joins a public channel by itself; invite it to a private one first."""

SCHEDULER = """\
Runs only the digest scheduler: every minute (or --every SECONDS) it reads the
subscriptions and posts the digests that are due. Run it beside `dealbot serve
--no-scheduler` or your own gunicorn command. Two schedulers never post a
digest twice: each period is claimed in the database before it is posted. A
database that stops answering ends a run with a warning; the next run after it
is back posts what is due. SIGTERM or Ctrl-C stops it after the digest run
under way (exit status 0)."""


def add_parsers(sub: Any) -> None:
    """Adds `report`, `digest send` and `scheduler` to the `dealbot` command line."""
    rep = add_command(sub, "report",
                      summary="print the pipeline summary, the funnel report or the forecast",
                      description=REPORT, examples=[
                          "dealbot report pipeline",
                          "dealbot report pipeline --as-of 2026-11-01T09:00:00+01:00 "
                          "--format json",
                          "dealbot report funnel --week 2026-W47 --tz Europe/Oslo",
                          "dealbot report forecast --period quarter --format json"])
    rep.add_argument("kind", choices=REPORTS)
    rep.add_argument("--team", help="the workspace's Slack team id (default: the only one)")
    rep.add_argument("--format", choices=("text", "json", "png"), default="text",
                     help="png: the report's chart, 1200 x 800 pixels (needs --output)")
    rep.add_argument("--output", "-o", metavar="FILE",
                     help="write to this file instead of the terminal")
    rep.add_argument("--as-of",
                     help="pipeline, forecast: the time of the report (ISO, default now)")
    rep.add_argument("--period", choices=[p.value for p in TargetPeriod], default="month",
                     help="forecast: by month (default) or quarter")
    rep.add_argument("--owner", metavar="USER_ID",
                     help="forecast: one owner's deals and target (a Slack user id)")
    rep.add_argument("--week", help="funnel: the ISO week, like 2026-W47 (default this week)")
    rep.add_argument("--tag", help="funnel: new leads by source of the leads with this tag "
                                   "only, like enterprise (as /funnel #enterprise)")
    rep.add_argument("--tz", help="the time zone (default the workspace's)")
    rep.add_argument("--attention-limit", type=_count, default=ATTENTION_LISTED, metavar="N",
                     help="pipeline: list at most N deals in each attention list (default "
                          f"{ATTENTION_LISTED}); how many there are in all is always given")
    rep.set_defaults(run=cmd_report)
    dig = add_command(sub, "digest", summary="post a digest now", description=DIGEST,
                      examples=["dealbot digest send pipeline --channel C0123ABCD --dry-run"])
    dig_sub = dig.add_subparsers(dest="digest_command", required=True, metavar="ACTION")
    send = add_command(dig_sub, "send", summary="post (or print) one digest now",
                       description=DIGEST, examples=[
                           "dealbot digest send pipeline --channel C0123ABCD",
                           "dealbot digest send funnel --channel C0123ABCD --dry-run"])
    send.add_argument("kind", type=DigestKind, choices=list(DigestKind))
    send.add_argument("--channel", required=True, help="the channel id, like C0123ABCD")
    send.add_argument("--team", help="the workspace's Slack team id (default: the only one)")
    send.add_argument("--dry-run", action="store_true", help="print the message instead")
    send.set_defaults(run=cmd_digest)
    sch = add_command(sub, "scheduler", summary="run only the digest scheduler",
                      description=SCHEDULER, examples=["dealbot scheduler",
                                                       "dealbot scheduler --every 10"])
    sch.add_argument("--every", type=_seconds, default=60, metavar="SECONDS",
                     help="look for due digests and nudges every SECONDS (1 to 60; default "
                          "60: at second 0 of every minute)")
    sch.set_defaults(run=cmd_scheduler)
