"""A sales team's history as the CSV files `dealbot import` reads (README, "Importing your
history"): deals with `entered:<Stage>` columns, and leads for the funnel.

Deals: created over the past year, each entering 1 to 5 open stages a few days apart, so
with the closes about 3.5 events a deal. Older deals are mostly closed (won or lost), open
ones mostly moved in the last weeks (a quarter of them stale), expected close dates spread
around now. Twenty owners. Everything is seeded: the same arguments give the same files.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

OPEN = ("Prospecting", "Qualification", "Meeting", "Proposal", "Negotiation")
FUNNEL = ("Awareness", "Interest", "Consideration", "Engagement")  # Conversion: by wins only
OWNERS = tuple(f"U{n:03d}" for n in range(1, 21))
COMPANIES = ("Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Ærlig AS",
             "Stark", "Wayne", "Cyberdyne", "Soylent", "Tyrell", "Wonka", "Aperture")
SOURCES = ("webinar", "ads", "referral", "outbound", "event")
LOST_REASONS = ("price", "timing", "competitor", "no budget", "went silent")
DEAL_COLUMNS = ["id", "name", "value", "stage", "owner", "company", "created",
                "expected_close", "won_at", "lost_at", "lost_reason", "source"] + [
    f"entered:{s}" for s in OPEN]
LEAD_COLUMNS = ["id", "name", "company", "source", "stage", "owner", "created", "dropped_at",
                "drop_reason"] + [f"entered:{s}" for s in FUNNEL]
EVENTS_PER_DEAL = 3.5  # what deal_rows gives on average: entries (mean 3) + closes (~0.5)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _steps(rng: random.Random, end: datetime, count: int) -> list[datetime]:
    """`count` times a few days apart, the last at `end`."""
    times = [end]
    for _ in range(count - 1):
        times.append(times[-1] - timedelta(days=rng.uniform(1, 10), minutes=rng.randint(0, 600)))
    return times[::-1]


def deal_row(rng: random.Random, key: str, now: datetime) -> dict[str, str]:
    entered = rng.randint(1, 5)
    age = rng.uniform(0, 365)
    closed = rng.random() < (0.9 if age > 150 else 0.1)
    company = rng.choice(COMPANIES)
    row = {"id": key, "name": f"{company} {key}", "value": str(rng.randint(10, 500) * 100),
           "owner": rng.choice(OWNERS), "company": company, "source": rng.choice(SOURCES)}
    if closed:
        last = now - timedelta(days=age)
        closing = last + timedelta(days=rng.uniform(1, 14))
        if closing > now:
            closing = now - timedelta(minutes=rng.randint(5, 600))
            last = closing - timedelta(hours=1)
        won = rng.random() < 0.45 or entered == 5 and rng.random() < 0.7
        row["won_at" if won else "lost_at"] = iso(closing)
        row["stage"] = "Won" if won else "Lost"
        if not won:
            row["lost_reason"] = rng.choice(LOST_REASONS)
        row["expected_close"] = (closing + timedelta(days=rng.randint(-20, 20))).date().isoformat()
    else:  # moved recently, mostly: exponential idle time, a quarter past the 14-day limit
        last = now - timedelta(days=min(rng.expovariate(1 / 10), 150), minutes=rng.randint(5, 60))
        row["stage"] = OPEN[entered - 1]
        row["expected_close"] = (now + timedelta(days=rng.randint(-20, 90))).date().isoformat()
    times = _steps(rng, last, entered)
    row["created"] = iso(times[0])
    for stage, at in zip(OPEN, times, strict=False):  # as many as it entered
        row[f"entered:{stage}"] = iso(at)
    return row


def lead_row(rng: random.Random, key: str, now: datetime) -> dict[str, str]:
    """A lead created in the last 20 weeks that reached 1 to 4 funnel stages; a fifth were
    dropped. Many move in the current week, so the funnel report has something to count."""
    reached = rng.choice((1, 1, 2, 2, 2, 3, 3, 4))
    last = now - timedelta(days=140 * rng.random() ** 2, minutes=rng.randint(5, 600))
    times = _steps(rng, last, reached)
    row = {"id": key, "name": f"Lead {key}", "company": rng.choice(COMPANIES),
           "source": rng.choice(SOURCES), "owner": rng.choice(OWNERS), "created": iso(times[0]),
           "stage": FUNNEL[reached - 1]}
    for stage, at in zip(FUNNEL, times, strict=False):  # as many as it reached
        row[f"entered:{stage}"] = iso(at)
    if rng.random() < 0.2:
        row["stage"] = "Dropped"
        row["dropped_at"] = iso(min(last + timedelta(days=rng.uniform(0.1, 5)),
                                    now - timedelta(minutes=1)))
        row["drop_reason"] = "not a fit"
    return row


def write_csv(path: Path, columns: list[str], rows: Iterable[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def deals_csv(path: Path, *, count: int, now: datetime, prefix: str = "D", seed: int = 7) -> Path:
    rng = random.Random(seed)
    return write_csv(path, DEAL_COLUMNS,
                     (deal_row(rng, f"{prefix}{n}", now) for n in range(1, count + 1)))


def leads_csv(path: Path, *, count: int, now: datetime, prefix: str = "L", seed: int = 11) -> Path:
    rng = random.Random(seed)
    return write_csv(path, LEAD_COLUMNS,
                     (lead_row(rng, f"{prefix}{n}", now) for n in range(1, count + 1)))
