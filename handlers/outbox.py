"""Messages sent after the answer: the activity channel's lines.

A change that the activity channel hears asks for its line here (`send`); one background
thread posts the lines in the order they were asked for, so the person who made the change
is answered without waiting for a second call to Slack, and the channel reads in the order
things happened. Waiting lines are bounded (`capacity`); past that a line is dropped with a
warning: the change itself is saved and answered. A failing post is logged, never raised.
A post that Slack surely did not take (`TryAgain`: it answered a rate limit or a server error,
or could not be reached, after the client's own retries) is tried again, the lines after it
waiting behind, after 1, 2, 4... seconds (`RETRY_WAITS`); after that it is logged and
dropped. One Slack may have taken (no answer came) is not tried again: a line at most once.

Tests and the console make one with `background=False`, which posts at once, in the
request's own thread, so what they show is in order with the rest.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable

log = logging.getLogger(__name__)

Post = Callable[[], None]
RETRY_WAITS = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 30.0, 30.0)  # about 2 minutes in all


class TryAgain(Exception):
    """Raised by a post that Slack did not take, and may take later."""


class Outbox:
    def __init__(self, *, capacity: int = 1000, background: bool = True,
                 retry_waits: tuple[float, ...] = RETRY_WAITS) -> None:
        self._capacity, self._background = capacity, background
        self._retry_waits = retry_waits
        self._waiting: deque[Post] = deque()
        self._running = False
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    def send(self, post: Post) -> None:
        """Posts soon, after everything asked for before; never blocks on Slack."""
        if not self._background:
            self._run(post)
            return
        with self._changed:
            if len(self._waiting) >= self._capacity:
                log.warning("too many activity lines waiting to be posted; one is dropped")
                return
            self._waiting.append(post)
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="dealbot-outbox",
                                                daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def pending(self) -> int:
        """How many lines are waiting or being posted."""
        with self._changed:
            return len(self._waiting) + self._running

    def wait_until_idle(self, timeout: float = 10) -> bool:
        """True once every line asked for was posted (False after `timeout` seconds): for a
        server that stops, and tests."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._waiting and not self._running,
                                          timeout)

    def _work(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: bool(self._waiting))
                post = self._waiting.popleft()
                self._running = True
            try:
                for wait in (*self._retry_waits, None):
                    if self._run(post):
                        break
                    if wait is None:
                        log.warning("could not post an activity line: Slack did not take it "
                                    "in %d tries; it is dropped", len(self._retry_waits) + 1)
                        break
                    threading.Event().wait(wait)
            finally:
                with self._changed:
                    self._running = False
                    self._changed.notify_all()

    def _run(self, post: Post) -> bool:
        """True when done with the post: posted, or failed for good (logged)."""
        try:
            post()
        except TryAgain as error:
            if self._background:
                log.warning("an activity line waits to be posted again: %s", error)
                return False
            log.warning("could not post an activity line: %s", error)
        except Exception:  # the change it follows was saved and answered
            log.exception("could not post an activity line")
        return True
