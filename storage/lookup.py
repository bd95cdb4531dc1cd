"""Finding a deal or lead from what a user typed: `#12`, or a unique part of its name.

Every lookup is scoped by team, so another workspace's id behaves like one that does not
exist.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.errors import Ambiguous, NotFound, UsageError
from storage.models import Deal, Lead

NUMBER_REF = re.compile(r"#?(\d{1,9})")
MAX_CANDIDATES = 10


def find_deal(session: Session, *, team: str, ref: str) -> Deal:
    """The deal `ref` names; raises NotFound or Ambiguous (with the candidates)."""
    return _find(session, Deal, "deal", team, ref)


def find_lead(session: Session, *, team: str, ref: str) -> Lead:
    """The lead `ref` names; raises NotFound or Ambiguous (with the candidates)."""
    return _find(session, Lead, "lead", team, ref)


def _find(session: Session, model: type[Deal] | type[Lead], word: str, team: str,
          ref: str) -> Deal | Lead:
    ref = ref.strip()
    if not ref:
        raise UsageError(f"Which {word}? Name it by `#id` or by a part of its name.")
    number = NUMBER_REF.fullmatch(ref)
    if number and ref.startswith("#"):
        found = session.scalars(select(model).where(
            model.team_id == team, model.number == int(number.group(1)))).first()
        if found is None:
            raise NotFound(f"There is no {word} {ref}. `/{word} list` shows them.")
        return found
    lowered = ref.lower()  # the same folding as SQL lower() on both databases
    exact = list(session.scalars(select(model).where(
        model.team_id == team, func.lower(model.name) == lowered).limit(2)))
    if len(exact) == 1:
        return exact[0]
    matches = list(session.scalars(select(model).where(
        model.team_id == team, func.lower(model.name).contains(lowered, autoescape=True))
        .order_by(model.number).limit(MAX_CANDIDATES + 1)))
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(f"No {word} matches `{ref}`. `/{word} list` shows them.")
    raise Ambiguous(
        f"Several {word}s match `{ref}`. Which one did you mean?",
        candidates=[(m.number, m.name) for m in matches[:MAX_CANDIDATES]])


def split_reference(session: Session, *, team: str, text: str,
                    kind: str = "deal") -> tuple[str, str]:
    """Splits `Acme North called them` into the deal (or lead) it starts with, as `#id`, and
    the rest: the longest leading run of up to 6 words naming exactly one record wins. When
    none does, raises what looking up the first word raises (NotFound or Ambiguous)."""
    model = Deal if kind == "deal" else Lead
    words = text.split()
    if words and words[0].startswith("#") and NUMBER_REF.fullmatch(words[0]):
        found = _find(session, model, kind, team, words[0])
        return f"#{found.number}", " ".join(words[1:])
    for size in range(min(6, len(words)), 1, -1):
        try:
            found = _find(session, model, kind, team, " ".join(words[:size]))
        except (NotFound, Ambiguous):
            continue
        return f"#{found.number}", " ".join(words[size:])
    found = _find(session, model, kind, team, words[0] if words else "")
    return f"#{found.number}", " ".join(words[1:])
