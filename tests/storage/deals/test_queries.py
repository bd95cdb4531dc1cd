"""The Home tab's and the Lost form's queries: stage totals and recent lost reasons."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from storage.deals import operations as deals
from storage.deals import queries as deal_queries


def test_stage_totals_count_and_sum_the_open_deals_of_each_open_stage(db, now):
    with db.transaction() as s:
        deals.create_deal(s, team="T1", name="A", actor="U1", now=now, value=Decimal("100"))
        deals.create_deal(s, team="T1", name="B", actor="U1", now=now, value=Decimal("50.5"),
                          stage="proposal")
        deals.create_deal(s, team="T1", name="C", actor="U1", now=now, value=Decimal("7"))
        deals.win_deal(s, team="T1", number=3, actor="U1", now=now)
        deals.create_deal(s, team="T2", name="Other", actor="U9", now=now, value=Decimal("9"))
        totals = deal_queries.stage_totals(s, team="T1")
    assert [(t.stage, t.count, t.value) for t in totals] == [
        ("Prospecting", 1, Decimal("100.00")), ("Qualification", 0, Decimal("0.00")),
        ("Meeting", 0, Decimal("0.00")), ("Proposal", 1, Decimal("50.50")),
        ("Negotiation", 0, Decimal("0.00"))]


def test_recent_lost_reasons_are_distinct_newest_first_and_short(db, now):
    reasons = ["budget", "timing", "budget", "x" * 76]
    with db.transaction() as s:
        for n, reason in enumerate(reasons, start=1):
            deals.create_deal(s, team="T1", name=f"D{n}", actor="U1", now=now)
            deals.lose_deal(s, team="T1", number=n, actor="U1",
                            now=now + timedelta(hours=n), reason=reason)
        assert deal_queries.recent_lost_reasons(s, team="T1") == ("budget", "timing")
        assert deal_queries.recent_lost_reasons(s, team="T2") == ()
