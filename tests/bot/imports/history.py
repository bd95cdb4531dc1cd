"""Reading a team's rebuilt histories back, to compare imports and round trips exactly."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import aliased

from storage.db import Database
from storage.models import Deal, DealEvent, Lead, LeadEvent, Stage


def histories(db: Database, team: str, kind: str = "deal") -> dict[str, list[tuple]]:
    """Each record's (external id or #number) stage history: (time, kind, from, to)."""
    model, event = (Deal, DealEvent) if kind == "deal" else (Lead, LeadEvent)
    owner = event.deal_id if kind == "deal" else event.lead_id
    source, target = aliased(Stage), aliased(Stage)
    found: dict[str, list[tuple]] = {}
    with db.transaction() as s:
        rows = s.execute(select(model.external_id, model.number, event.at, event.kind,
                                source.name, target.name)
                         .join(event, owner == model.id)
                         .outerjoin(source, source.id == event.from_stage_id)
                         .outerjoin(target, target.id == event.to_stage_id)
                         .where(model.team_id == team).order_by(model.number, event.at, event.id))
        for ext, number, at, event_kind, old, new in rows:
            found.setdefault(ext or f"#{number}", []).append((at, event_kind, old, new))
    return found


def states(db: Database, team: str) -> dict[str, tuple]:
    """Each deal's current columns that reports read."""
    with db.transaction() as s:
        return {d.external_id or f"#{d.number}": (
            d.number, d.name, d.value, s.get(Stage, d.stage_id).name, d.owner, d.company,
            d.created_at, d.closed_at, d.expected_close, d.lost_reason, d.tags, d.source,
            d.last_activity_at, d.lead_id is not None)
            for d in s.scalars(select(Deal).where(Deal.team_id == team))}
