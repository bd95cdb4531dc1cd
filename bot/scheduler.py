"""The digest scheduler: one APScheduler job, every minute, that posts what is due: the
digests, then each person's nudge (bot.nudges).

The job store is in memory and private to the process: what must not happen twice is
guarded by the digest ledger in the database, so any number of scheduler processes (and
restarts) post each digest once. The job itself holds no schedule: it reads the
subscriptions on every run (bot.digests.run_due_digests).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from slack_sdk import WebClient

from bot.app import utc_now, web_client
from bot.config import Settings
from bot.digests import Unrecorded, run_due_digests
from bot.nudges import run_due_nudges
from handlers.deps import Clock
from storage.db import Database
from storage.errors import DatabaseUnavailable

log = logging.getLogger(__name__)
JOB_ID = "dealbot.digests"
# A run that starts late (a busy or suspended process) still runs within 50 seconds; later
# ones are dropped because the next minute's run covers them (missed digests are the
# ledger's business, not APScheduler's).
MISFIRE_GRACE_SECONDS = 50
EVERY_SECONDS = 60  # how often the job runs, by default at second 0 of every minute


def digest_tick(*, db: Database, settings: Settings, clock: Clock,
                unrecorded: Unrecorded | None = None) -> None:
    """The job: posts every digest and sends every nudge due now. Module-level, so
    APScheduler can name it; its dependencies come as the job's kwargs. A database that does
    not answer (DATABASE_TIMEOUT bounds the wait) ends the run with one warning: what is due
    stays due, and the next run, once the database is back, posts it; what the run did but
    could not record, `unrecorded` keeps for the next run to record (bot.digests)."""
    now, clients = clock(), client_factory(settings, db)
    try:
        for item in run_due_digests(db, clients, now, unrecorded=unrecorded):
            log.info("digest %s for %s: %s", item.subscription_id, item.period, item.outcome)
        for nudged in run_due_nudges(db, clients, now):
            log.info("nudge for %s in %s, %s: %s", nudged.user, nudged.team, nudged.period,
                     nudged.outcome)
    except DatabaseUnavailable as error:
        log.warning("the database is not answering (%s); what is due waits for the next run",
                    type(error).__name__)


def client_factory(settings: Settings, db: Database) -> Callable[[str], WebClient]:
    """A Web API client per workspace: the single bot token, or the workspace's own token
    from the OAuth installations."""
    def make(team: str) -> WebClient:
        if not settings.oauth:
            return web_client(settings)
        from bot.oauth import bot_token_for

        return web_client(settings, token=bot_token_for(settings, db, team))
    return make


def build_scheduler(settings: Settings, db: Database, *, clock: Clock = utc_now,
                    every: int = EVERY_SECONDS) -> BaseScheduler:
    """A scheduler (not started) with the one digest job, every minute at second 0 UTC (or
    every `every` seconds), in a thread of its own (bot.lifecycle stops it after the run
    under way)."""
    trigger: BaseTrigger = (CronTrigger(minute="*", second=0, timezone=UTC)
                            if every == EVERY_SECONDS else IntervalTrigger(seconds=every))
    scheduler = BackgroundScheduler(timezone=UTC)
    scheduler.add_job(digest_tick, trigger,
                      kwargs={"db": db, "settings": settings, "clock": clock,
                              "unrecorded": Unrecorded()},
                      id=JOB_ID, replace_existing=True, coalesce=True, max_instances=1,
                      misfire_grace_time=min(MISFIRE_GRACE_SECONDS, every))
    return scheduler


def start_in_background(settings: Settings, db: Database) -> BaseScheduler:
    """For `dealbot serve`: the scheduler in a daemon thread of the web process."""
    scheduler = build_scheduler(settings, db)
    scheduler.start()
    log.info("digest scheduler started")
    return scheduler
