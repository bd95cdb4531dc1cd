"""Home tabs are refreshed after the answer, in the background: at most once every few
seconds per user however many changes they make, at once when the refresh is the answer,
never two at a time for one user, and a failure is logged, never raised."""

from __future__ import annotations

import logging
import threading

import pytest

from handlers.home_refresh import HomeRefresh


class Seconds:
    """A monotonic clock the tests move by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Published:
    """Records what each publish would have shown."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str | None]] = []

    def of(self, what: str):
        return lambda notice: self.shown.append((what, notice))


@pytest.fixture
def seconds() -> Seconds:
    return Seconds()


@pytest.fixture
def refresh(seconds: Seconds) -> HomeRefresh:
    return HomeRefresh(interval=3.0, background=False, clock=seconds)


def test_the_first_change_refreshes_at_once_and_a_burst_after_it_coalesces_into_one(
        refresh, seconds):
    published = Published()
    refresh.request("U1", published.of("after change 1"))
    assert refresh.run_due() == 1
    for n in range(2, 6):  # a burst within the interval
        seconds.now += 0.5
        refresh.request("U1", published.of(f"after change {n}"))
        assert refresh.run_due() == 0
    seconds.now = 1003.0
    assert refresh.run_due() == 1
    assert published.shown == [("after change 1", None), ("after change 5", None)]


def test_users_are_debounced_each_on_their_own(refresh, seconds):
    published = Published()
    refresh.request("U1", published.of("ann"))
    refresh.request("U2", published.of("bob"))
    assert refresh.run_due() == 2
    refresh.request("U1", published.of("ann again"))
    assert refresh.run_due() == 0
    assert sorted(published.shown) == [("ann", None), ("bob", None)]


def test_a_refresh_that_answers_the_user_is_not_held_back(refresh, seconds):
    published = Published()
    refresh.request("U1", published.of("after a change"))
    refresh.run_due()
    refresh.request("U1", published.of("opened"), at_once=True)
    assert refresh.run_due() == 1
    assert published.shown[-1] == ("opened", None)


def test_a_notice_survives_a_later_refresh_that_joins_it(refresh, seconds):
    published = Published()
    refresh.request("U1", published.of("first"))
    refresh.run_due()
    refresh.request("U1", published.of("stale click"), notice="that card was out of date")
    refresh.request("U1", published.of("a change"))
    refresh.flush()
    assert published.shown[-1] == ("a change", "that card was out of date")


def test_a_failing_refresh_is_logged_and_the_next_one_still_runs(refresh, seconds, caplog):
    def broken(notice: str | None) -> None:
        raise RuntimeError("Slack is down")

    published = Published()
    refresh.request("U1", broken)
    with caplog.at_level(logging.ERROR):
        assert refresh.run_due() == 1
    assert "could not refresh the Home tab" in caplog.text and "Slack is down" in caplog.text
    seconds.now += 3
    refresh.request("U1", published.of("fine again"))
    assert refresh.run_due() == 1 and published.shown == [("fine again", None)]


def test_past_its_capacity_a_refresh_is_skipped_with_a_warning(seconds, caplog):
    refresh = HomeRefresh(interval=3.0, capacity=2, background=False, clock=seconds)
    published = Published()
    with caplog.at_level(logging.WARNING):
        for user in ("U1", "U2", "U3"):
            refresh.request(user, published.of(user))
    assert "U3" in caplog.text
    assert refresh.flush() == 2 and sorted(published.shown) == [("U1", None), ("U2", None)]


def test_in_the_background_requests_never_wait_and_a_user_is_never_refreshed_twice_at_once():
    refresh = HomeRefresh(interval=0.0, workers=2)
    release, started = threading.Event(), threading.Event()
    running, most, released = [0], [0], []
    lock = threading.Lock()

    def slow(notice: str | None) -> None:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        started.set()
        released.append(release.wait(timeout=10))  # False had the request waited for it
        with lock:
            running[0] -= 1

    refresh.request("U1", slow)
    assert started.wait(timeout=10)  # the work runs on a worker while this thread goes on
    refresh.request("U1", slow, at_once=True)  # waits for the running one to finish
    assert refresh.pending() == 2
    release.set()
    done = threading.Event()
    refresh.request("U2", lambda notice: done.set())
    assert done.wait(timeout=10)
    assert refresh.wait_until_idle(timeout=10)
    assert most[0] == 1 and released == [True, True]
