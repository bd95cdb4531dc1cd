"""Bulk writing shared by the deal and lead imports: lookups loaded once, rows inserted and
updated many at a time, histories replaced. No per-row queries, so 100,000 rows stay fast."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Table, bindparam, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from storage.errors import DealbotError
from storage.imports.records import Problems, Rebuilt, StageIndex, closing_of, rebuild_history
from storage.kinds import EventKind, StageKind
from storage.models import Stage

CHUNK = 5000  # parameters per statement stay far below SQLite's and PostgreSQL's limits
T = TypeVar("T")
CLOSE_COLUMNS = {StageKind.WON: "won_at", StageKind.LOST: "lost_at",
                 StageKind.DROPPED: "dropped_at"}


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class Written:
    """How far an import's writing is: `planned` rows to insert or update, of which
    `insert_many` and `update_many` count each statement's as it is done, and tell
    `report(done, planned)` (for a progress bar; `done` never passes `planned`)."""

    def __init__(self, report: Callable[[int, int], None] | None = None) -> None:
        self.report, self.planned, self.done = report, 0, 0

    def plan(self, rows: int) -> None:
        self.planned += rows

    def advance(self, rows: int) -> None:
        self.done = min(self.done + rows, self.planned)
        if self.report is not None:
            self.report(self.done, self.planned)

    def finish(self) -> None:
        self.advance(self.planned)


def insert_many(session: Session, table: Table, rows: list[dict[str, Any]],
                written: Written | None = None) -> None:
    for part in chunks(rows):
        session.execute(insert(table), list(part))
        if written is not None:
            written.advance(len(part))


def update_many(session: Session, table: Table, rows: list[dict[str, Any]],
                written: Written | None = None, **expressions: Any) -> None:
    """Updates rows by `id`; every dict has the same keys, `id` among them. `expressions`
    are set on every row (like `version=table.c.version + 1`)."""
    if not rows:
        return
    columns = [key for key in rows[0] if key != "id"]
    statement = update(table).where(table.c.id == bindparam("_id")).values(
        {**{column: bindparam(f"_{column}") for column in columns}, **expressions})
    for part in chunks(rows):
        session.execute(statement, [{f"_{k}": v for k, v in row.items()} for row in part])
        if written is not None:
            written.advance(len(part))


KEPT = (EventKind.NOTE,)  # what people logged in Dealbot stays when a re-import rebuilds a history


def delete_events(session: Session, table: Table, owner: str, ids: Iterable[int],
                  kind: EventKind | None = None) -> None:
    """Deletes the rebuilt part of the history of the records `ids` (or only its events of
    `kind`): the notes logged in Dealbot are kept."""
    id_list = list(ids)
    for part in chunks(id_list):
        statement = delete(table).where(table.c[owner].in_(part), table.c.kind.not_in(KEPT))
        if kind is not None:
            statement = statement.where(table.c.kind == kind)
        session.execute(statement)


def keep_latest_activity(session: Session, table: Table, events: Table, owner: str,
                         ids: Iterable[int]) -> None:
    """A record's `last_activity_at` is at least the time of its latest kept event."""
    latest = (select(func.max(events.c.at)).where(events.c[owner] == table.c.id,
                                                 events.c.voided_at.is_(None))
              .scalar_subquery())
    for part in chunks(list(ids)):
        session.execute(update(table).where(table.c.id.in_(part), latest > table.c.last_activity_at)
                        .values(last_activity_at=latest))


def external_ids(session: Session, table: Table, team: str) -> dict[str, tuple[int, int]]:
    """external id -> (row id, number) for the team's records that came from an import."""
    return {ext: (row_id, number) for ext, row_id, number in session.execute(
        select(table.c.external_id, table.c.id, table.c.number).where(
            table.c.team_id == team, table.c.external_id.is_not(None)))}


def history_of(record: Any, stages: StageIndex, stage_column: str,
               explicit: list[tuple[Stage, datetime | None]], now: datetime,
               reasons: list[str]) -> Rebuilt | None:
    """The rebuilt stage history of a deal or lead record; what is wrong goes to `reasons`."""
    stage = None
    if record.stage:
        stage = stages.find(record.stage)
        if stage is None:
            reasons.append(f"`{stage_column}` `{record.stage}` is not a stage here; the "
                           f"stages are {stages.names}")
    entered = []
    for name, at in record.entered:
        found = stages.find(name)
        if found is None:
            reasons.append(f"`entered:{name}` names no stage; the stages are {stages.names}")
        else:
            entered.append((found, at))
    if reasons:
        return None
    close = closing_of(stage=stage, explicit=explicit, entered=entered, names=CLOSE_COLUMNS)
    if isinstance(close, str):
        reasons.append(close)
        return None
    rebuilt = rebuild_history(created=record.created, entered=entered, stage=stage,
                              close=close, stage_changed=record.stage_changed,
                              first=stages.stages[0], now=now, names=CLOSE_COLUMNS)
    if isinstance(rebuilt, str):
        reasons.append(rebuilt)
        return None
    return rebuilt


def checked(reasons: list[str], checks: dict[str, Callable[[], Any]]) -> dict[str, Any] | None:
    """What each check returns, by the column it reads; None when any refused, with each
    refusal added to `reasons` after the name of its column."""
    values: dict[str, Any] = {}
    for column, check in checks.items():
        try:
            values[column] = check()
        except DealbotError as error:
            reasons.append(f"`{column}`: {error.message.rstrip('.')}")
    return values if len(values) == len(checks) else None


def check_unique(records: Iterable[Any], problems: Problems) -> None:
    """A file names each id once: a second row with it is refused, pointing at the first."""
    first: dict[str, int] = {}
    for record in records:
        if record.external_id in first:
            problems.append((record.line, f"`id` `{record.external_id}` is also on line "
                                          f"{first[record.external_id]}"))
        else:
            first[record.external_id] = record.line


# What the planner is told again after a large import: PostgreSQL plans every report from
# the tables' statistics, and until autovacuum's next ANALYZE (minutes later, or never where
# it is switched off) it plans 100,000 new deals as the handful it knew of; the pipeline
# summary then took 29 s instead of 0.4 s (README, "Benchmarks under load").
ANALYZED_AFTER = 1000  # rows written
ANALYZED = {"deals": ("deals", "deal_events", "changes", "leads"),
            "leads": ("leads", "lead_events", "changes", "deals"), "spend": ("spend",)}


def refresh_statistics(session: Session, *, kind: str, written: int) -> bool:
    """ANALYZEs the tables an import of `kind` filled, when it wrote at least ANALYZED_AFTER
    rows; True when it did. Its own transaction, after the import's commit: the statistics
    are then those of the committed rows."""
    if written < ANALYZED_AFTER or kind not in ANALYZED:
        return False
    for table in ANALYZED[kind]:  # SQLite's ANALYZE takes one table at a time
        session.execute(text(f"ANALYZE {table}"))
    return True
