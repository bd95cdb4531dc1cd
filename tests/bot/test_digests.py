"""The digest scheduler's guarantees, with a moved clock instead of sleeping."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import web_client
from bot.config import Settings
from bot.digests import run_due_digests
from bot.slack_standin import validate_blocks
from handlers import counters
from handlers.charts.funnel import FunnelChart
from storage.digests.subscriptions import list_subscriptions, subscribe, unsubscribe
from tests.handlers.charts.pixels import decoded

DAY = datetime(2026, 11, 18, tzinfo=UTC)  # a Wednesday


def utc(hour: int, minute: int = 0, day: datetime = DAY) -> datetime:
    return day + timedelta(hours=hour, minutes=minute)


@pytest.fixture
def clients(slack):
    settings = Settings(slack_api_url=slack.api_url, slack_bot_token="xoxb-test")
    return lambda team: web_client(settings)


def add(db, *, channel="CSALES", kind="pipeline", days=("mon", "tue", "wed", "thu", "fri"),
        at="09:00", zone="Europe/Oslo", when=None):
    when = when or utc(0, 0, DAY - timedelta(days=7))
    with db.transaction() as s:
        return subscribe(s, team="T1", channel=channel, kind=kind, days=days, at_time=at,
                         timezone=zone, actor="UBOSS", now=when)


def posts(slack, channel=None):
    return [c for c in slack.calls("chat.postMessage")
            if channel is None or c.body.get("channel") == channel]


def blocks_of(call) -> list[dict]:
    blocks = call.body["blocks"]
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def run(db, clients, when):
    return run_due_digests(db, clients, when)


def test_a_digest_due_while_the_process_was_down_is_posted_once_when_it_starts(db, slack, clients):
    add(db)  # 09:00 in Oslo is 08:00 UTC in November
    run(db, clients, utc(7, 55))
    assert posts(slack) == []
    run(db, clients, utc(8, 20))  # down from 07:55 to 08:20 UTC
    run(db, clients, utc(8, 21))
    run(db, clients, utc(9, 0))
    assert len(posts(slack)) == 1
    validate_blocks(blocks_of(posts(slack)[0]))


def test_a_digest_missed_by_more_than_the_grace_period_is_skipped_not_replayed(db, slack, clients):
    add(db)
    run(db, clients, utc(7, 0))
    run(db, clients, utc(7, 0, DAY + timedelta(days=1)))  # down until the next morning
    assert posts(slack) == []
    run(db, clients, utc(8, 0, DAY + timedelta(days=1)))
    assert len(posts(slack)) == 1


def test_a_digest_is_not_owed_for_a_time_before_its_subscription(db, slack, clients):
    add(db, when=utc(9, 0))  # subscribed an hour after today's 09:00 Oslo
    run(db, clients, utc(9, 1))
    assert posts(slack) == []
    run(db, clients, utc(8, 0, DAY + timedelta(days=1)))
    assert len(posts(slack)) == 1


def test_weekdays_only_skip_the_weekend(db, slack, clients):
    add(db)
    for day in range(7):
        run(db, clients, utc(8, 5, DAY + timedelta(days=day)))
    assert len(posts(slack)) == 5


SPRING_FORWARD = datetime(2026, 3, 29, tzinfo=UTC)  # Oslo: 02:00 CET -> 03:00 CEST
FALL_BACK = datetime(2026, 10, 25, tzinfo=UTC)  # Oslo: 03:00 CEST -> 02:00 CET


def sent_every_five_minutes(db, clients, start: datetime, hours: int) -> list[datetime]:
    """The times a scheduler running every five minutes from `start` posted something."""
    sent = []
    for minutes in range(0, hours * 60, 5):
        when = start + timedelta(minutes=minutes)
        if run(db, clients, when):
            sent.append(when)
    return sent


def test_a_digest_in_the_hour_the_clocks_skip_is_posted_once_an_hour_later(db, slack, clients):
    """02:30 does not exist in Oslo on 29 March: the digest is posted once, at 03:30 CEST
    (01:30 UTC), the time APScheduler's cron trigger gives it."""
    add(db, days=("sun",), at="02:30", when=SPRING_FORWARD - timedelta(days=3))
    sent = sent_every_five_minutes(db, clients, SPRING_FORWARD - timedelta(hours=2), 7)
    assert sent == [datetime(2026, 3, 29, 1, 30, tzinfo=UTC)] and len(posts(slack)) == 1


def test_a_digest_in_the_hour_that_happens_twice_is_posted_once_at_the_first(db, slack, clients):
    """02:30 happens twice in Oslo on 25 October (00:30 and 01:30 UTC): the digest is posted
    at the first; the second finds the day's period claimed and posts nothing."""
    add(db, days=("sun",), at="02:30", when=FALL_BACK - timedelta(days=3))
    sent = sent_every_five_minutes(db, clients, FALL_BACK - timedelta(hours=2), 7)
    assert sent == [datetime(2026, 10, 25, 0, 30, tzinfo=UTC)] and len(posts(slack)) == 1


