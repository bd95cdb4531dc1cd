"""What a saved change is followed by, read in the change's own transaction so that nothing
after it needs another: the workspace's activity channel, and whether the person who made it
keeps a Home tab to refresh.

Only users who have opened the app's Home tab (`record_home_opened`, when Slack says so) get
it refreshed after their changes; everyone else costs no refresh at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from storage.db import insert_if_absent
from storage.models import HomeTab
from storage.workspaces import find_workspace


@dataclass(frozen=True)
class Followups:
    activity_channel: str | None  # where stage changes, wins and losses are announced
    home_tab: bool  # the actor has opened the Home tab: it is refreshed after the change


def followups_of(session: Session, *, team: str, actor: str | None) -> Followups:
    """Two reads by primary key; the workspace is usually read for the change already."""
    workspace = find_workspace(session, team=team)
    home_tab = actor is not None and session.get(HomeTab, (team, actor)) is not None
    return Followups(workspace.activity_channel if workspace is not None else None, home_tab)


def record_home_opened(session: Session, *, team: str, user: str, now: datetime) -> None:
    """Remembers that `user` opened the Home tab (once; later openings write nothing)."""
    insert_if_absent(session, HomeTab, team_id=team, user_id=user, opened_at=now)
