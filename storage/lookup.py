"""Finding a deal or lead: by its number, or from what a user typed (`#12`, or a unique part
of its name). Resolving typed text is its own call, made by the Slack floor before it calls
an operation; operations take numbers.

Every lookup is scoped by team, so another workspace's number behaves like one that does not
exist; a record whose creation was undone (void) is not found either.
"""

from __future__ import annotations

import re
from typing import TypeVar

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from storage.errors import Ambiguous, NoSuchRecord, UsageError
from storage.kinds import PipelineKind
from storage.memo import remember, remembered
from storage.models import Deal, Lead

NUMBER_REF = re.compile(r"#?(\d{1,9})")
MAX_CANDIDATES = 10
Record = TypeVar("Record", Deal, Lead)
# The lookup every request about a record makes, built once per kind of record.
BY_NUMBER: dict[type, Select] = {
    model: select(model).where(model.team_id == bindparam("team"),
                               model.number == bindparam("number"), model.voided_at.is_(None))
    for model in (Deal, Lead)}


def _numbered(session: Session, model: type[Record], team: str, number: int) -> Record | None:
    found: Record | None = session.scalars(BY_NUMBER[model],
                                           {"team": team, "number": number}).first()
    return found


def deal_by_number(session: Session, *, team: str, number: int) -> Deal:
    """The team's deal `number`; raises NoSuchRecord."""
    return _by_number(session, Deal, PipelineKind.DEAL, team, number)


def lead_by_number(session: Session, *, team: str, number: int) -> Lead:
    """The team's lead `number`; raises NoSuchRecord."""
    return _by_number(session, Lead, PipelineKind.LEAD, team, number)


def resolve_deal(session: Session, *, team: str, ref: str) -> int:
    """The number of the deal `ref` names; raises NoSuchRecord or Ambiguous (candidates)."""
    return _find(session, Deal, PipelineKind.DEAL, team, ref).number


def resolve_lead(session: Session, *, team: str, ref: str) -> int:
    """The number of the lead `ref` names; raises NoSuchRecord or Ambiguous (candidates)."""
    return _find(session, Lead, PipelineKind.LEAD, team, ref).number


def _by_number(session: Session, model: type[Record], word: PipelineKind, team: str,
               number: int) -> Record:
    found = remembered(session, (model.__name__, team, number),
                       lambda: _numbered(session, model, team, number))
    if found is None:
        raise NoSuchRecord(kind=word, ref=f"#{number}")
    return found


def _find(session: Session, model: type[Record], word: PipelineKind, team: str,
          ref: str) -> Record:
    """The record `ref` names; remembered by number for the rest of the transaction, so the
    operation that then takes its number reads it no second time."""
    found = _search(session, model, word, team, ref)
    remember(session, (model.__name__, team, found.number), found)
    return found


def _search(session: Session, model: type[Record], word: PipelineKind, team: str,
            ref: str) -> Record:
    ref = ref.strip()
    if not ref:
        raise UsageError(f"Which {word}? Name it by `#id` or by a part of its name.")
    number = NUMBER_REF.fullmatch(ref)
    if number and ref.startswith("#"):
        found = _numbered(session, model, team, int(number.group(1)))
        if found is None:
            raise NoSuchRecord(kind=word, ref=ref)
        return found
    lowered = ref.lower()  # the same folding as SQL lower() on both databases
    exact = list(session.scalars(select(model).where(
        model.team_id == team, model.voided_at.is_(None),
        func.lower(model.name) == lowered).limit(2)))
    if len(exact) == 1:
        return exact[0]
    matches = list(session.scalars(select(model).where(
        model.team_id == team, model.voided_at.is_(None),
        func.lower(model.name).contains(lowered, autoescape=True))
        .order_by(model.number).limit(MAX_CANDIDATES + 1)))
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NoSuchRecord(kind=word, ref=ref)
    raise Ambiguous(
        f"Several {word}s match `{ref}`. Which one did you mean?",
        candidates=[(m.number, m.name) for m in matches[:MAX_CANDIDATES]])


def split_reference(session: Session, *, team: str, text: str,
                    kind: PipelineKind = PipelineKind.DEAL) -> tuple[int, str]:
    """Splits `Acme North called them` into the number of the deal (or lead) it starts with
    and the rest: the longest leading run of up to 6 words naming exactly one record wins.
    When none does, raises what looking up the first word raises (NoSuchRecord or
    Ambiguous)."""
    def find(ref: str) -> int:
        if kind == PipelineKind.DEAL:
            return _find(session, Deal, kind, team, ref).number
        return _find(session, Lead, kind, team, ref).number

    words = text.split()
    if words and words[0].startswith("#") and NUMBER_REF.fullmatch(words[0]):
        return find(words[0]), " ".join(words[1:])
    for size in range(min(6, len(words)), 1, -1):
        try:
            number = find(" ".join(words[:size]))
        except (NoSuchRecord, Ambiguous):
            continue
        return number, " ".join(words[size:])
    return find(words[0] if words else ""), " ".join(words[1:])
