"""Operations on leads and their rules. Each appends to the lead's history in the caller's
transaction and never commits, as one change a person can undo (storage/changes.py).

Rules: Conversion is reached only through a won deal, never by hand; a lead converts into
one deal at most (the unique `deals.lead_id` guarantees it under concurrency too); a
converted lead's place in the funnel follows its deal, so it is neither moved nor dropped by
hand; a dropped lead comes back by being moved to an open stage.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage import text_fields
from storage.changes import undoable
from storage.conversion import (
    conversion_stage,
    dropped_stage,
    engagement_stage,
    enter_stage,
    record_lead_event,
)
from storage.deals import operations as deals
from storage.deals.views import MessageSource
from storage.errors import (
    ConversionByHand,
    ConvertedMeanwhile,
    DroppedLead,
    FollowsItsDeal,
    RuleViolation,
    StageGone,
    StaleVersion,
)
from storage.kinds import EventKind, PipelineKind, StageKind
from storage.leads.checks import check_company, check_contact, check_lead_name
from storage.leads.views import LeadChange, LeadConversion, lead_event_view, lead_view
from storage.lookup import lead_by_number
from storage.models import Lead, Stage
from storage.stages import find_stage, stages_of
from storage.text_fields import normalise_source
from storage.workspaces import ensure_workspace, next_number, pipeline_of


@undoable
def add_lead(session: Session, *, team: str, name: str, actor: str, now: datetime,
             company: str | None = None, contact: str | None = None, source: str | None = None,
             stage: str | None = None, owner: str | None = None,
             tags: Iterable[str] = ()) -> LeadChange:
    """A new lead, in the funnel's first stage unless `stage` names another one (never
    Conversion nor Dropped). `source` is stored as its canonical key
    (storage.text_fields.normalise_source)."""
    ensure_workspace(session, team=team, now=now)
    clean_name = check_lead_name(name)
    target = (find_stage(session, team=team, name=stage, kind=PipelineKind.LEAD) if stage
              else stages_of(session, team=team, kind=PipelineKind.LEAD)[0])
    _check_reachable_by_hand(session, team, target)
    if target.kind != StageKind.OPEN:
        raise RuleViolation(f"A new lead starts in an open stage, not in `{target.name}`.")
    lead = Lead(team_id=team, number=next_number(session, team=team, kind=PipelineKind.LEAD),
                pipeline_id=pipeline_of(session, team=team, kind=PipelineKind.LEAD).id,
                stage_id=target.id,
                name=clean_name, company=check_company(company), contact=check_contact(contact),
                source=normalise_source(source), owner=owner or actor,
                tags=text_fields.checked_tags(tags), created_at=now, created_by=actor,
                last_activity_at=now)
    session.add(lead)
    session.flush()
    event = record_lead_event(session, lead, actor, now, EventKind.CREATED, to_stage_id=target.id)
    return LeadChange(lead_view(session, lead), lead_event_view(session, event))


@undoable
def move_lead(session: Session, *, team: str, number: int, actor: str, now: datetime,
              stage: str | None = None, stage_id: int | None = None,
              expected_version: int | None = None) -> LeadChange:
    """Moves a lead by hand to the funnel stage named `stage` (or with id `stage_id`, as
    buttons carry). Moving a dropped lead to an open stage brings it back; moving to Dropped
    drops it (without a reason)."""
    lead = _lead(session, team, number, expected_version)
    target = _funnel_stage(session, team, stage, stage_id)
    _check_not_converted(session, lead, "moved by hand")
    if target.id == lead.stage_id:
        raise RuleViolation(f"#{lead.number} {lead.name} is already in {target.name}.")
    _check_reachable_by_hand(session, team, target)
    if target.kind == StageKind.DROPPED:
        return _drop(session, lead, None, actor, now)
    lead.dropped_at = None
    lead.drop_reason = None
    event = enter_stage(session, lead, target, actor, now)
    return LeadChange(lead_view(session, lead), lead_event_view(session, event))


@undoable
def drop_lead(session: Session, *, team: str, number: int, actor: str, now: datetime,
              reason: str | None = None, expected_version: int | None = None) -> LeadChange:
    """Takes a lead out of the funnel, with an optional reason."""
    lead = _lead(session, team, number, expected_version)
    _check_not_converted(session, lead, "dropped")
    if lead.dropped_at is not None:
        raise RuleViolation(f"#{lead.number} {lead.name} is dropped already.")
    clean = text_fields.DROP_REASON.optional(reason)
    return _drop(session, lead, clean, actor, now)


def _drop(session: Session, lead: Lead, reason: str | None, actor: str,
          now: datetime) -> LeadChange:
    lead.dropped_at = now
    lead.drop_reason = reason
    event = enter_stage(session, lead, dropped_stage(session, lead.team_id), actor, now,
                        field="drop_reason" if reason else None, new_value=reason)
    return LeadChange(lead_view(session, lead), lead_event_view(session, event))


@undoable
def add_lead_note(session: Session, *, team: str, number: int, text: str, actor: str,
                  now: datetime, expected_version: int | None = None,
                  source: MessageSource | None = None) -> LeadChange:
    """Adds a note to the lead's history; allowed in every stage. `source` is the Slack
    message the note was logged from."""
    lead = _lead(session, team, number, expected_version)
    clean = text_fields.NOTE.required(text, "A note cannot be empty.")
    lead.last_activity_at = now
    session.flush()
    event = record_lead_event(session, lead, actor, now, EventKind.NOTE, new_value=clean,
                              source_url=source.url if source else None,
                              source_author=source.author if source else None)
    return LeadChange(lead_view(session, lead), lead_event_view(session, event))


@undoable
def convert_lead(session: Session, *, team: str, number: int, actor: str, now: datetime,
                 value: Decimal | None = None, stage: str | None = None,
                 owner: str | None = None, expected_version: int | None = None) -> LeadConversion:
    """Creates the lead's deal (name, company, owner, source and tags carried over) and puts
    the lead in Engagement if it was earlier. Refused for dropped or converted leads."""
    lead = _lead(session, team, number, expected_version)
    _check_not_converted(session, lead, "converted again")
    if lead.dropped_at is not None:
        raise DroppedLead(number=lead.number, name=lead.name)
    try:
        with session.begin_nested():  # a concurrent conversion fails here, not at commit
            change = deals.create_deal(
                session, team=team, name=lead.name, actor=actor, now=now, value=value,
                stage=stage, owner=owner or lead.owner, tags=lead.tags,
                company=lead.company, source=lead.source, lead_id=lead.id)
    except IntegrityError as exc:
        raise ConvertedMeanwhile(number=lead.number, name=lead.name) from exc
    lead.converted_at = now
    lead.last_activity_at = now
    session.flush()
    event = record_lead_event(session, lead, actor, now, EventKind.CONVERT, field="deal",
                              new_value=f"#{change.deal.number} {change.deal.name}")
    engagement = engagement_stage(session, team)
    if session.get_one(Stage, lead.stage_id).position < engagement.position:
        enter_stage(session, lead, engagement, actor, now)
    return LeadConversion(lead_view(session, lead), change.deal, lead_event_view(session, event))


def _lead(session: Session, team: str, number: int, expected_version: int | None) -> Lead:
    lead = lead_by_number(session, team=team, number=number)
    if expected_version is not None and lead.version != expected_version:
        raise StaleVersion(f"#{lead.number} {lead.name} changed since this card was drawn.")
    return lead


def _funnel_stage(session: Session, team: str, name: str | None, stage_id: int | None) -> Stage:
    if stage_id is None:
        return find_stage(session, team=team, name=name or "", kind=PipelineKind.LEAD)
    found = next((s for s in stages_of(session, team=team, kind=PipelineKind.LEAD)
                  if s.id == stage_id), None)
    if found is None:  # another team's stage, or one archived since the card was drawn
        raise StageGone(kind=PipelineKind.LEAD)
    return found


def _check_not_converted(session: Session, lead: Lead, what: str) -> None:
    view = lead_view(session, lead)
    if view.deal is not None:
        number, name = view.deal
        raise FollowsItsDeal(number=lead.number, name=lead.name, deal_number=number,
                             deal_name=name, conversion_stage=view.conversion_stage.name,
                             what=what)


def _check_reachable_by_hand(session: Session, team: str, target: Stage) -> None:
    conversion = conversion_stage(session, team)
    if target.id == conversion.id:
        raise ConversionByHand(stage=conversion.name)
