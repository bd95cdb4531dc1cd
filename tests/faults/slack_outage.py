"""`dealbot serve` on PostgreSQL while Slack fails under its posts, measured from outside.

Slack's Web API and response_urls are the stand-in behind the test's `Proxy`; the workspace
has an activity channel. People stream `/deal new` (the card comes back in the ack) and a
click on each new card's Advance button (the card is redrawn through the click's
response_url, and the move gets a line in the activity channel by chat.postMessage, from the
background outbox). For `seconds`, Slack fails every call one way:

- `429`: "ratelimited" with Retry-After: 1; `500`: a server error;
- `hang`: the proxy goes silent (past the response_url's 1.5 s in a request; the Web API
  client's 30 s outlasts the fault, so those posts arrive late);
- `refuse`: the proxy resets every connection;
- `drop`: Slack acts on each call (posts it), then drops the connection unanswered.

`slack_outage(...)` returns one `SlackFigures` per mode: every request's answer (HTTP 200
within Slack's 3 s), the cards created and moves acknowledged against the database (lost,
doubled), and what reached Slack: a card redrawn or a line posted twice (duplicated), and
lines Slack never took (`lines_missing`: the change is saved and answered; the channel's
line is logged and dropped).
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from bot.slack_standin import DROP, FakeSlack, click, slash_command, text_of
from handlers import ids
from storage.db import Database
from storage.workspaces import update_settings
from tests.driver import SIGNING_SECRET
from tests.e2e.serving import Server
from tests.faults.harness import SLACK_WAITS, Stack
from tests.faults.proxy import HANG, PASS, REFUSE, Proxy

ACTIVITY = "CACTIVITY"
MODES = ("429", "500", "hang", "refuse", "drop")
# no new line for this long once Slack is back: the outbox is done (it waits 30 s at most
# between two tries of a line Slack did not take, handlers.outbox.RETRY_WAITS)
QUIET_SECONDS = 35.0


@dataclass
class SlackFigures:
    scenario: str
    tried: int = 0
    within_3s: int = 0
    slowest: float = 0.0
    created: int = 0  # deals acknowledged (their card in the ack)
    moves: int = 0  # clicks answered
    lost: int = 0  # acknowledged, not in the database
    duplicated: int = 0  # a deal created twice, a move applied twice, a post Slack took twice
    redrawn: int = 0  # clicks whose card Slack redrew (took the response_url post)
    lines: int = 0  # moves whose activity line Slack took
    lines_missing: int = 0  # moves whose line Slack never took
    others: list[str] = field(default_factory=list)

    def row(self) -> str:
        return (f"| {self.scenario} | {self.tried} | {self.within_3s} | {self.slowest:.2f} s | "
                f"{self.created} | {self.moves} | {self.lost} | {self.duplicated} | "
                f"{self.redrawn} | {self.lines} | {self.lines_missing} |")


HEADER_SLACK = (
    "| scenario | requests | answered within 3 s | slowest answer | deals created | cards "
    "clicked | lost | duplicated | cards redrawn | activity lines posted | lines not posted |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|")


class Person(threading.Thread):
    """Creates a deal, clicks Advance on its card, again, until stopped."""

    def __init__(self, tag: str, server: Server, base: str, figures: SlackFigures,
                 lock: threading.Lock) -> None:
        super().__init__(daemon=True)
        self.tag, self.server, self.base = tag, server, base
        self.figures, self.lock = figures, lock
        self.stopping = threading.Event()
        self.created: list[str] = []
        self.clicked: list[tuple[str, str]] = []  # (deal name, response_url name)

    def run(self) -> None:
        n = 0
        while not self.stopping.is_set():
            n += 1
            name, answer = f"{self.tag}x{n}", f"{self.tag}-{n}"
            request = slash_command(signing_secret=SIGNING_SECRET, text=f"new {name} 1k",
                                    user_id=self.tag, response_url=self._url(f"{answer}n"))
            status, body, seconds = self._post(request)
            card = json.loads(body).get("blocks") if status == 200 and body else None
            if not card or name not in text_of(card):
                self._count(seconds, f"new {name}: {status} {body[:120]}")
                continue
            self.created.append(name)
            self._count(seconds)
            request = click(signing_secret=SIGNING_SECRET, message_blocks=card,
                            action_id=ids.DEAL_ADVANCE, user_id=self.tag,
                            response_url=self._url(answer))
            status, body, seconds = self._post(request)
            if status == 200:
                self.clicked.append((name, answer))
                self._count(seconds)
            else:
                self._count(seconds, f"click {name}: {status} {body[:120]}")

    def _url(self, name: str) -> str:
        return f"{self.base}/response/{name}"

    def _post(self, request) -> tuple[int, str, float]:
        started = time.monotonic()
        try:
            status, body = request.post(self.server.base + "/slack/events")
        except OSError as error:
            status, body = 0, type(error).__name__
        return status, body, time.monotonic() - started

    def _count(self, seconds: float, other: str = "") -> None:
        with self.lock:
            self.figures.tried += 1
            self.figures.slowest = max(self.figures.slowest, seconds)
            if not other and seconds <= SLACK_WAITS:
                self.figures.within_3s += 1
            if other:
                self.figures.others.append(other)


def slack_outage(stack: Stack, seconds: float, folder: Path, *, people: int = 2,
                 modes: tuple[str, ...] = MODES) -> list[SlackFigures]:
    """One `dealbot serve` (on the database directly) with Slack behind a proxy of its own;
    each mode in turn: half a second of people working with Slack well, `seconds` of Slack failing,
    then until the lines waiting went out."""
    slack, db = stack.slack, Database(stack.url)
    with db.transaction() as s:
        update_settings(s, team="T1", now=datetime.now(UTC), activity_channel=ACTIVITY)
    db.dispose()
    front = Proxy("127.0.0.1", slack.port)
    base = f"http://127.0.0.1:{front.port}"
    server = Server({"DATABASE_URL": stack.url, "SLACK_API_URL": f"{base}/api/",
                     "LOG_LEVEL": "WARNING"}, folder, "--no-scheduler",
                    log=folder / "serve-slack.log")  # many warnings: a file, not a pipe
    results = []
    try:
        for number, mode in enumerate(modes, start=1):
            figures = SlackFigures(f"Slack {_described(mode)} for {seconds:g} s, serve")
            lock = threading.Lock()
            crowd = [Person(f"U{number}{p}", server, base, figures, lock)
                     for p in range(people)]
            for person in crowd:
                person.start()
            time.sleep(0.5)
            _fail(slack, front, mode)
            time.sleep(seconds)
            _fail(slack, front, PASS)
            for person in crowd:
                person.stopping.set()
            for person in crowd:
                person.join(30)
            _drain(slack, stack.url, crowd)
            _check(stack.url, slack, crowd, figures)
            results.append(figures)
        if server.process.poll() is not None:
            for figures in results:
                figures.others.append("serve died")
    finally:
        _fail(slack, front, PASS)
        output = server.stop()
        front.close()
    if any(f.others for f in results):
        results[-1].others.append(output[-2000:])
    return results


def _described(mode: str) -> str:
    return {"429": "answering 429 (Retry-After: 1)", "500": "answering 500",
            "hang": "silent (hang)", "refuse": "refusing connections",
            "drop": "dropping each connection after acting on it"}[mode]


def _fail(slack: FakeSlack, front: Proxy, mode: str) -> None:
    slack.failing = {"429": FakeSlack.http(429, {"ok": False, "error": "ratelimited"},
                                           {"Retry-After": "1"}),
                     "500": FakeSlack.http(500, {"ok": False, "error": "internal_error"}),
                     "drop": DROP}.get(mode)
    front.set({"hang": HANG, "refuse": REFUSE}.get(mode, PASS))


def _lines(slack: FakeSlack) -> list[str]:
    """The activity lines Slack took."""
    return [str(c.body.get("text", "")) for c in slack.calls("chat.postMessage")
            if c.body.get("channel") == ACTIVITY and (c.answer or {}).get("ok")]


def _numbers(url: str) -> dict[str, list[int]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT name, number FROM deals")).all()
    finally:
        engine.dispose()
    numbers: dict[str, list[int]] = {}
    for name, number in rows:
        numbers.setdefault(name, []).append(number)
    return numbers


def _drain(slack: FakeSlack, url: str, crowd: list[Person]) -> None:
    """Until every move's line is in the channel, or QUIET_SECONDS passed with none new."""
    numbers = _numbers(url)
    wanted = {n for p in crowd for name, _ in p.clicked for n in numbers.get(name, [])}
    seen, quiet_since = -1, time.monotonic()
    while time.monotonic() - quiet_since < QUIET_SECONDS:
        lines = " ".join(_lines(slack))
        if all(f"*#{n} " in lines for n in wanted):
            return
        if len(lines) != seen:
            seen, quiet_since = len(lines), time.monotonic()
        time.sleep(0.1)


