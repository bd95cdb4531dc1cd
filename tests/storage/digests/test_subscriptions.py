"""Subscriptions and the digest ledger."""

from __future__ import annotations

import pytest

from storage.digests import ledger
from storage.digests.subscriptions import (
    list_subscriptions,
    pause_subscription,
    subscribe,
    unsubscribe,
)
from storage.errors import NotFound, UsageError


def add(s, now, **changes):
    values = dict(team="T1", channel="C1", kind="pipeline", days=("fri", "mon"),
                  at_time="09:00", timezone="Europe/Oslo", actor="U1", now=now)
    return subscribe(s, **{**values, **changes})


def test_subscribing_again_changes_the_subscription_and_resumes_it(db, now):
    with db.transaction() as s:
        first = add(s, now)
        pause_subscription(s, subscription_id=first.id, reason="is_archived")
        again = add(s, now, at_time="10:30")
        assert (again.id, again.days, again.at_time, again.paused_reason) == (
            first.id, ("mon", "fri"), "10:30", None)
        assert len(list_subscriptions(s, team="T1")) == 1


@pytest.mark.parametrize("changes", [{"days": ()}, {"days": ("funday",)}, {"at_time": "9"},
                                     {"timezone": "Mars/Base"}])
def test_bad_subscriptions_are_refused(db, now, changes):
    with db.transaction() as s, pytest.raises(UsageError):
        add(s, now, **changes)


def test_unsubscribing_a_channel_without_a_digest_says_so(db, now):
    with db.transaction() as s, pytest.raises(NotFound):
        unsubscribe(s, team="T1", channel="C1", kind="funnel")


def test_a_period_is_claimed_once_and_a_released_claim_can_be_claimed_again(db, now):
    with db.transaction() as s:
        sub = add(s, now)
    claims = []
    for _ in range(2):
        with db.transaction() as s:
            claims.append(ledger.claim_digest_period(s, subscription_id=sub.id,
                                                     period="2026-11-23", due_at=now, now=now))
    assert claims == [True, False]
    with db.transaction() as s:
        ledger.release_claim(s, subscription_id=sub.id, period="2026-11-23")
        assert ledger.claim_digest_period(s, subscription_id=sub.id, period="2026-11-23",
                                          due_at=now, now=now)
        ledger.mark_posted(s, subscription_id=sub.id, period="2026-11-23", now=now)
        assert ledger.last_posted_at(s, subscription_id=sub.id) == now
