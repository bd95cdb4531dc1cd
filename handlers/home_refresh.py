"""Home tabs refreshed in the background, after the answer, debounced per user.

A change asks for its author's Home tab to be refreshed (`request`); the refresh runs on one
of a few worker threads, never in the request's own. Requests for the same user coalesce:
while one is waiting, later ones join it (the refresh reads the data as it is when it runs,
so it shows every change made before). A user's Home is published at most once every
`interval` seconds, unless the refresh is the answer itself (`at_once`: the user opened the
tab, or clicked in it). Two refreshes of one user never run at the same time, so an older
view never overwrites a newer one. Waiting refreshes are bounded (`capacity` users); past
that a refresh is dropped with a warning: a Home tab is a view, the data is saved.

A failing refresh is logged, never raised: the change it follows was saved and answered.
Tests and the console make one with `background=False` and run it with `flush()`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass

log = logging.getLogger(__name__)

Publish = Callable[[str | None], None]  # publishes the Home tab, with a notice on top or not


@dataclass
class _Waiting:
    publish: Publish
    notice: str | None
    due: float


class HomeRefresh:
    def __init__(self, *, interval: float = 3.0, workers: int = 2, capacity: int = 1000,
                 background: bool = True, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self._workers, self._capacity, self._background = workers, capacity, background
        self._clock = clock
        self._waiting: dict[Hashable, _Waiting] = {}
        self._running: set[Hashable] = set()
        self._last: dict[Hashable, float] = {}  # when each user's last refresh started
        self._changed = threading.Condition()
        self._threads: list[threading.Thread] = []

    def request(self, key: Hashable, publish: Publish, *, notice: str | None = None,
                at_once: bool = False) -> None:
        """Asks for `publish` to run soon for `key` (a user); never blocks on the work."""
        with self._changed:
            now = self._clock()
            waiting = self._waiting.get(key)
            if waiting is not None:
                waiting.publish = publish
                waiting.notice = notice or waiting.notice
                waiting.due = now if at_once else waiting.due
            elif len(self._waiting) >= self._capacity:
                log.warning("too many Home tabs waiting for a refresh; %s's is skipped", key)
                return
            else:
                earliest = self._last.get(key, now - self.interval) + self.interval
                self._waiting[key] = _Waiting(publish, notice, now if at_once else
                                              max(now, earliest))
            self._start_workers()
            self._changed.notify_all()

    def flush(self) -> int:
        """Runs every waiting refresh now, in this thread, whatever its due time; returns how
        many ran. For tests, the console and shutdown."""
        ran = 0
        while (taken := self._take(due_by=None)) is not None:
            self._run(*taken)
            ran += 1
        return ran

    def run_due(self) -> int:
        """Runs, in this thread, the waiting refreshes that are due; returns how many ran."""
        ran = 0
        while (taken := self._take(due_by=self._clock())) is not None:
            self._run(*taken)
            ran += 1
        return ran

    def pending(self) -> int:
        """How many refreshes are waiting or running."""
        with self._changed:
            return len(self._waiting) + len(self._running)

    def wait_until_idle(self, timeout: float = 10) -> bool:
        """True once nothing waits or runs (False after `timeout` seconds), background
        workers only: for a server that stops, and tests."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._waiting and not self._running,
                                          timeout)

    def _start_workers(self) -> None:
        if not self._background or self._threads:
            return
        for n in range(self._workers):
            thread = threading.Thread(target=self._work, name=f"dealbot-home-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def _work(self) -> None:
        while True:
            with self._changed:
                taken = self._take_locked(due_by=self._clock())
                while taken is None:
                    self._changed.wait(timeout=self._next_due_in())
                    taken = self._take_locked(due_by=self._clock())
            self._run(*taken)

    def _next_due_in(self) -> float | None:
        ready = [w.due for k, w in self._waiting.items() if k not in self._running]
        return max(0.0, min(ready) - self._clock()) if ready else None

    def _take(self, *, due_by: float | None) -> tuple[Hashable, _Waiting] | None:
        with self._changed:
            return self._take_locked(due_by=due_by)

    def _take_locked(self, *, due_by: float | None) -> tuple[Hashable, _Waiting] | None:
        """The refresh due first (by `due_by`; None: any), no longer waiting but running: a
        request made from now on waits for the next one."""
        ready = [(w.due, k) for k, w in self._waiting.items()
                 if k not in self._running and (due_by is None or w.due <= due_by)]
        if not ready:
            return None
        key = min(ready, key=lambda pair: pair[0])[1]
        self._running.add(key)
        self._last[key] = self._clock()
        return key, self._waiting.pop(key)

    def _run(self, key: Hashable, waiting: _Waiting) -> None:
        try:
            waiting.publish(waiting.notice)
        except Exception:  # a worker thread has no caller to raise to; the change was saved
            log.exception("could not refresh the Home tab of %s", key)
        finally:
            with self._changed:
                self._running.discard(key)
                self._forget_old()
                self._changed.notify_all()

    def _forget_old(self) -> None:
        if len(self._last) > self._capacity:
            horizon = self._clock() - self.interval
            self._last = {k: t for k, t in self._last.items() if t > horizon}
