"""Marketing spend per ISO week and source, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from storage.errors import UsageError
from storage.models import Spend
from storage.spend import record_spend
from storage.workspaces import ensure_workspace, update_settings


def _record(db, now, amount, **kw):
    with db.transaction() as s:
        return record_spend(s, team="T1", amount=Decimal(amount), actor="U1", now=now, **kw)


def _rows(db):
    with db.transaction() as s:
        return [(r.week_start, r.source, r.amount) for r in s.scalars(
            select(Spend).order_by(Spend.week_start, Spend.source))]


def test_spend_defaults_to_the_current_iso_week_without_a_source(db, now):
    recorded = _record(db, now, "2500")  # now is Sunday 22 Nov 2026: its week began on the 16th
    assert (recorded.week_start, recorded.source, recorded.amount) == (
        date(2026, 11, 16), None, Decimal("2500.00"))
    assert recorded.iso_week == "2026-W47" and recorded.replaced is None


def test_the_current_week_is_the_workspaces_own(db, now):
    with db.transaction() as s:
        ensure_workspace(s, team="T1", now=now)
        update_settings(s, team="T1", now=now, timezone="Pacific/Auckland")
    late_sunday_utc = datetime(2026, 11, 22, 13, 0, tzinfo=UTC)  # Monday in Auckland
    assert _record(db, late_sunday_utc, "1").week_start == date(2026, 11, 23)


def test_a_correction_replaces_and_never_double_counts(db, now):
    _record(db, now, "2500", source="Webinar")
    corrected = _record(db, now, "2000", source="webinar", week=date(2026, 11, 18))
    assert corrected.replaced == Decimal("2500.00")
    assert _rows(db) == [(date(2026, 11, 16), "webinar", Decimal("2000.00"))]


def test_each_source_and_week_is_kept_apart(db, now):
    _record(db, now, "100", source="webinar")
    _record(db, now, "200", source="LinkedIn")
    _record(db, now, "300")
    _record(db, now, "400", week=date(2026, 11, 9))
    assert _rows(db) == [
        (date(2026, 11, 9), "", Decimal("400.00")), (date(2026, 11, 16), "", Decimal("300.00")),
        (date(2026, 11, 16), "linkedin", Decimal("200.00")),
        (date(2026, 11, 16), "webinar", Decimal("100.00"))]


@pytest.mark.parametrize(("amount", "week", "words"), [
    ("-5", None, "cannot be negative"),
    ("NaN", None, "amount of money"),
    ("1e13", None, "too large"),
    ("10", date(2026, 11, 23), "has not started yet"),
    ("10", date(1999, 12, 31), "year 2000"),
])
def test_impossible_spend_is_refused_and_records_nothing(db, now, amount, week, words):
    with pytest.raises(UsageError, match=words):
        _record(db, now, amount, week=week)
    assert _rows(db) == []
