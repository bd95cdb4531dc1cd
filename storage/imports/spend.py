"""Importing marketing spend: one row per ISO week and source, as `/funnel spend` records it.
A row for a week and source that has spend already replaces the amount (a correction)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.errors import DealbotError
from storage.imports.records import ImportRefused, ImportResult, Problems, SpendRecord
from storage.imports.write import Written, insert_many, update_many
from storage.models import Spend, table_of
from storage.spend import EARLIEST_WEEK, MAX_SPEND, week_start
from storage.text_fields import normalise_source
from storage.workspaces import ensure_workspace


def import_spend(session: Session, *, team: str, records: list[SpendRecord], now: datetime,
                 problems: Problems | None = None,
                 written: Written | None = None) -> ImportResult:
    """Checks every record (a week from 2000 to this one, each week and source once), refuses
    with every problem, or upserts them all in the caller's transaction."""
    workspace = ensure_workspace(session, team=team, now=now)
    this_week = week_start(now.astimezone(ZoneInfo(workspace.timezone)).date())
    found = list(problems or [])
    first: dict[tuple, int] = {}
    rows: list[dict[str, Any]] = []
    for record in records:
        try:
            source = normalise_source(record.source) or ""
        except DealbotError as error:
            found.append((record.line, f"`source`: {error.message}"))
            continue
        key = (record.week_start, source)
        reasons = []
        if key in first:
            reasons.append(f"week {record.week_start} and source `{source or '(none)'}` are "
                           f"also on line {first[key]}")
        if not EARLIEST_WEEK <= record.week_start <= this_week:
            reasons.append(f"week {record.week_start} is not between the year 2000 and this week")
        if record.amount > MAX_SPEND:
            reasons.append("`amount` is too large: the largest is 1,000,000,000,000")
        first.setdefault(key, record.line)
        if reasons:
            found.append((record.line, "; ".join(reasons)))
        rows.append({"week_start": record.week_start, "source": source,
                     "amount": record.amount, "recorded_by": None, "recorded_at": now})
    if found:
        raise ImportRefused(found)
    existing = {(week, source): spend_id for spend_id, week, source in session.execute(
        select(Spend.id, Spend.week_start, Spend.source).where(Spend.team_id == team))}
    old = [{"id": existing[(r["week_start"], r["source"])], **r} for r in rows
           if (r["week_start"], r["source"]) in existing]
    new = [{"team_id": team, **r} for r in rows if (r["week_start"], r["source"]) not in existing]
    written = written or Written()
    written.plan(len(new) + len(old))
    insert_many(session, table_of(Spend), new, written)
    update_many(session, table_of(Spend), old, written)
    written.finish()
    return ImportResult("spend", len(records), len(new), len(old))
