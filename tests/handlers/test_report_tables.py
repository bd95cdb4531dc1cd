"""The stage tables of `/pipeline`, `/funnel` and their digests: one Block Kit `table` a
message whose cells are the report's figures, the same figures a line a stage in the
notification text, and Slack's limits kept for the largest pipeline a team can have.

Every figure expected here comes from the storage report the message was made from, computed
again for the same moment; the tests spell out only the form (arrows, words, percentages)."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest

from bot.app import web_client
from bot.config import Settings
from bot.demo.team import TEAM, fill
from bot.digests import run_due_digests
from bot.slack_standin.tables import MAX_CELLS, MAX_ROWS, rows_of
from storage.deals.operations import create_deal
from storage.digests.subscriptions import subscribe
from storage.errors import RuleViolation
from storage.reports.funnel import FunnelReport, funnel_report
from storage.reports.pipeline import PipelineSummary, pipeline_summary
from storage.reports.weeks import monday_of
from storage.stages import add_stage, stages_of
from storage.values import format_money
from storage.workspaces import workspace_settings

PIPELINE_HEADER = ["Stage", "Deals", "±", "Value", "Weighted"]
FUNNEL_HEADER = ["Stage", "Entered", "±", "→ next", "Cohort"]


def arrow(now: int, before: int) -> str:
    return "=" if now == before else f"▲{now - before:,}" if now > before else f"▼{before - now:,}"


def said(now: int, before: int) -> str:
    return "no change" if now == before else f"up {now - before:,}" if now > before else \
        f"down {before - now:,}"


def rate(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def the_table(blocks: list[dict]) -> dict:
    tables = [b for b in blocks if b["type"] == "table"]
    assert len(tables) == 1, f"{len(tables)} tables"
    return tables[0]


def pipeline_rows(report: PipelineSummary) -> list[list[str]]:
    before, c = {s.name: s.count for s in report.previous}, report.currency
    return [PIPELINE_HEADER] + [
        [s.name, f"{s.count:,}", arrow(s.count, before.get(s.name, 0)),
         format_money(s.value, c), format_money(s.weighted, c)] for s in report.stages]


def pipeline_lines(report: PipelineSummary) -> list[str]:
    before, c = {s.name: s.count for s in report.previous}, report.currency
    return [f"{s.name}: {s.count:,} deal{'' if s.count == 1 else 's'} "
            f"({said(s.count, before.get(s.name, 0))}), {format_money(s.value, c)}, "
            f"weighted {format_money(s.weighted, c)}" for s in report.stages]


def funnel_rows(report: FunnelReport) -> list[list[str]]:
    return [FUNNEL_HEADER] + [
        [s.name, f"{s.entered:,}", arrow(s.entered, s.entered_prev), rate(s.flow_conversion),
         f"{rate(s.cohort_share)} ({s.cohort_reached:,})"] for s in report.stages]


def funnel_lines(report: FunnelReport) -> list[str]:
    return [f"{s.name}: {s.entered:,} entered ({said(s.entered, s.entered_prev)} on the week "
            "before)" + ("" if s.flow_conversion is None else
                         f", {rate(s.flow_conversion)} on to the next")
            + f", cohort {rate(s.cohort_share)} ({s.cohort_reached:,} "
            f"{'lead' if s.cohort_reached == 1 else 'leads'})"
            for s in report.stages]


@pytest.fixture
def demo(db, clock):
    """The console's demo team, ten weeks of deals and leads up to now."""
    assert fill(db, seed=1, now=clock(), force=False, out=io.StringIO())
    with db.transaction() as s:
        return workspace_settings(s, team=TEAM).timezone


def test_pipeline_is_one_table_of_the_reports_figures_and_its_text_says_them(
        driver, db, clock, demo):
    driver.one("new Fresh 10k stage:meeting", team=TEAM)  # Meeting gains one since yesterday
    reply = driver.one("", command="/pipeline", team=TEAM)
    with db.transaction() as s:
        report = pipeline_summary(s, team=TEAM, now=clock())
    table = the_table(reply.blocks)
    assert rows_of(table) == pipeline_rows(report)
    assert [row for row in rows_of(table) if row[0] == "Meeting"][0][2] == "▲1"
    assert [c["align"] for c in table["column_settings"]] == [
        "left", "right", "center", "right", "right"]
    assert table["column_settings"][0]["is_wrapped"]
    text = reply.body["text"].split("\n")
    assert text[0].startswith(f"Pipeline: {report.count:,} open deals")
    assert text[1:] == pipeline_lines(report) and "(up 1)" in reply.body["text"]


