"""Importing deals: check every row against the workspace, then write all of them at once.

A row updates the deal with the same `id` (its `external_id`) or creates one with the next
number. Either way the deal's history is replaced by the one the row describes (a `created`
event and a `stage` event per move; see storage.import_records.rebuild_history): notes and
edits recorded in Dealbot on that deal before the re-import are replaced too. A deal's `lead`
must be a lead imported before; a lead whose `deal` column named this deal is linked now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import text_fields
from storage.deals.operations import check_name, check_value
from storage.imports.follow import follow_deals
from storage.imports.records import (
    DealRecord,
    ImportRefused,
    ImportResult,
    Problems,
    Rebuilt,
    StageIndex,
    Step,
    later_activity,
)
from storage.imports.write import (
    Written,
    check_unique,
    checked,
    chunks,
    delete_events,
    external_ids,
    history_of,
    insert_many,
    keep_latest_activity,
    update_many,
)
from storage.kinds import EventKind, PipelineKind, StageKind
from storage.models import (
    LOST_REASON,
    Deal,
    DealEvent,
    Lead,
    LeadEvent,
    table_of,
)
from storage.stages import stages_of
from storage.text_fields import normalise_source
from storage.workspaces import ensure_workspace, next_number, pipeline_of

DEALS, EVENTS = table_of(Deal), table_of(DealEvent)


@dataclass(frozen=True)
class _Plan:
    record: DealRecord
    history: Rebuilt
    values: dict[str, Any]  # the deal's columns, `lead_id` among them


def import_deals(session: Session, *, team: str, records: list[DealRecord], now: datetime,
                 problems: Problems | None = None,
                 written: Written | None = None) -> ImportResult:
    """Checks every record, refuses with every problem (with `problems` found while reading
    the file), or writes them all in the caller's transaction (counted in `written`)."""
    ensure_workspace(session, team=team, now=now)
    found = list(problems or [])
    plans = _plans(session, team, records, now, found)
    if found:
        raise ImportRefused(found)
    existing = external_ids(session, DEALS, team)
    new = [p for p in plans if p.record.external_id not in existing]
    old = [p for p in plans if p.record.external_id in existing]
    old_ids = [existing[p.record.external_id][0] for p in old]
    written = written or Written()
    written.plan(2 * len(old) + len(new) + sum(len(p.history.steps) for p in plans))
    # a lead may pass from one deal to another within the file: unlink first, link after
    unlinked = _leads_of(session, old_ids)
    update_many(session, DEALS, [{"id": deal_id, "lead_id": None} for deal_id in old_ids],
                written)
    pipeline_id = pipeline_of(session, team=team, kind=PipelineKind.DEAL).id
    number = next_number(session, team=team, kind=PipelineKind.DEAL, count=len(new)) if new else 0
    insert_many(session, DEALS, [
        {**p.values, "team_id": team, "external_id": p.record.external_id, "number": number + i,
         "pipeline_id": pipeline_id, "created_by": None, "version": 1}
        for i, p in enumerate(new)], written)
    update_many(session, DEALS,
                [{"id": deal_id, **p.values} for deal_id, p in zip(old_ids, old, strict=False)],
                written, version=DEALS.c.version + 1)  # cards drawn before the import are stale now
    ids = external_ids(session, DEALS, team)
    delete_events(session, EVENTS, "deal_id", old_ids)
    insert_many(session, EVENTS, [
        {"team_id": team, "deal_id": ids[p.record.external_id][0], "at": step.at,
         "actor": None, "kind": EventKind.STAGE if step.from_id else EventKind.CREATED,
         "from_stage_id": step.from_id, "to_stage_id": step.to_id, "amount": p.values["value"],
         **_reason_of(p, step)}
        for p in plans for step in p.history.steps] + [
        {"team_id": team, "deal_id": ids[p.record.external_id][0], "at": at, "actor": None,
         "kind": EventKind.ACTIVITY, "from_stage_id": None, "to_stage_id": None,
         "amount": p.values["value"], "field": None, "new_value": None}
        for p in plans if (at := later_activity(p.history, p.values)) is not None], written)
    keep_latest_activity(session, DEALS, EVENTS, "deal_id", old_ids)
    linked = [p for p in plans if p.values["lead_id"] is not None]
    _link_leads(session, team, linked, ids)
    follow_deals(session, team=team,
                 lead_ids=unlinked | {p.values["lead_id"] for p in linked})
    written.finish()
    return ImportResult("deals", len(records), len(new), len(old))


def _leads_of(session: Session, deal_ids: list[int]) -> set[int]:
    """The leads linked to the deals `deal_ids` now."""
    found: set[int] = set()
    for part in chunks(deal_ids):
        found.update(session.scalars(select(Deal.lead_id).where(
            Deal.id.in_(part), Deal.lead_id.is_not(None))))
    return found


