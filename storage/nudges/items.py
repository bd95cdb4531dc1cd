"""What needs a person: their open deals and leads that are stale, deals whose expected close
has passed, and next actions due today or overdue; minus what they snoozed.

Stale is the reports' rule (storage.reports.attention): no activity for longer than the
stage's rotting limit, or the workspace's when the stage has none. A lead is stale by the
same rule counted from its last contact (its latest note, else its creation), as
`/lead list stale` counts, while it is open in the funnel and not converted (a converted
lead follows its deal); its next action due today or overdue needs its owner too. "Today"
is the person's own date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    and_,
    bindparam,
    delete,
    false,
    func,
    or_,
    select,
    union,
)
from sqlalchemy.orm import Session

from storage.db import insert_if_absent
from storage.errors import UsageError
from storage.kinds import PipelineKind, StageKind
from storage.lookup import deal_by_number, lead_by_number
from storage.models import Deal, Lead, NudgeSnooze, Stage, Workspace
from storage.stages import stages_of
from storage.workspaces import workspace_settings

SNOOZE_DAYS = (3, 7)


@dataclass(frozen=True)
class NudgeItem:
    """One line of a nudge: a deal or lead and why it needs its owner."""

    kind: PipelineKind
    number: int
    name: str
    stage: str
    value: Decimal | None  # deals only
    idle_days: int | None  # set when stale: days without activity
    close_passed: date | None  # a deal's expected close, when it has passed
    next_action: str | None  # a deal's or lead's next action, when due today or overdue
    action_due: date | None


def nudge_items(session: Session, *, team: str, user: str, now: datetime,
                today: date) -> list[NudgeItem]:
    """Everything that needs `user` now (their date is `today`): deals first, the longest
    idle first, then leads."""
    return (_deal_items(session, team, user, now, today)
            + _lead_items(session, team, user, now, today))


def _open_stages(session: Session, team: str, kind: PipelineKind) -> list[Stage]:
    return [s for s in stages_of(session, team=team, kind=kind)
            if s.kind == StageKind.OPEN and s.id is not None]


def _stale(model: type[Deal] | type[Lead], stages: Sequence[Stage], now: datetime,
           default_days: int, since: ColumnElement[datetime] | None = None
           ) -> ColumnElement[bool]:
    """Idle past the stage's limit, counted from `since` (default the last activity)."""
    last = model.last_activity_at if since is None else since
    return or_(false(), *(and_(model.stage_id == s.id, last < now - timedelta(
        days=s.rotting_days or default_days)) for s in stages))


def _not_snoozed(model: type[Deal] | type[Lead], kind: PipelineKind,
                 now: datetime) -> ColumnElement[bool]:
    return ~select(NudgeSnooze.number).where(
        NudgeSnooze.team_id == model.team_id, NudgeSnooze.kind == kind,
        NudgeSnooze.number == model.number, NudgeSnooze.until > now).exists()


def _deal_items(session: Session, team: str, user: str, now: datetime,
                today: date) -> list[NudgeItem]:
    stages = _open_stages(session, team, PipelineKind.DEAL)
    names = {s.id: s.name for s in stages}
    limits = {s.id: now - timedelta(days=s.rotting_days or _default_days(session, team))
              for s in stages}
    rows = session.execute(select(
        Deal.number, Deal.name, Deal.stage_id, Deal.value, Deal.last_activity_at,
        Deal.expected_close, Deal.next_action, Deal.next_action_due).where(
        Deal.team_id == team, Deal.owner == user, Deal.voided_at.is_(None),
        Deal.stage_id.in_(list(names)),
        or_(_stale(Deal, stages, now, _default_days(session, team)),
            Deal.expected_close < today, Deal.next_action_due <= today),
        _not_snoozed(Deal, PipelineKind.DEAL, now)).order_by(Deal.last_activity_at, Deal.number))
    return [NudgeItem(
        PipelineKind.DEAL, r.number, r.name, names[r.stage_id], r.value,
        (now - r.last_activity_at).days if r.last_activity_at < limits[r.stage_id] else None,
        r.expected_close if r.expected_close and r.expected_close < today else None,
        r.next_action if r.next_action_due and r.next_action_due <= today else None,
        r.next_action_due if r.next_action_due and r.next_action_due <= today else None)
        for r in rows]


