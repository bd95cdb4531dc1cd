"""Reading leads: one lead, filtered lists, and a lead's history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import Session

from storage.deals.views import EventView
from storage.kinds import ListView, PipelineKind, StageKind
from storage.leads.views import LeadView, lead_event_view, lead_view
from storage.lists import page_of, stale
from storage.lookup import lead_by_number
from storage.models import Deal, Lead, LeadEvent, Stage, has_tag
from storage.stages import find_stage
from storage.text_fields import normalise_source

LIST_LIMIT = 40
# when a lead was last contacted: its latest note, else its creation
last_contact = func.coalesce(Lead.last_contact_at, Lead.created_at)


@dataclass(frozen=True)
class LeadList:
    """A page of leads, how many matched in all, and where the page starts among them."""

    leads: tuple[LeadView, ...]
    total: int
    offset: int = 0


def show_lead(session: Session, *, team: str, number: int) -> LeadView:
    return lead_view(session, lead_by_number(session, team=team, number=number))


def list_leads(session: Session, *, team: str, stage: str | None = None,
               source: str | None = None, owner: str | None = None, tag: str | None = None,
               company: str | None = None, view: ListView | None = None,
               now: datetime | None = None, limit: int = LIST_LIMIT,
               offset: int = 0) -> LeadList:
    """A page of the leads still in the funnel (or those in `stage`, Dropped included; `view`
    all: every lead; stale: those nobody contacted within their stage's rotting limit, else
    the workspace's, before `now`: no note since then, nor created since; a converted lead
    follows its deal and is never stale). With `now`, stale leads first; then in funnel
    order, newest first within a stage. `company`: a part of the company's name, any case.
    One COUNT and one page read with LIMIT/OFFSET (a page past the end is the last page)."""
    query = (select(Lead).join(Stage, Stage.id == Lead.stage_id)
             .where(Lead.team_id == team, Lead.voided_at.is_(None)))
    if stage:
        query = query.where(Lead.stage_id == find_stage(session, team=team, name=stage,
                                                        kind=PipelineKind.LEAD).id)
    view = view or (ListView.ALL if stage else ListView.OPEN)
    is_stale = (and_(stale(session, team=team, kind=PipelineKind.LEAD, now=now,
                           stage_id=Lead.stage_id, last_activity=last_contact),
                     ~select(Deal.id).where(Deal.lead_id == Lead.id).exists())
                if now is not None else None)
    if view == ListView.OPEN:
        query = query.where(Stage.kind == StageKind.OPEN)
    elif view == ListView.STALE:
        if is_stale is None:
            raise ValueError("the stale leads need the time now")
        query = query.where(is_stale)
    elif view != ListView.ALL:
        raise ValueError(f"leads have no {view} list")
    if source:
        query = query.where(Lead.source == normalise_source(source))
    if owner:
        query = query.where(Lead.owner == owner)
    if tag:
        query = query.where(has_tag(Lead.tags, tag))
    if company:
        query = query.where(func.lower(Lead.company).contains(company.lower(), autoescape=True))
    total, offset = page_of(session, query, offset=offset, limit=limit)
    urgency = case((is_stale, 0), else_=1) if is_stale is not None else literal(0)
    rows = session.scalars(query.order_by(urgency, Stage.position, Lead.created_at.desc(),
                                          Lead.number.desc()).limit(limit).offset(offset))
    return LeadList(tuple(lead_view(session, lead) for lead in rows), total, offset)


def stale_leads(session: Session, *, team: str, now: datetime, owner: str | None = None,
                limit: int = LIST_LIMIT) -> LeadList:
    """The leads that need a contact at `now` (the `stale` list), `owner`'s when given: for
    reminders."""
    return list_leads(session, team=team, owner=owner, view=ListView.STALE, now=now,
                      limit=limit)


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
