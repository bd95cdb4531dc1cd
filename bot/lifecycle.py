"""Stopping cleanly. On SIGTERM (what `docker stop`, systemd and Kubernetes send) or Ctrl-C, a
Dealbot process stops taking work, lets the work it took finish, then exits with status 0:

1. the web server closes its listening socket and finishes the requests it has read
   (bot.web.serve_http; gunicorn's workers do the same by themselves);
2. `Background.stop`: reports and exports already started or waiting on the slow-work pool
   run to their answer, Home tabs waiting for a refresh are published, the activity
   channel's waiting lines are posted, and a digest run under way finishes (its claims are
   in the ledger either way).

Each step waits at most `DRAIN_SECONDS` (gunicorn's workers `GRACEFUL_SECONDS` in all),
inside the 45 s compose.yaml's `stop_grace_period` gives before SIGKILL; what is still
running after that is abandoned, never half-written (every change is one transaction).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from apscheduler.schedulers.base import STATE_STOPPED, BaseScheduler

from handlers.home_refresh import HomeRefresh
from handlers.outbox import Outbox
from handlers.slow_work import SlowWork

log = logging.getLogger("dealbot")


def slow_work_pending(pending: int) -> None:
    from bot.metrics import SLOW_WORK

    SLOW_WORK.set(pending)

DRAIN_SECONDS = 20.0
GRACEFUL_SECONDS = 40  # gunicorn's graceful_timeout: a worker's requests, then its background
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@dataclass
class Background:
    """What a serving process runs beside its requests."""

    slow_work: SlowWork = field(default_factory=lambda: SlowWork(observe=slow_work_pending))
    home_refresh: HomeRefresh = field(default_factory=HomeRefresh)
    outbox: Outbox = field(default_factory=Outbox)
    scheduler: BaseScheduler | None = None

    def pools(self) -> dict[str, Any]:
        """The app's background pools, as `bot.app.create_app` takes them."""
        return {"slow_work": self.slow_work, "home_refresh": self.home_refresh,
                "outbox": self.outbox}

    def stop(self, timeout: float = DRAIN_SECONDS) -> None:
        """Lets started and waiting work finish (see the module's docstring), `timeout`
        seconds at most in all; takes no more."""
        deadline = time.monotonic() + timeout
        if not self.slow_work.wait_until_idle(timeout):
            log.warning("stopping with reports or exports still running")
        self.slow_work.shutdown(wait=False)
        self.home_refresh.flush()
        if not self.home_refresh.wait_until_idle(max(0.0, deadline - time.monotonic())):
            log.warning("stopping with Home tabs still being refreshed")
        if not self.outbox.wait_until_idle(max(0.0, deadline - time.monotonic())):
            log.warning("stopping with activity channel lines not posted")
        stop_scheduler(self.scheduler)


def stop_scheduler(scheduler: BaseScheduler | None) -> None:
    """Stops `scheduler` after the digest run under way, if any, has finished."""
    if scheduler is not None and scheduler.state != STATE_STOPPED:
        scheduler.shutdown(wait=True)
        log.info("digest scheduler stopped")


def on_stop_signal(stop: Callable[[], None]) -> threading.Event:
    """Calls `stop` (in the main thread, once) on the first SIGTERM or SIGINT; the event
    returned is set then. Only the main thread may install signal handlers."""
    stopping = threading.Event()

    def handle(signum: int, frame: FrameType | None) -> None:
        if stopping.is_set():
            return
        log.info("%s received: finishing the work under way, then stopping",
                 signal.Signals(signum).name)
        stopping.set()
        stop()

    for number in STOP_SIGNALS:
        signal.signal(number, handle)
    return stopping