def _lead_items(session: Session, team: str, user: str, now: datetime,
                today: date) -> list[NudgeItem]:
    stages = _open_stages(session, team, PipelineKind.LEAD)
    names = {s.id: s.name for s in stages}
    contact = func.coalesce(Lead.last_contact_at, Lead.created_at)
    stale = _stale(Lead, stages, now, _default_days(session, team), since=contact)
    rows = session.execute(select(Lead.number, Lead.name, Lead.stage_id, stale.label("stale"),
                                  contact.label("contact"), Lead.next_action,
                                  Lead.next_action_due)
                           .where(Lead.team_id == team, Lead.owner == user,
                                  Lead.voided_at.is_(None), Lead.converted_at.is_(None),
                                  Lead.stage_id.in_(list(names)),
                                  or_(stale, Lead.next_action_due <= today),
                                  _not_snoozed(Lead, PipelineKind.LEAD, now))
                           .order_by(contact, Lead.number))
    return [NudgeItem(PipelineKind.LEAD, r.number, r.name, names[r.stage_id], None,
                      (now - r.contact).days if r.stale else None, None,
                      r.next_action if r.next_action_due and r.next_action_due <= today else None,
                      r.next_action_due if r.next_action_due and r.next_action_due <= today
                      else None) for r in rows]


def _default_days(session: Session, team: str) -> int:
    return workspace_settings(session, team=team).rotting_days


def owners(session: Session) -> list[tuple[str, str]]:
    """Every (team, person) who owns an open deal or lead: who may have something to hear;
    none of a workspace that left (storage.leaving) until it installs Dealbot again."""
    # the stage ids themselves, not a subquery: PostgreSQL then counts the open deals by the
    # stages' statistics and reads just their entries of ix_deals_stage_team_owner (and the
    # leads'); written into the statement, since there may be more than parameters allow
    ids = list(session.scalars(select(Stage.id).where(Stage.kind == StageKind.OPEN)))
    open_stages: BindParameter[int] = bindparam("open_stages", ids, expanding=True,
                                                literal_execute=True)
    deals = select(Deal.team_id, Deal.owner).where(
        Deal.owner.is_not(None), Deal.voided_at.is_(None), Deal.stage_id.in_(open_stages))
    leads = select(Lead.team_id, Lead.owner).where(
        Lead.owner.is_not(None), Lead.voided_at.is_(None), Lead.converted_at.is_(None),
        Lead.stage_id.in_(open_stages))
    every = union(deals, leads).subquery()
    left = select(Workspace.team_id).where(Workspace.left_reason.is_not(None))
    return [(team, user) for team, user in session.execute(
        select(every).where(every.c.team_id.not_in(left)).order_by(*every.c))]


def snooze(session: Session, *, team: str, kind: PipelineKind, number: int, days: int,
           actor: str, now: datetime) -> datetime:
    """Leaves the deal or lead out of the nudges for `days` (3 or 7) from now; a snooze
    given again replaces the one before. Returns until when."""
    if days not in SNOOZE_DAYS:
        raise UsageError("A nudge snoozes for 3 days or a week.")
    item_name(session, team=team, kind=kind, number=number)  # refuses one that is not there
    until = now + timedelta(days=days)
    if not insert_if_absent(session, NudgeSnooze, team_id=team, kind=kind, number=number,
                            until=until, snoozed_by=actor):
        row = session.get_one(NudgeSnooze, (team, kind, number))
        row.until, row.snoozed_by = until, actor
        session.flush()
    return until


def item_name(session: Session, *, team: str, kind: PipelineKind, number: int) -> str:
    """The deal's or lead's name; one that is not there is refused (NotFound)."""
    lookup = deal_by_number if kind == PipelineKind.DEAL else lead_by_number
    return lookup(session, team=team, number=number).name


SNOOZED_UNTIL = select(NudgeSnooze.until).where(  # on every card shown: built once
    NudgeSnooze.team_id == bindparam("team"), NudgeSnooze.kind == bindparam("kind"),
    NudgeSnooze.number == bindparam("number"))


def snoozed_until(session: Session, *, team: str, kind: PipelineKind,
                  number: int) -> datetime | None:
    """When the record's snooze ends, if it has one (expired ones are forgotten by the
    scheduler within a minute)."""
    return session.scalar(SNOOZED_UNTIL, {"team": team, "kind": kind, "number": number})


def forget_expired_snoozes(session: Session, *, now: datetime) -> None:
    session.execute(delete(NudgeSnooze).where(NudgeSnooze.until <= now))
