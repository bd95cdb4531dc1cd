"""Which workspaces hold anything a person entered, so demo data never mixes with theirs."""

from __future__ import annotations

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from storage.models import Deal, Lead, Spend


def teams_with_records(session: Session) -> set[str]:
    """The teams that have at least one deal, lead or spend entry."""
    query = union(*(select(model.team_id).distinct() for model in (Deal, Lead, Spend)))
    return set(session.scalars(select(query.subquery().c[0])))
