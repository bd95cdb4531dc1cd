"""Sales targets and the forecast's commit stage, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest

from storage import stages
from storage.errors import NotFound, RuleViolation, UsageError
from storage.kinds import TargetPeriod
from storage.targets import TargetView, remove_target, set_target, targets_of
from storage.workspaces import ensure_workspace

MONTH, QUARTER = TargetPeriod.MONTH, TargetPeriod.QUARTER


def _set(db, now, amount, period=MONTH, owner=None):
    with db.transaction() as s:
        return set_target(s, team="T1", amount=Decimal(amount), period=period, owner=owner,
                          actor="UADMIN", now=now)


def _targets(db):
    with db.transaction() as s:
        return targets_of(s, team="T1")


def test_a_target_is_kept_per_team_owner_and_period_and_setting_it_again_replaces_it(db, now):
    _set(db, now, "100000")
    _set(db, now, "250000", QUARTER)
    _set(db, now, "30000", owner="U2")
    again = _set(db, now, "120000")
    assert again.replaced == Decimal("100000.00")
    assert _targets(db) == (TargetView(MONTH, None, Decimal("120000.00")),
                            TargetView(QUARTER, None, Decimal("250000.00")),
                            TargetView(MONTH, "U2", Decimal("30000.00")))


def test_removing_a_target_removes_only_that_one(db, now):
    _set(db, now, "100000")
    _set(db, now, "30000", owner="U2")
    with db.transaction() as s:
        removed = remove_target(s, team="T1", period=MONTH, owner="U2")
    assert removed.amount == Decimal("30000.00")
    assert _targets(db) == (TargetView(MONTH, None, Decimal("100000.00")),)


def test_removing_a_target_that_is_not_there_is_refused(db, now):
    _set(db, now, "100000")
    with pytest.raises(NotFound, match="no quarterly target for the team"):
        with db.transaction() as s:
            remove_target(s, team="T1", period=QUARTER, owner=None)
    assert len(_targets(db)) == 1


@pytest.mark.parametrize("amount", ["0", "-5", "NaN", "1e13"])
def test_a_target_that_is_not_a_positive_amount_is_refused_and_nothing_is_kept(db, now, amount):
    with pytest.raises(UsageError):
        _set(db, now, amount)
    assert _targets(db) == ()


def test_the_commit_stage_is_the_last_open_stage_until_an_admin_sets_another(db, now):
    with db.transaction() as s:
        assert stages.commit_stage(s, team="T1").name == "Negotiation"  # no workspace yet
        ensure_workspace(s, team="T1", now=now)
        assert stages.set_commit_stage(s, team="T1", stage="prop").name == "Proposal"
    with db.transaction() as s:
        assert stages.commit_stage(s, team="T1").name == "Proposal"


def test_a_closing_stage_cannot_be_the_commit_stage(db, now):
    with db.transaction() as s:
        ensure_workspace(s, team="T1", now=now)
    with pytest.raises(RuleViolation, match="closing stage"):
        with db.transaction() as s:
            stages.set_commit_stage(s, team="T1", stage="Won")
    with db.transaction() as s:
        assert stages.commit_stage(s, team="T1").name == "Negotiation"
