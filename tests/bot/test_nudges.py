"""Nudges over simulated days: the scheduler's run with a moved clock and the Slack stand-in."""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from bot.app import web_client
from bot.config import Settings
from bot.nudges import run_due_nudges
from bot.slack_standin import validate_blocks
from storage.deals import operations as deals
from storage.kinds import PipelineKind
from storage.leaving import (
    TOKENS_REVOKED,
    UNINSTALLED,
    pause_for_leaving,
    resume_after_reinstall,
)
from storage.nudges.items import snooze
from storage.nudges.settings import change_nudges, nudge_setting

MONDAY = datetime(2026, 11, 23, tzinfo=UTC)  # 09:00 in Oslo is 08:00 UTC in November


@pytest.fixture
def clients(slack):
    settings = Settings(slack_api_url=slack.api_url, slack_bot_token="xoxb-test")
    return lambda team: web_client(settings)


def stale_deal(db, owner="UBOB", name="Acme", when=MONDAY - timedelta(days=30), team="T1"):
    with db.transaction() as s:
        return deals.create_deal(s, team=team, name=name, actor="UANN", now=when,
                                 value=Decimal(5000), owner=owner).deal


def dms(slack, user="UBOB"):
    return [c for c in slack.calls("chat.postMessage") if c.body.get("channel") == f"D{user}"]


def blocks_of(call) -> list[dict]:
    blocks = call.body["blocks"]
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def every_five_minutes(db, clients, start, hours):
    """The times a scheduler running every five minutes from `start` sent something."""
    sent = []
    for minutes in range(0, hours * 60, 5):
        when = start + timedelta(minutes=minutes)
        if any(n.outcome == "posted" for n in run_due_nudges(db, clients, when)):
            sent.append(when)
    return sent


