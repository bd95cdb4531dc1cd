"""What storage hands to the layers above about leads: plain frozen values, no ORM objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.deals.views import DealView, EventView, MessageSource
from storage.kinds import PipelineKind, StageKind
from storage.models import Deal, Lead, LeadEvent, Stage
from storage.stages import StageView, stage_view, stages_of


@dataclass(frozen=True)
class LeadView:
    """A lead as a card shows it. `number` is the team's lead number (`#3`); `deal` is the
    (number, name) of the deal it was converted into, and `converted_at` when that happened;
    `last_contact_at` is when the latest note was logged (None: never)."""

    number: int
    name: str
    company: str | None
    contact: str | None
    stage: StageView
    source: str | None
    owner: str | None
    tags: tuple[str, ...]
    deal: tuple[int, str] | None
    converted_at: datetime | None
    dropped_at: datetime | None
    drop_reason: str | None
    created_at: datetime
    last_activity_at: datetime
    last_contact_at: datetime | None
    next_action: str | None
    next_action_due: date | None
    version: int
    stages: tuple[StageView, ...]

    @property
    def is_dropped(self) -> bool:
        return self.stage.kind == StageKind.DROPPED

    @property
    def is_converted(self) -> bool:
        return self.deal is not None

    @property
    def conversion_stage(self) -> StageView:
        """The funnel's last open stage: a lead enters it only when its deal is won."""
        return [s for s in self.stages if s.kind == StageKind.OPEN][-1]

    @property
    def next_stage(self) -> StageView | None:
        """The open stage a click on "advance" moves to: None when the lead is dropped,
        converted (its deal leads it on), or the next stage is Conversion."""
        if self.is_dropped or self.is_converted:
            return None
        later = [s for s in self.stages
                 if s.kind == StageKind.OPEN and s.position > self.stage.position]
        if not later or later[0].id == self.conversion_stage.id:
            return None
        return later[0]

    @property
    def movable_stages(self) -> tuple[StageView, ...]:
        """Stages a person may move the lead to by hand (the picker): not its own, not
        Conversion; none at all once converted."""
        if self.is_converted:
            return ()
        return tuple(s for s in self.stages
                     if s.id not in (self.stage.id, self.conversion_stage.id))


@dataclass(frozen=True)
class LeadChange:
    """The lead after a change, and the event that recorded it."""

    lead: LeadView
    event: EventView


@dataclass(frozen=True)
class LeadConversion:
    """A converted lead, the deal it became, and the lead's `convert` event."""

    lead: LeadView
    deal: DealView
    event: EventView


def lead_view(session: Session, lead: Lead) -> LeadView:
    stages = tuple(stage_view(s)
                   for s in stages_of(session, team=lead.team_id, kind=PipelineKind.LEAD))
    current = next((s for s in stages if s.id == lead.stage_id), None)
    if current is None:  # an archived stage still holds the lead
        current = stage_view(session.get_one(Stage, lead.stage_id))
    deal = session.execute(select(Deal.number, Deal.name).where(Deal.lead_id == lead.id)).first()
    return LeadView(
        number=lead.number, name=lead.name, company=lead.company, contact=lead.contact,
        stage=current, source=lead.source, owner=lead.owner, tags=lead.tags,
        deal=(deal.number, deal.name) if deal else None, converted_at=lead.converted_at,
        dropped_at=lead.dropped_at, drop_reason=lead.drop_reason, created_at=lead.created_at,
        last_activity_at=lead.last_activity_at, last_contact_at=lead.last_contact_at,
        next_action=lead.next_action, next_action_due=lead.next_action_due,
        version=lead.version, stages=stages)


def lead_event_view(session: Session, event: LeadEvent) -> EventView:
    names: dict[int | None, str] = {}
    for stage_id in (event.from_stage_id, event.to_stage_id):
        if stage_id is not None:
            names[stage_id] = session.get_one(Stage, stage_id).name
    source = (MessageSource(event.source_url, event.source_author)
              if event.source_url or event.source_author else None)
    return EventView(event.at, event.actor, event.kind, names.get(event.from_stage_id),
                     names.get(event.to_stage_id), event.field, event.old_value, event.new_value,
                     event.change_id, source)
