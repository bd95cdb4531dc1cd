"""The deals (and the leads) a type-ahead picker offers for what a person has typed so far:
one indexed query scoped by team, best matches first, at most `limit` of them.

The order: the record whose number was typed (`12` or `#12`); then open ones before closed
(or dropped) ones; within each, a name equal to the text, then one starting with it, then
one with a word starting with it, then any other name containing it; most recently active
first among equals. Nothing typed yet offers the most recently active records, open ones first.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, literal, or_, select
from sqlalchemy.orm import Session

from storage.kinds import StageKind
from storage.lookup import NUMBER_REF
from storage.models import Deal, Lead, Stage

MAX_CHOICES = 100  # what Slack shows of an options answer


@dataclass(frozen=True)
class DealChoice:
    """A deal (or a lead) as a picker lists it."""

    number: int
    name: str
    stage: str
    is_open: bool


def deal_choices(session: Session, *, team: str, typed: str,
                 limit: int = MAX_CHOICES) -> tuple[DealChoice, ...]:
    """The team's deals that match `typed` (a part of the name, or the number), in the
    order of the module's docstring."""
    return _choices(session, Deal, team, typed, limit)


def lead_choices(session: Session, *, team: str, typed: str,
                 limit: int = MAX_CHOICES) -> tuple[DealChoice, ...]:
    """The team's leads that match `typed`, in the same order (dropped ones last)."""
    return _choices(session, Lead, team, typed, limit)


def _choices(session: Session, model: type[Deal] | type[Lead], team: str, typed: str,
             limit: int) -> tuple[DealChoice, ...]:
    text = " ".join(typed.split()).lower()  # the same folding as SQL lower() on both databases
    number = NUMBER_REF.fullmatch(text)
    wanted = int(number.group(1)) if number else None
    name = func.lower(model.name)
    query = (select(model.number, model.name, Stage.name.label("stage"), Stage.kind)
             .join(Stage, Stage.id == model.stage_id)
             .where(model.team_id == team, model.voided_at.is_(None)))  # undone: gone
    if text:
        matches: ColumnElement[bool] = name.contains(text, autoescape=True)
        query = query.where(or_(matches, model.number == wanted) if wanted else matches)
    query = query.order_by(
        case((model.number == wanted, 0), else_=1) if wanted else literal(0),
        case((Stage.kind == StageKind.OPEN, 0), else_=1),
        _match_rank(name, text),
        model.last_activity_at.desc(), model.number.desc())
    return tuple(DealChoice(row.number, row.name, row.stage, row.kind == StageKind.OPEN)
                 for row in session.execute(query.limit(limit)))


def _match_rank(name: ColumnElement[str], text: str) -> ColumnElement[int]:
    if not text:
        return literal(0)
    return case((name == text, 0), (name.startswith(text, autoescape=True), 1),
                (name.contains(f" {text}", autoescape=True), 2), else_=3)
