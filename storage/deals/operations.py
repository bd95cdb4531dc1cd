"""Operations on deals and their rules. Each appends to the deal's history in the caller's
transaction and never commits, as one change a person can undo (storage/changes.py). A won
or lost deal changes only through `reopen_deal`."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import text_fields
from storage.changes import change_id_for_event, undoable
from storage.conversion import follow_deal_stage
from storage.deals.views import DealChange, DealView, MessageSource, deal_view, event_view
from storage.errors import ClosedDeal, RuleViolation, StageGone, StaleVersion, UsageError
from storage.followups import followups_of
from storage.kinds import EventKind, PipelineKind, StageKind
from storage.lookup import deal_by_number
from storage.models import LOST_REASON, Deal, DealEvent, Stage, tags_text
from storage.stages import find_stage, stages_of
from storage.text_fields import normalise_source
from storage.workspaces import ensure_workspace, next_number

MAX_VALUE = Decimal(10) ** 12


@undoable
def create_deal(session: Session, *, team: str, name: str, actor: str, now: datetime,
                value: Decimal | None = None, stage: str | None = None,
                expected_close: date | None = None, owner: str | None = None,
                tags: Iterable[str] = (), company: str | None = None,
                source: str | None = None, lead_id: int | None = None) -> DealChange:
    """A new open deal, in the first stage unless `stage` names another open one.
    `lead_id` links it to the lead it came from (unique: a lead becomes one deal at most)."""
    ensure_workspace(session, team=team, now=now)
    name = check_name(name)
    target = start_stage(session, team=team, stage=stage)
    deal = Deal(team_id=team, number=next_number(session, team=team, kind=PipelineKind.DEAL),
                pipeline_id=target.pipeline_id, stage_id=target.id, name=name,
                company=text_fields.COMPANY.optional(company),
                value=check_value(value or Decimal("0")), owner=owner or actor,
                expected_close=expected_close, tags=text_fields.checked_tags(tags),
                source=normalise_source(source), lead_id=lead_id, created_at=now,
                created_by=actor, last_activity_at=now)
    session.add(deal)
    session.flush()
    event = _record(session, deal, actor, now, EventKind.CREATED, to_stage_id=target.id)
    return _changed(session, deal, event, actor)


def start_stage(session: Session, *, team: str, stage: str | None) -> Stage:
    """The stage a new deal starts in: the first, or the open one `stage` names."""
    target = (find_stage(session, team=team, name=stage) if stage
              else stages_of(session, team=team)[0])
    if target.kind != StageKind.OPEN:
        raise RuleViolation(f"A new deal starts in an open stage, not in `{target.name}`.")
    return target


@undoable
def move_deal(session: Session, *, team: str, number: int, stage: str | None = None, actor: str,
              now: datetime, expected_version: int | None = None,
              stage_id: int | None = None) -> DealChange:
    """Moves an open deal to another stage, named by `stage` or (from a card) by `stage_id`;
    moving to Won or Lost closes it."""
    deal = _open_deal(session, team, number, expected_version)
    target = (find_stage(session, team=team, name=stage or "") if stage_id is None
              else _pipeline_stage(session, team, stage_id))
    if target.id == deal.stage_id:
        raise RuleViolation(f"#{deal.number} {deal.name} is already in {target.name}.")
    return _change_stage(session, deal, target, actor, now)


@undoable
def win_deal(session: Session, *, team: str, number: int, actor: str, now: datetime,
             expected_version: int | None = None) -> DealChange:
    deal = _open_deal(session, team, number, expected_version)
    return _change_stage(session, deal, _closing_stage(session, team, StageKind.WON), actor, now)


@undoable
def lose_deal(session: Session, *, team: str, number: int, actor: str, now: datetime,
              reason: str | None = None, expected_version: int | None = None) -> DealChange:
    deal = _open_deal(session, team, number, expected_version)
    deal.lost_reason = text_fields.LOST_REASON.optional(reason)
    # the reason goes on the event too: reports of past weeks name the reason given then
    return _change_stage(session, deal, _closing_stage(session, team, StageKind.LOST), actor, now,
                         field=LOST_REASON if deal.lost_reason else None,
                         new_value=deal.lost_reason)


@undoable
def reopen_deal(session: Session, *, team: str, number: int, actor: str, now: datetime,
                stage: str | None = None, expected_version: int | None = None) -> DealChange:
    """Brings a won or lost deal back to `stage`, or to the open stage it closed from."""
    deal = deal_by_number(session, team=team, number=number)
    _check_version(deal, expected_version)
    current = _stage_of(session, deal)
    if current.kind == StageKind.OPEN:
        raise RuleViolation(f"#{deal.number} {deal.name} is open already (in {current.name}).")
    target = find_stage(session, team=team, name=stage) if stage else _stage_before_close(
        session, deal)
    if target.kind != StageKind.OPEN:
        raise RuleViolation(f"A deal reopens into an open stage, not into `{target.name}`.")
    deal.lost_reason = None
    return _change_stage(session, deal, target, actor, now)


@undoable
def assign_deal(session: Session, *, team: str, number: int, owner: str, actor: str, now: datetime,
                expected_version: int | None = None) -> DealChange:
    deal = _open_deal(session, team, number, expected_version)
    if deal.owner == owner:
        raise RuleViolation(f"#{deal.number} {deal.name} has that owner already.")
    return _set_field(session, deal, "owner", owner, actor, now, kind=EventKind.ASSIGN)


@undoable
def set_value(session: Session, *, team: str, number: int, value: Decimal, actor: str,
              now: datetime, expected_version: int | None = None) -> DealChange:
    deal = _open_deal(session, team, number, expected_version)
    return _set_field(session, deal, "value", check_value(value), actor, now)


@undoable
def set_expected_close(session: Session, *, team: str, number: int, close: date | None, actor: str,
                       now: datetime, expected_version: int | None = None) -> DealChange:
    deal = _open_deal(session, team, number, expected_version)
    return _set_field(session, deal, "expected_close", close, actor, now)


@undoable
def set_probability(session: Session, *, team: str, number: int, probability: int | None,
                    actor: str, now: datetime,
                    expected_version: int | None = None) -> DealChange:
    """Sets the deal's own weight (0-100), or None to follow its stage's again."""
    deal = _open_deal(session, team, number, expected_version)
    if probability is not None and not 0 <= probability <= 100:
        raise UsageError("A probability is a whole percent from 0 to 100.")
    return _set_field(session, deal, "probability", probability, actor, now)


@undoable
def set_next_action(session: Session, *, team: str, number: int, text: str, due: date | None,
                    actor: str, now: datetime, expected_version: int | None = None) -> DealChange:
    deal = _open_deal(session, team, number, expected_version)
    deal.next_action_due = due
    clean = text_fields.NEXT_ACTION.required(text, "What is the next action?")
    return _set_field(session, deal, "next_action", clean, actor, now, kind=EventKind.NEXT)


@undoable
def add_note(session: Session, *, team: str, number: int, text: str, actor: str, now: datetime,
             expected_version: int | None = None,
             source: MessageSource | None = None) -> DealChange:
    """Logs a contact: the note goes into the history and the last contact becomes now.
    Allowed on closed deals too: talking to a customer after the deal is normal. `source` is
    the Slack message the note was logged from."""
    deal = deal_by_number(session, team=team, number=number)
    _check_version(deal, expected_version)
    clean = text_fields.NOTE.required(text, "A note cannot be empty.")
    deal.last_contact_at = now
    deal.last_activity_at = now
    session.flush()
    event = _record(session, deal, actor, now, EventKind.NOTE, new_value=clean,
                    source_url=source.url if source else None,
                    source_author=source.author if source else None)
    return _changed(session, deal, event, actor)


@dataclass(frozen=True)
class DealFields:
    """Everything the Edit form sets at once."""

    name: str
    value: Decimal
    expected_close: date | None
    owner: str | None
    next_action: str | None
    next_action_due: date | None
    tags: tuple[str, ...]


@undoable
def edit_deal(session: Session, *, team: str, number: int, actor: str, now: datetime,
              fields: DealFields, expected_version: int | None = None) -> DealView:
    """Applies several field changes at once (the Edit modal); one event per changed field."""
    deal = _open_deal(session, team, number, expected_version)
    cleaners: dict[str, Callable[[Any], object]] = {
        "name": check_name, "value": check_value,
        "next_action": text_fields.NEXT_ACTION.optional, "tags": text_fields.checked_tags}
    for field in dataclasses.fields(fields):
        raw = getattr(fields, field.name)
        value = cleaners[field.name](raw) if field.name in cleaners else raw
        if getattr(deal, field.name) != value:
            _set_field(session, deal, field.name, value, actor, now,
                       kind=EventKind.ASSIGN if field.name == "owner" else EventKind.EDIT)
    return deal_view(session, deal)


def check_name(name: str) -> str:
    return text_fields.DEAL_NAME.required(name, "A deal needs a name.")


def check_value(value: Decimal) -> Decimal:
    if value < 0:
        raise UsageError("A value cannot be negative.")
    if value > MAX_VALUE:
        raise UsageError("That value is too large: the largest is 1,000,000,000,000.")
    return value.quantize(Decimal("0.01"))


def _check_version(deal: Deal, expected: int | None) -> None:
    if expected is not None and deal.version != expected:
        raise StaleVersion(f"#{deal.number} {deal.name} changed since this card was drawn.")


def _open_deal(session: Session, team: str, number: int, expected_version: int | None) -> Deal:
    deal = deal_by_number(session, team=team, number=number)
    _check_version(deal, expected_version)
    stage = _stage_of(session, deal)
    if stage.kind != StageKind.OPEN:
        raise ClosedDeal(number=deal.number, name=deal.name, stage=stage.name)
    return deal


def _stage_of(session: Session, deal: Deal) -> Stage:
    """The deal's stage, among the pipeline's stages the transaction reads anyway (an archived
    one by its id)."""
    found = next((s for s in stages_of(session, team=deal.team_id) if s.id == deal.stage_id),
                 None)
    return found or session.get_one(Stage, deal.stage_id)


def _pipeline_stage(session: Session, team: str, stage_id: int) -> Stage:
    """A stage of the team's own pipeline by id: another team's stage id is not found."""
    found = next((s for s in stages_of(session, team=team) if s.id == stage_id), None)
    if found is None:
        raise StageGone(kind=PipelineKind.DEAL)
    return found


def _closing_stage(session: Session, team: str, kind: StageKind) -> Stage:
    return next(s for s in stages_of(session, team=team) if s.kind == kind)


def _stage_before_close(session: Session, deal: Deal) -> Stage:
    last = session.scalars(select(DealEvent).where(
        DealEvent.deal_id == deal.id, DealEvent.kind == EventKind.STAGE,
        DealEvent.voided_at.is_(None),
        DealEvent.to_stage_id == deal.stage_id).order_by(DealEvent.at.desc(),
                                                         DealEvent.id.desc())).first()
    stage_id = last.from_stage_id if last is not None and last.from_stage_id else None
    if stage_id is None:
        return stages_of(session, team=deal.team_id)[0]
    return session.get_one(Stage, stage_id)


def _change_stage(session: Session, deal: Deal, target: Stage, actor: str, now: datetime,
                  **details: object) -> DealChange:
    previous = deal.stage_id
    deal.stage_id = target.id
    deal.closed_at = now if target.kind != StageKind.OPEN else None
    deal.last_activity_at = now
    session.flush()
    event = _record(session, deal, actor, now, EventKind.STAGE, from_stage_id=previous,
                    to_stage_id=target.id, **details)
    follow_deal_stage(session, deal, target, actor, now)  # a won deal's lead enters Conversion
    return _changed(session, deal, event, actor)


def _set_field(session: Session, deal: Deal, field: str, value: object, actor: str, now: datetime,
               *, kind: EventKind = EventKind.EDIT) -> DealChange:
    old = getattr(deal, field)
    setattr(deal, field, value)
    deal.last_activity_at = now
    session.flush()
    event = _record(session, deal, actor, now, kind, field=field, old_value=history_text(old),
                    new_value=history_text(value))
    return _changed(session, deal, event, actor)


def _changed(session: Session, deal: Deal, event: DealEvent, actor: str) -> DealChange:
    followups = followups_of(session, team=deal.team_id, actor=actor)  # reads the workspace
    return DealChange(deal_view(session, deal), event_view(session, event), followups)


def history_text(value: object) -> str | None:
    """A field's value as a history entry keeps it (old and new value; leads alike)."""
    if value is None:
        return None
    if isinstance(value, tuple):  # tags
        return tags_text(value)
    return value.isoformat() if isinstance(value, date) else str(value)


def _record(session: Session, deal: Deal, actor: str | None, now: datetime, kind: EventKind,
            **fields: object) -> DealEvent:
    event = DealEvent(team_id=deal.team_id, deal_id=deal.id, at=now, actor=actor, kind=kind,
                      amount=deal.value, change_id=change_id_for_event(session), **fields)
    session.add(event)
    session.flush()
    return event