def test_a_stale_deal_owner_gets_one_dm_at_the_minute_they_chose(db, slack, clients):
    stale_deal(db)
    with db.transaction() as s:  # at 10:30 Oslo (09:30 UTC), bob asks for 10:31
        change_nudges(s, team="T1", user="UBOB", now=MONDAY + timedelta(hours=9, minutes=30),
                      at_time="10:31")
    for minute in range(30, 35):
        run_due_nudges(db, clients, MONDAY + timedelta(hours=9, minutes=minute))
    [dm] = dms(slack)
    assert [c.body["users"] for c in slack.calls("conversations.open")] == ["UBOB"]
    blocks = blocks_of(dm)
    validate_blocks(blocks)
    assert "#1 Acme" in dm.body["text"] and "no activity for 30 days" in json.dumps(blocks)
    actions = [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert actions == ["nudge.snooze~d1", "nudge.log~d1", "nudge.open~d1"]


def test_two_schedulers_racing_send_one_nudge(db, slack, clients):
    stale_deal(db)
    stale_deal(db, owner="UCAT")
    barrier = threading.Barrier(2)
    results = []

    def scheduler() -> None:
        barrier.wait()
        results.append(run_due_nudges(db, clients, MONDAY + timedelta(hours=8)))

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(dms(slack)) == 1 and len(dms(slack, "UCAT")) == 1
    assert sorted(n.user for r in results for n in r) == ["UBOB", "UCAT"]


def test_each_line_says_why_the_item_needs_its_owner(db, slack, clients):
    with db.transaction() as s:
        deals.create_deal(s, team="T1", name="Late <!channel>", actor="UBOB", now=MONDAY,
                          value=Decimal(5000), expected_close=MONDAY.date() - timedelta(days=3))
        deals.set_next_action(s, team="T1", number=1, text="call *Jane*", due=MONDAY.date(),
                              actor="UBOB", now=MONDAY)
    run_due_nudges(db, clients, MONDAY + timedelta(hours=8))
    [dm] = dms(slack)
    [line] = [b["text"]["text"] for b in blocks_of(dm) if "#1" in b.get("text", {}).get("text", "")]
    assert line == ("*#1 Late &lt;!channel&gt;* (Prospecting, $5,000) — its expected close "
                    "(Fri 20 Nov 2026) has passed; next action due Mon 23 Nov 2026: call *Jane*")


def test_nothing_to_say_sends_nothing(db, slack, clients):
    stale_deal(db, when=MONDAY - timedelta(days=1))  # fresh
    [done] = run_due_nudges(db, clients, MONDAY + timedelta(hours=8))
    assert done.outcome == "nothing to say" and dms(slack) == []
    assert run_due_nudges(db, clients, MONDAY + timedelta(hours=8, minutes=1)) == []


def test_weekdays_by_default_and_every_day_when_asked(db, slack, clients):
    stale_deal(db)
    stale_deal(db, owner="UCAT")
    with db.transaction() as s:
        change_nudges(s, team="T1", user="UCAT", now=MONDAY, every_day=True)
    for day in range(7):
        run_due_nudges(db, clients, MONDAY + timedelta(days=day, hours=8, minutes=5))
    assert (len(dms(slack)), len(dms(slack, "UCAT"))) == (5, 7)


def test_off_sends_nothing_until_on_again(db, slack, clients):
    stale_deal(db)
    with db.transaction() as s:
        change_nudges(s, team="T1", user="UBOB", now=MONDAY, enabled=False)
    run_due_nudges(db, clients, MONDAY + timedelta(hours=8))
    assert dms(slack) == []
    with db.transaction() as s:
        change_nudges(s, team="T1", user="UBOB", now=MONDAY + timedelta(hours=9),
                      enabled=True)
    run_due_nudges(db, clients, MONDAY + timedelta(days=1, hours=8))
    assert len(dms(slack)) == 1


def test_the_persons_slack_time_zone_decides_and_is_asked_once_a_week(db, slack, clients):
    stale_deal(db)
    slack.users["UBOB"] = {"tz": "America/New_York"}  # 09:00 there is 14:00 UTC
    run_due_nudges(db, clients, MONDAY)  # first seen: the zone is asked and kept
    assert run_due_nudges(db, clients, MONDAY + timedelta(hours=8)) == []
    assert [n.outcome for n in run_due_nudges(db, clients, MONDAY + timedelta(hours=14))] == [
        "posted"]
    for day in range(1, 7):
        run_due_nudges(db, clients, MONDAY + timedelta(days=day, hours=14))
    assert len(slack.calls("users.info")) == 1
    run_due_nudges(db, clients, MONDAY + timedelta(days=7, hours=14))
    assert len(slack.calls("users.info")) == 2


def test_without_a_slack_zone_the_workspace_zone_counts(db, slack, clients):
    stale_deal(db)  # the workspace's zone is UTC by default
    slack.users["UBOB"] = {"tz": None}
    run_due_nudges(db, clients, MONDAY)
    assert run_due_nudges(db, clients, MONDAY + timedelta(hours=8)) == []
    assert len(run_due_nudges(db, clients, MONDAY + timedelta(hours=9))) == 1


def test_a_nudge_missed_while_down_is_sent_once_if_under_three_hours_late(db, slack, clients):
    stale_deal(db)
    run_due_nudges(db, clients, MONDAY + timedelta(hours=7))  # then down until 09:30 UTC
    run_due_nudges(db, clients, MONDAY + timedelta(hours=9, minutes=30))
    run_due_nudges(db, clients, MONDAY + timedelta(hours=9, minutes=31))
    assert len(dms(slack)) == 1
    run_due_nudges(db, clients, MONDAY + timedelta(days=1, hours=11, minutes=5))  # 3h05 late
    assert len(dms(slack)) == 1


SPRING_FORWARD = datetime(2026, 3, 29, tzinfo=UTC)  # Oslo: 02:00 CET -> 03:00 CEST
FALL_BACK = datetime(2026, 10, 25, tzinfo=UTC)  # Oslo: 03:00 CEST -> 02:00 CET


@pytest.mark.parametrize(("change", "offsets"), [(SPRING_FORWARD, (1, 2, 2)),
                                                  (FALL_BACK, (2, 1, 1))])
def test_a_daily_nudge_stays_at_nine_in_oslo_across_daylight_saving(db, slack, clients,
                                                                     change, offsets):
    stale_deal(db, when=change - timedelta(days=40))
    with db.transaction() as s:
        change_nudges(s, team="T1", user="UBOB", now=change - timedelta(days=3), every_day=True)
    sent = every_five_minutes(db, clients, change - timedelta(days=1), 3 * 24)
    assert sent == [change + timedelta(days=day, hours=9 - offset)
                    for day, offset in zip((-1, 0, 1), offsets, strict=True)]


@pytest.mark.parametrize("change", [SPRING_FORWARD, FALL_BACK])
def test_a_nudge_in_the_hour_the_clocks_change_comes_once(db, slack, clients, change):
    stale_deal(db, when=change - timedelta(days=40))
    with db.transaction() as s:
        change_nudges(s, team="T1", user="UBOB", now=change - timedelta(days=3),
                      every_day=True, at_time="02:30")
    sent = every_five_minutes(db, clients, change - timedelta(hours=2), 7)
    assert len(sent) == 1 and len(dms(slack)) == 1


def test_a_snoozed_deal_is_left_out_until_the_snooze_ends(db, slack, clients):
    stale_deal(db, name="Acme")
    stale_deal(db, name="Globex")
    with db.transaction() as s:
        snooze(s, team="T1", kind=PipelineKind.DEAL, number=1, days=3, actor="UBOB",
               now=MONDAY)
    for day in range(4):
        run_due_nudges(db, clients, MONDAY + timedelta(days=day, hours=8))
    texts = [dm.body["text"] for dm in dms(slack)]
    assert ["Acme" in t for t in texts] == [False, False, False, True]
    assert all("Globex" in t for t in texts)


def test_someone_who_left_is_skipped_logged_and_never_retried(db, slack, clients, caplog):
    for owner in ("UAAA", "UBOB", "UGONE"):  # the scheduler meets them in this order
        stale_deal(db, owner=owner)
    slack.script("users.info", {"ok": False, "error": "user_not_found"})  # UAAA's
    slack.users["UGONE"] = {"deleted": True}
    caplog.set_level(logging.INFO)
    for day in range(3):
        run_due_nudges(db, clients, MONDAY + timedelta(days=day, hours=8))
    assert [c.body["channel"] for c in slack.calls("chat.postMessage")] == ["DUBOB"] * 3
    assert "UGONE in T1 stop: account_inactive" in caplog.text
    assert "UAAA in T1 stop: user_not_found" in caplog.text
    with db.transaction() as s:
        assert nudge_setting(s, team="T1", user="UGONE").gone_reason == "account_inactive"
    asked = [c.body["user"] for c in slack.calls("users.info")]
    assert sorted(asked) == ["UAAA", "UBOB", "UGONE"]


def test_a_dm_refused_because_the_account_is_inactive_stops_that_persons_nudges(
        db, slack, clients):
    stale_deal(db)
    slack.script("conversations.open", {"ok": False, "error": "account_inactive"})
    [done] = run_due_nudges(db, clients, MONDAY + timedelta(hours=8))
    assert done.outcome == "account_inactive"
    for day in range(1, 3):
        assert run_due_nudges(db, clients, MONDAY + timedelta(days=day, hours=8)) == []
    with db.transaction() as s:  # turning nudges on again brings them back
        change_nudges(s, team="T1", user="UBOB", now=MONDAY + timedelta(days=3),
                      enabled=True)
    assert [n.outcome for n in run_due_nudges(
        db, clients, MONDAY + timedelta(days=4, hours=8))] == ["posted"]


def test_a_rate_limited_run_of_200_people_sends_each_one_nudge(db, slack, clients):
    people = [f"U{n:03d}" for n in range(200)]
    with db.transaction() as s:
        for user in people:
            deals.create_deal(s, team="T1", name=f"Deal of {user}", actor="UANN",
                              now=MONDAY - timedelta(days=30), owner=user)
    limited = slack.http(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "0"})
    slack.script("users.info", limited, limited)
    slack.script("chat.postMessage", limited, limited, limited)
    run_due_nudges(db, clients, MONDAY + timedelta(hours=8))
    slack.script("chat.postMessage", *[limited] * 4)  # outlives the retries: given back
    run_due_nudges(db, clients, MONDAY + timedelta(hours=8, minutes=1))
    run_due_nudges(db, clients, MONDAY + timedelta(hours=8, minutes=2))
    posted = [c.body["channel"] for c in slack.calls("chat.postMessage")
              if c.answer and c.answer.get("ok")]
    assert sorted(posted) == sorted(f"D{u}" for u in people)


