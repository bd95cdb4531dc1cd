"""The console's demo team: realistic, deterministic, brought in by the CSV import, and never
mixed into a database that holds someone's data."""

from __future__ import annotations

import io
from collections import Counter
from datetime import datetime, timedelta

from bot.demo.team import TEAM, fill, generate
from storage.deals.operations import create_deal
from storage.deals.queries import list_deals, show_deal
from storage.leads.queries import list_leads

STAGES = ("Prospecting", "Qualification", "Meeting", "Proposal", "Negotiation", "Won", "Lost")


def test_the_same_seed_gives_the_same_history_and_another_seed_another(now):
    assert generate(7, now) == generate(7, now)
    assert generate(7, now).deals != generate(8, now).deals


def test_the_demo_team_has_about_sixty_deals_in_every_stage_and_three_hundred_leads(now):
    for seed in (1, 2, 3):
        demo = generate(seed, now)
        stages = Counter(row["stage"] for row in demo.deals)
        assert set(STAGES) <= set(stages), (seed, stages)
        assert 55 <= len(demo.deals) <= 65 and 270 <= len(demo.leads) <= 330
        assert sum(1 for row in demo.deals if row["lead"]) >= 15  # converted leads
        assert all(row.get("lost_reason") for row in demo.deals if row["stage"] == "Lost")


def test_leads_drop_off_from_stage_to_stage(now):
    demo = generate(1, now)
    reached = Counter(name.split(":")[1] for row in demo.leads for name in row
                      if name.startswith("entered:"))
    created = len(demo.leads)
    # every lead starts in Awareness; each later stage is reached by fewer of them
    assert created > reached["Interest"] > reached["Consideration"] > reached["Engagement"] > 0


def test_every_row_lies_in_the_last_ten_weeks_and_before_now(now):
    demo = generate(1, now)
    times = [value for row in demo.leads + demo.deals for key, value in row.items()
             if key in ("created", "won_at", "lost_at", "dropped_at") or key.startswith("entered:")]
    parsed = [datetime.fromisoformat(t.replace("Z", "+00:00")) for t in times if t]
    assert min(parsed) >= now - timedelta(weeks=10) and max(parsed) < now
    this_week = now - timedelta(days=now.weekday())
    assert any(this_week.date() <= p.date() for p in parsed)


def test_filling_an_empty_database_imports_the_demo_with_notes_and_stale_deals(db, now):
    out = io.StringIO()
    assert fill(db, seed=1, now=now, force=False, out=out)
    demo = generate(1, now)
    with db.transaction() as s:
        assert list_leads(s, team=TEAM).total == sum(
            1 for row in demo.leads if row["stage"] != "Dropped")
        everything = list_deals(s, team=TEAM, stage=None)
        noted = [show_deal(s, team=TEAM, number=n) for n, *_ in demo.notes]
    assert everything.total >= 30
    assert any(deal.last_contact_at for deal in noted)
    assert any(deal.next_action for deal in noted)
    assert "Demo team added" in out.getvalue()


def test_the_demo_is_not_added_to_a_database_with_another_teams_data(db, now):
    with db.transaction() as s:
        create_deal(s, team="TREAL", name="Real deal", actor="U1", now=now)
    out = io.StringIO()
    assert not fill(db, seed=1, now=now, force=False, out=out)
    assert "was not added" in out.getvalue()
    with db.transaction() as s:
        assert list_deals(s, team=TEAM).total == 0


def test_a_database_that_has_the_demo_already_is_kept_as_it_is(db, now):
    assert fill(db, seed=1, now=now, force=False, out=io.StringIO())
    with db.transaction() as s:
        before = list_deals(s, team=TEAM).total
    out = io.StringIO()
    assert fill(db, seed=1, now=now, force=False, out=out)
    assert "already in this database" in out.getvalue()
    with db.transaction() as s:
        assert list_deals(s, team=TEAM).total == before


def test_the_demo_gives_non_empty_reports_for_this_week_and_the_week_before(db, now):
    from storage.reports.funnel import funnel_report
    from storage.reports.pipeline import pipeline_summary

    assert fill(db, seed=1, now=now, force=False, out=io.StringIO())
    with db.transaction() as s:
        this_week = funnel_report(s, team=TEAM, now=now)
        last_week = funnel_report(s, team=TEAM, now=now, week=(now - timedelta(days=7)).date())
        summary = pipeline_summary(s, team=TEAM, now=now)
    for report in (this_week, last_week):
        assert report.new_leads > 0 and report.stages[0].entered > 0
        assert report.stages[1].entered > 0 and report.spend > 0
    assert last_week.stages[0].entered_prev > 0
    assert summary.count >= 30 and all(line.count > 0 for line in summary.stages)
    assert summary.attention.stale.total > 0
