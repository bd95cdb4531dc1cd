"""The rule that ties a lead to its deal: where a lead stands in the funnel, and how a
converted lead follows its deal.

The funnel's stages are configurable, so the two stages with a rule attached are found by
position, not by name: the *conversion stage* is the last open stage (Conversion by default)
and the *engagement stage* the open stage before it (Engagement). A converted lead sits in
the engagement stage or later; it enters the conversion stage when its deal is won and goes
back to the engagement stage when that deal is reopened.

Below both `storage.deals` (a deal's stage change calls `follow_deal_stage`) and
`storage.leads` (which moves leads with `enter_stage`); it imports neither.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from storage.changes import change_id_for_event
from storage.kinds import EventKind, PipelineKind, StageKind
from storage.models import Deal, Lead, LeadEvent, Stage
from storage.stages import stages_of


def conversion_stage(session: Session, team: str) -> Stage:
    return _open_stages(session, team)[-1]


def engagement_stage(session: Session, team: str) -> Stage:
    """The stage a lead is placed in when it becomes a deal (the one before Conversion)."""
    stages = _open_stages(session, team)
    return stages[-2] if len(stages) > 1 else stages[-1]


def dropped_stage(session: Session, team: str) -> Stage:
    return next(s for s in stages_of(session, team=team, kind=PipelineKind.LEAD)
                if s.kind == StageKind.DROPPED)


def _open_stages(session: Session, team: str) -> list[Stage]:
    return [s for s in stages_of(session, team=team, kind=PipelineKind.LEAD)
            if s.kind == StageKind.OPEN]


def enter_stage(session: Session, lead: Lead, target: Stage, actor: str | None, now: datetime,
                **fields: object) -> LeadEvent:
    """Puts the lead in `target` and records the move in its history."""
    previous = lead.stage_id
    lead.stage_id = target.id
    lead.last_activity_at = now
    session.flush()
    return record_lead_event(session, lead, actor, now, EventKind.STAGE, from_stage_id=previous,
                             to_stage_id=target.id, **fields)


def record_lead_event(session: Session, lead: Lead, actor: str | None, now: datetime,
                      kind: EventKind, **fields: object) -> LeadEvent:
    """Appends one entry to the lead's history (kinds: created, stage, edit, note, convert)."""
    event = LeadEvent(team_id=lead.team_id, lead_id=lead.id, at=now, actor=actor, kind=kind,
                      change_id=change_id_for_event(session), **fields)
    session.add(event)
    session.flush()
    return event


def follow_deal_stage(session: Session, deal: Deal, target: Stage, actor: str | None,
                      now: datetime) -> None:
    """Called whenever a deal changes stage: the lead it came from enters Conversion when the
    deal is won, and leaves it (back to Engagement) when the deal leaves Won."""
    if deal.lead_id is None:
        return
    lead = session.get_one(Lead, deal.lead_id)
    conversion = conversion_stage(session, deal.team_id)
    if target.kind == StageKind.WON and lead.stage_id != conversion.id:
        enter_stage(session, lead, conversion, actor, now)
    elif target.kind != StageKind.WON and lead.stage_id == conversion.id:
        enter_stage(session, lead, engagement_stage(session, deal.team_id), actor, now)
