"""Imported leads follow their imported deals into Conversion, as in Slack
(storage/conversion.py): when the deal was won, the lead entered the conversion stage at the
deal's win time; when the deal later left Won (reopened), the lead went back to the
engagement stage then.

Both imports call `follow_deals` once their links are written, so the order the files come
in does not matter. The moves this writes are the lead's `stage` events marked
`FOLLOWS_DEAL`: each call replaces the ones an earlier import wrote for those leads, and a
move the lead's own history already has (an export of a workspace that won in Slack carries
its Conversion) is not written twice. Bulk: a few statements per 5,000 links.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.conversion import conversion_stage, engagement_stage
from storage.imports.write import chunks, insert_many, keep_latest_activity, update_many
from storage.kinds import EventKind, PipelineKind, StageKind
from storage.models import FOLLOWS_DEAL, Deal, DealEvent, Lead, LeadEvent, table_of
from storage.stages import stages_of

LEADS, LEAD_EVENTS = table_of(Lead), table_of(LeadEvent)
Move = tuple[datetime, int, int]  # when, from stage, to stage


def follow_deals(session: Session, *, team: str, lead_ids: Iterable[int]) -> None:
    """Rewrites the deal-following moves of the leads `lead_ids` (and their stage) from the
    stage histories of the deals linked to them."""
    ids = list(lead_ids)
    if not ids:
        return
    conversion = conversion_stage(session, team).id
    engagement = engagement_stage(session, team).id
    won = {s.id for s in stages_of(session, team=team, kind=PipelineKind.DEAL)
           if s.kind == StageKind.WON}
    moves: list[tuple[int, Move]] = []
    stands: dict[int, int] = {}  # where each lead stands after it all
    for part in chunks(ids):
        session.execute(delete(LeadEvent).where(
            LeadEvent.lead_id.in_(part), LeadEvent.kind == EventKind.STAGE,
            LeadEvent.field == FOLLOWS_DEAL))
        deal_steps = _deal_steps(session, part)
        own = _lead_steps(session, part)
        for lead_id in part:
            mine = own.get(lead_id, [])
            followed = _follow(deal_steps.get(lead_id, []), mine, won, conversion, engagement)
            moves += [(lead_id, move) for move in followed]
            if (stage_id := _stage_at(None, mine, followed)) is not None:
                stands[lead_id] = stage_id
    insert_many(session, LEAD_EVENTS, [
        {"team_id": team, "lead_id": lead_id, "at": at, "actor": None, "kind": EventKind.STAGE,
         "from_stage_id": old, "to_stage_id": new, "field": FOLLOWS_DEAL, "new_value": None}
        for lead_id, (at, old, new) in moves])
    update_many(session, LEADS, [{"id": lead_id, "stage_id": stage_id}
                                 for lead_id, stage_id in stands.items()])
    keep_latest_activity(session, LEADS, LEAD_EVENTS, "lead_id",
                         {lead_id for lead_id, _ in moves})


def _deal_steps(session: Session, lead_ids: Iterable[int]) -> dict[int | None, list[tuple]]:
    """Per lead, its deal's stage entries in time order: (at, stage id)."""
    found: dict[int | None, list[tuple]] = {}
    for lead_id, at, stage_id in session.execute(
            select(Deal.lead_id, DealEvent.at, DealEvent.to_stage_id)
            .join(DealEvent, DealEvent.deal_id == Deal.id)
            .where(Deal.lead_id.in_(list(lead_ids)), Deal.voided_at.is_(None),
                   DealEvent.voided_at.is_(None), DealEvent.to_stage_id.is_not(None))
            .order_by(Deal.lead_id, DealEvent.at, DealEvent.id)):
        found.setdefault(lead_id, []).append((at, stage_id))
    return found


def _lead_steps(session: Session, lead_ids: Iterable[int]) -> dict[int, list[tuple]]:
    """Per lead, the stages its own history entered, in time order: (at, stage id)."""
    found: dict[int, list[tuple]] = {}
    for lead_id, at, stage_id in session.execute(
            select(LeadEvent.lead_id, LeadEvent.at, LeadEvent.to_stage_id)
            .where(LeadEvent.lead_id.in_(list(lead_ids)), LeadEvent.voided_at.is_(None),
                   LeadEvent.to_stage_id.is_not(None))
            .order_by(LeadEvent.lead_id, LeadEvent.at, LeadEvent.id)):
        found.setdefault(lead_id, []).append((at, stage_id))
    return found


def _follow(deal: list[tuple], own: list[tuple], won: set[int], conversion: int,
            engagement: int) -> list[Move]:
    """The moves the lead makes following its deal: into Conversion when the deal enters
    Won, back to Engagement when it leaves Won, unless the lead is there already then."""
    moves: list[Move] = []
    was_won = False
    for at, stage_id in deal:
        is_won = stage_id in won
        if is_won != was_won:
            where = _stage_at(at, own, moves)
            target = conversion if is_won else engagement
            if where is not None and (where != conversion if is_won else where == conversion):
                moves.append((at, where, target))
        was_won = is_won
    return moves


def _stage_at(at: datetime | None, own: list[tuple], moves: list[Move]) -> int | None:
    """Where the lead stands at `at` (None: after it all): its own latest entry then, or the
    latest move written here, whichever is later (a move written here comes after an own
    entry of the same time)."""
    mine = [(when, 0, stage) for when, stage in own if at is None or when <= at]
    ours = [(when, 1, new) for when, _, new in moves if at is None or when <= at]
    latest = max(mine + ours, default=None)
    return latest[2] if latest is not None else None
