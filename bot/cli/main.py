"""`dealbot`: the command line. Each command loads the settings, builds what it needs, runs.

Every command imports what it needs when it runs, not before: `dealbot --help` and a report
do not pay for Slack, the scheduler or the migrations they never use."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from bot.cli import history as cli_history
from bot.cli import reports as cli_reports
from bot.cli.parser import ShowVersion, add_command

if TYPE_CHECKING:
    from apscheduler.schedulers.base import BaseScheduler
    from slack_bolt import App

    from bot.config import Settings
    from bot.lifecycle import Background
    from storage.db import Database

log = logging.getLogger("dealbot")


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    if args.workers and not args.socket:
        multiprocess_metrics()  # before anything imports prometheus_client
    from bot.app import create_app
    from bot.config import ConfigError
    from bot.database import open_database
    from bot.lifecycle import Background

    if args.socket:
        if args.workers:
            raise ConfigError("--workers serves HTTP; Socket Mode runs in one process.")
        settings.require_socket()
    else:
        settings.require_http()
    db = open_database(settings)
    from bot.doctor import token_check_at_start

    token_check_at_start(settings, db)  # a warning when Slack refuses the bot token
    if args.workers:
        return serve_workers(settings, db, args)
    background = Background()
    app = create_app(settings, db, **background.pools())
    if not args.no_scheduler:  # digests in this process; the ledger keeps replicas apart
        from bot.scheduler import start_in_background

        background.scheduler = start_in_background(settings, db)
    if args.socket:
        return serve_socket(app, settings, background)
    from bot.web import serve_http

    serve_http(app, db, port=args.port or settings.port, threads=args.threads,
               on_stopped=background.stop)
    log.info("stopped")
    return 0


def multiprocess_metrics() -> None:
    """`serve --workers`: the worker processes' metrics add up (bot.metrics), in a fresh
    directory removed when the server stops, unless PROMETHEUS_MULTIPROC_DIR names one."""
    import atexit
    import os
    import shutil
    import tempfile

    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        folder = tempfile.mkdtemp(prefix="dealbot-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
        master = os.getpid()

        def remove() -> None:  # in the master only: forked workers run atexit too
            if os.getpid() == master:
                shutil.rmtree(folder, ignore_errors=True)

        atexit.register(remove)


def serve_socket(app: App, settings: Settings, background: Background) -> int:
    """Socket Mode until SIGTERM or Ctrl-C; then the connection closes and the work under way
    finishes."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.lifecycle import on_stop_signal

    handler = SocketModeHandler(app, settings.slack_app_token)
    stopping = on_stop_signal(lambda: None)
    handler.connect()
    log.info("Dealbot connected to Slack in Socket Mode")
    while not stopping.wait(1.0):  # a timed wait: the signal's handler runs meanwhile
        pass
    handler.close()
    background.stop()
    log.info("stopped")
    return 0


def serve_workers(settings: Settings, db: Database, args: argparse.Namespace) -> int:
    """`serve --workers N`: gunicorn worker processes, and the digest scheduler once, in
    gunicorn's master (never once per worker: a forked worker drops the master's database
    connections without closing them, and builds its own app)."""
    from bot.lifecycle import stop_scheduler
    from bot.web import serve_workers as serve
    from bot.wsgi import build

    started: list[BaseScheduler] = []

    def scheduler_in_master() -> Callable[[], None]:
        if not args.no_scheduler:
            from bot.scheduler import start_in_background

            started.append(start_in_background(settings, db))
        return lambda: db.engine.dispose(close=False)

    def stopped() -> None:
        for scheduler in started:
            stop_scheduler(scheduler)
        log.info("stopped")

    serve(build, port=args.port or settings.port, workers=args.workers, threads=args.threads,
          in_master=scheduler_in_master, on_stopped=stopped,
          log_format=settings.log_format)
    return 0


def cmd_db(settings: Settings, args: argparse.Namespace) -> int:
    from storage.db import Database

    db = Database(settings.database_url)
    db.upgrade()
    if settings.oauth:
        from bot.oauth import ensure_oauth_tables

        ensure_oauth_tables(settings, db)
    current, _ = db.schema_state()
    print(f"The database schema is at revision {current}.")
    return 0


def cmd_doctor(settings: Settings, args: argparse.Namespace) -> int:
    from bot.doctor import report, run_checks, url_to_check

    return report(run_checks(settings, url_to_check(args.url) if args.url else None))


def cmd_manifest(settings: Settings, args: argparse.Namespace) -> int:
    from bot.manifest import check_public_url, manifest_json

    sys.stdout.write(manifest_json(check_public_url(args.url)))
    return 0


def cmd_console(settings: Settings, args: argparse.Namespace) -> int:
    from bot.console import run_console
    from bot.console.people import BadUserName
    from bot.database import open_database

    # The terminal is the console's screen: only warnings and errors go to the log there.
    logging.getLogger().setLevel(max(logging.WARNING, logging.getLogger().level))
    logging.getLogger("dealbot.bolt").setLevel(logging.ERROR)
    db = open_database(settings)
    try:
        return run_console(settings, db, demo=args.demo, seed=args.seed, user=args.user,
                           force=args.force)
    except BadUserName as error:
        print(f"dealbot: --user {error}", file=sys.stderr)
        return 2


