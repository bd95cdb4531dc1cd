"""Reports run after the answer, so their statements may take longer than an
acknowledgement's database timeout; everything else keeps it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from storage.db import Database, allow_slow_statements
from storage.errors import DatabaseUnavailable
from storage.reports.pipeline import pipeline_summary

TIMEOUT = 0.5  # the database timeout of these processes, in seconds
SLOWER = "SELECT pg_sleep(0.8)"  # a statement slower than TIMEOUT


@pytest.fixture
def bounded(migrated_db: Database) -> Database:
    if migrated_db.dialect != "postgresql":
        pytest.skip("SQLite has no statement timeout: its statements run until done")
    db = Database(migrated_db.url, timeout=TIMEOUT)
    yield db
    db.dispose()


def test_a_statement_slower_than_the_timeout_is_refused_outside_a_report(bounded):
    with pytest.raises(DatabaseUnavailable):
        with bounded.transaction() as s:
            s.execute(text(SLOWER))


def test_a_report_transaction_may_run_statements_slower_than_the_timeout(bounded):
    with bounded.transaction() as s:
        allow_slow_statements(s, seconds=3)
        s.execute(text(SLOWER))
    with pytest.raises(DatabaseUnavailable):  # the next transaction has the usual limit
        with bounded.transaction() as s:
            s.execute(text(SLOWER))


def test_every_report_allows_its_statements_the_report_time(bounded):
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    with bounded.transaction() as s:
        pipeline_summary(s, team="T1", now=now)
        assert s.scalar(text("SHOW statement_timeout")) == "30s"
        s.execute(text(SLOWER))
    with bounded.transaction() as s:
        assert s.scalar(text("SHOW statement_timeout")) == "500ms"
