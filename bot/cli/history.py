"""`dealbot import deals|leads|spend FILE.csv` and `dealbot export deals|leads|spend|events`:
the command line side of bringing history in and out (bot/importer.py, bot/exporter.py)."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.cli.parser import add_command
from storage.values import counted

if TYPE_CHECKING:
    from bot.config import Settings
    from storage.db import Database


TEAM_ID = re.compile(r"[TE][A-Z0-9]{1,31}")  # a workspace's (or an org's) id, as Slack writes it


class TeamError(Exception):
    """Which workspace a command is about cannot be told; the message says what to do."""


def resolve_team(db: Database, team: str | None, *, create: bool = False) -> str:
    """`--team`, or the only workspace in the database. With `create`, an empty database
    accepts the `--team` given (the import creates it)."""
    from sqlalchemy import select

    from storage.models import Workspace

    if team is not None and not TEAM_ID.fullmatch(team):
        raise TeamError(f"--team {team!r} is not a Slack team id: it looks like T0123ABCD.")
    with db.transaction() as session:
        teams = list(session.scalars(select(Workspace.team_id).order_by(Workspace.team_id)))
    if team is not None:
        if team in teams or (create and not teams):
            return team
        known = ", ".join(teams) or "none yet"
        raise TeamError(f"There is no workspace {team} in this database (there are: {known}).")
    if len(teams) == 1:
        return teams[0]
    if not teams:
        raise TeamError("The database has no workspace yet: name the one to import into with "
                        "--team T0123ABCD (its Slack team id).")
    raise TeamError(f"The database holds several workspaces ({', '.join(teams)}): "
                    "choose one with --team.")


def cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    from bot.database import open_database
    from bot.imports.importer import ImportRefused, UnreadableFile, import_numbered, read_csv

    db = open_database(settings)
    try:
        team = resolve_team(db, args.team, create=True)
        rows = read_csv(args.file)
        bar = _progress_bar(len(rows) - 1) if sys.stderr.isatty() else None
        result = import_numbered(db, args.kind, rows, team=team,
                                 now=datetime.now(UTC), progress=bar)
    except (TeamError, UnreadableFile) as error:
        print(f"dealbot: {error}", file=sys.stderr)
        return 2
    except ImportRefused as refused:
        print(f"dealbot: {args.file} was not imported: "
              f"{counted(len(refused.errors), 'bad row')}, and nothing was changed.",
              file=sys.stderr)
        for line, reason in refused.errors:
            print(f"  line {line}: {reason}", file=sys.stderr)
        return 2
    if bar is not None:
        sys.stderr.write("\n")
    imported = counted(result.rows, args.kind.removesuffix("s") + " row")
    print(f"Imported {imported} into {team}: {result.created} created, {result.updated} updated.")
    if result.ignored_columns:
        print("Columns not imported: " + ", ".join(result.ignored_columns))
    return 0


def cmd_export(settings: Settings, args: argparse.Namespace) -> int:
    from bot.database import open_database
    from bot.imports.exporter import export

    db = open_database(settings)
    try:
        team = resolve_team(db, args.team)
        if args.output:
            with open(args.output, "w", encoding="utf-8", newline="") as out:
                count = export(db, args.kind, out, team=team, fmt=args.format)
            print(f"Wrote {count} {args.kind} to {args.output}.", file=sys.stderr)
        else:
            export(db, args.kind, sys.stdout, team=team, fmt=args.format)
    except TeamError as error:
        print(f"dealbot: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"dealbot: {args.output} cannot be written: {error.strerror or error}.",
              file=sys.stderr)
        return 2
    return 0


# How much of the bar each phase fills: reading the rows, then writing them (the larger part
# of a large import), then the commit.
PHASES = {"reading": (0.0, 0.3), "writing": (0.3, 0.98), "saved": (1.0, 1.0)}


def _progress_bar(rows: int) -> Callable[[str, int, int], None]:
    """One terminal line redrawn over the whole import: its share of the work done, and the
    phase with its own count."""
    def draw(phase: str, done: int, total: int) -> None:
        start, end = PHASES[phase]
        part = min(done / total, 1.0) if total else 1.0
        share = start + (end - start) * part
        filled = int(share * 30)
        what = {"reading": f"reading {done:,}/{total:,} rows",
                "writing": f"writing {part:.0%} of {rows:,} rows",
                "saved": f"saved {rows:,} rows"}[phase]
        sys.stderr.write(f"\r[{'#' * filled}{' ' * (30 - filled)}] {share:4.0%} {what:<40}")
        sys.stderr.flush()
    return draw


IMPORT = """\
Brings deals, leads or weekly marketing spend in from a CSV file (UTF-8, `,` or
`;` separated; the column names of most CRM exports are understood). The whole
file is checked first: a bad row refuses the file, naming each bad row's line
and reason, and nothing is written. Import leads before the deals that name
them. Importing again updates the records with the same id."""

EXPORT = """\
Writes deals, leads or spend in the columns `dealbot import` reads (so an
export imports into an empty database as the same history), or the event
history, as CSV or JSON lines, to stdout or to a file."""


def add_parsers(sub: Any) -> None:
    """Adds `import` and `export` to the `dealbot` command line."""
    imp = add_command(sub, "import", summary="bring deals, leads or spend in from a CSV file",
                      description=IMPORT, examples=[
                          "dealbot import leads leads.csv --team T0123ABCD",
                          "dealbot import deals deals.csv",
                          "dealbot import spend spend.csv"])
    imp.add_argument("kind", choices=("deals", "leads", "spend"))
    imp.add_argument("file", help="the CSV file (UTF-8; `,` or `;` separated)")
    imp.add_argument("--team", help="the workspace's Slack team id (default: the only one)")
    imp.set_defaults(run=cmd_import)
    exp = add_command(sub, "export", summary="write deals, leads, spend or the events out",
                      description=EXPORT, examples=[
                          "dealbot export deals --output deals.csv",
                          "dealbot export events --format jsonl > events.jsonl"])
    exp.add_argument("kind", choices=("deals", "leads", "spend", "events"))
    exp.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    exp.add_argument("--output", "-o", help="write to this file instead of stdout")
    exp.add_argument("--team", help="the workspace's Slack team id (default: the only one)")
    exp.set_defaults(run=cmd_export)
