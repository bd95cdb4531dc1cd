"""A digest scheduler process on a simulated clock, for the kill -9 scenario: each time the
clock file holds a new time, it runs the scheduler's job (`run_due_digests`) at that time,
then writes the time into its own file (`<clock>.<pid>`) to say it is done.

    python -m tests.faults.digest_worker DATABASE_URL SLACK_API_URL CLOCK_FILE
"""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime
from pathlib import Path

from bot.app import web_client
from bot.config import Settings
from bot.digests import run_due_digests
from storage.db import Database


def main(database_url: str, slack_api_url: str, clock_file: str) -> None:
    db = Database(database_url, timeout=2)
    settings = Settings(slack_api_url=slack_api_url, slack_bot_token="xoxb-worker")
    clock, done = Path(clock_file), Path(f"{clock_file}.{os.getpid()}")
    last = None
    while True:
        now = clock.read_text() if clock.exists() else None
        if now and now != last:
            last = now
            run_due_digests(db, lambda team: web_client(settings), datetime.fromisoformat(now))
            done.write_text(now)
        time.sleep(0.01)


if __name__ == "__main__":
    main(*sys.argv[1:4])
