"""Times importing 100,000 deals (and, first, 20,000 leads they come from) into a fresh
SQLite database through the same path as `dealbot import`. Not a test: run it by hand,

    .venv/bin/python benchmarks/import_100k.py [ROWS]

and read the times it prints. The product asks for well under a minute on SQLite.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.imports.importer import import_rows
from storage.db import Database

OPEN = ("Prospecting", "Qualification", "Meeting", "Proposal", "Negotiation")


def deal_rows(count: int, now: datetime, leads: int) -> list[dict[str, str]]:
    rng = random.Random(7)
    rows = []
    for number in range(count):
        created = now - timedelta(days=rng.randint(20, 400), minutes=rng.randint(0, 1440))
        row = {"id": f"D{number}", "name": f"Deal {number} Ærlig AS",
               "value": str(rng.randint(1, 500) * 100), "created": created.isoformat(),
               "owner": f"U{rng.randint(1, 20)}", "lead": f"L{number}" if number < leads else ""}
        at = created
        for stage in OPEN[:rng.randint(1, len(OPEN))]:
            row[f"entered:{stage}"] = at.isoformat()
            at += timedelta(days=rng.randint(1, 5))
        outcome = rng.random()
        if outcome < 0.3:
            row["won_at"] = at.isoformat()
        elif outcome < 0.5:
            row["lost_at"], row["lost_reason"] = at.isoformat(), "price"
        rows.append(row)
    return rows


def main(count: int) -> None:
    now = datetime(2026, 11, 22, 12, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{Path(folder) / 'bench.db'}")
        db.upgrade()
        leads = count // 5
        lead_rows = [{"id": f"L{n}", "name": f"Lead {n} Groß", "created": "2025-01-01"}
                     for n in range(leads)]
        rows = deal_rows(count, now, leads)
        for kind, data in (("leads", lead_rows), ("deals", rows), ("deals", rows)):
            start = time.perf_counter()
            result = import_rows(db, kind, data, team="TBENCH", now=now)
            print(f"{kind}: {result.rows:,} rows ({result.created:,} created, "
                  f"{result.updated:,} updated) in {time.perf_counter() - start:.1f} s")
        db.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
