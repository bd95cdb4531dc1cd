"""Undo: a person takes back one of their changes (storage/changes.py) within 15 minutes, as
long as nothing else has changed its records since.

The change's events are kept, marked void (`voided_at`, `voided_by`), and every history,
list, report and export leaves them out, for every time. Each deal and lead the change
touched gets back the columns it had before (its version moves on, so a card drawn earlier
is out of date); a deal or lead it created is marked void and is gone everywhere. So an undone
win is no win in any report, and takes the lead back out of Conversion; an undone conversion
leaves no deal and puts the lead back where it was. Undoing is not itself a change: it
records no event, and nothing undoes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.orm import Session

from storage.changes import columns_of, decode
from storage.deals.views import DealView, EventView, deal_views, event_view
from storage.errors import (
    AlreadyUndone,
    ChangedSince,
    NoSuchChange,
    NothingToUndo,
    NotYourChange,
    TooLateToUndo,
)
from storage.followups import Followups, followups_of
from storage.kinds import PipelineKind
from storage.leads.views import LeadView, lead_event_view, lead_view
from storage.models import Change, Deal, DealEvent, Lead, LeadEvent

UNDO_MINUTES = 15
# a kind's records, their events (typed loosely: the two tables have the same columns) and
# the events' column naming the record
MODELS: dict[str, tuple[type[Deal] | type[Lead], Any, str]] = {
    PipelineKind.DEAL: (Deal, DealEvent, "deal_id"),
    PipelineKind.LEAD: (Lead, LeadEvent, "lead_id"),
}
Touched = list[tuple[dict[str, Any], Deal | Lead]]  # the change's records: (entry, record)


@dataclass(frozen=True)
class UndoneRecord:
    """A deal or lead the undone change had touched, and what it had recorded on it (now
    void), oldest first. `removed`: the change had created it, so it is gone."""

    kind: PipelineKind
    number: int
    name: str
    removed: bool
    events: tuple[EventView, ...]


@dataclass(frozen=True)
class Undone:
    """What an undo did: the change (its id, when it was made), its records, the deals and
    leads as they are again (removed ones not), and what follows (read in the undo's own
    transaction)."""

    change_id: int
    at: datetime
    records: tuple[UndoneRecord, ...]
    deals: tuple[DealView, ...]
    leads: tuple[LeadView, ...]
    followups: Followups


def latest_change(session: Session, *, team: str, actor: str) -> int | None:
    """The id of `actor`'s latest change that is not undone, or None: for an Undo button after
    an operation whose result carries no event (the Edit form's `edit_deal`)."""
    return session.scalar(select(Change.id).where(
        Change.team_id == team, Change.actor == actor, Change.voided_at.is_(None))
        .order_by(Change.id.desc()).limit(1))


def undo_last_change(session: Session, *, team: str, actor: str, now: datetime,
                     kind: PipelineKind | None = None) -> Undone:
    """Undoes `actor`'s latest change that is not undone yet (of one that touched a deal, or
    a lead, when `kind` says). Raises NothingToUndo, TooLateToUndo, ChangedSince."""
    query = select(Change).where(Change.team_id == team, Change.actor == actor,
                                 Change.voided_at.is_(None))
    if kind is not None:
        events = MODELS[kind][1]
        query = query.where(exists().where(events.change_id == Change.id))
    change = session.scalars(query.order_by(Change.id.desc()).limit(1)).first()
    if change is None:
        raise NothingToUndo(kind=kind)
    return _undo(session, change, actor, now)


def undo_change(session: Session, *, team: str, actor: str, change_id: int,
                now: datetime) -> Undone:
    """Undoes the change `change_id` (an Undo button's). Raises NoSuchChange, NotYourChange,
    AlreadyUndone, TooLateToUndo, ChangedSince."""
    change = session.get(Change, change_id)
    if change is None or change.team_id != team:
        raise NoSuchChange(change_id=change_id)
    if change.actor != actor:
        raise NotYourChange(change_id=change.id, actor=change.actor)
    if change.voided_at is not None:
        raise AlreadyUndone(change_id=change.id, by=change.voided_by, at=change.voided_at)
    return _undo(session, change, actor, now)


def _undo(session: Session, change: Change, actor: str, now: datetime) -> Undone:
    if now - change.at > timedelta(minutes=UNDO_MINUTES):
        raise TooLateToUndo(change_id=change.id, at=change.at, minutes=UNDO_MINUTES)
    touched: Touched = [(entry, _record(session, entry)) for entry in change.records]
    for entry, record in touched:
        _check_unchanged(session, change, PipelineKind(entry["kind"]), record, entry)
    for entry, record in touched:
        _restore(record, entry, now)
    for _, events, _ in MODELS.values():
        session.execute(update(events).where(events.change_id == change.id)
                        .values(voided_at=now, voided_by=actor))
    change.voided_at, change.voided_by = now, actor
    session.flush()
    return _undone(session, change, touched)


def _record(session: Session, entry: dict[str, Any]) -> Deal | Lead:
    if entry["kind"] == PipelineKind.DEAL:
        return session.get_one(Deal, entry["id"])
    return session.get_one(Lead, entry["id"])


def _check_unchanged(session: Session, change: Change, kind: PipelineKind,
                     record: Deal | Lead, entry: dict[str, Any]) -> None:
    """Raises ChangedSince when anything but `change` changed the record after it: an event
    that is not void (the latest one is named), or else columns that are not as the change
    left them."""
    _, events, owner = MODELS[kind]
    first = session.scalar(select(func.min(events.id)).where(events.change_id == change.id))
    later = session.scalars(
        select(events).where(getattr(events, owner) == record.id, events.voided_at.is_(None),
                             or_(events.change_id.is_(None), events.change_id != change.id),
                             events.id > first if first is not None else events.at >= change.at)
        .order_by(events.id.desc()).limit(1)).first()
    if later is not None:
        raise ChangedSince(change_id=change.id, kind=kind, number=record.number,
                           name=record.name, by=later.actor, what=later.kind,
                           field=later.field, at=later.at)
    if record.voided_at is not None or columns_of(record) != entry["after"]:
        raise ChangedSince(change_id=change.id, kind=kind, number=record.number,
                           name=record.name, by=None, what=None, field=None, at=None)


def _restore(record: Deal | Lead, entry: dict[str, Any], now: datetime) -> None:
    """The record as it was before the change; one the change created is void."""
    if entry["before"] is None:
        record.voided_at = now
        if isinstance(record, Deal):
            record.lead_id = None  # its lead may become a deal again
        return
    for key, value in decode(type(record), entry["before"]).items():
        if getattr(record, key) != value:
            setattr(record, key, value)


def _undone(session: Session, change: Change, touched: Touched) -> Undone:
    views: dict[tuple[str, int], list[EventView]] = {}
    for event in session.scalars(select(DealEvent).where(DealEvent.change_id == change.id)
                                 .order_by(DealEvent.id)):
        views.setdefault((PipelineKind.DEAL, event.deal_id), []).append(
            event_view(session, event))
    for lead_event in session.scalars(select(LeadEvent).where(LeadEvent.change_id == change.id)
                                      .order_by(LeadEvent.id)):
        views.setdefault((PipelineKind.LEAD, lead_event.lead_id), []).append(
            lead_event_view(session, lead_event))
    records = tuple(UndoneRecord(PipelineKind(entry["kind"]), record.number, record.name,
                                 entry["before"] is None,
                                 tuple(views.get((entry["kind"], record.id), ())))
                    for entry, record in touched)
    kept = [record for entry, record in touched if entry["before"] is not None]
    deals = [r for r in kept if isinstance(r, Deal)]
    return Undone(change.id, change.at, records,
                  deal_views(session, change.team_id, deals) if deals else (),
                  tuple(lead_view(session, r) for r in kept if isinstance(r, Lead)),
                  followups_of(session, team=change.team_id, actor=change.actor))
