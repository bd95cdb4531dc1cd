"""Exports: a team's deals, leads, spend and events as rows of text, in the columns the import reads
(PRODUCT.md, "Bringing history in and out"), so that an export imported into an empty
database rebuilds the same histories and so the same reports.

`entered:<Stage>` holds the first time the record entered each open stage; `stage_changed`
the last time it entered its current stage (so a move back survives the round trip); closing
times are in `won_at`, `lost_at`, `dropped_at`. An `id` is the source system's id the record
was imported with, or `#<number>` for records created in Dealbot. Times are ISO 8601 in UTC.

Undone changes are not history: their events, and the deals and leads they created, are in
no export (the database keeps them, void, for audit), so that an export says what the reports
say and imports back to the same reports.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from storage.kinds import EventKind, PipelineKind, StageKind
from storage.models import Deal, DealEvent, Lead, LeadEvent, Pipeline, Spend, Stage, tags_text
from storage.stages import stages_of

Row = dict[str, str]
DEAL_COLUMNS = ("id", "name", "value", "stage", "owner", "company", "created",
                "expected_close", "won_at", "lost_at", "lost_reason", "tags", "source", "lead",
                "stage_changed", "last_activity")
LEAD_COLUMNS = ("id", "name", "company", "source", "stage", "owner", "created", "dropped_at",
                "drop_reason", "deal", "tags", "stage_changed", "last_activity",
                "last_contact", "next_action", "next_action_due", "contact")
SPEND_COLUMNS = ("week", "source", "amount")
EVENT_COLUMNS = ("record", "id", "at", "kind", "from_stage", "to_stage", "field",
                 "old_value", "new_value", "amount", "actor", "source_url", "source_author")
KINDS = ("deals", "leads", "spend", "events")


def text(value: object) -> str:
    """A cell: '' for nothing, ISO 8601 UTC for times, plain digits for money."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, (date, Decimal)):
        return value.isoformat() if isinstance(value, date) else f"{value:.2f}"
    return str(value)


def columns_of(session: Session, *, team: str, kind: str) -> list[str]:
    """The header of an export: the fixed columns, then `entered:` for each open stage."""
    if kind in ("events", "spend"):
        return list(EVENT_COLUMNS if kind == "events" else SPEND_COLUMNS)
    fixed = DEAL_COLUMNS if kind == "deals" else LEAD_COLUMNS
    pipeline = PipelineKind.DEAL if kind == "deals" else PipelineKind.LEAD
    stages = stages_of(session, team=team, kind=pipeline)
    return [*fixed, *(f"entered:{s.name}" for s in stages if s.kind == StageKind.OPEN)]


def rows_of(session: Session, *, team: str, kind: str) -> Iterator[Row]:
    """The export's rows, in number order (events: in time order)."""
    if kind == "deals":
        return _records(session, team, Deal, DealEvent, "deal_id", _deal_row)
    if kind == "leads":
        return _records(session, team, Lead, LeadEvent, "lead_id", _lead_row)
    if kind == "spend":
        return _spend(session, team)
    if kind == "events":
        return _events(session, team)
    raise ValueError(f"unknown export kind {kind!r}")


def write_csv(out: IO[str], columns: list[str], rows: Iterable[Row]) -> int:
    """Writes the header and the rows as CSV; returns the number of rows."""
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def _entries(session: Session, team: str, event: type[DealEvent] | type[LeadEvent], owner: str
             ) -> dict[int, list[tuple[int, datetime]]]:
    """Each record's stage entries (stage id, time) in the order they happened."""
    found: dict[int, list[tuple[int, datetime]]] = {}
    owner_column = getattr(event, owner)
    for record_id, stage_id, at in session.execute(
            select(owner_column, event.to_stage_id, event.at).where(
                event.team_id == team, event.kind.in_((EventKind.CREATED, EventKind.STAGE)),
                event.to_stage_id.is_not(None), event.voided_at.is_(None))
            .order_by(owner_column, event.at, event.id)):
        found.setdefault(record_id, []).append((stage_id, at))
    return found