def test_funnel_is_one_table_of_the_reports_figures_and_its_text_says_them(
        driver, db, clock, demo):
    reply = driver.one("", command="/funnel", team=TEAM)
    with db.transaction() as s:
        report = funnel_report(s, team=TEAM, now=clock(), timezone=demo)
    assert f"week {report.week}" in reply.text and report.stages[0].entered > 0
    table = the_table(reply.blocks)  # new leads by source stay section fields beside it
    assert rows_of(table) == funnel_rows(report)
    assert any(row[2] != "=" for row in rows_of(table)[1:])
    assert "New leads" in reply.text and "webinar" in reply.text
    text = reply.body["text"].split("\n")
    assert report.deals.won == 1
    assert text[0] == (f"Funnel, week {report.week}: 1 deal won, "
                       f"win rate {rate(report.deals.win_rate)}.")
    assert text[1:] == funnel_lines(report)


def posted(slack) -> list[dict]:
    return [{**c.body, "blocks": json.loads(c.body["blocks"]) if isinstance(c.body["blocks"], str)
             else c.body["blocks"]} for c in slack.calls("chat.postMessage")]


def test_the_daily_and_weekly_digests_carry_the_same_tables(db, slack, clock, demo):
    with db.transaction() as s:
        for kind in ("pipeline", "funnel"):
            subscribe(s, team=TEAM, channel=f"C{kind.upper()}", kind=kind, days=("mon",),
                      at_time="09:00", timezone=demo, actor="UBOSS", now=clock())
    monday = clock() + timedelta(days=1, hours=-2)  # Monday 23 Nov, 10:00 (09:00 in Oslo)
    settings = Settings(slack_api_url=slack.api_url, slack_bot_token="xoxb-test")
    run_due_digests(db, lambda team: web_client(settings), monday)
    with db.transaction() as s:
        pipeline = pipeline_summary(s, team=TEAM, now=monday, timezone=demo)
        funnel = funnel_report(s, team=TEAM, now=monday, timezone=demo,
                               week=monday_of(monday.date()) - timedelta(days=7))
    by_channel = {body["channel"]: body for body in posted(slack)}
    daily, weekly = by_channel["CPIPELINE"], by_channel["CFUNNEL"]
    assert rows_of(the_table(daily["blocks"])) == pipeline_rows(pipeline)
    assert daily["text"].split("\n")[1:] == pipeline_lines(pipeline)
    assert funnel.week == "2026-W47" and rows_of(the_table(weekly["blocks"])) == funnel_rows(funnel)
    assert weekly["text"].split("\n")[1:] == funnel_lines(funnel)


def test_the_largest_pipeline_a_team_can_have_stays_within_slacks_limits(driver, db, now):
    driver.one("new Acme 5k")
    with db.transaction() as s:
        with pytest.raises(RuleViolation):
            for n in range(30):
                long_name = f"Stage {n:02} with a name as long as any stage name may be, {n}"
                long_name += "." * (60 - len(long_name))
                add_stage(s, team="T1", name=long_name)
                create_deal(s, team="T1", name=f"Deal {n}", actor="U1", now=now,
                            value=Decimal(1_234_567 + n), stage=long_name)
        open_stages = [st.name for st in stages_of(s, team="T1") if st.kind == "open"]
    assert len(open_stages) == 18 and max(len(name) for name in open_stages) == 60
    reply = driver.one("", command="/pipeline")  # the driver validates it as Slack would
    rows = rows_of(the_table(reply.blocks))
    assert [row[0] for row in rows[1:]] == open_stages
    assert len(rows) <= MAX_ROWS and all(len(row) <= MAX_CELLS for row in rows)
    assert len(reply.blocks) <= 50
    assert len(reply.body["text"].split("\n")) == 1 + len(open_stages)
    home = driver.open_home()  # validated as a Home tab
    assert [row[0] for row in rows_of(the_table(home["blocks"]))[1:]] == open_stages