def _reason_of(plan: _Plan, step: Step) -> dict[str, str | None]:
    """The lost reason goes on the event that closed the deal as lost, as `/deal lost` does."""
    reason = plan.values["lost_reason"] if step is plan.history.steps[-1] else None
    return {"field": LOST_REASON if reason else None, "new_value": reason or None}


def _plans(session: Session, team: str, records: list[DealRecord], now: datetime,
           found: Problems) -> list[_Plan]:
    check_unique(records, found)
    stages = StageIndex(stages_of(session, team=team))
    closings = (stages.of_kind(StageKind.WON), stages.of_kind(StageKind.LOST))
    leads = dict(session.execute(select(Lead.external_id, Lead.id).where(
        Lead.team_id == team, Lead.external_id.is_not(None))).all())
    waiting = dict(session.execute(select(Lead.deal_ref, Lead.id).where(
        Lead.team_id == team, Lead.deal_ref.is_not(None))).all())
    taken = dict(session.execute(select(Deal.lead_id, Deal.external_id).where(
        Deal.team_id == team, Deal.lead_id.is_not(None))).all())
    in_file = {r.external_id for r in records}
    claimed: dict[int, int] = {}
    plans = []
    for record in records:
        reasons: list[str] = []
        history = history_of(record, stages, "stage", [(closings[0], record.won_at),
                                                        (closings[1], record.lost_at)],
                             now, reasons)
        lead_id = leads.get(record.lead) if record.lead else waiting.get(record.external_id)
        if record.lead and lead_id is None:
            reasons.append(f"`lead` `{record.lead}` is not a lead imported before (import "
                           "the leads file first)")
        if lead_id is not None:
            if lead_id in claimed:
                reasons.append(f"its lead is also the lead of the deal on line "
                               f"{claimed[lead_id]}")
            elif lead_id in taken and taken[lead_id] != record.external_id and \
                    taken[lead_id] not in in_file:
                reasons.append(f"its lead `{record.lead}` became another deal already")
            claimed.setdefault(lead_id, record.line)
        values = _values(record, history, stages, reasons) if history else None
        if reasons or values is None:
            found.append((record.line, "; ".join(reasons)))
        else:
            assert history is not None  # values are read from a history only
            plans.append(_Plan(record, history, {**values, "lead_id": lead_id}))
    return plans


def _values(record: DealRecord, history: Rebuilt, stages: StageIndex,
            reasons: list[str]) -> dict[str, Any] | None:
    """The deal's columns as the row sets them, or None (with reasons) when one is bad."""
    values = checked(reasons, {
        "id": lambda: text_fields.RECORD_ID.clean(record.external_id),
        "lead": lambda: text_fields.RECORD_ID.clean(record.lead),
        "name": lambda: check_name(record.name), "value": lambda: check_value(record.value),
        "source": lambda: normalise_source(record.source),
        "company": lambda: text_fields.COMPANY.optional(record.company),
        "tags": lambda: text_fields.checked_tags(record.tags),
        "lost_reason": lambda: text_fields.LOST_REASON.optional(record.lost_reason)})
    if values is None:
        return None
    del values["id"], values["lead"]
    lost = next(s for s in stages.stages if s.id == history.stage_id).kind == StageKind.LOST
    last = history.steps[-1].at
    return {**values, "stage_id": history.stage_id, "owner": record.owner,
            "expected_close": record.expected_close,
            "lost_reason": values["lost_reason"] if lost else None,
            "created_at": history.created, "closed_at": history.closed_at,
            "last_activity_at": max(last, record.last_activity or last)}


def _link_leads(session: Session, team: str, plans: list[_Plan],
                ids: dict[str, tuple[int, int]]) -> None:
    """Each linked lead converted when its deal was created: `converted_at` and a `convert`
    event then, replacing the ones an earlier import recorded."""
    leads = [p.values["lead_id"] for p in plans]
    update_many(session, table_of(Lead), [
        {"id": p.values["lead_id"], "converted_at": p.history.created,
         "deal_ref": p.record.external_id} for p in plans],
        version=table_of(Lead).c.version + 1)
    delete_events(session, table_of(LeadEvent), "lead_id", leads, kind=EventKind.CONVERT)
    insert_many(session, table_of(LeadEvent), [
        {"team_id": team, "lead_id": p.values["lead_id"], "at": p.history.created,
         "actor": None, "kind": EventKind.CONVERT, "field": "deal",
         "new_value": f"#{ids[p.record.external_id][1]} {p.values['name']}"} for p in plans])
