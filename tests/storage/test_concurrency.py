"""Lost updates are impossible: two writers on one deal at once on PostgreSQL; and two
first requests of a new team at once make one workspace."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from storage.deals import operations as deals
from storage.deals import queries as deal_queries
from storage.errors import StaleVersion
from storage.models import Pipeline, Workspace


def _wait_until_blocked_on_a_lock(db, timeout: float = 10) -> None:
    """Waits (by polling the server, not a fixed sleep) until a session waits for a row lock."""
    deadline = time.monotonic() + timeout
    with db.engine.connect() as conn:
        while time.monotonic() < deadline:
            waiting = conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'")).scalar()
            if waiting:
                return
            conn.rollback()
            time.sleep(0.01)
    raise AssertionError("the second writer never waited for the first")


def test_two_concurrent_moves_of_one_deal_apply_one_and_refuse_the_other(db, now):
    if db.dialect != "postgresql":
        pytest.skip("SQLite runs one writer at a time (BEGIN IMMEDIATE): moves are serialized")
    with db.transaction() as s:
        deals.create_deal(s, team="T1", name="Acme", actor="U1", now=now, value=Decimal("50000"))
    outcome: dict[str, object] = {}

    def second_writer() -> None:
        try:
            with db.transaction() as s:
                deals.move_deal(s, team="T1", number=1, stage="proposal", actor="U2", now=now)
            outcome["second"] = "applied"
        except StaleVersion as error:
            outcome["second"] = error

    with db.transaction() as s:
        deals.move_deal(s, team="T1", number=1, stage="meeting", actor="U1", now=now)
        thread = threading.Thread(target=second_writer)
        thread.start()
        _wait_until_blocked_on_a_lock(db)
    thread.join(timeout=10)

    assert isinstance(outcome["second"], StaleVersion)
    assert "nothing was changed" in outcome["second"].message
    with db.transaction() as s:
        deal, history = deal_queries.deal_history(s, team="T1", number=1)
    assert deal.stage.name == "Meeting" and deal.version == 2
    assert [(e.kind, e.to_stage, e.actor) for e in history] == [
        ("created", "Prospecting", "U1"), ("stage", "Meeting", "U1")]


def test_two_first_requests_of_a_new_team_at_once_make_one_workspace_and_both_deals(db, now):
    if db.dialect != "postgresql":
        pytest.skip("SQLite runs one writer at a time (BEGIN IMMEDIATE): first requests are "
                    "serialized")
    outcome: dict[str, object] = {}

    def second_request() -> None:
        with db.transaction() as s:
            outcome["second"] = deals.create_deal(s, team="T9", name="Globex", actor="U2",
                                                  now=now).deal.number

    with db.transaction() as s:
        first = deals.create_deal(s, team="T9", name="Acme", actor="U1", now=now).deal.number
        thread = threading.Thread(target=second_request)
        thread.start()
        _wait_until_blocked_on_a_lock(db)  # on the workspace row this transaction inserted
    thread.join(timeout=10)

    assert (first, outcome["second"]) == (1, 2)
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Workspace)) == 1
        kinds = s.scalars(select(Pipeline.kind).where(Pipeline.team_id == "T9"))
        assert sorted(kinds) == ["deal", "lead"]
        listed = deal_queries.list_deals(s, team="T9")
    assert sorted(d.name for d in listed.deals) == ["Acme", "Globex"]
