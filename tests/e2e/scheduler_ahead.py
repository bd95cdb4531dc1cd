"""`dealbot scheduler` for the end-to-end tests, with its clock moved: the real command
(settings from the environment, its database, its APScheduler thread, its SIGTERM handling,
its job, `--every SECONDS`) whose clock runs a minute ahead of the wall clock, so that a
digest subscribed for the coming minute is due at its first run rather than a real minute
later. The default schedule (every minute at second 0, UTC) is tested in
tests/bot/test_scheduler.py.

After each run of the job it writes how many runs it has finished into `ticks.<pid>` in its
working directory, so that a test can wait until every process has run again (`ticks`).

    python -m tests.e2e.scheduler_ahead --every 1
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.schedulers.base import BaseScheduler

from bot import scheduler
from bot.app import utc_now
from bot.config import Settings
from storage.db import Database

AHEAD = timedelta(minutes=1)
real_build = scheduler.build_scheduler


def ahead() -> datetime:
    return utc_now() + AHEAD


def build_ahead(settings: Settings, db: Database, **options: Any) -> BaseScheduler:
    built = real_build(settings, db, **{**options, "clock": ahead})
    [job] = built.get_jobs()
    tick, done, mark = job.func, 0, Path(f"ticks.{os.getpid()}")

    def counted(**kwargs: Any) -> None:
        nonlocal done
        tick(**kwargs)
        done += 1
        mark.write_text(str(done))

    built.modify_job(scheduler.JOB_ID, func=counted)
    return built


def ticks(folder: Path, pid: int) -> int:
    """How many runs of the job process `pid` has finished."""
    mark = folder / f"ticks.{pid}"
    return int(mark.read_text() or 0) if mark.exists() else 0


if __name__ == "__main__":
    scheduler.build_scheduler = build_ahead  # cmd_scheduler imports it when it runs
    from bot.cli.main import main

    sys.exit(main(["scheduler", *sys.argv[1:]]))
