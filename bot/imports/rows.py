"""Rows of text -> typed import records. Every cell of every row is read; each bad cell
becomes a (line, reason), so one refusal lists everything to fix."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bot.imports.columns import (
    parse_day,
    parse_money,
    parse_owner,
    parse_tags,
    parse_time,
    parse_week,
)
from storage.errors import DealbotError
from storage.imports.records import DealRecord, LeadRecord, Problems, SpendRecord
from storage.models import Workspace
from storage.values import without_controls

Record = DealRecord | LeadRecord | SpendRecord
PROGRESS_EVERY = 2000
_TIMES = {"created", "won_at", "lost_at", "dropped_at", "stage_changed", "last_activity",
          "last_contact"}
_TEXTS = {"id", "name", "stage", "company", "contact", "lost_reason", "source", "lead", "deal",
          "drop_reason", "next_action"}


class _Row:
    """One row's cells by column, and the reasons found against it."""

    def __init__(self, line: int, row: Mapping[str, str],
                 columns: dict[str, tuple[str, str]], zone: ZoneInfo, currency: str,
                 today: date) -> None:
        self.line, self.zone, self.currency, self.today = line, zone, currency, today
        self.cells: dict[str, str] = {}
        self.entered: list[tuple[str, str]] = []
        self.reasons: list[str] = []
        for header, value in row.items():
            text = without_controls(str(value or "")).strip()  # as on every path into storage
            if header not in columns or not text:
                continue
            column, stage = columns[header]
            if column == "entered":
                self.entered.append((stage, text))
            else:
                self.cells[column] = text

    def read(self, column: str, reader: Callable[[str], Any]) -> Any:
        text = self.cells.get(column)
        if text is None:
            return None
        try:
            return reader(text)
        except DealbotError as error:
            self.reasons.append(f"`{column}`: {error.message}")
            return None

    def time(self, column: str) -> datetime | None:
        return self.read(column, lambda t: parse_time(t, self.zone, self.today))

    def fields(self) -> dict[str, Any]:
        """The cells every kind reads the same way."""
        values: dict[str, Any] = {c: self.cells.get(c) for c in _TEXTS if c in self.cells}
        values.update({c: self.time(c) for c in _TIMES if c in self.cells})
        if "owner" in self.cells:
            values["owner"] = self.read("owner", parse_owner)
        if "tags" in self.cells:
            values["tags"] = parse_tags(self.cells["tags"])
        entered = []
        for stage, text in self.entered:
            try:
                entered.append((stage, parse_time(text, self.zone, self.today)))
            except DealbotError as error:
                self.reasons.append(f"`entered:{stage}`: {error.message}")
        values["entered"] = tuple(entered)
        return values

    def require(self, *columns: str) -> None:
        for column in columns:
            if not self.cells.get(column):
                self.reasons.append(f"`{column}` is empty")


def parse(kind: str, rows: list[tuple[int, Mapping[str, str]]],
          columns: dict[str, tuple[str, str]], workspace: Workspace, now: datetime,
          progress: Callable[[int], None] | None) -> tuple[list[Record], Problems]:
    """The records the rows describe, and every problem found while reading them."""
    zone = ZoneInfo(workspace.timezone)
    today = now.astimezone(zone).date()
    build = {"deals": _deal, "leads": _lead, "spend": _spend}[kind]
    records: list[Record] = []
    problems: Problems = []
    for index, (line, row) in enumerate(rows):
        cells = _Row(line, row, columns, zone, workspace.currency, today)
        record = build(cells)
        if cells.reasons:
            problems.append((line, "; ".join(r.rstrip(".") for r in cells.reasons)))
        elif record is not None:
            records.append(record)
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(index)
    return records, problems


def _deal(row: _Row) -> DealRecord | None:
    row.require("id", "name")
    values = row.fields()
    value = row.read("value", lambda t: parse_money(t, row.currency))
    close = row.read("expected_close", lambda t: parse_day(t, row.zone, row.today))
    if row.reasons:
        return None
    return DealRecord(line=row.line, external_id=values.pop("id"), name=values.pop("name"),
                      value=value if value is not None else Decimal("0.00"),
                      expected_close=close, **values)


def _lead(row: _Row) -> LeadRecord | None:
    row.require("id", "name")
    values = row.fields()
    due = row.read("next_action_due", lambda t: parse_day(t, row.zone, row.today))
    if row.reasons:
        return None
    return LeadRecord(line=row.line, external_id=values.pop("id"), name=values.pop("name"),
                      next_action_due=due, **values)


def _spend(row: _Row) -> SpendRecord | None:
    row.require("week", "amount")
    week = row.read("week", lambda t: parse_week(t, row.zone, row.today))
    amount = row.read("amount", lambda t: parse_money(t, row.currency))
    if row.reasons or week is None or amount is None:
        return None
    return SpendRecord(line=row.line, week_start=week, amount=amount,
                       source=row.cells.get("source"))
