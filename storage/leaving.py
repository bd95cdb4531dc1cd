"""Workspaces that leave and come back: when Dealbot is uninstalled from a workspace (or its
bot token is revoked), the workspace's digest subscriptions are paused and its nudges stop
(the workspace is marked as left), so nothing is posted there; when it is installed again,
the subscriptions paused for that reason resume (those paused for another reason, a channel
that is gone, stay paused) and so do the nudges; what fell due while it was gone is not
owed. Nothing else is deleted: the deals, leads and settings are there when the workspace
returns.

Also the Enterprise Grid organisation of each workspace, as its requests name it: a Grid
workspace's bot token is found by enterprise and team.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.db import insert_if_absent
from storage.models import EnterpriseTeam, Subscription, Workspace
from storage.workspaces import find_workspace

UNINSTALLED = "app_uninstalled"
TOKENS_REVOKED = "tokens_revoked"
LEFT = (UNINSTALLED, TOKENS_REVOKED)  # the pauses a reinstall takes back


def pause_for_leaving(session: Session, *, teams: Iterable[str], reason: str) -> int:
    """Pauses every running subscription of `teams` with `reason` (one of LEFT) and stops
    their nudges; returns how many subscriptions it paused."""
    session.execute(update(Workspace).where(
        Workspace.team_id.in_(list(teams)), Workspace.left_reason.is_(None)).values(
        left_reason=reason))
    result = session.execute(update(Subscription).where(
        Subscription.team_id.in_(list(teams)), Subscription.paused_reason.is_(None)).values(
        paused_reason=reason))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def resume_after_reinstall(session: Session, *, teams: Iterable[str], now: datetime) -> int:
    """Resumes the subscriptions of `teams` paused because the app left, and their nudges;
    digests and nudges that fell due while it was gone are not owed (they count from `now`).
    Returns how many subscriptions it resumed."""
    session.execute(update(Workspace).where(
        Workspace.team_id.in_(list(teams)), Workspace.left_reason.is_not(None)).values(
        left_reason=None, back_at=now))
    result = session.execute(update(Subscription).where(
        Subscription.team_id.in_(list(teams)), Subscription.paused_reason.in_(LEFT)).values(
        paused_reason=None, created_at=now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def back_since(session: Session, *, team: str) -> datetime | None:
    """When `team` last installed Dealbot again after leaving (None: it never left)."""
    workspace = find_workspace(session, team=team)
    return workspace.back_at if workspace is not None else None


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