def _records(session: Session, team: str, model: type[Deal] | type[Lead],
             event: type[DealEvent] | type[LeadEvent], owner: str,
             build: Callable[[Any, Stage, str | None], Row]) -> Iterator[Row]:
    kind = PipelineKind.DEAL if model is Deal else PipelineKind.LEAD
    stages = {s.id: s for s in session.scalars(  # archived ones too: records may sit there
        select(Stage).join(Pipeline, Pipeline.id == Stage.pipeline_id).where(
            Pipeline.team_id == team, Pipeline.kind == kind))}
    entries = _entries(session, team, event, owner)
    links = _links(session, team, kind)
    records: Iterable[Deal | Lead] = session.scalars(
        select(model).where(model.team_id == team, model.voided_at.is_(None))
        .order_by(model.number))
    for record in records:
        steps = entries.get(record.id, [])
        first: dict[int, datetime] = {}
        for stage_id, at in steps:
            first.setdefault(stage_id, at)
        row = build(record, stages[record.stage_id], links.get(record.id))
        current = [at for stage_id, at in steps if stage_id == record.stage_id]
        row["stage_changed"] = text(current[-1] if current else None)
        row["last_activity"] = text(record.last_activity_at)
        for stage_id, at in first.items():
            if stages.get(stage_id) is not None and stages[stage_id].kind == StageKind.OPEN:
                row[f"entered:{stages[stage_id].name}"] = text(at)
        yield row


def _links(session: Session, team: str, kind: PipelineKind) -> dict[int, str]:
    """deal id -> its lead's id as exported (for deals), or lead id -> its deal's."""
    lead = aliased(Lead)
    pairs = session.execute(select(Deal.id, Deal.external_id, Deal.number, lead.id,
                                   lead.external_id, lead.number)
                            .join(lead, lead.id == Deal.lead_id).where(Deal.team_id == team))
    if kind == PipelineKind.DEAL:
        return {d: l_ext or f"#{l_num}" for d, _, _, _, l_ext, l_num in pairs}
    return {l_id: d_ext or f"#{d_num}" for _, d_ext, d_num, l_id, _, _ in pairs}


def _deal_row(deal: Deal, stage: Stage, lead: str | None) -> Row:
    return {"id": deal.external_id or f"#{deal.number}", "name": deal.name,
            "value": text(deal.value), "stage": stage.name, "owner": text(deal.owner),
            "company": text(deal.company), "created": text(deal.created_at),
            "expected_close": text(deal.expected_close),
            "won_at": text(deal.closed_at if stage.kind == StageKind.WON else None),
            "lost_at": text(deal.closed_at if stage.kind == StageKind.LOST else None),
            "lost_reason": text(deal.lost_reason), "tags": tags_text(deal.tags),
            "source": text(deal.source), "lead": text(lead)}


def _lead_row(lead: Lead, stage: Stage, deal: str | None) -> Row:
    return {"id": lead.external_id or f"#{lead.number}", "name": lead.name,
            "company": text(lead.company), "source": text(lead.source), "stage": stage.name,
            "owner": text(lead.owner), "created": text(lead.created_at),
            "dropped_at": text(lead.dropped_at if stage.kind == StageKind.DROPPED else None),
            "drop_reason": text(lead.drop_reason), "deal": text(deal or lead.deal_ref),
            "tags": tags_text(lead.tags), "last_contact": text(lead.last_contact_at),
            "next_action": text(lead.next_action), "next_action_due": text(lead.next_action_due),
            "contact": text(lead.contact)}


def _spend(session: Session, team: str) -> Iterator[Row]:
    """One row a week (its Monday) and source, as `dealbot import spend` reads it."""
    for item in session.scalars(select(Spend).where(Spend.team_id == team)
                                .order_by(Spend.week_start, Spend.source)):
        yield {"week": text(item.week_start), "source": item.source, "amount": text(item.amount)}


def _events(session: Session, team: str) -> Iterator[Row]:
    names = dict(session.execute(select(Stage.id, Stage.name).join(
        Pipeline, Pipeline.id == Stage.pipeline_id).where(Pipeline.team_id == team)).all())
    pairs: tuple[tuple[str, Any, Any, Any], ...] = (
        (PipelineKind.DEAL, Deal, DealEvent, DealEvent.deal_id),
        (PipelineKind.LEAD, Lead, LeadEvent, LeadEvent.lead_id))
    for record, model, event, owner in pairs:
        query = select(event, model.external_id, model.number).join(
            model, model.id == owner).where(event.team_id == team, event.voided_at.is_(None),
                                            model.voided_at.is_(None)).order_by(event.at, event.id)
        for item, external_id, number in session.execute(query):
            yield {"record": record, "id": external_id or f"#{number}", "at": text(item.at),
                   "kind": item.kind, "from_stage": names.get(item.from_stage_id, ""),
                   "to_stage": names.get(item.to_stage_id, ""), "field": text(item.field),
                   "old_value": text(item.old_value), "new_value": text(item.new_value),
                   "amount": text(getattr(item, "amount", None)), "actor": text(item.actor),
                   # a note logged from a Slack message (Add to deal): its link and author
                   "source_url": text(getattr(item, "source_url", None)),
                   "source_author": text(getattr(item, "source_author", None))}
