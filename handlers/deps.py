"""What the listeners need from the running program, handed over by `bot.app`."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from handlers.home_refresh import HomeRefresh
from handlers.outbox import Outbox
from handlers.slow_work import SlowWork
from storage.db import Database

Clock = Callable[[], datetime]
ANSWER_WITHIN = 2.5  # seconds from a request's receipt by which its database work is over


@dataclass(frozen=True)
class Deps:
    """The store, the clock (aware UTC), and the users named admins by configuration.

    `slow_work` runs reports and exports away from the acks; `request_clock` is the real time
    in seconds, which Slack's request timestamps are compared with (tests move it);
    `home_refresh` publishes Home tabs in the background, after the answers; `outbox` posts
    the activity channel's lines, in order, after the answers too. `answer_within`: seconds
    after a request was received by which its database waits are over (Slack waits 3 s for
    the answer; the rest is for rendering and sending it: handlers.deadline)."""

    db: Database
    clock: Clock
    admins: frozenset[str] = frozenset()
    slow_work: SlowWork = field(default_factory=SlowWork)
    request_clock: Callable[[], float] = time.time
    home_refresh: HomeRefresh = field(default_factory=HomeRefresh)
    outbox: Outbox = field(default_factory=Outbox)
    answer_within: float = ANSWER_WITHIN
