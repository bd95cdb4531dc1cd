"""`/funnel chart [week]`: the week's chart, sent to the caller alone in a direct message."""

from __future__ import annotations

from handlers import counters
from tests.handlers.charts.pixels import decoded


def test_funnel_chart_sends_the_week_to_the_caller_by_direct_message(driver, slack):
    driver.one("add Jane Roe source:webinar", command="/lead")
    reply = driver.one("chart last week", command="/funnel", user="U7")
    assert reply.ephemeral
    assert reply.text == "I sent you the funnel chart of week 2026-W46 in a direct message."
    assert [c.body["users"] for c in slack.calls("conversations.open")] == ["U7"]
    (started,) = slack.calls("files.getUploadURLExternal")
    assert started.body["filename"] == "dealbot-funnel-2026-W46.png"
    assert "Awareness 0 (0)" in started.body["alt_txt"]  # Jane came this week, W47
    (upload,) = slack.uploads()
    assert decoded(upload.body["content"]).shape == (800, 1200, 3)
    (done,) = slack.calls("files.completeUploadExternal")
    assert done.body["channel_id"] == "DU7" and "thread_ts" not in done.body
    assert done.body["initial_comment"] == ("The lead funnel of week 2026-W46, as "
                                            "`/funnel 2026-W46` reports it.")
    assert slack.calls("chat.postMessage") == []  # nothing in the channel


def test_this_week_and_a_named_week(driver, slack):
    driver.one("add Jane Roe", command="/lead")
    assert "week 2026-W47" in driver.one("chart", command="/funnel").text
    assert "week 2026-W30" in driver.one("chart 2026-W30", command="/funnel").text
    started = slack.calls("files.getUploadURLExternal")
    assert "Awareness 1 (0)" in started[0].body["alt_txt"]
    assert [c.body["filename"] for c in started] == ["dealbot-funnel-2026-W47.png",
                                                     "dealbot-funnel-2026-W30.png"]


def test_a_week_that_is_none_is_answered_at_once_and_nothing_is_drawn(driver, slack):
    acked, _ = driver.ack("chart someday", command="/funnel")
    assert acked is not None and acked.ephemeral
    assert "not a week" in acked.text and "/funnel chart last week" in acked.text
    assert slack.calls("conversations.open") == [] and slack.uploads() == []


def test_a_chart_slack_refuses_is_said_to_the_caller_and_counted(driver, slack):
    slack.script("files.completeUploadExternal", {"ok": False, "error": "not_allowed"})
    failed = counters.counts().get(counters.CHART_FAILED, 0)
    reply = driver.one("chart", command="/funnel")
    assert reply.ephemeral and reply.text == (
        "Slack did not take the funnel chart of week 2026-W47 (not_allowed). `/funnel "
        "2026-W47` shows the same figures; try the chart again later.")
    assert counters.counts()[counters.CHART_FAILED] == failed + 1
