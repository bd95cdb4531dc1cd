"""Changes: what one person's command, click or modal submission wrote, kept as one unit that
can be undone (storage/undo.py).

Every operation a person calls is `@undoable`. The events it records, on deals and leads
alike, carry the id of one `changes` row, made with its first event; the operations it calls
itself (a conversion creates a deal, a win moves the deal's lead) join it. The row keeps, for
each deal and lead the change touched, its columns before (None when the change created it)
and after, so that an undo restores them exactly and can tell whether anything else changed
them since. Imports and other system writes record events outside any operation, so without
a change: nobody undoes those.

The columns before are those the session loaded, read when a record's first modification in
the change is flushed (a `before_flush` listener), so an operation keeps no books of its own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Date, Numeric, event, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import instance_state
from sqlalchemy.orm.base import NO_VALUE

from storage.kinds import PipelineKind
from storage.models import Change, Deal, Lead, TagList, UTCDateTime, table_of

P = ParamSpec("P")
R = TypeVar("R")
Record = Deal | Lead
Columns = dict[str, Any]  # a record's columns as JSON values
SCOPE = "dealbot.change"  # the key of the operation's scope in Session.info
KINDS: dict[type, PipelineKind] = {Deal: PipelineKind.DEAL, Lead: PipelineKind.LEAD}
# what a change is said to have touched: everything but the key and what the database keeps
UNTRACKED = frozenset({"id", "team_id", "version", "voided_at"})


def tracked(model: type[Record]) -> tuple[str, ...]:
    return tuple(c.key for c in model.__mapper__.column_attrs if c.key not in UNTRACKED)


@dataclass
class _Scope:
    """The change an operation is making: who, when, and the records it has touched (by
    object identity) with their columns before."""

    team: str
    actor: str
    now: datetime
    change: Change | None = None
    touched: dict[int, tuple[Record, Columns | None]] = field(default_factory=dict)


def undoable(operation: Callable[P, R]) -> Callable[P, R]:
    """Makes one change of a call of `operation(session, *, team, actor, now, ...)` and of
    the operations it calls."""

    @functools.wraps(operation)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        session = args[0] if args else kwargs["session"]
        assert isinstance(session, Session)
        if SCOPE in session.info:  # called by another operation: part of its change
            return operation(*args, **kwargs)
        team, actor, now = kwargs["team"], kwargs["actor"], kwargs["now"]
        assert isinstance(team, str) and isinstance(actor, str) and isinstance(now, datetime)
        scope = _Scope(team, actor, now)
        session.info[SCOPE] = scope
        try:
            result = operation(*args, **kwargs)
            session.flush()
            if scope.change is not None:
                scope.change.records = _records(scope)
            return result
        finally:
            del session.info[SCOPE]

    return run


def change_id_for_event(session: Session) -> int | None:
    """The id of the change the operation under way records its events under, made with
    its first event; None outside an operation (an import, the system)."""
    scope = session.info.get(SCOPE)
    if not isinstance(scope, _Scope):
        return None
    if scope.change is None:
        scope.change = Change(team_id=scope.team, actor=scope.actor, at=scope.now,
                              records=_records(scope))
        session.add(scope.change)
        session.flush()
    else:  # an UPDATE only when a record it touched since changed
        scope.change.records = _records(scope)
    return scope.change.id


@event.listens_for(Session, "before_flush")
def _note_first_modifications(session: Session, _context: object, _instances: object) -> None:
    """Within an operation, the columns each deal and lead had before its first flushed
    modification (None for one it creates)."""
    scope = session.info.get(SCOPE)
    if not isinstance(scope, _Scope):
        return
    for record in session.new:
        if isinstance(record, (Deal, Lead)):
            scope.touched.setdefault(id(record), (record, None))
    for record in session.dirty:
        if (isinstance(record, (Deal, Lead)) and id(record) not in scope.touched
                and session.is_modified(record)):
            scope.touched[id(record)] = (record, _loaded_before(session, record))


def _loaded_before(session: Session, record: Record) -> Columns:
    state = instance_state(record)
    found: dict[str, Any] = {}
    for key in tracked(type(record)):
        history = state.attrs[key].history
        value = (history.deleted or history.unchanged or (NO_VALUE,))[0]
        found[key] = value
    if any(value is NO_VALUE for value in found.values()):  # not loaded: from the row
        table = table_of(type(record))
        row = session.connection().execute(
            select(table).where(table.c.id == record.id)).mappings().one()
        found = {key: row[key] if value is NO_VALUE else value for key, value in found.items()}
    return encode(type(record), found)


def _records(scope: _Scope) -> list[dict[str, Any]]:
    """The records the change touched so far: kind, id, columns before and after."""
    found = []
    for record, before in scope.touched.values():
        after = columns_of(record)
        if before != after:
            found.append({"kind": str(KINDS[type(record)]), "id": record.id,
                          "before": before, "after": after})
    return found


def columns_of(record: Record) -> Columns:
    """The record's tracked columns as they are now, as JSON values."""
    model = type(record)
    return encode(model, {key: getattr(record, key) for key in tracked(model)})


def encode(model: type[Record], values: dict[str, Any]) -> Columns:
    return {key: _encode(value) for key, value in values.items()}


def decode(model: type[Record], columns: Columns) -> dict[str, Any]:
    """Column values from what `encode` made of them."""
    table = table_of(model)
    return {key: _decode(table.c[key].type, value) for key, value in columns.items()}


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.quantize(Decimal("0.01")), "f")
    if isinstance(value, tuple):  # tags
        return list(value)
    return value


def _decode(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(kind, UTCDateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Numeric):
        return Decimal(value)
    if isinstance(kind, TagList):
        return tuple(value)
    return value