@pytest.mark.parametrize(("change", "offsets"), [(SPRING_FORWARD, (1, 2, 2)),
                                                  (FALL_BACK, (2, 1, 1))])
def test_a_morning_digest_stays_at_nine_local_across_a_daylight_saving_change(
        db, slack, clients, change, offsets):
    """A daily 09:00 digest in Oslo, the day before, of and after the change: one post a day,
    each at 09:00 local (08:00 or 07:00 UTC)."""
    add(db, days=("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
        when=change - timedelta(days=3))
    sent = sent_every_five_minutes(db, clients, change - timedelta(days=1), 3 * 24)
    assert sent == [change + timedelta(days=day, hours=9 - offset)
                    for day, offset in zip((-1, 0, 1), offsets, strict=True)]
    assert len(posts(slack)) == 3


def at_once(count: int, work):
    """Runs `work` in `count` threads released together; what each returned."""
    barrier = threading.Barrier(count)
    results = []

    def racer() -> None:
        barrier.wait()
        results.append(work())

    threads = [threading.Thread(target=racer) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_schedulers_racing_for_the_same_digest_post_it_once(db, slack, clients):
    add(db)
    results = at_once(2, lambda: run(db, clients, utc(8, 0)))
    assert len(posts(slack)) == 1
    assert sorted(len(r) for r in results) == [0, 1]


def test_not_in_channel_joins_the_channel_and_posts(db, slack, clients):
    add(db)
    slack.script("chat.postMessage", {"ok": False, "error": "not_in_channel"})
    run(db, clients, utc(8, 0))
    assert [c.body["channel"] for c in slack.calls("conversations.join")] == ["CSALES"]
    assert len(posts(slack)) == 2  # refused, then posted after joining


def test_a_gone_channel_pauses_its_digest_and_tells_the_creator_without_blocking_others(
        db, slack, clients):
    add(db, channel="CGONE")
    add(db, channel="COTHER")
    slack.script("chat.postMessage", {"ok": False, "error": "channel_not_found"},
                 channel="CGONE")
    run(db, clients, utc(8, 0))
    assert [c.body["users"] for c in slack.calls("conversations.open")] == ["UBOSS"]
    dm = posts(slack, "DUBOSS")
    assert len(dm) == 1 and "paused" in dm[0].body["text"]
    assert len(posts(slack, "COTHER")) == 1
    with db.transaction() as s:
        paused = {v.channel: v.paused_reason for v in list_subscriptions(s, team="T1")}
    assert paused == {"CGONE": "channel_not_found", "COTHER": None}
    run(db, clients, utc(8, 0, DAY + timedelta(days=1)))
    assert len(posts(slack, "CGONE")) == 1  # the refused attempt only


def test_rate_limits_are_retried_within_the_period(db, slack, clients):
    add(db)
    slack.script("chat.postMessage", slack.http(429, {"ok": False, "error": "ratelimited"},
                                                {"Retry-After": "0"}))
    sent = run(db, clients, utc(8, 0))
    assert [s.outcome for s in sent] == ["posted"]


def test_one_channels_rate_limit_does_not_hold_up_another_channels_digest(db, slack, clients):
    for channel in ("CBUSY", "CQUIET1", "CQUIET2", "CQUIET3"):
        add(db, channel=channel)
    slack.script("chat.postMessage", slack.http(429, {"ok": False, "error": "ratelimited"},
                                                {"Retry-After": "2"}), channel="CBUSY")
    sent = run(db, clients, utc(8, 0))
    assert [s.outcome for s in sent] == ["posted"] * 4
    order = [c.body["channel"] for c in posts(slack)]
    # the quiet channels' digests went out while the busy one waited out its Retry-After
    assert order.count("CBUSY") == 2 and order[-1] == "CBUSY", order


def test_a_failure_that_outlives_the_retries_is_tried_again_on_the_next_run(db, slack, clients):
    add(db)
    slack.script("chat.postMessage", *[slack.http(503)] * 3)
    run(db, clients, utc(8, 0))
    assert run(db, clients, utc(8, 1))[0].outcome == "posted"
    assert run(db, clients, utc(8, 2)) == []


def test_slack_out_of_reach_gives_the_period_back_for_the_next_run(db, slack, clients):
    from tests.e2e.serving import free_port

    add(db)
    nowhere = Settings(slack_api_url=f"http://127.0.0.1:{free_port()}/api/",
                       slack_bot_token="xoxb-test")
    assert [s.outcome for s in run(db, lambda team: web_client(nowhere), utc(8, 0))] == [
        "connection_error"]
    assert [s.outcome for s in run(db, clients, utc(8, 1))] == ["posted"]
    assert len(posts(slack)) == 1


def test_removed_and_changed_subscriptions_apply_without_a_restart(db, slack, clients):
    add(db)
    with db.transaction() as s:
        unsubscribe(s, team="T1", channel="CSALES", kind="pipeline")
    run(db, clients, utc(8, 0))
    assert posts(slack) == []
    add(db, at="10:00", when=utc(8, 30))
    run(db, clients, utc(9, 0))
    assert len(posts(slack)) == 1


def test_a_weekly_funnel_digest_posts_once_a_week(db, slack, clients):
    add(db, kind="funnel", days=("mon",))
    for day in range(14):
        run(db, clients, utc(8, 30, DAY + timedelta(days=day)))
    assert len(posts(slack)) == 2
    assert "Funnel, week 2026-W47" in posts(slack)[0].body["text"]  # the complete week before
    validate_blocks(blocks_of(posts(slack)[0]))


MONDAY = datetime(2026, 11, 23, tzinfo=UTC)


def test_the_weekly_funnel_digest_is_followed_by_its_chart_in_its_thread(db, slack, clients):
    add(db, kind="funnel", days=("mon",))
    add(db, kind="pipeline", channel="CDAILY")
    run(db, clients, utc(8, 30, MONDAY))
    assert [(r.kind, r.name) for r in slack.received() if r.body.get("channel") != "CDAILY"] == [
        ("api", "chat.postMessage"), ("api", "files.getUploadURLExternal"), ("upload", "F1"),
        ("api", "files.completeUploadExternal")]
    (post,) = posts(slack, "CSALES")
    (started,) = slack.calls("files.getUploadURLExternal")
    assert started.body["filename"] == "dealbot-funnel-2026-W47.png"
    assert started.body["alt_txt"].startswith("Funnel chart of week 2026-W47 (Mon 16 Nov 2026 to "
                                              "Sun 22 Nov 2026, Europe/Oslo) against the week "
                                              "before.")
    (upload,) = slack.uploads()  # the daily pipeline digest has no chart
    assert decoded(upload.body["content"]).shape == (800, 1200, 3)
    (done,) = slack.calls("files.completeUploadExternal")
    assert (done.body["channel_id"], done.body["thread_ts"]) == ("CSALES", post.answer["ts"])
    assert done.body["files"][0]["title"] == "Funnel, week 2026-W47"


@pytest.mark.parametrize("failure", ["files.getUploadURLExternal",
                                     "files.completeUploadExternal", "drawing"])
def test_a_chart_that_fails_leaves_the_digest_posted_once_and_is_logged_and_counted(
        db, slack, clients, failure, monkeypatch, caplog):
    def broken(self, **_):
        raise ValueError("no picture")

    if failure == "drawing":
        monkeypatch.setattr(FunnelChart, "png", broken)
    else:
        slack.script(failure, {"ok": False, "error": "file_uploads_disabled"})
    add(db, kind="funnel", days=("mon",))
    failed = counters.counts().get(counters.CHART_FAILED, 0)
    assert [s.outcome for s in run(db, clients, utc(8, 30, MONDAY))] == ["posted"]
    assert run(db, clients, utc(8, 31, MONDAY)) == []  # posted: not tried again
    assert len(posts(slack)) == 1 and "Funnel, week 2026-W47" in posts(slack)[0].body["text"]
    assert counters.counts()[counters.CHART_FAILED] == failed + 1
    assert "dealbot-funnel-2026-W47.png for CSALES was not shared" in caplog.text
    assert ("ValueError" if failure == "drawing" else "file_uploads_disabled") in caplog.text


def test_a_team_with_a_monthly_target_sees_its_attainment_and_coverage_in_the_daily_digest(
        db, slack, clients):
    from decimal import Decimal

    from storage.deals import operations as deals
    from storage.kinds import TargetPeriod
    from storage.targets import set_target

    add(db)
    with db.transaction() as s:
        start = utc(7, 0, DAY - timedelta(days=3))
        deals.create_deal(s, team="T1", name="Acme", value=Decimal("10000"), actor="U1",
                          now=start)
        deals.win_deal(s, team="T1", number=1, actor="U1", now=start)
        deals.create_deal(s, team="T1", name="Globex", value=Decimal("50000"), actor="U1",
                          now=start, stage="Proposal", expected_close=DAY.date())
        set_target(s, team="T1", amount=Decimal("40000"), period=TargetPeriod.MONTH,
                   owner=None, actor="UBOSS", now=start)
    run(db, clients, utc(8, 5))
    (post,) = posts(slack)
    shown = json.dumps(blocks_of(post), ensure_ascii=False)
    assert ("Monthly target, November 2026:* won $10,000 of $40,000 (25%) · 13 days left · "
            "coverage 1.0× ($30,000 weighted closing, $30,000 to go)") in shown
    assert "Monthly target, November 2026: won $10,000 of $40,000 (25%)" in post.body["text"]
