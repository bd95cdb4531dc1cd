"""Importing leads: check every row against the workspace, then write all of them at once.

A row updates the lead with the same `id` (its `external_id`) or creates one with the next
number, and replaces its history with the one the row describes (see
storage.import_records.rebuild_history), plus a `convert` event when its deal exists. A
lead's `deal` names a deal by its `id`: linked now when that deal was imported already,
otherwise remembered (`leads.deal_ref`) and linked when a deals import brings it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import text_fields
from storage.imports.follow import follow_deals
from storage.imports.records import (
    ImportRefused,
    ImportResult,
    LeadRecord,
    Problems,
    Rebuilt,
    StageIndex,
    later_activity,
)
from storage.imports.write import (
    Written,
    check_unique,
    checked,
    delete_events,
    external_ids,
    history_of,
    insert_many,
    keep_latest_activity,
    update_many,
)
from storage.kinds import EventKind, PipelineKind, StageKind
from storage.leads.checks import check_contact, check_lead_name
from storage.models import Deal, Lead, LeadEvent, table_of
from storage.stages import stages_of
from storage.text_fields import normalise_source
from storage.workspaces import ensure_workspace, next_number, pipeline_of

LEADS, EVENTS = table_of(Lead), table_of(LeadEvent)


@dataclass(frozen=True)
class _Plan:
    record: LeadRecord
    history: Rebuilt
    values: dict[str, Any]
    deal: tuple[int, int, str, datetime] | None  # the linked deal: id, number, name, created


def import_leads(session: Session, *, team: str, records: list[LeadRecord], now: datetime,
                 problems: Problems | None = None,
                 written: Written | None = None) -> ImportResult:
    """Checks every record, refuses with every problem (with `problems` found while reading
    the file), or writes them all in the caller's transaction (counted in `written`)."""
    ensure_workspace(session, team=team, now=now)
    found = list(problems or [])
    plans = _plans(session, team, records, now, found)
    if found:
        raise ImportRefused(found)
    existing = external_ids(session, LEADS, team)
    new = [p for p in plans if p.record.external_id not in existing]
    old = [p for p in plans if p.record.external_id in existing]
    old_ids = [existing[p.record.external_id][0] for p in old]
    written = written or Written()
    written.plan(len(old) + len(new) + sum(len(p.history.steps) for p in plans))
    pipeline_id = pipeline_of(session, team=team, kind=PipelineKind.LEAD).id
    number = next_number(session, team=team, kind=PipelineKind.LEAD, count=len(new)) if new else 0
    insert_many(session, LEADS, [
        {**p.values, "team_id": team, "external_id": p.record.external_id, "number": number + i,
         "pipeline_id": pipeline_id, "created_by": None, "version": 1}
        for i, p in enumerate(new)], written)
    update_many(session, LEADS,
                [{"id": lead_id, **p.values} for lead_id, p in zip(old_ids, old, strict=False)],
                written, version=LEADS.c.version + 1)  # cards drawn before the import are stale now
    ids = external_ids(session, LEADS, team)
    delete_events(session, EVENTS, "lead_id", old_ids)
    events = [{"team_id": team, "lead_id": ids[p.record.external_id][0], "at": step.at,
               "kind": EventKind.STAGE if step.from_id else EventKind.CREATED,
               "from_stage_id": step.from_id,
               "to_stage_id": step.to_id, "field": None, "new_value": None}
              for p in plans for step in p.history.steps]
    events += [{"team_id": team, "lead_id": ids[p.record.external_id][0], "at": p.deal[3],
                "kind": EventKind.CONVERT, "from_stage_id": None, "to_stage_id": None,
                "field": "deal", "new_value": f"#{p.deal[1]} {p.deal[2]}"}
               for p in plans if p.deal is not None]
    events += [{"team_id": team, "lead_id": ids[p.record.external_id][0], "at": at,
                "kind": EventKind.ACTIVITY, "from_stage_id": None, "to_stage_id": None,
                "field": None, "new_value": None}
               for p in plans if (at := later_activity(p.history, p.values)) is not None]
    insert_many(session, EVENTS, [{**event, "actor": None} for event in events], written)
    keep_latest_activity(session, LEADS, EVENTS, "lead_id", old_ids)
    links = [{"id": p.deal[0], "lead_id": ids[p.record.external_id][0]}
             for p in plans if p.deal is not None]
    update_many(session, table_of(Deal), links, version=table_of(Deal).c.version + 1)
    follow_deals(session, team=team, lead_ids=[link["lead_id"] for link in links])
    written.finish()
    return ImportResult("leads", len(records), len(new), len(old))


