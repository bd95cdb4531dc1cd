"""Reading leads: one lead, filtered lists, and a lead's history."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.deals.views import EventView
from storage.kinds import PipelineKind, StageKind
from storage.leads.views import LeadView, lead_event_view, lead_view
from storage.lookup import lead_by_number
from storage.models import Lead, LeadEvent, Stage, has_tag
from storage.stages import find_stage
from storage.text_fields import normalise_source

LIST_LIMIT = 40


@dataclass(frozen=True)
class LeadList:
    """A page of leads and how many matched in all."""

    leads: tuple[LeadView, ...]
    total: int


def show_lead(session: Session, *, team: str, number: int) -> LeadView:
    return lead_view(session, lead_by_number(session, team=team, number=number))


def list_leads(session: Session, *, team: str, stage: str | None = None,
               source: str | None = None, owner: str | None = None, tag: str | None = None,
               limit: int = LIST_LIMIT) -> LeadList:
    """Leads still in the funnel (or those in `stage`, Dropped included), in funnel order,
    newest first within a stage."""
    query = (select(Lead).join(Stage, Stage.id == Lead.stage_id)
             .where(Lead.team_id == team, Lead.voided_at.is_(None)))
    if stage:
        query = query.where(Lead.stage_id == find_stage(session, team=team, name=stage,
                                                        kind=PipelineKind.LEAD).id)
    else:
        query = query.where(Stage.kind == StageKind.OPEN)
    if source:
        query = query.where(Lead.source == normalise_source(source))
    if owner:
        query = query.where(Lead.owner == owner)
    if tag:
        query = query.where(has_tag(Lead.tags, tag))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Stage.position, Lead.created_at.desc(),
                                          Lead.number.desc()).limit(limit))
    return LeadList(tuple(lead_view(session, lead) for lead in rows), total)


def lead_history(session: Session, *, team: str, number: int,
                 limit: int = 100) -> tuple[LeadView, tuple[EventView, ...]]:
    """The lead and its history, oldest first (the newest `limit` entries; undone changes
    are not history)."""
    lead = lead_by_number(session, team=team, number=number)
    events = list(session.scalars(select(LeadEvent).where(LeadEvent.lead_id == lead.id,
                                                          LeadEvent.voided_at.is_(None))
                                  .order_by(LeadEvent.at.desc(), LeadEvent.id.desc())
                                  .limit(limit)))
    return lead_view(session, lead), tuple(lead_event_view(session, e) for e in reversed(events))
