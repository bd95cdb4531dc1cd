"""A request's database work ends by Slack's deadline (handlers.deadline): with too little
time left, or a database that keeps it waiting on a lock, the person is told in time that
nothing was changed, instead of Slack's failure after DATABASE_TIMEOUT."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import text

from bot.app import create_app
from handlers import counters, ids, messages
from handlers.home_refresh import HomeRefresh
from handlers.outbox import Outbox
from handlers.slow_work import SlowWork
from storage.db import OUT_OF_TIME
from tests.driver import Driver


@pytest.fixture
def hurried(db, slack, clock, settings, request_clock) -> Iterator[Callable[[float], Driver]]:
    """Drivers of the app whose requests have `answer_within` seconds for the database."""
    pools: list[SlowWork] = []

    def make(answer_within: float) -> Driver:
        slow_work = SlowWork()
        pools.append(slow_work)
        app = create_app(settings, db, clock=clock, slow_work=slow_work,
                         request_clock=request_clock, home_refresh=HomeRefresh(background=False),
                         outbox=Outbox(background=False), answer_within=answer_within)
        return Driver(app, slack, slow_work, HomeRefresh(background=False), name="h")

    yield make
    for pool in pools:
        pool.shutdown()


def out_of_time() -> int:
    return counters.counts().get(counters.OUT_OF_TIME, 0)


def test_with_no_time_left_commands_and_clicks_are_told_nothing_was_changed(driver, hurried):
    card = driver.one("new Acme 50k")
    late = hurried(0.0)
    before = out_of_time()
    moved = late.one("move #1 proposal")
    assert moved.ephemeral and OUT_OF_TIME in moved.text
    assert OUT_OF_TIME in late.one("new Globex 10k").text
    [clicked] = late.click(card, ids.DEAL_ADVANCE)
    assert clicked.ephemeral and not clicked.replaces_original and OUT_OF_TIME in clicked.text
    assert out_of_time() == before + 3
    shown = driver.one("show #1").text
    assert "Prospecting" in shown and "Globex" not in driver.one("list").text


def test_a_move_kept_waiting_by_a_lock_is_answered_by_the_deadline_and_changes_nothing(
        db, driver, hurried):
    driver.one("new Acme 50k")
    holder = db.engine.connect()
    holder.begin()  # SQLite: BEGIN IMMEDIATE, the write lock
    if db.dialect == "postgresql":
        holder.execute(text("SELECT id FROM deals FOR UPDATE"))
    released = threading.Timer(5, holder.rollback)  # a move that waits it out succeeds
    released.start()
    try:
        moved = hurried(0.5).one("move #1 proposal")
    finally:
        released.cancel()
        holder.rollback()
        holder.close()
    assert moved.ephemeral and OUT_OF_TIME in moved.text
    assert "Prospecting" in driver.one("show #1").text
    assert "Proposal" in driver.one("move #1 proposal").text  # the next try goes through


def _answered_within(seconds: float, work: Callable[[], object]) -> list:
    """Runs `work` in a thread; what it returned, or [] when it is still waiting after
    `seconds` (it is then left to finish on its own)."""
    done: list = []
    thread = threading.Thread(target=lambda: done.append(work()), daemon=True)
    thread.start()
    thread.join(seconds)
    return done


def test_a_form_slack_does_not_open_in_time_is_given_up_by_the_deadline(driver, hurried, slack):
    """Slack hangs on `views.open`: the click is answered, by the request's deadline, that
    the form did not open, instead of holding a server thread for the client's 30 s."""
    card = driver.one("new Acme 50k")
    held = slack.hold("api", "views.open")
    try:
        done = _answered_within(10, lambda: hurried(0.5).click(card, ids.DEAL_ADD_NOTE))
        assert held.arrived.is_set()
        assert done, "the click was still waiting for Slack"
        [told] = done[0]
        assert told.ephemeral and told.text == messages.SLACK_NOT_ANSWERING
    finally:
        held.release.set()


def test_a_rate_limit_longer_than_the_time_left_is_not_waited_out_in_a_request(
        driver, hurried, slack):
    card = driver.one("new Acme 50k")
    slack.script("views.open", slack.http(429, {"ok": False, "error": "ratelimited"},
                                          {"Retry-After": "30"}))
    done = _answered_within(10, lambda: hurried(2.5).click(card, ids.DEAL_ADD_NOTE))
    assert done, "the click was waiting out Slack's Retry-After"
    [told] = done[0]
    assert told.ephemeral and told.text == messages.SLACK_NOT_ANSWERING
    assert len(slack.calls("views.open")) == 1
