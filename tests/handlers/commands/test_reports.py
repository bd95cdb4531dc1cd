"""/pipeline and /funnel through the real Bolt app: reports, sharing, subscriptions."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import insert

from bot.slack_standin import validate_blocks
from storage.digests.subscriptions import list_subscriptions
from storage.models import Deal, DealEvent
from storage.stages import stages_of
from storage.workspaces import ensure_workspace


def insert_open_deals(db, count: int, *, at) -> None:
    """`count` open deals spread over the open stages, in bulk (test data only)."""
    with db.transaction() as s:
        ensure_workspace(s, team="T1", now=at)
        stages = [st for st in stages_of(s, team="T1") if st.kind == "open"]
        rows = [{"id": 100_000 + i, "team_id": "T1", "number": 1000 + i, "name": f"Deal {i}",
                 "pipeline_id": stages[0].pipeline_id, "stage_id": stages[i % 5].id,
                 "value": Decimal(1000 + i), "owner": "U1", "tags": "",
                 "expected_close": (at + timedelta(days=20 + i % 20)).date(),
                 "created_at": at, "last_activity_at": at, "version": 1}
                for i in range(count)]
        s.execute(insert(Deal), rows)
        s.execute(insert(DealEvent), [
            {"team_id": "T1", "deal_id": r["id"], "at": at, "kind": "created",
             "to_stage_id": r["stage_id"], "amount": r["value"]} for r in rows])


def test_pipeline_shows_the_summary_with_a_share_button_that_posts_it_in_channel(driver, db, now):
    driver.one("new Acme 50k stage:proposal")
    reply = driver.one("", command="/pipeline")
    assert reply.ephemeral and "Proposal" in reply.text and "$50,000" in reply.text
    shared = driver.click(reply, "report.share")
    assert len(shared) == 1 and not shared[0].ephemeral
    assert "Shared by <@U1>" in shared[0].text and "report.share" not in str(shared[0].blocks)


def test_an_unknown_pipeline_word_is_answered_with_the_usage(driver):
    reply = driver.one("frobnicate", command="/pipeline")
    assert reply.ephemeral and "/pipeline help" in reply.text


def test_funnel_shows_this_week_last_week_and_a_named_week(driver):
    assert "2026-W47" in driver.one("", command="/funnel").text
    assert "2026-W46" in driver.one("last week", command="/funnel").text
    w40 = driver.one("2026-W40", command="/funnel").text
    assert "2026-W40" in w40 and "leads created since Mon 7 Sep 2026" in w40
    assert "leads created in the 4 weeks ending this week" in w40
    bad = driver.one("someday", command="/funnel")
    assert "not a week" in bad.text and "/funnel last week" in bad.text


def test_subscribing_is_for_admins(driver, db):
    reply = driver.one("subscribe at 9:00", command="/pipeline", user="U1")
    assert "Only workspace admins" in reply.text
    with db.transaction() as s:
        assert list_subscriptions(s, team="T1") == []


def test_subscribe_defaults_to_this_channel_and_the_workspaces_zone_and_says_when(driver, db):
    driver.one("settings timezone Europe/Oslo", user="UADMIN")
    reply = driver.one("subscribe weekdays at 8:30", command="/pipeline", user="UADMIN")
    assert "<#C1>" in reply.text and "on weekdays at 08:30 (Europe/Oslo)" in reply.text
    assert "(Mon 23 Nov 2026 at 08:30 Europe/Oslo)" in reply.text  # now is Sunday 22 Nov
    reply = driver.one("subscribe <#C9|lead> friday at 16:00 tz:America/New_York",
                       command="/funnel", user="UADMIN")
    assert "on Fri at 16:00 (America/New_York)" in reply.text
    listing = driver.one("subscriptions", command="/pipeline")
    assert "<#C1>" in listing.text and "<#C9>" in listing.text
    driver.one("unsubscribe <#C9|lead>", command="/funnel", user="UADMIN")
    with db.transaction() as s:
        assert [(v.channel, v.kind) for v in list_subscriptions(s, team="T1")] == [
            ("C1", "pipeline")]


def test_subscribe_takes_the_workspaces_zone_not_the_subscribers_own(driver, slack):
    slack.users["U5"] = {"id": "U5", "is_admin": True, "tz": "America/New_York"}
    reply = driver.one("subscribe at 9:00", command="/pipeline", user="U5")
    assert "every day at 09:00 (UTC)" in reply.text


def test_bad_subscription_input_is_refused_with_the_usage(driver, db):
    assert "not a time of day" in driver.one("subscribe at 25:00", command="/pipeline",
                                             user="UADMIN").text
    assert "not a time zone" in driver.one("subscribe tz:Mars/Base", command="/pipeline",
                                           user="UADMIN").text
    assert "has no pipeline digest" in driver.one("unsubscribe", command="/pipeline",
                                                  user="UADMIN").text
    with db.transaction() as s:
        assert list_subscriptions(s, team="T1") == []


def test_ten_thousand_open_deals_stay_within_slacks_limits(driver, db, now):
    insert_open_deals(db, 10_000, at=now - timedelta(days=30))
    reply = driver.one("", command="/pipeline")
    validate_blocks(reply.blocks)
    assert len(reply.blocks) <= 50 and "more" in reply.text
    assert "10,000" in reply.text
