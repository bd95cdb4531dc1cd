"""What the lead funnel promises at a time T (PRODUCT.md "Forecast and targets", from_leads),
by SQL aggregates over the lead history; events of undone changes and leads whose creation
was undone count nowhere.

A lead's stage at a time is the last stage it entered (`created` or `stage` event) at or
before it: its column when it had no activity since, else looked up in its history.
- open leads of a stage: leads in it at T that had not become a deal by T;
- the leads that were in a stage during the window [T - window, T]: those in it at the
  window's start and those that entered it in (start, T];
- a customer: a lead in the conversion stage (the last open funnel stage) at T.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Integer, Select, bindparam, case, exists, func, select, union
from sqlalchemy.orm import Session

from storage.kinds import EventKind
from storage.models import Deal, Lead, LeadEvent, UTCDateTime
from storage.reports.amounts import SqlExpr
from storage.reports.params import AT, TEAM

WINDOW_START = bindparam("window_start", type_=UTCDateTime())
_CONVERSION = bindparam("conversion", type_=Integer())
_STAGE_CHANGE = (EventKind.CREATED, EventKind.STAGE)


@dataclass(frozen=True)
class LeadCounts:
    """By funnel stage id: the open leads at T; the leads in it during the window, and how
    many of those were customers at T."""

    open_leads: dict[int, int]
    in_window: dict[int, tuple[int, int]]


def lead_counts(session: Session, *, team: str, at: datetime, window_start: datetime,
                conversion: int) -> LeadCounts:
    values = {TEAM.key: team, AT.key: at, WINDOW_START.key: window_start,
              _CONVERSION.key: conversion}
    open_query, window_query = _statements()
    open_leads = {stage: int(n) for stage, n in session.execute(open_query, values)
                  if stage is not None}
    in_window = {stage: (int(n), int(customers or 0))
                 for stage, n, customers in session.execute(window_query, values)
                 if stage is not None}
    return LeadCounts(open_leads, in_window)


def lead_stage_at(at: SqlExpr) -> SqlExpr:
    """The stage of the lead (a row of `leads`) at `at`."""
    e = LeadEvent
    latest = (select(e.to_stage_id)
              .where(e.lead_id == Lead.id, e.kind.in_(_STAGE_CHANGE), e.at <= at,
                     e.voided_at.is_(None))
              .order_by(e.at.desc(), e.id.desc()).limit(1).correlate(Lead).scalar_subquery())
    return case((Lead.last_activity_at <= at, Lead.stage_id), else_=latest)


@lru_cache(maxsize=1)
def _statements() -> tuple[Select, Select]:
    stage_now = lead_stage_at(AT)
    became_deal = exists().where(Deal.lead_id == Lead.id, Deal.created_at <= AT,
                                 Deal.voided_at.is_(None))
    open_leads = (select(stage_now, func.count())
                  .where(Lead.team_id == TEAM, Lead.voided_at.is_(None), Lead.created_at <= AT,
                         ~became_deal)
                  .group_by(stage_now))
    pairs = union(
        select(Lead.id.label("lead_id"), lead_stage_at(WINDOW_START).label("stage_id"))
        .where(Lead.team_id == TEAM, Lead.voided_at.is_(None),
               Lead.created_at <= WINDOW_START),
        select(LeadEvent.lead_id, LeadEvent.to_stage_id)
        .where(LeadEvent.team_id == TEAM, LeadEvent.kind.in_(_STAGE_CHANGE),
               LeadEvent.voided_at.is_(None), LeadEvent.at > WINDOW_START,
               LeadEvent.at <= AT)).subquery("in_window")
    customer = case((stage_now == _CONVERSION, 1), else_=0)
    in_window = (select(pairs.c.stage_id, func.count(), func.sum(customer))
                 .select_from(pairs).join(Lead, Lead.id == pairs.c.lead_id)
                 .where(Lead.voided_at.is_(None)).group_by(pairs.c.stage_id))
    return open_leads, in_window
