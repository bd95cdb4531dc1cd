"""Digests that are not lost by a crash: a claim is a lease. A scheduler that died between
claiming a period and recording its post leaves the claim to another one after the lease,
which reads the channel back (the digest's message metadata) before posting: exactly once
per period, also across a daylight-saving change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot import digests as running
from bot.app import web_client
from bot.config import Settings
from bot.digests import Unrecorded, run_due_digests
from storage.db import UNAVAILABLE
from storage.digests import ledger
from storage.errors import DatabaseUnavailable
from storage.models import DigestLedger
from tests.bot.test_digests import add, at_once, posts, utc


@pytest.fixture
def clients(slack):
    settings = Settings(slack_api_url=slack.api_url, slack_bot_token="xoxb-test")
    return lambda team: web_client(settings)


class Died(Exception):
    """The scheduler process stopping dead at this point (kill -9)."""


def die(*args, **kwargs):
    raise Died()


def rows(db):
    with db.transaction() as s:
        return [(r.period, r.posted_at is not None, r.outcome)
                for r in s.scalars(select(DigestLedger).order_by(DigestLedger.period))]


def test_a_scheduler_that_died_after_posting_is_not_posted_again(db, slack, clients,
                                                                monkeypatch):
    add(db)
    with monkeypatch.context() as patched:
        patched.setattr(ledger, "mark_posted", die)  # posted, then died before recording it
        assert run_due_digests(db, clients, utc(8, 0)) == []
    assert len(posts(slack)) == 1
    assert run_due_digests(db, clients, utc(8, 5)) == []  # the lease still runs
    sent = run_due_digests(db, clients, utc(8, 11))
    assert [s.outcome for s in sent] == ["already_posted"]
    assert len(posts(slack)) == 1
    assert rows(db) == [("2026-11-18", True, "posted")]
    assert run_due_digests(db, clients, utc(8, 30)) == []


def test_a_scheduler_that_died_before_posting_has_its_digest_posted_once_after_the_lease(
        db, slack, clients, monkeypatch):
    add(db)
    with monkeypatch.context() as patched:
        patched.setattr(running, "digest_message", die)
        run_due_digests(db, clients, utc(8, 0))
    assert posts(slack) == []
    assert [s.outcome for s in run_due_digests(db, clients, utc(8, 11))] == ["posted"]
    assert run_due_digests(db, clients, utc(8, 30)) == []
    assert len(posts(slack)) == 1
    metadata = slack.calls("chat.postMessage")[0].body["metadata"]
    assert metadata["event_type"] == "dealbot_digest"
    assert metadata["event_payload"]["period"] == "2026-11-18"


def test_when_slack_will_not_say_whether_it_was_posted_it_is_not_posted_again(
        db, slack, clients, monkeypatch):
    add(db)
    with monkeypatch.context() as patched:
        patched.setattr(ledger, "mark_posted", die)
        run_due_digests(db, clients, utc(8, 0))
    slack.script("conversations.history", {"ok": False, "error": "missing_scope"})
    assert [s.outcome for s in run_due_digests(db, clients, utc(8, 11))] == ["unverified"]
    assert run_due_digests(db, clients, utc(8, 30)) == []
    assert len(posts(slack)) == 1
    assert rows(db) == [("2026-11-18", False, "unverified")]


def test_two_schedulers_taking_over_the_same_claim_post_it_once(db, slack, clients,
                                                               monkeypatch):
    add(db)
    with monkeypatch.context() as patched:
        patched.setattr(running, "digest_message", die)
        run_due_digests(db, clients, utc(8, 0))
    results = at_once(2, lambda: run_due_digests(db, clients, utc(8, 11)))
    assert len(posts(slack)) == 1
    assert sorted(len(r) for r in results) == [0, 1]


def test_a_claim_abandoned_in_the_hour_the_clocks_repeat_is_posted_once(db, slack, clients,
                                                                       monkeypatch):
    """Oslo falls back from 03:00 to 02:00 on 25 October 2026: 02:30 happens at 00:30 and
    at 01:30 UTC. A scheduler dies at the first; the second takes the claim over, once."""
    day = datetime(2026, 10, 25, tzinfo=UTC)
    add(db, at="02:30", days=("sun",), when=day - timedelta(days=7))
    with monkeypatch.context() as patched:
        patched.setattr(running, "digest_message", die)
        run_due_digests(db, clients, day + timedelta(minutes=30))
    assert run_due_digests(db, clients, day + timedelta(minutes=35)) == []
    sent = run_due_digests(db, clients, day + timedelta(hours=1, minutes=30))
    assert [s.outcome for s in sent] == ["posted"]
    for minutes in (91, 120, 180):
        assert run_due_digests(db, clients, day + timedelta(minutes=minutes)) == []
    assert len(posts(slack)) == 1


def test_a_post_whose_answer_never_came_is_checked_before_it_is_posted_again(db, slack):
    """Slack got the digest but its answer came after the client's timeout: the next run
    finds the message in the channel instead of posting it twice."""
    add(db)
    impatient = Settings(slack_api_url=slack.api_url, slack_bot_token="xoxb-test")

    def clients(team):
        client = web_client(impatient)
        client.timeout = 1
        return client

    slack.delays["chat.postMessage"] = 2
    assert [s.outcome for s in run_due_digests(db, clients, utc(8, 0))] == ["connection_error"]
    del slack.delays["chat.postMessage"]
    assert [s.outcome for s in run_due_digests(db, clients, utc(8, 1))] == ["already_posted"]
    assert run_due_digests(db, clients, utc(8, 2)) == []
    assert len(posts(slack)) == 1
    assert rows(db) == [("2026-11-18", True, "posted")]


def _unavailable(*args, **kwargs):
    raise DatabaseUnavailable(UNAVAILABLE)


def test_a_post_the_database_missed_is_recorded_by_the_next_run(db, slack, clients,
                                                              monkeypatch):
    add(db)
    unrecorded = Unrecorded()
    with monkeypatch.context() as patched:
        patched.setattr(ledger, "mark_posted", _unavailable)  # posted as the database went
        assert run_due_digests(db, clients, utc(8, 0), unrecorded=unrecorded) == []
    assert rows(db) == [("2026-11-18", False, None)]
    assert run_due_digests(db, clients, utc(8, 1), unrecorded=unrecorded) == []
    assert rows(db) == [("2026-11-18", True, "posted")]  # not left to the lease
    assert len(posts(slack)) == 1


def test_a_claim_the_database_failed_before_the_post_is_posted_by_the_next_run(
        db, slack, clients, monkeypatch):
    add(db)
    unrecorded = Unrecorded()
    with monkeypatch.context() as patched:
        patched.setattr(running, "digest_message", _unavailable)
        assert run_due_digests(db, clients, utc(8, 0), unrecorded=unrecorded) == []
    assert posts(slack) == []
    sent = run_due_digests(db, clients, utc(8, 1), unrecorded=unrecorded)
    assert [s.outcome for s in sent] == ["posted"]  # a minute late, not a lease late
    assert run_due_digests(db, clients, utc(8, 2), unrecorded=unrecorded) == []
    assert len(posts(slack)) == 1
    assert rows(db) == [("2026-11-18", True, "posted")]