DESCRIPTION = """\
Dealbot keeps a sales team's deal pipeline and lead funnel inside Slack.
Settings come from the environment, then from .env in this directory (see
.env.example); `dealbot COMMAND --help` describes each command."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dealbot", description=DESCRIPTION,
        epilog="examples:\n  dealbot console --demo\n  dealbot db upgrade\n  dealbot serve",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action=ShowVersion, help="print the version and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_serve_parser(sub)
    db = add_command(sub, "db", summary="database maintenance", description=DB, examples=[
        "dealbot db upgrade"])
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    add_command(db_sub, "upgrade", summary="apply the database migrations", description=DB,
                examples=["dealbot db upgrade",
                          "DATABASE_URL=postgresql://dealbot@db.internal/dealbot "
                          "dealbot db upgrade"]).set_defaults(run=cmd_db)
    man = add_command(sub, "manifest", summary="print the Slack app manifest for a deployment",
                      description=MANIFEST, examples=[
                          "dealbot manifest --url https://dealbot.example.com > manifest.json"])
    man.add_argument("--url", required=True,
                     help="the public https:// base URL, e.g. https://dealbot.example.com")
    man.set_defaults(run=cmd_manifest)
    doc = add_command(sub, "doctor", summary="check the configuration, database and Slack tokens",
                      description=DOCTOR, examples=[
                          "dealbot doctor",
                          "dealbot doctor --url https://dealbot.example.com"])
    doc.add_argument("--url", help="also check that the public https:// base URL answers "
                                   "Slack's URL verification at URL/slack/events (or "
                                   "http://localhost:PORT, before exposing it)")
    doc.set_defaults(run=cmd_doctor)
    add_console_parser(sub)
    cli_history.add_parsers(sub)
    cli_reports.add_parsers(sub)
    return parser


SERVE = """\
Runs the Slack app over HTTP: Slack's requests at POST /slack/events, health
checks at GET /healthz (200 when the database answers, 503 when it does not),
and the digest scheduler in the same process unless --no-scheduler is given.
Needs SLACK_SIGNING_SECRET and a bot token (or OAuth settings); refuses to start
on an outdated database schema (run `dealbot db upgrade`). SIGTERM or Ctrl-C stops
it after the requests, reports and digest run under way (exit status 0). One
access log line per request; LOG_FORMAT=json writes JSON lines."""

DB = """\
Applies the database migrations to DATABASE_URL, up to this version's schema
(and creates the OAuth installation tables when OAuth is configured). Run it once
per release, before the new version serves; it is safe to run again."""

DOCTOR = """\
Checks this deployment, one line per check: the database answers and its
schema is current; SLACK_SIGNING_SECRET is set; Slack accepts SLACK_BOT_TOKEN
(auth.test at SLACK_API_URL) and it has every scope of the manifest; Slack
accepts SLACK_APP_TOKEN (Socket Mode), when set; with --url, the public Request
URL answers Slack's URL verification. Each failure says what to do. Exit status
0 when nothing failed, 1 otherwise."""

MANIFEST = """\
Prints the Slack app manifest (JSON) for a deployment at URL: every slash
command, interactivity and events at URL/slack/events, the OAuth redirect at
URL/slack/oauth_redirect, and the bot scopes. Paste it at
https://api.slack.com/apps > Create New App > From an app manifest.
URL must start with https://, since Slack sends requests only to HTTPS URLs;
to try Dealbot on your own machine, give the https:// URL of a tunnel."""

CONSOLE = """\
The real app, with this terminal standing in for Slack: type slash commands as
in Slack, click a button by typing its number, `:help` lists the console's own
commands. Needs no Slack app, token or network. The data is in DATABASE_URL
(default: dealbot.db in this directory); piped input prints a transcript."""


def add_serve_parser(sub: Any) -> None:
    serve = add_command(sub, "serve", summary="run the Slack app over HTTP (or Socket Mode)",
                        description=SERVE, examples=[
                            "dealbot serve",
                            "dealbot serve --port 8080 --no-scheduler",
                            "dealbot serve --workers 4 --threads 8",
                            "dealbot serve --socket"])
    serve.add_argument("--socket", action="store_true", help="use Socket Mode instead of HTTP")
    serve.add_argument("--no-scheduler", action="store_true",
                       help="leave the digests to a separate `dealbot scheduler`")
    serve.add_argument("--port", type=int, help="HTTP port (default $PORT or 3000)")
    serve.add_argument("--threads", type=int, default=8,
                       help="threads per process; each runs the listeners of its request "
                            "(default 8)")
    serve.add_argument("--workers", type=int, metavar="N",
                       help="N worker processes under gunicorn (default: one process, "
                            "waitress); the scheduler runs once, in gunicorn's master")
    serve.set_defaults(run=cmd_serve)


def add_console_parser(sub: Any) -> None:
    con = add_command(sub, "console",
                      summary="try everything in a terminal, with no Slack workspace",
                      description=CONSOLE, examples=[
                          "dealbot console --demo",
                          "dealbot console --user bob",
                          "dealbot console < script.txt"])
    con.add_argument("--demo", action="store_true",
                     help="first fill an empty database with a demo team's history")
    con.add_argument("--seed", type=int, default=1, help="the demo's random seed (default 1)")
    con.add_argument("--user", help="the local user to act as (default: ann)")
    con.add_argument("--force", action="store_true",
                     help="with --demo: add the demo even if the database has data")
    con.set_defaults(run=cmd_console)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run: Callable[[Settings, argparse.Namespace], int] = args.run
    from bot.config import ConfigError, configure_logging, load_settings
    from bot.database import SchemaError

    try:
        settings = load_settings()
        configure_logging(settings, migrations=args.command == "db")
        return run(settings, args)
    except (ConfigError, SchemaError) as error:
        print(f"dealbot: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
