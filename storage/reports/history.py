"""What a deal looked like at a time T, as SQL expressions over its history.

The histories are the truth: a deal's stage at T is the last stage it entered (`created` or
`stage` event) at or before T; its value at T is the amount recorded on its latest event at or
before T (every event records the deal's value then). A field changed by `edit`/`assign`
events (probability, expected close, owner) had at T the new value of its latest change at or
before T; when it only changed later, the old value of its first later change; when it never
changed, the current column. Money is summed as integer cents, so SQLite (which keeps
NUMERIC as floating point) and PostgreSQL add up to the same exact amounts.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    String,
    Subquery,
    case,
    cast,
    func,
    select,
)
from sqlalchemy.orm import InstrumentedAttribute, aliased

from storage.kinds import EventKind
from storage.models import Deal, DealEvent, Stage

CENT = Decimal("0.01")
SqlExpr = ColumnElement[Any] | InstrumentedAttribute[Any]  # a column or an expression


def cents(column: SqlExpr) -> SqlExpr:
    """A money column as whole cents (exact on both databases)."""
    return cast(func.round(column * 100), BigInteger)


def money(total_cents: int | None) -> Decimal:
    return (Decimal(total_cents or 0) / 100).quantize(CENT)


def field_at(deal_id: SqlExpr, field: str, current: SqlExpr,
             at: datetime) -> SqlExpr:
    """The text of `field` of the deal at `at` (NULL when it had none); see the module doc."""
    before, after = aliased(DealEvent), aliased(DealEvent)
    new_value = (select(func.coalesce(before.new_value, ""))
                 .where(before.deal_id == deal_id, before.field == field, before.at <= at)
                 .order_by(before.at.desc(), before.id.desc()).limit(1).scalar_subquery())
    old_value = (select(func.coalesce(after.old_value, ""))
                 .where(after.deal_id == deal_id, after.field == field, after.at > at)
                 .order_by(after.at, after.id).limit(1).scalar_subquery())
    return func.nullif(func.coalesce(new_value, old_value, cast(current, String), ""), "")


def _latest(deal_id: SqlExpr, column: SqlExpr, at: datetime,
            *kinds: EventKind) -> SqlExpr:
    """`column` of the deal's latest event (of `kinds`, when given) at or before `at`."""
    event = aliased(DealEvent)
    query = select(getattr(event, str(column.key))).where(event.deal_id == deal_id, event.at <= at)
    if kinds:
        query = query.where(event.kind.in_(kinds))
    return query.order_by(event.at.desc(), event.id.desc()).limit(1).scalar_subquery()


def deals_at(team: str, at: datetime) -> Subquery:
    """One row per deal that existed at `at`: deal_id, number, name, stage_id, value_cents,
    last_at (its latest activity at or before `at`), and the deal's own probability,
    expected close (ISO text) and owner at `at`.

    A deal with no event after `at` (most of them, and all of them for a report of now) is
    at `at` what it is now: its columns are read as they are. Only a deal that changed after
    `at` is looked up in its history, each figure an index lookup (ix_deal_events_deal_at),
    so the cost grows with the number of deals, never with the square of anything."""
    latest = (select(DealEvent.deal_id, func.max(DealEvent.at).label("latest_at"))
              .where(DealEvent.team_id == team).group_by(DealEvent.deal_id).subquery("latest"))
    settled = latest.c.latest_at <= at  # nothing happened to the deal after `at`

    def then(now: SqlExpr, past: SqlExpr) -> SqlExpr:
        return case((settled, now), else_=past)

    def field(name: str, current: SqlExpr) -> SqlExpr:
        return then(func.nullif(func.coalesce(cast(current, String), ""), ""),
                    field_at(Deal.id, name, current, at))

    rows = (select(Deal.id.label("deal_id"), Deal.number, Deal.name,
                   then(Deal.stage_id, _latest(Deal.id, DealEvent.to_stage_id, at,
                                               EventKind.CREATED, EventKind.STAGE)
                        ).label("stage_id"),
                   cents(then(Deal.value, func.coalesce(_latest(Deal.id, DealEvent.amount, at),
                                                        Deal.value))).label("value_cents"),
                   then(latest.c.latest_at, _latest(Deal.id, DealEvent.at, at)).label("last_at"),
                   field("probability", Deal.probability).label("own_probability"),
                   field("expected_close", Deal.expected_close).label("close"),
                   field("owner", Deal.owner).label("owner"))
            .join(latest, latest.c.deal_id == Deal.id)
            .where(Deal.team_id == team, Deal.created_at <= at).subquery("deal_rows"))
    return select(rows).where(rows.c.stage_id.is_not(None)).subquery("deals_at")


def weight(deals: Subquery, stage: type[Stage] | object) -> SqlExpr:
    """The probability a deal is weighted with: its own when set, else its stage's."""
    return case((deals.c.own_probability.is_(None), stage.probability),  # type: ignore[union-attr]
                else_=cast(deals.c.own_probability, Integer))
