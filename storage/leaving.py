"""Workspaces that leave and come back: when Dealbot is uninstalled from a workspace (or its
bot token is revoked), the workspace's digest subscriptions are paused, so nothing is posted
there; when it is installed again, the subscriptions paused for that reason resume (those
paused for another reason, a channel that is gone, stay paused). Nothing else is deleted:
the deals, leads and settings are there when the workspace returns.

Also the Enterprise Grid organisation of each workspace, as its requests name it: a Grid
workspace's bot token is found by enterprise and team.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.db import insert_if_absent
from storage.models import EnterpriseTeam, Subscription

UNINSTALLED = "app_uninstalled"
TOKENS_REVOKED = "tokens_revoked"
LEFT = (UNINSTALLED, TOKENS_REVOKED)  # the pauses a reinstall takes back


def pause_for_leaving(session: Session, *, teams: Iterable[str], reason: str) -> int:
    """Pauses every running subscription of `teams` with `reason` (one of LEFT); returns how
    many it paused."""
    result = session.execute(update(Subscription).where(
        Subscription.team_id.in_(list(teams)), Subscription.paused_reason.is_(None)).values(
        paused_reason=reason))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def resume_after_reinstall(session: Session, *, teams: Iterable[str], now: datetime) -> int:
    """Resumes the subscriptions of `teams` paused because the app left; digests that fell
    due while it was gone are not owed (the subscription counts as set `now`)."""
    result = session.execute(update(Subscription).where(
        Subscription.team_id.in_(list(teams)), Subscription.paused_reason.in_(LEFT)).values(
        paused_reason=None, created_at=now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def remember_enterprise(session: Session, *, team: str, enterprise: str,
                        now: datetime) -> None:
    """Records that `team` belongs to the Grid organisation `enterprise` (a workspace can be
    moved to another organisation: the latest request wins)."""
    if not insert_if_absent(session, EnterpriseTeam, team_id=team, enterprise_id=enterprise,
                            seen_at=now):
        session.execute(update(EnterpriseTeam).where(
            EnterpriseTeam.team_id == team, EnterpriseTeam.enterprise_id != enterprise).values(
            enterprise_id=enterprise, seen_at=now))


def enterprise_of(session: Session, *, team: str) -> str | None:
    """The Grid organisation of `team`, or None (not in a Grid, or never heard of)."""
    return session.scalar(select(EnterpriseTeam.enterprise_id).where(
        EnterpriseTeam.team_id == team))


def teams_of(session: Session, *, enterprise: str) -> list[str]:
    """The workspaces known to be in the Grid organisation `enterprise`."""
    return list(session.scalars(select(EnterpriseTeam.team_id).where(
        EnterpriseTeam.enterprise_id == enterprise).order_by(EnterpriseTeam.team_id)))