def _check(url: str, slack: FakeSlack, crowd: list[Person], figures: SlackFigures) -> None:
    numbers = _numbers(url)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            moved = dict(conn.execute(text(
                "SELECT d.name, count(e.id) FROM deals d JOIN deal_events e ON e.deal_id = d.id"
                " WHERE e.kind = 'stage' GROUP BY d.name")).all())
    finally:
        engine.dispose()
    lines = Counter(line.split("*#", 1)[1].split(" ", 1)[0] for line in _lines(slack)
                    if "*#" in line)
    taken = Counter(r.name for r in slack.responses()
                    if r.body.get("replace_original") and (r.answer or {}).get("ok"))
    for person in crowd:
        figures.created += len(person.created)
        figures.moves += len(person.clicked)
        figures.lost += sum(1 for name in person.created if name not in numbers)
        figures.duplicated += sum(len(numbers.get(name, [])) - 1 for name in person.created
                                  if len(numbers.get(name, [])) > 1)
        for name, answer in person.clicked:
            figures.lost += 1 if moved.get(name, 0) == 0 else 0
            figures.duplicated += max(0, moved.get(name, 0) - 1)
            figures.redrawn += 1 if taken[answer] else 0
            figures.duplicated += max(0, taken[answer] - 1)
            posted = sum(lines[str(n)] for n in numbers.get(name, []))
            figures.lines += 1 if posted else 0
            figures.lines_missing += 0 if posted else 1
            figures.duplicated += max(0, posted - 1)
