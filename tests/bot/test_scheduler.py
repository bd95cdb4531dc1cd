"""The APScheduler side: one job with a fixed id, every minute in UTC, run by the clock."""

from __future__ import annotations

from datetime import UTC

from bot import scheduler
from bot.app import utc_now
from bot.config import Settings
from storage.digests.subscriptions import subscribe


def test_the_scheduler_has_one_minute_job_in_utc_with_deliberate_misfire_rules(db):
    built_with = Settings(database_url=db.url)
    built = scheduler.build_scheduler(built_with, db)
    [job] = built.get_jobs()
    assert job.id == scheduler.JOB_ID and job.func is scheduler.digest_tick
    assert job.trigger.timezone == UTC and str(job.trigger).startswith("cron[")
    assert job.coalesce is True and job.misfire_grace_time == scheduler.MISFIRE_GRACE_SECONDS
    assert job.max_instances == 1
    assert job.kwargs == {"db": db, "settings": built_with, "clock": utc_now,
                          "unrecorded": scheduler.Unrecorded()}


def test_a_tick_posts_what_is_due_at_the_schedulers_clock(db, slack, clock, now):
    with db.transaction() as s:
        subscribe(s, team="T1", channel="C1", kind="pipeline", days=("sun",), at_time="12:00",
                  timezone="UTC", actor="U1", now=now.replace(hour=0))
    settings = Settings(database_url=db.url, slack_api_url=slack.api_url,
                        slack_bot_token="xoxb-test")
    [job] = scheduler.build_scheduler(settings, db, clock=clock).get_jobs()
    for _ in range(2):  # as APScheduler runs the job: its function with its kwargs
        job.func(*job.args, **job.kwargs)
    assert len(slack.calls("chat.postMessage")) == 1


def test_every_sets_a_shorter_interval_than_the_minute(db):
    [job] = scheduler.build_scheduler(Settings(database_url=db.url), db, every=5).get_jobs()
    assert str(job.trigger) == "interval[0:00:05]" and job.misfire_grace_time == 5


def test_a_run_without_a_database_ends_with_one_warning_and_runs_again_later(caplog):
    from storage.db import Database

    gone = Database("postgresql+psycopg://dealbot@127.0.0.1:9/gone", timeout=1)  # refused
    settings = Settings(database_url=gone.url, slack_bot_token="xoxb-test")
    for _ in range(2):
        scheduler.digest_tick(db=gone, settings=settings, clock=utc_now)
    warned = [r for r in caplog.records if "database is not answering" in r.getMessage()]
    assert len(warned) == 2 and all(r.exc_info is None for r in warned)
