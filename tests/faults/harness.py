"""Real processes under real faults, measured from outside: `dealbot serve` on PostgreSQL
behind a `Proxy` the test switches, the Slack stand-in, and clients sending a stream of
signed commands and clicks while the database refuses or hangs.

`outage(mode, seconds)` runs one scenario and returns its `Figures`: every request's answer
sorted into changed (a card), told nothing was changed, told it may or may not have been
saved (the database went silent after it was asked to commit), or anything else (a late
answer, an error status, silence); what was acknowledged but is not in the database
afterwards (lost); what is in the database but the person was told was not changed
(unacknowledged). `/healthz` is
polled throughout. The scenarios' length comes from DEALBOT_FAULT_SECONDS (default 5 in the
suite; 20 reproduces the first measurements).
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.slack_standin import FakeSlack, click, slash_command, text_of
from storage.db import Database
from tests.conftest import postgres_database
from tests.driver import SIGNING_SECRET
from tests.e2e.serving import Server, get_status
from tests.faults.proxy import PASS, Proxy

SLACK_WAITS = 3.0
NOTHING_CHANGED = "nothing was changed"
MAY_HAVE_CHANGED = "may or may not have been saved"  # the COMMIT went out, no answer came back


def fault_seconds(default: float = 5) -> float:
    """DEALBOT_FAULT_SECONDS, else `default` (the suite's short faults)."""
    return float(os.environ.get("DEALBOT_FAULT_SECONDS", default))


@dataclass
class Figures:
    """What one scenario showed, for the printed fault table."""

    scenario: str
    tried: int = 0
    within_3s: int = 0
    changed: int = 0
    told_nothing_changed: int = 0
    told_unknown: int = 0
    other: int = 0
    lost: int = 0
    duplicated: int = 0
    unacknowledged: int = 0
    slowest: float = 0.0
    healthz: Counter[int] = field(default_factory=Counter)
    healthz_slowest: float = 0.0
    healthz_503_during: bool = False
    healthz_200_after: bool = False
    alive: bool = True
    others: list[str] = field(default_factory=list)
    fault_began: float = 0.0  # time.monotonic() when the fault began, for reading `others`

    def row(self) -> str:
        health = ("503 during, 200 after" if self.healthz_503_during and self.healthz_200_after
                  else str(dict(self.healthz)))
        return (f"| {self.scenario} | {self.tried} | {self.within_3s} | {self.changed} | "
                f"{self.told_nothing_changed} | {self.told_unknown} | {self.other} | "
                f"{self.lost} | {self.duplicated} | {self.unacknowledged} | "
                f"{self.slowest:.2f} s | {health} (slowest {self.healthz_slowest:.2f} s) | "
                f"{'yes' if self.alive else 'NO'} |")


HEADER_DIGESTS = ("| scenario | periods | lost | duplicated |\n|---|---|---|---|")


def digest_row(scenario: str, periods: int, lost: int, duplicated: int) -> str:
    return f"| {scenario} | {periods} | {lost} | {duplicated} |"


HEADER = ("| scenario | requests | answered within 3 s | changed | told nothing changed "
          "| told it may have been saved | other | lost | duplicated | applied but told not "
          "| slowest answer | /healthz | process alive |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|---|---|")


@dataclass
class Stack:
    """PostgreSQL (a database of its own), the proxy in front of it, the Slack stand-in."""

    url: str
    proxy: Proxy
    slack: FakeSlack

    @property
    def proxied_url(self) -> str:
        return make_url(self.url).set(host="127.0.0.1", port=self.proxy.port).render_as_string(
            hide_password=False)


@contextmanager
def stack() -> Iterator[Stack]:
    databases = postgres_database()
    url = next(databases)
    Database(url).upgrade()
    parsed = make_url(url)
    proxy = Proxy(parsed.host or "127.0.0.1", parsed.port or 5432)
    try:
        with FakeSlack() as slack:
            yield Stack(url, proxy, slack)
    finally:
        proxy.close()
        databases.close()


def _post(request, url: str) -> tuple[int, str, float]:
    started = time.monotonic()
    try:
        status, body = request.post(url)
    except OSError as error:  # no answer at all within the client's 10 s
        status, body = 0, type(error).__name__
    return status, body, time.monotonic() - started


class Client(threading.Thread):
    """One person: alternately creates a deal (`/deal new`) and moves their own deal back and
    forth with the card's stage picker, until stopped; records each answer."""

    def __init__(self, number: int, server: Server, slack: FakeSlack, figures: Figures,
                 lock: threading.Lock) -> None:
        super().__init__(daemon=True)
        self.number, self.server, self.slack = number, server, slack
        self.figures, self.lock = figures, lock
        self.stopping = threading.Event()
        self.created: list[str] = []  # names acknowledged as created
        self.maybe_created: list[str] = []  # told it may or may not have been saved
        self.moves = 0  # moves acknowledged
        self.maybe_moves = 0
        self.told_move_failed = 0
        self.card: list[dict] = []
        self.user = f"U{number}"

    def setup(self) -> None:
        status, body, _ = _post(self._command(f"new Mine-{self.number} 1k", "setup"),
                                self.server.base + "/slack/events")
        assert status == 200, (status, body)
        self.card = json.loads(body)["blocks"]

    def run(self) -> None:
        n = 0
        while not self.stopping.is_set():
            n += 1
            self._create(n)
            self._move(n)

    def _command(self, line: str, name: str):
        return slash_command(signing_secret=SIGNING_SECRET, text=line, user_id=self.user,
                             response_url=self.slack.response_url(name))

    def _create(self, n: int) -> None:
        name = f"F{self.number}x{n}"
        status, body, seconds = _post(self._command(f"new {name} 1k", f"c{self.number}-{n}"),
                                      self.server.base + "/slack/events")
        shown = _shown(body)
        if status == 200 and "#" in shown and name in shown and NOTHING_CHANGED not in shown:
            self.created.append(name)
            self._count(seconds, "changed")
        elif status == 200 and MAY_HAVE_CHANGED in shown.lower():
            self.maybe_created.append(name)
            self._count(seconds, "unknown")
        elif status == 200 and NOTHING_CHANGED in shown.lower():
            self._count(seconds, "nothing")
        else:
            self._count(seconds, "other", f"new at {time.monotonic():.1f}: {status} "
                        f"{body[:120]}")

    def _move(self, n: int) -> None:
        name = f"m{self.number}-{n}"
        select = next(e for b in self.card if b.get("type") == "actions"
                      for e in b["elements"] if e["type"] == "static_select")
        request = click(signing_secret=SIGNING_SECRET, message_blocks=self.card,
                        action_id=select["action_id"], user_id=self.user,
                        response_url=self.slack.response_url(name),
                        selected_option_value=select["options"][0]["value"])
        status, body, seconds = _post(request, self.server.base + "/slack/events")
        replies = [r.body for r in self.slack.responses(name)]
        updated = [r for r in replies if r.get("replace_original") and r.get("blocks")]
        told = " ".join(str(r.get("text", "")) + text_of(r.get("blocks") or [])
                        for r in replies).lower()
        if status == 200 and updated and NOTHING_CHANGED not in told:
            self.card = updated[-1]["blocks"]
            self.moves += 1
            self._count(seconds, "changed")
        elif status == 200 and MAY_HAVE_CHANGED in told:
            self.maybe_moves += 1
            self._count(seconds, "unknown")
        elif status == 200 and NOTHING_CHANGED in told:
            if updated:  # an out-of-date card is redrawn as the deal is now
                self.card = updated[-1]["blocks"]
            self._count(seconds, "nothing")
        else:
            self._count(seconds, "other", f"move at {time.monotonic():.1f}: {status} "
                        f"{body[:80]} {told[:120]}")

    def _count(self, seconds: float, verdict: str, detail: str = "") -> None:
        with self.lock:
            figures = self.figures
            figures.tried += 1
            figures.slowest = max(figures.slowest, seconds)
            if seconds <= SLACK_WAITS and verdict != "other":
                figures.within_3s += 1
            if verdict == "changed":
                figures.changed += 1
            elif verdict == "nothing":
                figures.told_nothing_changed += 1
            elif verdict == "unknown":
                figures.told_unknown += 1
            else:
                figures.other += 1
                figures.others.append(detail)


def _shown(body: str) -> str:
    try:
        answer = json.loads(body)
    except ValueError:
        return body
    return str(answer.get("text", "")) + "\n" + text_of(answer.get("blocks") or [])


class HealthPoller(threading.Thread):
    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base = base
        self.stopping = threading.Event()
        self.seen: list[tuple[float, int, float]] = []  # (at, status, seconds)

    def run(self) -> None:
        while not self.stopping.is_set():
            started = time.monotonic()
            try:
                status = get_status(self.base + "/healthz")
            except OSError:
                status = 0
            self.seen.append((started, status, time.monotonic() - started))
            self.stopping.wait(0.25)


def outage(stack: Stack, mode: str, seconds: float, tmp_path: Path, *,
           clients: int = 4) -> Figures:
    """`dealbot serve` through the proxy; clients stream requests for 2 s, then for `seconds`
    with the proxy in `mode`, then for 4 s after it is back."""
    figures = Figures(f"PostgreSQL {'refusing' if mode == 'refuse' else 'silent (hang)'} "
                      f"for {seconds:g} s, serve")
    # LOG_LEVEL=ERROR: a warning per refused request would fill the pipe that `Server` reads
    # only when it stops, and a process whose log write blocks stalls every thread
    server = Server({"DATABASE_URL": stack.proxied_url, "SLACK_API_URL": stack.slack.api_url,
                     "LOG_LEVEL": "ERROR"}, tmp_path, "--no-scheduler")
    lock = threading.Lock()
    people = [Client(i + 1, server, stack.slack, figures, lock) for i in range(clients)]
    health = HealthPoller(server.base)
    try:
        for person in people:
            person.setup()
        health.start()
        for person in people:
            person.start()
        time.sleep(2)
        began = time.monotonic()
        figures.fault_began = began
        stack.proxy.set(mode)
        time.sleep(seconds)
        stack.proxy.set(PASS)
        ended = time.monotonic()
        time.sleep(4)
        for person in people:
            person.stopping.set()
        for person in people:
            person.join(30)
        health.stopping.set()
        health.join(10)
        figures.alive = server.process.poll() is None
    finally:
        output = server.stop()
    for at, status, took in health.seen:
        figures.healthz[status] += 1
        figures.healthz_slowest = max(figures.healthz_slowest, took)
        if began + 1.5 <= at <= ended and status == 503:
            figures.healthz_503_during = True
    figures.healthz_200_after = bool(health.seen) and health.seen[-1][1] == 200
    _check_database(stack.url, people, figures)
    if figures.other:
        figures.others.append(f"fault from {figures.fault_began:.1f} for {seconds:g} s")
        figures.others.append(output[-2000:])
    return figures


def _check_database(url: str, people: list[Client], figures: Figures) -> None:
    """Lost: acknowledged changes the database does not hold. Duplicated: a deal created
    twice. Unacknowledged: changes the database holds that the person was told did not
    happen (or never heard of)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = Counter(conn.execute(text("SELECT name FROM deals")).scalars())
            moves = dict(conn.execute(text(
                "SELECT d.name, count(e.id) FROM deals d JOIN deal_events e ON e.deal_id = d.id "
                "WHERE e.kind = 'stage' GROUP BY d.name")).all())
    finally:
        engine.dispose()
    for person in people:
        figures.lost += sum(1 for name in person.created if names[name] == 0)
        mine = moves.get(f"Mine-{person.number}", 0)
        figures.lost += max(0, person.moves - mine)
        figures.unacknowledged += max(0, mine - person.moves - person.maybe_moves)
        acknowledged = set(person.created) | set(person.maybe_created)
        figures.unacknowledged += sum(1 for name in names if name.startswith(
            f"F{person.number}x") and name not in acknowledged)
    figures.duplicated = sum(count - 1 for count in names.values() if count > 1)
