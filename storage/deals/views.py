"""What storage hands to the layers above about deals: plain frozen values, no ORM objects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.followups import Followups
from storage.kinds import EventKind, PipelineKind, StageKind
from storage.models import Deal, DealEvent, Lead, Stage
from storage.stages import StageView, stage_view, stages_of
from storage.workspaces import find_workspace


@dataclass(frozen=True)
class DealView:
    """A deal as a card shows it. `number` is the team's deal number (`#12`)."""

    number: int
    name: str
    company: str | None
    stage: StageView
    value: Decimal
    currency: str
    owner: str | None
    expected_close: date | None
    own_probability: int | None
    last_contact_at: datetime | None
    next_action: str | None
    next_action_due: date | None
    tags: tuple[str, ...]
    source: str | None
    lead: tuple[int, str] | None
    lost_reason: str | None
    created_at: datetime
    closed_at: datetime | None
    last_activity_at: datetime
    version: int
    stages: tuple[StageView, ...]

    @property
    def probability(self) -> int:
        """The deal's own weight when someone set one, else its stage's."""
        return self.stage.probability if self.own_probability is None else self.own_probability

    @property
    def weighted(self) -> Decimal:
        return (self.value * self.probability / 100).quantize(Decimal("0.01"))

    @property
    def is_open(self) -> bool:
        return self.stage.kind == StageKind.OPEN

    @property
    def next_stage(self) -> StageView | None:
        """The open stage after this one; None at the last open stage or when closed."""
        if not self.is_open:
            return None
        later = [s for s in self.stages
                 if s.kind == StageKind.OPEN and s.position > self.stage.position]
        return later[0] if later else None


@dataclass(frozen=True)
class MessageSource:
    """The Slack message a note was logged from: its link (None when Slack gave none) and
    its author's user id (None for a message no person wrote)."""

    url: str | None
    author: str | None


@dataclass(frozen=True)
class EventView:
    """One entry of a deal's or lead's history."""

    at: datetime
    actor: str | None
    kind: EventKind
    from_stage: str | None
    to_stage: str | None
    field: str | None
    old_value: str | None
    new_value: str | None
    change_id: int | None = None  # the change it belongs to (storage/undo.py undoes it)
    source: MessageSource | None = None  # a note logged from a Slack message


@dataclass(frozen=True)
class DealChange:
    """The deal after a change, the event that recorded it, and what follows the change (read
    in its transaction)."""

    deal: DealView
    event: EventView
    followups: Followups


def deal_view(session: Session, deal: Deal) -> DealView:
    return deal_views(session, deal.team_id, [deal])[0]


def deal_views(session: Session, team: str, deals: Sequence[Deal]) -> tuple[DealView, ...]:
    """Views of the team's `deals`: the stages, the currency and the linked leads are read
    once for all of them, not once a deal."""
    if not deals:
        return ()
    stages = tuple(stage_view(s) for s in stages_of(session, team=team, kind=PipelineKind.DEAL))
    by_id = {s.id: s for s in stages}
    workspace = find_workspace(session, team=team)
    currency = workspace.currency if workspace is not None else None
    lead_ids = {d.lead_id for d in deals if d.lead_id is not None}
    leads = {row.id: (row.number, row.name) for row in session.execute(
        select(Lead.id, Lead.number, Lead.name).where(Lead.id.in_(lead_ids)))} if lead_ids else {}
    return tuple(DealView(
        number=deal.number, name=deal.name, company=deal.company,
        # an archived stage may still hold a deal
        stage=by_id.get(deal.stage_id) or stage_view(session.get_one(Stage, deal.stage_id)),
        value=deal.value, currency=currency or "USD", owner=deal.owner,
        expected_close=deal.expected_close, own_probability=deal.probability,
        last_contact_at=deal.last_contact_at, next_action=deal.next_action,
        next_action_due=deal.next_action_due, tags=deal.tags,
        source=deal.source, lead=leads.get(deal.lead_id) if deal.lead_id else None,
        lost_reason=deal.lost_reason, created_at=deal.created_at, closed_at=deal.closed_at,
        last_activity_at=deal.last_activity_at, version=deal.version, stages=stages)
        for deal in deals)


def event_view(session: Session, event: DealEvent) -> EventView:
    names: dict[int | None, str] = {}
    for stage_id in (event.from_stage_id, event.to_stage_id):
        if stage_id is not None:
            names[stage_id] = session.get_one(Stage, stage_id).name
    source = (MessageSource(event.source_url, event.source_author)
              if event.source_url or event.source_author else None)
    return EventView(event.at, event.actor, event.kind, names.get(event.from_stage_id),
                     names.get(event.to_stage_id), event.field, event.old_value, event.new_value,
                     event.change_id, source)
