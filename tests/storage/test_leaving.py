"""Workspaces that leave and come back: their digests pause and resume; the Grid
organisation of each workspace is remembered."""

from __future__ import annotations

from datetime import timedelta

from storage.digests.subscriptions import (
    active_subscriptions,
    list_subscriptions,
    pause_subscription,
    subscribe,
)
from storage.leaving import (
    UNINSTALLED,
    enterprise_of,
    pause_for_leaving,
    remember_enterprise,
    resume_after_reinstall,
    teams_of,
)


def add(s, now, team="T1", channel="C1"):
    return subscribe(s, team=team, channel=channel, kind="pipeline", days=("mon",),
                     at_time="09:00", timezone="UTC", actor="U1", now=now)


def test_leaving_pauses_the_teams_digests_and_a_reinstall_resumes_only_those(db, now):
    with db.transaction() as s:
        add(s, now)
        gone = add(s, now, channel="CGONE")
        pause_subscription(s, subscription_id=gone.id, reason="channel_not_found")
        other = add(s, now, team="T2")
    with db.transaction() as s:
        assert pause_for_leaving(s, teams=["T1"], reason=UNINSTALLED) == 1
    with db.transaction() as s:
        assert [sub.id for sub in active_subscriptions(s)] == [other.id]
    later = now + timedelta(days=3)
    with db.transaction() as s:
        assert resume_after_reinstall(s, teams=["T1"], now=later) == 1
    with db.transaction() as s:
        by_channel = {sub.channel: sub for sub in list_subscriptions(s, team="T1")}
    assert by_channel["C1"].paused_reason is None
    assert by_channel["C1"].set_at == later  # what fell due while it was gone is not owed
    assert by_channel["CGONE"].paused_reason == "channel_not_found"  # a gone channel stays


def test_a_workspaces_grid_organisation_is_remembered_and_the_latest_wins(db, now):
    with db.transaction() as s:
        assert enterprise_of(s, team="T1") is None
        remember_enterprise(s, team="T1", enterprise="E1", now=now)
        remember_enterprise(s, team="T1", enterprise="E1", now=now)
        remember_enterprise(s, team="T2", enterprise="E1", now=now)
    with db.transaction() as s:
        assert enterprise_of(s, team="T1") == "E1"
        assert teams_of(s, enterprise="E1") == ["T1", "T2"]
        remember_enterprise(s, team="T2", enterprise="E2", now=now)
    with db.transaction() as s:
        assert teams_of(s, enterprise="E1") == ["T1"]
        assert enterprise_of(s, team="T2") == "E2"
