"""What a saved change is followed by, read in the change's own transaction so that nothing
after it needs another: the workspace's activity channel, and whether the person who made it
keeps a Home tab to refresh.

Only users who have opened the app's Home tab (`record_home_opened`, when Slack says so) get
it refreshed after their changes; everyone else costs no refresh at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from storage.db import insert_if_absent
from storage.models import HomeTab, Workspace
from storage.workspaces import known_workspace, remember_workspace


@dataclass(frozen=True)
class Followups:
    activity_channel: str | None  # where stage changes, wins and losses are announced
    home_tab: bool  # the actor has opened the Home tab: it is refreshed after the change
    celebrate_wins: bool = True  # a win is celebrated there (else told as a plain move)


def followups_of(session: Session, *, team: str, actor: str | None) -> Followups:
    """One read by primary keys: the actor's Home tab, with the workspace unless the
    transaction read it already (it is kept: the change is shown with its settings)."""
    known = known_workspace(session, team=team)
    if known is not None:
        home_tab = actor is not None and session.get(HomeTab, (team, actor)) is not None
        return Followups(known.activity_channel, home_tab, known.celebrate_wins)
    row = session.execute(
        select(Workspace, HomeTab.user_id).outerjoin(HomeTab, and_(
            HomeTab.team_id == Workspace.team_id, HomeTab.user_id == actor))
        .where(Workspace.team_id == team)).first()
    if row is None:  # no workspace yet: nothing was changed
        return Followups(None, False)
    workspace, home_tab_user = row
    remember_workspace(session, workspace)
    return Followups(workspace.activity_channel, home_tab_user is not None,
                     workspace.celebrate_wins)


def record_home_opened(session: Session, *, team: str, user: str, now: datetime) -> None:
    """Remembers that `user` opened the Home tab (once; later openings write nothing)."""
    insert_if_absent(session, HomeTab, team_id=team, user_id=user, opened_at=now)
