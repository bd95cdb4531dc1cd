"""The APScheduler side: one job with a fixed id, every minute in UTC, run by the clock."""

from __future__ import annotations

from datetime import UTC

from bot import scheduler
from bot.config import Settings
from storage.digests.subscriptions import subscribe


def test_the_scheduler_has_one_minute_job_in_utc_with_deliberate_misfire_rules(db):
    built = scheduler.build_scheduler(Settings(database_url=db.url), db)
    [job] = built.get_jobs()
    assert job.id == scheduler.JOB_ID and job.func is scheduler.digest_tick
    assert job.trigger.timezone == UTC and str(job.trigger).startswith("cron[")
    assert job.coalesce is True and job.misfire_grace_time == scheduler.MISFIRE_GRACE_SECONDS
    assert job.max_instances == 1


def test_a_tick_posts_what_is_due_at_the_schedulers_clock(db, slack, clock, now):
    with db.transaction() as s:
        subscribe(s, team="T1", channel="C1", kind="pipeline", days=("sun",), at_time="12:00",
                  timezone="UTC", actor="U1", now=now.replace(hour=0))
    settings = Settings(database_url=db.url, slack_api_url=slack.api_url,
                        slack_bot_token="xoxb-test")
    scheduler.build_scheduler(settings, db, clock=clock)
    scheduler.digest_tick()
    scheduler.digest_tick()
    assert len(slack.calls("chat.postMessage")) == 1
