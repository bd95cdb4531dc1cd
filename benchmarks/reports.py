"""Times the reports on a large workspace and measures the Python memory they take. Not a
test: run it by hand,

    .venv/bin/python benchmarks/reports.py [DEALS] [DATABASE_URL]

It imports DEALS deals (default 100,000, about half a million events; four in five with an
expected close from a month ago to four months ahead) and DEALS / 5 leads into a fresh
database (a temporary SQLite file, or an EMPTY database at DATABASE_URL), sets a monthly and
a quarterly team target, then prints how long the pipeline summary (now, and as of 30 days
ago), the funnel report, the forecast (now by month, 30 days ago by quarter) and the target
lines of `/pipeline` take, and the peak memory Python allocated meanwhile. The reports are
SQL aggregates, so the peak stays far below the size of the event history.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from import_100k import deal_rows
from sqlalchemy import func, select

from bot.imports.importer import import_rows
from storage.db import Database
from storage.kinds import TargetPeriod
from storage.models import DealEvent
from storage.reports.forecast import forecast, target_lines
from storage.reports.funnel import funnel_report
from storage.reports.pipeline import pipeline_summary
from storage.targets import set_target

TEAM = "TBENCH"
NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def measure(name: str, run: Callable[[], object]) -> None:
    tracemalloc.start()
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{name}: {seconds:.2f} s, peak Python memory {peak / 2**20:.1f} MiB")


def main(count: int, url: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Database(url or f"sqlite:///{Path(folder) / 'bench.db'}")
        db.upgrade()
        leads = count // 5
        lead_rows = [{"id": f"L{n}", "name": f"Lead {n}", "created": "2026-09-01",
                      "source": ("webinar", "ads", "referral")[n % 3]} for n in range(leads)]
        import_rows(db, "leads", lead_rows, team=TEAM, now=NOW)
        deals = deal_rows(count, NOW, leads)
        for number, row in enumerate(deals):
            if number % 5:
                close = NOW.date() + timedelta(days=number * 37 % 150 - 30)
                row["expected_close"] = close.isoformat()
        import_rows(db, "deals", deals, team=TEAM, now=NOW)
        with db.transaction() as s:
            events = s.scalar(select(func.count()).select_from(DealEvent))
            for period, amount in ((TargetPeriod.MONTH, 2_000_000),
                                   (TargetPeriod.QUARTER, 6_000_000)):
                set_target(s, team=TEAM, amount=Decimal(amount), period=period, owner=None,
                           actor="UBENCH", now=NOW)
        print(f"{db.dialect}: {count:,} deals, {leads:,} leads, {events:,} deal events")
        for name, report in (
                ("pipeline now", lambda s: pipeline_summary(s, team=TEAM, now=NOW)),
                ("pipeline 30 days ago", lambda s: pipeline_summary(
                    s, team=TEAM, now=NOW, as_of=NOW - timedelta(days=30))),
                ("funnel this week, Europe/Oslo", lambda s: funnel_report(
                    s, team=TEAM, now=NOW, timezone="Europe/Oslo")),
                ("forecast now, by month", lambda s: forecast(s, team=TEAM, now=NOW)),
                ("forecast 30 days ago, by quarter", lambda s: forecast(
                    s, team=TEAM, now=NOW, as_of=NOW - timedelta(days=30),
                    period=TargetPeriod.QUARTER)),
                ("target lines of /pipeline (two targets)", lambda s: target_lines(
                    s, team=TEAM, now=NOW))):
            def run(report: Callable = report) -> None:
                with db.transaction() as session:
                    report(session)
            measure(name, run)
        db.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000,
         sys.argv[2] if len(sys.argv) > 2 else None)
