"""`dealbot serve`'s start-up check of the bot token (bot.doctor.token_check_at_start)."""

from __future__ import annotations

import logging

from bot.doctor import token_check_at_start
from storage.digests.subscriptions import active_subscriptions, subscribe
from storage.leaving import UNINSTALLED, pause_for_leaving


def _paused_by_uninstall(db, now) -> None:
    with db.transaction() as s:
        subscribe(s, team="T1", channel="C1", kind="pipeline", days=("mon",), at_time="09:00",
                  timezone="UTC", actor="U1", now=now)
        pause_for_leaving(s, teams=["T1"], reason=UNINSTALLED)


def test_a_working_token_resumes_its_workspaces_digests_paused_by_an_uninstall(
        db, settings, now):
    _paused_by_uninstall(db, now)
    token_check_at_start(settings, db, clock=lambda: now)
    with db.transaction() as s:
        assert [sub.team for sub in active_subscriptions(s)] == ["T1"]


def test_a_refused_token_is_a_warning_and_resumes_nothing(db, settings, slack, now, caplog):
    _paused_by_uninstall(db, now)
    slack.script("auth.test", {"ok": False, "error": "token_revoked"})
    with caplog.at_level(logging.WARNING, logger="dealbot"):
        token_check_at_start(settings, db, clock=lambda: now)
    assert "Slack refused SLACK_BOT_TOKEN (token_revoked)" in caplog.text
    assert "xoxb-test-token" not in caplog.text
    with db.transaction() as s:
        assert active_subscriptions(s) == []