def test_a_workspace_whose_client_cannot_be_made_does_not_stop_the_others(db, slack, clients,
                                                                         caplog):
    stale_deal(db)
    stale_deal(db, owner="UZED", name="Other", team="T2")

    def client_of(team):
        if team == "T2":
            raise LookupError("no installation for T2")
        return clients(team)

    sent = run_due_nudges(db, client_of, MONDAY + timedelta(hours=8))
    assert [(n.user, n.outcome) for n in sent] == [("UBOB", "posted")]
    assert "could not ask Slack about UZED in T2" in caplog.text


@pytest.mark.parametrize("reason", [UNINSTALLED, TOKENS_REVOKED])
def test_a_workspace_that_left_gets_no_nudges_until_installed_again(db, slack, clients,
                                                                    reason):
    stale_deal(db)
    stale_deal(db, owner="UZED", name="Other", team="T2")
    with db.transaction() as s:
        pause_for_leaving(s, teams=["T1"], reason=reason)
    for day in range(2):
        sent = run_due_nudges(db, clients, MONDAY + timedelta(days=day, hours=8))
        assert [(n.team, n.user) for n in sent] == [("T2", "UZED")]
    assert [c.body["user"] for c in slack.calls("users.info")] == ["UZED"]
    with db.transaction() as s:  # back on Tuesday at 10:00: that day's 09:00 is not owed
        resume_after_reinstall(s, teams=["T1"], now=MONDAY + timedelta(days=1, hours=10))
    assert run_due_nudges(db, clients, MONDAY + timedelta(days=1, hours=10, minutes=1)) == []
    run_due_nudges(db, clients, MONDAY + timedelta(days=2, hours=8))
    assert len(dms(slack)) == 1 and len(dms(slack, "UZED")) == 3
