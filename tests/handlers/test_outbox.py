"""The activity channel's lines are posted after the answer, in the background, in the order
the changes were made; a failing post is logged and the lines after it still go out; one
Slack did not take is tried again first, one Slack may have taken is not."""

from __future__ import annotations

import logging
import threading

import pytest

from bot.app import create_app
from bot.slack_standin import DROP
from handlers.home_refresh import HomeRefresh
from handlers.outbox import Outbox, TryAgain
from handlers.slow_work import SlowWork
from tests.driver import Driver


def test_lines_go_out_in_the_order_asked_for_without_the_asker_waiting():
    outbox, posted, release = Outbox(), [], threading.Event()

    def first() -> None:
        release.wait(5)
        posted.append(1)

    outbox.send(first)  # returns although the first post is held
    outbox.send(lambda: posted.append(2))
    outbox.send(lambda: posted.append(3))
    assert posted == [] and outbox.pending() == 3
    release.set()
    assert outbox.wait_until_idle(5)
    assert posted == [1, 2, 3] and outbox.pending() == 0


def test_a_failing_post_is_logged_and_the_next_line_still_goes_out(caplog):
    outbox, posted = Outbox(), []

    def broken() -> None:
        raise RuntimeError("slack is down")

    with caplog.at_level(logging.ERROR, logger="handlers.outbox"):
        outbox.send(broken)
        outbox.send(lambda: posted.append("next"))
        assert outbox.wait_until_idle(5)
    assert posted == ["next"]
    assert "could not post an activity line" in caplog.text


def test_past_its_capacity_a_line_is_dropped_with_a_warning(caplog):
    outbox, posted = Outbox(capacity=1), []
    started, release = threading.Event(), threading.Event()
    outbox.send(lambda: (started.set(), release.wait(5), posted.append("running")))
    assert started.wait(5)  # the first line is being posted: one place is left in line
    with caplog.at_level(logging.WARNING, logger="handlers.outbox"):
        outbox.send(lambda: posted.append("waiting"))
        outbox.send(lambda: posted.append("dropped"))
    release.set()
    assert outbox.wait_until_idle(5)
    assert posted == ["running", "waiting"]
    assert "one is dropped" in caplog.text


def test_without_background_the_line_is_posted_at_once():
    posted: list[str] = []
    Outbox(background=False).send(lambda: posted.append("now"))
    assert posted == ["now"]


@pytest.fixture
def background_driver(db, slack, clock, settings, request_clock):
    """The app as `serve` builds it: the activity lines on a background outbox."""
    slow_work, outbox = SlowWork(), Outbox()
    app = create_app(settings, db, clock=clock, slow_work=slow_work, request_clock=request_clock,
                     home_refresh=HomeRefresh(background=False), outbox=outbox)
    yield Driver(app, slack, slow_work, HomeRefresh(background=False)), outbox
    slow_work.shutdown()


def test_a_move_is_answered_while_slack_holds_its_activity_line_back(background_driver, slack):
    driver, outbox = background_driver
    driver.one("settings channel <#C9|wins>", user="UADMIN")
    driver.one("new Acme 50k")
    slack.script("chat.postMessage", slack.http(429, {"ok": False, "error": "ratelimited"},
                                                {"Retry-After": "2"}))
    answer = driver.one("move #1 proposal")
    assert "Proposal" in answer.text
    to_channel = [c for c in slack.calls("chat.postMessage") if c.body["channel"] == "C9"]
    assert len(to_channel) <= 1  # at most the refused try: the answer did not wait for the retry
    driver.one("won #1")
    assert outbox.wait_until_idle(15)
    lines = [c.body["text"] for c in slack.calls("chat.postMessage") if c.body["channel"] == "C9"]
    assert lines[-2].startswith(":arrow_right: <@U1> moved *#1 Acme*")
    assert lines[-1].startswith(":tada: <@U1> won *#1 Acme*")


def test_a_line_slack_did_not_take_is_tried_again_before_the_next(caplog):
    outbox, posted, tries = Outbox(retry_waits=(0.01, 0.01, 0.01)), [], []

    def refused_twice() -> None:
        tries.append(1)
        if len(tries) <= 2:
            raise TryAgain("HTTP 500")
        posted.append("first")

    outbox.send(refused_twice)
    outbox.send(lambda: posted.append("second"))
    assert outbox.wait_until_idle(5)
    assert posted == ["first", "second"] and len(tries) == 3


def test_a_line_slack_never_takes_is_dropped_after_the_retries(caplog):
    outbox, posted, tries = Outbox(retry_waits=(0.01, 0.01)), [], []

    def refused() -> None:
        tries.append(1)
        raise TryAgain("HTTP 429")

    with caplog.at_level(logging.WARNING, logger="handlers.outbox"):
        outbox.send(refused)
        outbox.send(lambda: posted.append("next"))
        assert outbox.wait_until_idle(5)
    assert len(tries) == 3 and posted == ["next"]
    assert "could not post an activity line" in caplog.text


def _lines(slack, channel="C9"):
    return [c for c in slack.calls("chat.postMessage")
            if c.body["channel"] == channel and (c.answer or {}).get("ok")]


def test_a_line_is_posted_once_after_slack_failed_and_once_when_it_dropped_the_answer(
        db, slack, clock, settings, request_clock):
    slow_work, outbox = SlowWork(), Outbox(retry_waits=(0.05,) * 5)
    app = create_app(settings, db, clock=clock, slow_work=slow_work, request_clock=request_clock,
                     home_refresh=HomeRefresh(background=False), outbox=outbox)
    driver = Driver(app, slack, slow_work, HomeRefresh(background=False))
    driver.one("settings channel <#C9|wins>", user="UADMIN")
    driver.one("new Acme 50k")
    slack.failing = slack.http(500, {"ok": False, "error": "internal_error"})
    driver.one("move #1 proposal")
    slack.wait_for(lambda: len(slack.calls("chat.postMessage")) >= 3)  # the client's 3 tries
    slack.failing = None
    assert outbox.wait_until_idle(10)
    assert len(_lines(slack)) == 1  # posted once Slack took it again
    slack.failing = DROP  # Slack posts it, the answer never comes: not posted again
    driver.one("won #1")
    assert outbox.wait_until_idle(10)
    slack.failing = None
    assert [c.body["text"][:12] for c in _lines(slack)] == [":arrow_right", ":tada: <@U1>"]
    slow_work.shutdown()