def _plans(session: Session, team: str, records: list[LeadRecord], now: datetime,
           found: Problems) -> list[_Plan]:
    check_unique(records, found)
    stages = StageIndex(stages_of(session, team=team, kind=PipelineKind.LEAD))
    dropped = stages.of_kind(StageKind.DROPPED)
    rows = session.execute(
        select(Deal.external_id, Deal.id, Deal.number, Deal.name, Deal.created_at,
               Lead.external_id).outerjoin(Lead, Lead.id == Deal.lead_id)
        .where(Deal.team_id == team,
               Deal.external_id.is_not(None) | Deal.lead_id.is_not(None))).all()
    deals = {row[0]: row[1:] for row in rows if row[0] is not None}
    by_lead = {row[5]: row[1:] for row in rows if row[5] is not None}  # linked already
    claimed: dict[str, int] = {}
    plans = []
    for record in records:
        reasons: list[str] = []
        history = history_of(record, stages, "stage", [(dropped, record.dropped_at)], now,
                             reasons)
        deal = deals.get(record.deal) if record.deal else by_lead.get(record.external_id)
        if deal is not None and deal[4] not in (None, record.external_id):
            reasons.append(f"`deal` `{record.deal}` came from another lead (`{deal[4]}`)")
        if record.deal and record.deal in claimed:
            reasons.append(f"`deal` `{record.deal}` is also the deal of line "
                           f"{claimed[record.deal]}")
        if record.deal:
            claimed.setdefault(record.deal, record.line)
        values = _values(record, history, reasons, deal) if history else None
        if reasons or values is None:
            found.append((record.line, "; ".join(reasons)))
        else:
            assert history is not None  # values are read from a history only
            plans.append(_Plan(record, history, values, deal[:4] if deal else None))
    return plans


def _values(record: LeadRecord, history: Rebuilt, reasons: list[str],
            deal: tuple[int, int, str, datetime, str | None] | None) -> dict[str, Any] | None:
    """The lead's columns as the row sets them, or None (with reasons) when one is bad."""
    values = checked(reasons, {
        "id": lambda: text_fields.RECORD_ID.clean(record.external_id),
        "deal": lambda: text_fields.RECORD_ID.optional(record.deal),
        "name": lambda: check_lead_name(record.name),
        "source": lambda: normalise_source(record.source),
        "company": lambda: text_fields.COMPANY.optional(record.company),
        "contact": lambda: check_contact(record.contact),
        "tags": lambda: text_fields.checked_tags(record.tags),
        "drop_reason": lambda: text_fields.DROP_REASON.optional(record.drop_reason),
        "next_action": lambda: text_fields.NEXT_ACTION.optional(record.next_action)})
    if values is None:
        return None
    values["deal_ref"] = values.pop("deal")
    del values["id"]
    last = history.steps[-1].at
    dropped = history.closed_at is not None
    return {**values, "stage_id": history.stage_id, "owner": record.owner,
            "created_at": history.created, "dropped_at": history.closed_at,
            "drop_reason": values["drop_reason"] if dropped else None,
            "converted_at": deal[3] if deal else None,
            "last_contact_at": record.last_contact,
            "next_action_due": record.next_action_due if values["next_action"] else None,
            "last_activity_at": max(last, record.last_activity or last,
                                    record.last_contact or last)}
