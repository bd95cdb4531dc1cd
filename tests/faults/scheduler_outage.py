"""`dealbot scheduler` (the command, a process of its own) on PostgreSQL behind the test's
`Proxy`, while the database refuses connections or goes silent as digests fall due.

`scheduler_outages(stack, modes, seconds, folder)` runs one scenario per mode, one after
the other against one scheduler process, and returns their `SchedulerFigures`. The scheduler
looks for due digests every second (`--every 1`). In each, one digest's post is under way
when the fault begins (the Slack stand-in holds it until the
fault is on), so the scheduler cannot record it; three more subscriptions are written
straight into the database during the fault, each due at once. Afterwards every due digest
must be in its channel exactly once (counted at the stand-in by the message metadata), and
the process must be the same one, alive and never restarted.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

from storage.db import Database
from storage.digests.subscriptions import subscribe
from tests.e2e.serving import dealbot_env
from tests.faults.harness import Stack
from tests.faults.proxy import PASS, REFUSE

ROOT = Path(__file__).parents[2]
IN_FLIGHT = "CFLIGHT"  # the channel whose digest is being posted when the fault begins
DUE_DURING = ("CDUE1", "CDUE2", "CDUE3")  # subscriptions that fall due during the fault
WAIT_AFTER = 30.0  # seconds to wait, at most, for the due digests once the database is back
WATCH_AFTER = 2.0  # seconds (two runs) to watch for a second post of any of them


@dataclass
class SchedulerFigures:
    """What one scheduler scenario showed, for the printed fault table."""

    scenario: str
    due: int = 0  # digests due: the one under way when the fault began, those due during it
    posted: int = 0  # of those, posted at least once
    lost: int = 0
    duplicated: int = 0
    last_after: float = 0.0  # seconds from the database back to the last due digest posted
    recorded: int = 0  # due digests the ledger records as posted by the end
    runs_failed: int = 0  # runs that ended because the database did not answer
    alive: bool = True
    exit_status: int | None = None

    def row(self) -> str:
        return (f"| {self.scenario} | {self.due} | {self.posted} | {self.lost} | "
                f"{self.duplicated} | {self.last_after:.2f} s | {self.recorded} of {self.due} "
                f"| {self.runs_failed} | {'yes, never restarted' if self.alive else 'NO'} |")


HEADER_SCHEDULER = (
    "| scenario | digests due | posted | lost | duplicated | last posted after the database "
    "was back | recorded in the ledger | runs ended by the fault | scheduler alive |\n"
    "|---|---|---|---|---|---|---|---|---|")


def start_scheduler(url: str, api_url: str, log: Path) -> subprocess.Popen[bytes]:
    """`dealbot scheduler --every 1`, its log in `log`, running once it says so."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "scheduler", "--every", "1"],
            env=dealbot_env({"DATABASE_URL": url, "SLACK_API_URL": api_url}), cwd=ROOT,
            stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while "scheduler running" not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"the scheduler did not start: {log.read_text()}")
        time.sleep(0.05)
    return process


def due_now(db: Database, channel: str) -> int:
    """A daily pipeline digest for `channel` whose time (this minute, UTC) has just come."""
    now = datetime.now(UTC)
    with db.transaction() as s:
        return subscribe(s, team="T1", channel=channel, kind="pipeline",
                         days=("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
                         at_time=now.strftime("%H:%M"), timezone="UTC", actor="UBOSS",
                         now=now - timedelta(minutes=1)).id


def scheduler_outages(stack: Stack, modes: tuple[str, ...], seconds: float,
                      folder: Path) -> list[SchedulerFigures]:
    """One `dealbot scheduler` through the proxy, through one fault after another (the
    process lives through them all); a `SchedulerFigures` for each."""
    db = Database(stack.url)  # the test's own way in, around the proxy
    log = folder / "scheduler.log"
    process = start_scheduler(stack.proxied_url, stack.slack.api_url, log)
    results = []
    try:
        for number, mode in enumerate(modes, start=1):
            results.append(_outage(stack, db, process, log, mode, seconds, f"{number}"))
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            status: int | None = process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            status = None
        db.dispose()
    for figures in results:
        figures.exit_status = status
    return results


def _outage(stack: Stack, db: Database, process: subprocess.Popen[bytes], log: Path,
            mode: str, seconds: float, tag: str) -> SchedulerFigures:
    figures = SchedulerFigures(
        f"PostgreSQL {'refusing' if mode == REFUSE else 'silent (hang)'} for {seconds:g} s, "
        "scheduler")
    failed_before = _runs_failed(log)
    held = stack.slack.hold("api", "chat.postMessage")
    due = [due_now(db, IN_FLIGHT + tag)]
    if not held.arrived.wait(20):
        raise AssertionError(f"the first digest was never posted: {log.read_text()}")
    stack.proxy.set(mode)  # the post is under way: the scheduler cannot record it
    due += [due_now(db, channel + tag) for channel in DUE_DURING]
    held.release.set()
    time.sleep(seconds)
    stack.proxy.set(PASS)
    back = time.monotonic()
    deadline = back + WAIT_AFTER
    while not set(due) <= set(_posted(stack)) and time.monotonic() < deadline:
        time.sleep(0.05)
    figures.last_after = time.monotonic() - back
    time.sleep(WATCH_AFTER)
    figures.alive = process.poll() is None
    posted = _posted(stack)
    figures.due = len(due)
    figures.posted = sum(1 for sub in due if posted[sub])
    figures.lost = figures.due - figures.posted
    figures.duplicated = sum(posted[sub] - 1 for sub in due if posted[sub] > 1)
    figures.recorded = _recorded(stack.url, due)
    figures.runs_failed = _runs_failed(log) - failed_before
    return figures


def _runs_failed(log: Path) -> int:
    return log.read_text(errors="replace").count("the database is not answering")


def _posted(stack: Stack) -> Counter[int]:
    """How many times each subscription's digest reached its channel."""
    return Counter(c.body["metadata"]["event_payload"]["subscription"]
                   for c in stack.slack.calls("chat.postMessage")
                   if (c.body.get("metadata") or {}).get("event_type") == "dealbot_digest")


def _recorded(url: str, subscriptions: list[int]) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(
                "SELECT count(*) FROM digest_ledger WHERE posted_at IS NOT NULL "
                "AND subscription_id = ANY(:ids)"), {"ids": subscriptions}).scalar_one()
    finally:
        engine.dispose()
