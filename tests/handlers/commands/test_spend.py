"""`/funnel spend` through the real Bolt app: admins record spend per ISO week and source."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from storage.models import Spend


def spend(driver, text, user="UADMIN"):
    return driver.one(f"spend {text}".strip(), command="/funnel", user=user)


def _rows(db):
    with db.transaction() as s:
        return [(r.week_start.isoformat(), r.source, r.amount)
                for r in s.scalars(select(Spend).order_by(Spend.week_start, Spend.source))]


def test_spend_is_recorded_for_the_current_week_and_a_correction_replaces_it(driver, db):
    first = spend(driver, "2.5k source:Webinar")
    assert first.ephemeral and "$2,500" in first.text and "2026-W47" in first.text
    second = spend(driver, "2000 source:webinar week:2026-11-18")
    assert "replaces the $2,500" in second.text
    assert _rows(db) == [("2026-11-16", "webinar", Decimal("2000.00"))]


def test_an_iso_week_names_its_monday(driver, db):
    spend(driver, "300 week:2026-W02")
    assert _rows(db) == [("2026-01-05", "", Decimal("300.00"))]


@pytest.mark.parametrize(("text", "words"), [
    ("", "How much was spent"),
    ("-500", "negative"),
    ("lots", "is not an amount"),
    ("500 week:2026-W60", "2026 has no week 60"),
    ("500 week:2026-02-30", "there is no 30 February 2026"),
    ("500 week:2027-01-04", "has not started yet"),
])
def test_impossible_spend_gets_a_specific_ephemeral_answer_and_records_nothing(driver, db, text,
                                                                               words):
    reply = spend(driver, text)
    assert reply.ephemeral and ":warning:" in reply.text and words in reply.text
    assert _rows(db) == []


def test_only_admins_record_spend(driver, db):
    reply = spend(driver, "500", user="U1")
    assert reply.ephemeral and "Only workspace admins" in reply.text
    assert _rows(db) == []


def test_the_funnel_says_no_spend_recorded_instead_of_a_zero_cac(driver):
    driver.one("add Jane Roe source:webinar", command="/lead")
    driver.one("convert Jane 50k", command="/lead")
    driver.one("won #1", command="/deal")
    assert "Spend – · CAC – (no spend recorded)" in driver.one("", command="/funnel").text
    spend(driver, "300 source:ads")
    shown = driver.one("", command="/funnel").text
    assert "Spend $300 · CAC $300" in shown and "webinar: – (no spend recorded)" in shown
    assert "ads: – (no deals won)" in shown
