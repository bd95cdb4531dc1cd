"""The bounded pool for work too slow for an acknowledgement: reports and exports.

An ack never waits behind it: `submit` either hands the work to one of `workers` threads (or
to one of `waiting` places in line) or says at once that the pool is full, and the caller
answers that Dealbot is busy. Nothing queues without bound, so work is never run minutes
after the person asked.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from handlers import counters

log = logging.getLogger(__name__)


class SlowWork:
    def __init__(self, *, workers: int = 2, waiting: int = 2,
                 observe: Callable[[int], None] | None = None) -> None:
        """`observe(pending)` is told how many are running or waiting after each change."""
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dealbot-slow")
        self._observe = observe
        self._places = workers + waiting
        self._pending = 0
        self._closed = False
        self._changed = threading.Condition()

    def submit(self, work: Callable[[], None]) -> bool:
        """Starts `work` soon, or returns False at once (and counts it) when the pool and its
        line are full, or the process is stopping. `work` answers the person itself; an
        error it raises is logged."""
        with self._changed:
            if self._pending >= self._places or self._closed:
                counters.count(counters.BUSY)
                return False
            self._pending += 1
            self._changed_to(self._pending)
        self._pool.submit(self._run, work)
        return True

    def _run(self, work: Callable[[], None]) -> None:
        try:
            work()
        except Exception:  # the pool's thread has no caller to raise to
            log.exception("slow work failed")
        finally:
            with self._changed:
                self._pending -= 1
                self._changed_to(self._pending)
                self._changed.notify_all()

    def _changed_to(self, pending: int) -> None:
        if self._observe is not None:
            self._observe(pending)

    def wait_until_idle(self, timeout: float = 10) -> bool:
        """True once nothing is running or waiting (False after `timeout` seconds): for the
        console and the tests, which show what the work answered."""
        with self._changed:
            return self._changed.wait_for(lambda: self._pending == 0, timeout)

    def pending(self) -> int:
        """How many pieces of work are running or waiting."""
        with self._changed:
            return self._pending

    def shutdown(self, *, wait: bool = True) -> None:
        """Takes no more work; lets running and waiting work finish (waits for it when
        `wait`)."""
        with self._changed:
            self._closed = True
        self._pool.shutdown(wait=wait)
