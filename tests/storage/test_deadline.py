"""A request's database waits end by its deadline (storage.db.answer_by): with no time left
a transaction is not begun, and the wait for a free pooled connection ends at the deadline
whatever the pool's own timeout."""

from __future__ import annotations

import contextvars
import sqlite3
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

import pytest
from sqlalchemy.exc import TimeoutError as PoolTimeout

from storage.db import MIN_WAIT, Deadline, DeadlinePool, answer_by
from storage.deals import operations as deals
from storage.deals import queries as deal_queries
from storage.errors import OutOfTime

T = TypeVar("T")


def by(deadline: Deadline, work: Callable[[], T]) -> T:
    """`work` as a request with `deadline` runs it, in a context of its own."""
    def request() -> T:
        answer_by(deadline)
        return work()

    return contextvars.copy_context().run(request)


class StoppedClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_with_no_time_left_a_transaction_is_refused_before_the_database_is_asked(db, now):
    clock = StoppedClock(100.0)
    deadline = Deadline(100.0 + MIN_WAIT / 2, clock=clock)

    def create() -> None:
        with db.transaction() as s:
            deals.create_deal(s, team="T1", name="Acme", actor="U1", now=now,
                              value=Decimal("50000"))

    with pytest.raises(OutOfTime) as refused:
        by(deadline, create)
    assert "nothing was changed" in refused.value.message and deadline.missed == 1
    with db.transaction() as s:
        assert deal_queries.list_deals(s, team="T1", stage=None, owner=None, tag=None).total == 0
    clock.now -= 1  # the same request, a second earlier: there is time
    by(deadline, create)
    assert deadline.missed == 1


def test_the_wait_for_a_free_pooled_connection_ends_at_the_deadline():
    pool = DeadlinePool(lambda: sqlite3.connect(":memory:"), pool_size=1, max_overflow=0,
                        timeout=30)
    held = pool.connect()
    freed = threading.Timer(3, held.close)  # a wait to the pool's own timeout gets it then
    freed.start()
    try:
        with pytest.raises(PoolTimeout):
            by(Deadline(time.monotonic() + 0.2), pool.connect)
        assert pool.timeout() == 30  # outside the request, the pool's own timeout
        assert by(Deadline(time.monotonic() + 0.2), pool.recreate).timeout() == 30
    finally:
        freed.cancel()
        held.close()
