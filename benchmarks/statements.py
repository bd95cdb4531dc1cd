"""How many SQL statements and transactions one request costs: `/deal new`, `/deal move`, a
card click (advance) and `/deal show`, each dispatched through the real Bolt app against a
local Slack stand-in. Not a test: run it by hand,

    .venv/bin/python benchmarks/statements.py [--database-url URL] [--repeat 5]

It makes a PostgreSQL database of its own on 127.0.0.1:5432 (or uses --database-url, which
it empties), adds a few deals, opens the acting user's Home tab, and counts what an engine
`before_cursor_execute` listener sees during each request, and after it (the Home refresh
that runs in the background). Figures are the median of `--repeat` requests of each kind.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import re
import statistics
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _load import postgres as pg  # noqa: E402

from bot.app import create_app  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.slack_standin import FakeSlack, click, event_callback, slash_command  # noqa: E402
from handlers import ids  # noqa: E402
from storage.db import Database  # noqa: E402

SECRET = "statements-secret"
TEAM, USER = "T1", "U1"
READ = re.compile(r"\b(?:FROM|JOIN)\s+\"?(\w+)", re.IGNORECASE)
READ_TABLES = ("pipelines", "stages", "workspaces")


@dataclass
class Tally:
    statements: int = 0
    transactions: int = 0
    texts: list[str] = field(default_factory=list)
    reads: Counter[str] = field(default_factory=Counter)

    def row(self) -> dict[str, int]:
        return {"statements": self.statements, "transactions": self.transactions,
                **{t: self.reads[t] for t in READ_TABLES}}


class Counting:
    """Counts statements (and which tables they read) and transactions begun on an engine."""

    def __init__(self, db: Database) -> None:
        self.tally = Tally()
        event.listen(db.engine, "before_cursor_execute", self._statement)
        event.listen(db.engine, "begin", self._begin)

    def _statement(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith(("BEGIN", "PRAGMA")):
            return
        self.tally.statements += 1
        self.tally.texts.append(" ".join(statement.split()))
        for table in set(READ.findall(statement)):
            self.tally.reads[table] += 1

    def _begin(self, conn: Any) -> None:
        self.tally.transactions += 1

    @contextmanager
    def counted(self) -> Iterator[Tally]:
        self.tally = Tally()
        try:
            yield self.tally
        finally:
            self.tally = Tally()  # what runs between counted blocks is not counted


def app_and_refresh(settings: Settings, db: Database) -> tuple[Any, Callable[[], object]]:
    """The app, and what runs the Home refreshes its requests asked for: nothing to run when
    this version of the app publishes the Home tab in the request itself (before 0002)."""
    if "home_refresh" not in inspect.signature(create_app).parameters:
        return create_app(settings, db, process_before_response=True), lambda: None
    from handlers.home_refresh import HomeRefresh

    refresh = HomeRefresh(background=False)
    app = create_app(settings, db, process_before_response=True, home_refresh=refresh)
    return app, refresh.flush


@contextmanager
def database(url: str | None) -> Iterator[Database]:
    name = None
    if url is None:
        name = f"dealbot_statements_{os.getpid()}"
        url = pg.create(name)
    db = Database(pg.app_url(url))
    try:
        db.downgrade("base")
        db.upgrade()
        yield db
    finally:
        db.dispose()
        if name is not None:
            pg.drop(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="an empty PostgreSQL or SQLite database to use")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--show", action="store_true",
                        help="also print the statements of the last request of each kind")
    args = parser.parse_args()
    with database(args.database_url) as db, FakeSlack(team_id=TEAM) as slack:
        settings = Settings(database_url=db.url, slack_api_url=slack.api_url,
                            slack_bot_token="xoxb-statements", slack_signing_secret=SECRET)
        app, settle = app_and_refresh(settings, db)
        counting = Counting(db)
        requests = Requests(app, slack)
        requests.new("Seed")
        requests.open_home()
        results: dict[str, list[Tally]] = {}
        for n in range(args.repeat):
            for kind, (prepare, send) in requests.kinds(n).items():
                prepared = prepare()
                settle()
                with counting.counted() as tally:
                    send(prepared)
                with counting.counted() as later:
                    settle()
                results.setdefault(kind, []).append(tally)
                results.setdefault(kind + " → Home", []).append(later)
        print(f"statements and transactions per request ({db.dialect}, median of "
              f"{args.repeat}; the acting user has opened the Home tab; "
              f"→ Home: the refresh that follows, in the background)")
        print(f"{'request':<20}{'statements':>11}{'transactions':>13}"
              + "".join(f"{t:>11}" for t in READ_TABLES))
        for kind, tallies in results.items():
            rows = [t.row() for t in tallies]
            medians = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
            print(f"{kind:<20}" + f"{medians['statements']:>11g}{medians['transactions']:>13g}"
                  + "".join(f"{medians[t]:>11g}" for t in READ_TABLES))
        if args.show:
            for kind, tallies in results.items():
                print(f"\n{kind}:")
                print("\n".join(f"  {text[:150]}" for text in tallies[-1].texts))


class Requests:
    """Signed requests dispatched through the app, as Slack sends them. Each kind is a
    preparation (not counted) and the request (counted)."""

    def __init__(self, app: Any, slack: FakeSlack) -> None:
        self.app, self.slack, self.sent, self.deals = app, slack, 0, 0

    def dispatch(self, request: Any) -> str:
        response = self.app.dispatch(request.to_bolt())
        if response.status != 200:
            sys.exit(f"the app answered {response.status}: {response.body}")
        return str(response.body)

    def command(self, text: str) -> list[dict]:
        """What the command answered: the message in its ack, then its response_url posts."""
        self.sent += 1
        name = f"r{self.sent}"
        acked = self.dispatch(slash_command(signing_secret=SECRET, text=text, team_id=TEAM,
                                            user_id=USER,
                                            response_url=self.slack.response_url(name)))
        answer = [json.loads(acked)] if acked.lstrip().startswith("{") else []
        return answer + [r.body for r in self.slack.responses(name)]

    def new(self, name: str) -> int:
        self.command(f"new {name} 10k")
        self.deals += 1
        return self.deals

    def open_home(self) -> None:
        self.dispatch(event_callback(signing_secret=SECRET, team_id=TEAM, event_id="Ev1",
                                     event={"type": "app_home_opened", "user": USER,
                                            "channel": f"D{USER}", "tab": "home",
                                            "event_ts": "1700000000.000001"}))

    def advance(self, card: dict) -> None:
        self.sent += 1
        self.dispatch(click(signing_secret=SECRET, message_blocks=card["blocks"],
                            action_id=ids.DEAL_ADVANCE, team_id=TEAM, user_id=USER,
                            response_url=self.slack.response_url(f"r{self.sent}")))

    def kinds(self, n: int) -> dict[str, tuple[Callable[[], Any], Callable[[Any], Any]]]:
        return {
            "/deal new": (lambda: None, lambda _: self.new(f"Deal {n}")),
            "/deal move": (lambda: self.new(f"Moved {n}"),
                           lambda number: self.command(f"move #{number} proposal")),
            "click": (lambda: self.command(f"show #{self.new(f'Clicked {n}')}")[0],
                      self.advance),
            "/deal show": (lambda: None, lambda _: self.command("show #1")),
        }


if __name__ == "__main__":
    main()
