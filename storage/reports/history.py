"""What a deal looked like at a time T, as SQL expressions over its columns and its history.

The histories are the truth, without the events of undone changes (void, storage/undo.py;
every lookup here leaves them out, and a deal whose creation was undone is in no report):
a deal's stage at T is the last stage it entered (`created` or
`stage` event) at or before T; its value at T is the amount recorded on its latest event at or
before T (every event records the deal's value then). A field changed by `edit`/`assign`
events (probability, expected close, owner) had at T the new value of its latest change at or
before T; when it only changed later, the old value of its first later change; when it never
changed, the current column.

A deal's `last_activity_at` is the time of its latest event: every operation sets it with
the event it records, and an import to the latest event it writes. So a deal whose last
activity is at or before T (most of them; all of them in a report of now) is at T what its
columns say, and only its row is read. Of the others, each figure is what
its column says unless it changed after T (changed_after finds when, from the history after T
only, through ix_deal_events_team_at); only then is it looked up in the deal's history, an
index lookup (ix_deal_events_deal_at).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    Subquery,
    case,
    cast,
    func,
    select,
    text,
)
from sqlalchemy.orm import Session

from storage.db import allow_slow_statements
from storage.kinds import EventKind
from storage.models import Deal, DealEvent, table_of
from storage.reports.amounts import SqlExpr
from storage.reports.params import TEAM

# The history lookups are subqueries of statements over `deals` only, so they name the events
# table itself (correlated with `deals` alone), which is far cheaper to build than aliases.
_EVENTS, _DEALS = table_of(DealEvent), table_of(Deal)


FIELDS = ("value", "probability", "expected_close", "owner")  # as `edit`/`assign` events name them


def changed_after(at: SqlExpr) -> Subquery:
    """The team's (TEAM's) deals with an event after `at`: deal_id; `latest`, the time of its latest
    event; `stage`, of its latest stage change (or creation); and for each of FIELDS, of its
    latest change of that field (NULL when none came after `at`)."""
    def last(condition: ColumnElement[bool]) -> SqlExpr:
        return func.max(case((condition, DealEvent.at)))

    return (select(DealEvent.deal_id, func.max(DealEvent.at).label("latest"),
                   last(DealEvent.kind.in_((EventKind.CREATED, EventKind.STAGE))).label("stage"),
                   *(last(DealEvent.field == name).label(name) for name in FIELDS))
            .where(DealEvent.team_id == TEAM, DealEvent.at > at, DealEvent.voided_at.is_(None))
            .group_by(DealEvent.deal_id).subquery("changed"))


@dataclass(frozen=True)
class DealFigures:
    """A deal's figures as SQL expressions over the `deals` row: its stage id, value (money),
    own probability (NULL when it has none), time of its last activity, expected close
    and owner. `close` is a DATE from the columns and ISO text from the history
    (`close_is_text`), so it is only compared with a value of its own kind."""

    stage_id: SqlExpr
    value: SqlExpr
    own_probability: SqlExpr
    last_at: SqlExpr
    close: SqlExpr
    owner: SqlExpr
    close_is_text: bool


def figures_now() -> DealFigures:
    """What the deal's columns say: its figures at any T after its latest event."""
    return DealFigures(Deal.stage_id, Deal.value, Deal.probability,
                       Deal.last_activity_at, Deal.expected_close, Deal.owner, False)


def figures_at(at: SqlExpr, changed: Subquery) -> DealFigures:
    """The figures at `at` of a deal outer-joined with its row of `changed` (changed_after a
    time at or before `at`): each from its column, or from the history when it changed after
    `at` (see the module doc)."""
    def since(when: SqlExpr, history: SqlExpr, column: SqlExpr) -> SqlExpr:
        return case((when > at, history), else_=column)

    c = changed.c
    return DealFigures(
        since(c.stage, _latest("to_stage_id", at, EventKind.CREATED, EventKind.STAGE),
              Deal.stage_id),
        since(c.value, func.coalesce(_latest("amount", at), Deal.value), Deal.value),
        since(c.probability, cast(field_at(Deal.id, "probability", Deal.probability, at),
                                  Integer), Deal.probability),
        since(c.latest, _latest("at", at), Deal.last_activity_at),
        since(c.expected_close, field_at(Deal.id, "expected_close", Deal.expected_close, at),
              cast(Deal.expected_close, String)),
        since(c.owner, field_at(Deal.id, "owner", Deal.owner, at), Deal.owner), True)


def field_at(deal_id: SqlExpr, field: str, current: SqlExpr, at: SqlExpr) -> SqlExpr:
    """The text of `field` of the deal at `at` (NULL when it had none); see the module doc."""
    e = _EVENTS.c
    new_value = (select(func.coalesce(e.new_value, ""))
                 .where(e.deal_id == deal_id, e.field == field, e.at <= at,
                        e.voided_at.is_(None))
                 .order_by(e.at.desc(), e.id.desc()).limit(1).correlate(_DEALS)
                 .scalar_subquery())
    old_value = (select(func.coalesce(e.old_value, ""))
                 .where(e.deal_id == deal_id, e.field == field, e.at > at,
                        e.voided_at.is_(None))
                 .order_by(e.at, e.id).limit(1).correlate(_DEALS).scalar_subquery())
    return func.nullif(func.coalesce(new_value, old_value, cast(current, String), ""), "")


def _latest(column: str, at: SqlExpr, *kinds: EventKind) -> SqlExpr:
    """`column` of the deal's latest event (of `kinds`, when given) at or before `at`."""
    e = _EVENTS.c
    query = select(e[column]).where(e.deal_id == Deal.id, e.at <= at, e.voided_at.is_(None))
    if kinds:
        query = query.where(e.kind.in_(kinds))
    return (query.order_by(e.at.desc(), e.id.desc()).limit(1).correlate(_DEALS)
            .scalar_subquery())


def plan_for_reports(session: Session) -> None:
    """Plans this transaction's statements without PostgreSQL's JIT compilation: a report's
    statements run in tens of milliseconds, and their cost estimates over a large history
    would otherwise have each of them compiled first, for far longer than it runs. They may
    also run longer than an acknowledgement's database timeout (`allow_slow_statements`):
    reports run after the answer."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))
        allow_slow_statements(session)
