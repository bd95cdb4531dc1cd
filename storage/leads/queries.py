"""Reading leads: one lead, filtered lists, and a lead's history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from storage.deals.views import EventView
from storage.kinds import PipelineKind, StageKind
from storage.leads.views import LeadView, lead_event_view, lead_view
from storage.lookup import lead_by_number
from storage.models import Deal, Lead, LeadEvent, Stage, has_tag, same_company
from storage.stages import find_stage
from storage.text_fields import normalise_source
from storage.workspaces import workspace_settings

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
               company: str | None = None, stale_at: datetime | None = None,
               limit: int = LIST_LIMIT) -> LeadList:
    """Leads still in the funnel (or those in `stage`, Dropped included), in funnel order,
    newest first within a stage. `company` matches the whole company name, whatever its case;
    `stale_at` keeps only the leads stale at that time (`stale_leads`), longest idle first."""
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
    if company:
        query = query.where(same_company(Lead.company, company))
    order = [Stage.position, Lead.created_at.desc(), Lead.number.desc()]
    if stale_at is not None:
        query = query.where(*_stale(session, team, stale_at))
        order = [func.coalesce(Lead.last_contact_at, Lead.created_at), Lead.number]
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(*order).limit(limit))
    return LeadList(tuple(lead_view(session, lead) for lead in rows), total)


def stale_leads(session: Session, *, team: str, now: datetime, owner: str | None = None,
                limit: int = LIST_LIMIT) -> LeadList:
    """Leads that need a contact: in an open funnel stage, not converted (a converted lead
    follows its deal), and with no contact logged, nor created, within the workspace's
    stale limit (`/deal settings stale`) before `now`; longest idle first."""
    return list_leads(session, team=team, owner=owner, stale_at=now, limit=limit)


def _stale(session: Session, team: str, now: datetime) -> tuple[ColumnElement[bool], ...]:
    cutoff = now - timedelta(days=workspace_settings(session, team=team).rotting_days)
    return (Stage.kind == StageKind.OPEN,
            ~select(Deal.id).where(Deal.lead_id == Lead.id).exists(),
            func.coalesce(Lead.last_contact_at, Lead.created_at) < cutoff)


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
