"""Operations on leads and their rules. Each appends to the lead's history in the caller's
transaction and never commits, as one change a person can undo (storage/changes.py).

Rules: Conversion is reached only through a won deal, never by hand; a lead converts into
one deal at most (the unique `deals.lead_id` guarantees it under concurrency too); a
converted lead's place in the funnel follows its deal, so it is neither moved nor dropped by
hand; a dropped lead comes back by being moved to an open stage.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

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
    UsageError,
)
from storage.kinds import EventKind, PipelineKind, StageKind
from storage.leads.checks import check_company, check_contact, check_lead_name
from storage.leads.views import (
    LeadChange,
    LeadConversion,
    LeadView,
    lead_event_view,
    lead_view,
)
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
    """Takes a lead out of the funnel, with an optional reason. On a lead dropped already, a
    reason adds or changes its reason (an entry in its history), and it stays where it is."""
    lead = _lead(session, team, number, expected_version)
    _check_not_converted(session, lead, "dropped")
    clean = text_fields.DROP_REASON.optional(reason)
    if lead.dropped_at is None:
        return _drop(session, lead, clean, actor, now)
    if clean is None:
        raise RuleViolation(f"#{lead.number} {lead.name} is dropped already. To give or "
                            "change its reason, add `reason:` and the reason.")
    if clean == lead.drop_reason:
        raise RuleViolation(f"#{lead.number} {lead.name} was dropped for that reason already.")
    return _set_field(session, lead, "drop_reason", clean, actor, now)


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
    """Logs a contact: the note goes into the lead's history and its last contact becomes
    now. Allowed in every stage. `source` is the Slack message the note was logged from."""
    lead = _lead(session, team, number, expected_version)
    clean = text_fields.NOTE.required(text, "A note cannot be empty.")
    lead.last_contact_at = now
    lead.last_activity_at = now
    session.flush()
    event = record_lead_event(session, lead, actor, now, EventKind.NOTE, new_value=clean,
                              source_url=source.url if source else None,
                              source_author=source.author if source else None)
    return LeadChange(lead_view(session, lead), lead_event_view(session, event))


@undoable
def assign_lead(session: Session, *, team: str, number: int, owner: str, actor: str,
                now: datetime, expected_version: int | None = None) -> LeadChange:
    """Gives the lead another owner; allowed in every stage."""
    lead = _lead(session, team, number, expected_version)
    clean = text_fields.OWNER.required(owner, "Who should own the lead?")
    if lead.owner == clean:
        raise RuleViolation(f"#{lead.number} {lead.name} has that owner already.")
    return _set_field(session, lead, "owner", clean, actor, now, kind=EventKind.ASSIGN)


@undoable
def set_lead_next_action(session: Session, *, team: str, number: int, text: str,
                         due: date | None, actor: str, now: datetime,
                         expected_version: int | None = None) -> LeadChange:
    """What is to be done next about the lead, and by when (`due`, optional)."""
    lead = _lead(session, team, number, expected_version)
    clean = text_fields.NEXT_ACTION.required(text, "What is the next action?")
    lead.next_action_due = due
    return _set_field(session, lead, "next_action", clean, actor, now, kind=EventKind.NEXT)


@undoable
def tag_lead(session: Session, *, team: str, number: int, actor: str, now: datetime,
             add: Iterable[str] = (), remove: Iterable[str] = (),
             expected_version: int | None = None) -> LeadChange:
    """Adds the tags `add` and takes away the tags `remove`: one history entry with the tags
    before and after. A tag it has already, or one it does not have to take away, is
    refused, so that a typo is noticed."""
    lead = _lead(session, team, number, expected_version)
    adding, removing = set(add), set(remove)
    if not adding and not removing:
        raise UsageError("Which tags? Write them after the lead, like `#q4 #emea`.")
    if already := sorted(adding & set(lead.tags)):
        raise RuleViolation(f"#{lead.number} {lead.name} has {_tag_list(already)} already.")
    if missing := sorted(removing - set(lead.tags)):
        raise RuleViolation(f"#{lead.number} {lead.name} has no {_tag_list(missing)} to take "
                            "away" + (f"; its tags are {_tag_list(lead.tags)}." if lead.tags
                                      else ": it has no tags."))
    tags = text_fields.checked_tags((set(lead.tags) | adding) - removing)
    return _set_field(session, lead, "tags", tags, actor, now)


def _tag_list(tags: Iterable[str]) -> str:
    return " ".join(f"`#{tag}`" for tag in tags)


@dataclass(frozen=True)
class LeadFields:
    """Everything the Edit form sets at once."""

    name: str
    company: str | None
    contact: str | None
    source: str | None
    owner: str | None
    tags: tuple[str, ...]
    next_action: str | None
    next_action_due: date | None


@undoable
def edit_lead(session: Session, *, team: str, number: int, actor: str, now: datetime,
              fields: LeadFields, expected_version: int | None = None) -> LeadView:
    """Applies the Edit form: one history entry for each field that changed (the owner's as
    an assignment). Allowed in every stage; a form that changes nothing is refused. Without
    a next action there is no due date."""
    lead = _lead(session, team, number, expected_version)
    cleaners: dict[str, Callable[[Any], object]] = {
        "name": check_lead_name, "company": check_company, "contact": check_contact,
        "source": normalise_source, "tags": text_fields.checked_tags,
        "next_action": text_fields.NEXT_ACTION.optional}
    wanted = {f.name: cleaners[f.name](getattr(fields, f.name)) if f.name in cleaners
              else getattr(fields, f.name) for f in dataclasses.fields(fields)}
    if wanted["next_action"] is None:  # no action, nothing due
        wanted["next_action_due"] = None
    changes = {name: value for name, value in wanted.items() if getattr(lead, name) != value}
    if not changes:
        raise RuleViolation(f"Nothing changed: #{lead.number} {lead.name} is as the form "
                            "says already.")
    for name, value in changes.items():
        _set_field(session, lead, name, value, actor, now,
                   kind=EventKind.ASSIGN if name == "owner" else EventKind.EDIT)
    return lead_view(session, lead)


def _set_field(session: Session, lead: Lead, field: str, value: object, actor: str,
               now: datetime, *, kind: EventKind = EventKind.EDIT) -> LeadChange:
    """Sets one column and records it in the history (old and new value as text)."""
    old = getattr(lead, field)
    setattr(lead, field, value)
    lead.last_activity_at = now
    session.flush()
    event = record_lead_event(session, lead, actor, now, kind, field=field,
                              old_value=deals.history_text(old),
                              new_value=deals.history_text(value))
    return LeadChange(lead_view(session, lead), lead_event_view(session, event))


@undoable
def convert_lead(session: Session, *, team: str, number: int, actor: str, now: datetime,
                 value: Decimal | None = None, stage: str | None = None,
                 owner: str | None = None, expected_version: int | None = None) -> LeadConversion:
    """Creates the lead's deal (name, company, owner, source and tags carried over) and puts
    the lead in Engagement if it was earlier. Refused for dropped or converted leads."""
    lead = _lead(session, team, number, expected_version)
    _check_convertible(session, lead)
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


@dataclass(frozen=True)
class Convertible:
    """A lead `convert_lead` may convert, and the name of the deal stage it would start in."""

    lead: LeadView
    stage: str


def convertible_lead(session: Session, *, team: str, number: int,
                     stage: str | None = None) -> Convertible:
    """What `convert_lead` would check, without converting: for the form that asks for the
    deal's value first. `stage` names the deal's first stage (default the pipeline's first)."""
    lead = _lead(session, team, number, None)
    _check_convertible(session, lead)
    return Convertible(lead_view(session, lead),
                       deals.start_stage(session, team=team, stage=stage).name)


def _check_convertible(session: Session, lead: Lead) -> None:
    _check_not_converted(session, lead, "converted again")
    if lead.dropped_at is not None:
        raise DroppedLead(number=lead.number, name=lead.name)


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
