"""Three digest scheduler processes on one PostgreSQL database and a simulated clock; one of
them is killed with SIGKILL at each due time, at a random moment while Slack is slow to
answer (so kills land before, during and after the post), and replaced. Over many daily
periods, across a daylight-saving change, every period's digest reaches the channel exactly
once."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from storage.db import Database
from storage.digests.subscriptions import subscribe
from tests.faults.harness import HEADER_DIGESTS, digest_row, fault_seconds, stack

ROOT = Path(__file__).parents[2]
OSLO = ZoneInfo("Europe/Oslo")


def start_worker(url: str, api_url: str, clock: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "tests.faults.digest_worker", url, api_url,
                             str(clock)], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def wait_done(workers: list[subprocess.Popen[bytes]], clock: Path, now: str,
              timeout: float = 30) -> None:
    """Until every scheduler has finished its run at `now`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        marks = [Path(f"{clock}.{w.pid}") for w in workers]
        if all(m.exists() and m.read_text() == now for m in marks):
            return
        time.sleep(0.02)
    raise AssertionError(f"the schedulers did not finish their run at {now}")


def test_killing_schedulers_mid_send_loses_and_doubles_no_digest(tmp_path):
    days = max(8, int(fault_seconds() * 2))  # 10 simulated days in the suite
    first = datetime(2026, 10, 21)  # Oslo falls back from summer time on 25 October
    rng = random.Random(21)
    with stack() as running:
        db = Database(running.url)
        with db.transaction() as s:
            subscribe(s, team="T1", channel="CSALES", kind="pipeline",
                      days=("mon", "tue", "wed", "thu", "fri", "sat", "sun"), at_time="09:00",
                      timezone="Europe/Oslo", actor="UBOSS",
                      now=datetime(2026, 10, 20, tzinfo=UTC))
        db.dispose()
        running.slack.delays["chat.postMessage"] = 0.3
        clock = tmp_path / "clock"
        workers = [start_worker(running.url, running.slack.api_url, clock) for _ in range(3)]
        kills = 0
        try:
            for day in range(days):
                due = (first + timedelta(days=day, hours=9)).replace(tzinfo=OSLO).astimezone(UTC)
                for minutes in (0, 1, 12, 25):  # at the due time, then once the lease is over
                    now = (due + timedelta(minutes=minutes)).isoformat()
                    clock.write_text(now)
                    if minutes == 0:
                        time.sleep(rng.uniform(0.0, 0.5))
                        victim = rng.randrange(len(workers))
                        workers[victim].send_signal(signal.SIGKILL)
                        workers[victim].wait()
                        kills += 1
                        workers[victim] = start_worker(running.url, running.slack.api_url,
                                                       clock)
                    wait_done(workers, clock, now)
        finally:
            for worker in workers:
                worker.kill()
                worker.wait()
        posted = Counter(c.body["metadata"]["event_payload"]["period"]
                         for c in running.slack.calls("chat.postMessage")
                         if c.body.get("channel") == "CSALES")
    periods = {(first + timedelta(days=d)).date().isoformat() for d in range(days)}
    lost = len(periods - set(posted))
    duplicated = sum(n - 1 for n in posted.values() if n > 1)
    scenario = f"kill -9 of one of 3 schedulers at each due time ({kills} kills), DST change"
    print(f"\n{HEADER_DIGESTS}\n{digest_row(scenario, days, lost, duplicated)}")
    assert (lost, duplicated) == (0, 0), posted
    assert set(posted) == periods
