"""Where answers go and what happens under load: a command's answer is its ack's body; slow
work (reports, exports) runs on its own bounded pool and answers through response_url; a
full pool is answered "busy" at once; a request that waited past Slack's deadline is not run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from bot.slack_standin import event_callback
from handlers import counters, ids, messages
from storage.deals import queries as deal_queries
from tests.driver import SIGNING_SECRET

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def gate(driver) -> Iterator[threading.Event]:
    """Fills the slow-work pool (its workers and its line) with work that waits for the
    gate, as reports still running would; opened at the end of the test in any case."""
    opened = threading.Event()
    while driver.slow_work.submit(lambda: opened.wait(10)):
        pass
    yield opened
    opened.set()
    driver.slow_work.wait_until_idle()


def deal_count(db) -> int:
    with db.transaction() as s:
        return deal_queries.list_deals(s, team="T1", stage=None, owner=None, tag=None).total


def test_a_command_is_answered_in_its_ack_and_nothing_is_posted_to_response_url(driver, slack):
    card, name = driver.ack("new Acme 50k")
    assert card is not None and not card.ephemeral and "#1 Acme" in card.text
    shown, shown_name = driver.ack("show #1")
    assert shown is not None and shown.ephemeral and "$50,000" in shown.text
    refused, refused_name = driver.ack("move #9 proposal")
    assert refused is not None and refused.ephemeral and "There is no deal #9" in refused.text
    assert [slack.responses(n) for n in (name, shown_name, refused_name)] == [[], [], []]


def test_a_report_is_acked_with_nothing_and_answered_through_response_url(driver, slack):
    driver.one("new Acme 50k stage:proposal")
    acked, name = driver.ack("", command="/pipeline")
    assert acked is None
    [report] = driver.replies(name)
    assert report.ephemeral and "Proposal" in report.text and "$50,000" in report.text


def test_with_the_slow_work_pool_full_a_report_is_answered_busy_at_once_and_never_runs(
        driver, slack, gate):
    before = counters.counts().get(counters.BUSY, 0)
    busy, name = driver.ack("", command="/pipeline")
    assert busy is not None and busy.ephemeral and messages.BUSY in busy.text
    exported, export_name = driver.ack("export")
    assert exported is not None and messages.BUSY in exported.text
    assert counters.counts()[counters.BUSY] == before + 2
    gate.set()
    assert driver.replies(name) == [] and driver.replies(export_name) == []
    assert slack.calls("files.completeUploadExternal") == []


def test_a_command_is_answered_while_slow_work_is_blocked_and_the_report_follows(
        driver, db, slack, gate):
    card, _ = driver.ack("new Acme 50k")
    assert card is not None and "#1 Acme" in card.text and deal_count(db) == 1
    gate.set()
    driver.slow_work.wait_until_idle()
    acked, name = driver.ack("", command="/pipeline")  # room again: the report runs
    assert acked is None and "$50,000" in driver.replies(name)[0].text


def test_a_command_that_waited_past_slacks_deadline_is_answered_busy_and_not_run(
        driver, db, slack, request_clock):
    before = counters.counts().get(counters.LATE, 0)
    sent = int(time.time())  # Slack's timestamp counts whole seconds
    request_clock.stop_at(sent + 3.5)  # Slack may still be waiting: the ack says so
    busy, name = driver.ack("new Acme 50k", sent_at=sent)
    assert busy is not None and busy.ephemeral and messages.BUSY in busy.text
    request_clock.stop_at(sent + 4.5)  # Slack has given up, said it failed: response_url says why
    gone, gone_name = driver.ack("new Acme 50k", sent_at=sent)
    assert gone is None
    [told] = driver.replies(gone_name)
    assert told.ephemeral and messages.BUSY in told.text
    assert driver.replies(name) == [] and deal_count(db) == 0
    assert counters.counts()[counters.LATE] == before + 2
    request_clock.stop_at(sent + 3)  # in time: it runs
    card, _ = driver.ack("new Acme 50k", sent_at=sent)
    assert card is not None and "#1 Acme" in card.text and deal_count(db) == 1


def test_a_late_click_changes_nothing_and_the_clicker_is_told(driver, slack, request_clock):
    card = driver.one("new Acme 50k")
    request_clock.advance(5)
    [told] = driver.click(card, ids.DEAL_ADVANCE)
    assert told.ephemeral and not told.replaces_original and messages.BUSY in told.text
    request_clock.advance(-5)
    assert "Prospecting" in driver.one("show #1").text


def test_a_late_event_is_dropped_and_slacks_retry_is_handled(driver, slack, request_clock):
    def open_home() -> int:
        request = event_callback(signing_secret=SIGNING_SECRET, team_id="T1", event_id="EvLate",
                                 event={"type": "app_home_opened", "user": "U1",
                                        "channel": "DU1", "tab": "home",
                                        "event_ts": "1700000000.000001"})
        return driver.app.dispatch(request.to_bolt()).status

    request_clock.advance(4)
    assert open_home() == 200 and driver.refresh_homes() == 0
    assert slack.calls("views.publish") == []
    request_clock.advance(-4)
    assert open_home() == 200 and driver.refresh_homes() == 1
    assert len(slack.calls("views.publish")) == 1


def test_a_late_modal_submission_keeps_the_modal_open_with_the_busy_answer(
        driver, request_clock):
    card = driver.one("new Acme 50k")
    assert driver.click(card, ids.DEAL_LOST) == []
    reason = {ids.DEAL_LOST_REASON_BLOCK: {ids.DEAL_LOST_REASON_BLOCK: {"value": "budget"}}}
    view = driver.opened_view()
    request_clock.advance(3.2)  # at most 4.2 s by Slack's whole-second timestamp
    answer = driver.submit(view, reason)
    assert answer == {"response_action": "errors",
                      "errors": {ids.DEAL_LOST_REASON_BLOCK: messages.BUSY}}
    request_clock.advance(-3.2)
    assert "Prospecting" in driver.one("show #1").text
    assert driver.submit(view, reason) == {}
    assert "LOST" in driver.one("show #1").text.upper()
