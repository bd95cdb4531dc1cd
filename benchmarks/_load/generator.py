"""The load generator: C threads, each with its own keep-alive HTTP connection, sending
signed requests back to back for a fixed time. It runs in a process of its own (the servers
have theirs), and reports its own CPU use so a reader can tell when it, not the server, was
the limit: the anchor's figure is that limit at worst.

Scenarios: `show` (`/deal show #N`, any deal), `move` (`/deal move #N <stage>`, an open deal,
to the next open stage after the one it is in, cycling), `click` (the advance button of a
deal card the app drew), `pipeline` (`/pipeline`), `mix` (45/25/20/10 of those), and `prep`
(`/deal show` of deals that have an advance button: it fills the pool of cards to click; a
click finding no card to click is sent as one).

wrk is not used: it is not installed on our machines, and this generator keeps each request's
start, which the work-completion figures need. Its CPU share, printed with the figures, says
whether it was the limit.
"""

from __future__ import annotations

import http.client
import json
import random
import resource
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from _load.history import OPEN, OWNERS
from _load.slack_requests import advance_click, signed_headers, slash_command
from _load.standin import card_of, outcome_of

MIX = (("show", 45), ("move", 25), ("click", 20), ("pipeline", 10))


@dataclass
class Load:
    port: int  # of the server under test
    secret: str
    team: str
    stand_in: str  # its base URL: response_urls and the cards
    scenario: str
    connections: int
    duration: float
    deals: int
    open_stages: dict[int, str]  # open deal number: its stage, at the start
    tag: str = "run"
    max_requests: int | None = None  # per connection; for warm-ups
    seed: int = 1
    timeout: float = 30.0


@dataclass
class Sent:
    rid: str
    kind: str
    start: float  # time.monotonic()
    seconds: float
    status: int  # 0: no HTTP answer (refused connection, timeout)
    acked: str | None = None  # how the message the ack carried answered (outcome_of), if any


@dataclass
class Result:
    sent: list[Sent]
    wall: float
    cpu: float  # seconds of this process's CPU
    clicked_again: int = 0  # clicks on a card already clicked (the pool ran out)
    acked_cards: list[dict[str, Any]] | None = None  # deal cards that acks carried


class _Cards:
    """Cards to click, fetched from the stand-in; fetched again when used up (clicked cards
    come back redrawn at their new version). When nothing new comes, old ones are reused."""

    def __init__(self, url: str, seed: str) -> None:
        self.url, self.lock, self.rng = url, threading.Lock(), random.Random(seed)
        self.pool: list[dict[str, Any]] = []
        self.used: set[tuple[int, int]] = set()
        self.reusing = False
        self.again = 0

    def take(self) -> dict[str, Any] | None:
        with self.lock:
            if not self.pool:
                with urllib.request.urlopen(f"{self.url}/cards", timeout=30) as answer:
                    cards = json.load(answer)
                fresh = [c for c in cards if (c["number"], c["version"]) not in self.used]
                self.pool, self.reusing = fresh or cards, not fresh
                self.rng.shuffle(self.pool)
            if not self.pool:
                return None
            card = self.pool.pop()
            self.again += self.reusing
            self.used.add((card["number"], card["version"]))
            return card


def _requests(load: Load, cards: _Cards, rng: random.Random,
              lock: threading.Lock) -> Callable[[str], tuple[str, str]]:
    movable = sorted(load.open_stages)
    clickable = [n for n, stage in load.open_stages.items() if stage != OPEN[-1]]
    kinds, weights = zip(*MIX, strict=True)

    def build(rid: str) -> tuple[str, str]:
        kind = rng.choices(kinds, weights)[0] if load.scenario == "mix" else load.scenario
        user, url = rng.choice(OWNERS), f"{load.stand_in}/respond/{rid}"
        if kind == "click":
            card = cards.take()
            if card is not None:
                return kind, advance_click(card, team=load.team, user=user, response_url=url)
            kind = "prep"  # no card drawn yet: show one instead
        if kind == "pipeline":
            return kind, slash_command(command="/pipeline", text="", team=load.team, user=user,
                                       response_url=url)
        if kind == "move":
            number = rng.choice(movable)
            with lock:
                now = load.open_stages[number]
                stage = OPEN[(OPEN.index(now) + 1) % len(OPEN)]
                load.open_stages[number] = stage
            text = f"move #{number} {stage.lower()}"
        elif kind == "prep":
            text = f"show #{rng.choice(clickable)}"
        else:
            text = f"show #{rng.randint(1, load.deals)}"
        return kind, slash_command(command="/deal", text=text, team=load.team, user=user,
                                   response_url=url)

    return build


def run(load: Load) -> Result:
    """Sends for `load.duration` seconds (or `max_requests` per connection), then waits for
    the answers in flight."""
    cards, lock, sent = _Cards(load.stand_in, f"{load.seed}.{load.tag}"), threading.Lock(), []
    cards_acked: list[dict[str, Any]] = []  # list.append is atomic: shared by the threads
    cpu0, wall0 = resource.getrusage(resource.RUSAGE_SELF), time.monotonic()
    deadline = wall0 + load.duration

    def connection(index: int) -> None:
        rng = random.Random(f"{load.seed}.{load.tag}.{index}")  # a stream per run and thread
        build = _requests(load, cards, rng, lock)
        conn = http.client.HTTPConnection("127.0.0.1", load.port, timeout=load.timeout)
        mine: list[Sent] = []
        while time.monotonic() < deadline and (
                load.max_requests is None or len(mine) < load.max_requests):
            rid = f"{load.tag}.{index}.{len(mine)}"
            kind, body = build(rid)
            headers = signed_headers(body, load.secret)
            start, acked = time.monotonic(), None
            try:
                conn.request("POST", "/slack/events", body=body.encode(), headers=headers)
                answer = conn.getresponse()
                content = answer.read()
                status = answer.status
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", load.port, timeout=load.timeout)
            seconds = time.monotonic() - start
            if status == 200 and content.startswith(b"{"):  # a message in the ack's body
                post = json.loads(content)
                acked = outcome_of(post) if post.get("blocks") or post.get("text") else None
                if card_of(post.get("blocks") or []) is not None:
                    cards_acked.append(post)
            mine.append(Sent(rid, kind, start, seconds, status, acked))
        conn.close()
        with lock:
            sent.extend(mine)

    threads = [threading.Thread(target=connection, args=(i,)) for i in range(load.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    return Result(sent=sent, wall=time.monotonic() - wall0, clicked_again=cards.again,
                  acked_cards=cards_acked,
                  cpu=(cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime))


def run_in_child(load: Load, results: Any) -> None:
    """multiprocessing target: runs the load and puts its Result on the queue."""
    results.put(run(load))
