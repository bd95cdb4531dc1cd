"""Reading a team's workspace never creates it; the first change does, with the defaults
the team read until then."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from storage.kinds import PipelineKind
from storage.models import Base, Stage
from storage.reports.funnel import funnel_report
from storage.reports.pipeline import pipeline_summary
from storage.stages import add_stage, move_stage, rename_stage, stages_of
from storage.workspaces import (
    WorkspaceDefaults,
    WorkspaceSettings,
    ensure_workspace,
    update_settings,
    with_workspace_defaults,
    workspace_settings,
)


def rows(db) -> int:
    with db.transaction() as s:
        return sum(s.scalar(select(func.count()).select_from(t)) or 0
                   for t in Base.metadata.sorted_tables)


def stage_rows(stages: list[Stage]) -> list[tuple]:
    return [(s.name, s.position, s.kind, s.probability, s.rotting_days) for s in stages]


def test_an_unknown_team_reads_as_the_defaults_and_nothing_is_written(db, now):
    with db.transaction() as s:
        settings = workspace_settings(s, team="T1")
        deal_stages = stage_rows(stages_of(s, team="T1"))
        lead_stages = stage_rows(stages_of(s, team="T1", kind=PipelineKind.LEAD))
        summary = pipeline_summary(s, team="T1", now=now)
        funnel = funnel_report(s, team="T1", now=now)
    assert settings == WorkspaceSettings("T1", "USD", "UTC", 14, None)
    assert [line.name for line in summary.stages] == [
        "Prospecting", "Qualification", "Meeting", "Proposal", "Negotiation"]
    assert summary.pipeline == "Sales" and summary.count == 0 and summary.currency == "USD"
    assert [stage.name for stage in funnel.stages][0] == "Awareness" and funnel.cohort_size == 0
    assert rows(db) == 0
    with db.transaction() as s:
        ensure_workspace(s, team="T1", now=now)
    with db.transaction() as s:  # what was read is what the workspace is created with
        assert workspace_settings(s, team="T1") == settings
        assert stage_rows(stages_of(s, team="T1")) == deal_stages
        assert stage_rows(stages_of(s, team="T1", kind=PipelineKind.LEAD)) == lead_stages
        assert pipeline_summary(s, team="T1", now=now) == summary


def test_changing_a_setting_creates_the_workspace_and_the_read_sees_the_change(db, now):
    with db.transaction() as s:
        changed = update_settings(s, team="T1", now=now, activity_channel="C9")
    with db.transaction() as s:
        assert workspace_settings(s, team="T1") == changed
    assert changed.activity_channel == "C9" and changed.currency == "USD"


def test_a_stage_change_for_a_team_without_a_workspace_is_refused_not_lost(db, now):
    with db.transaction() as s, pytest.raises(LookupError):
        rename_stage(s, team="T1", stage="prospecting", new_name="Lead-in")
    assert rows(db) == 0


def test_a_new_workspace_starts_with_the_configured_defaults_and_reads_as_them_before(db, now):
    oslo = with_workspace_defaults(db, WorkspaceDefaults("NOK", "Europe/Oslo", 14))
    with oslo.transaction() as s:
        before = workspace_settings(s, team="T1")
        summary = pipeline_summary(s, team="T1", now=now)
    assert before == WorkspaceSettings("T1", "NOK", "Europe/Oslo", 14, None)
    assert (summary.currency, summary.timezone) == ("NOK", "Europe/Oslo")
    assert rows(db) == 0
    with oslo.transaction() as s:
        ensure_workspace(s, team="T1", now=now)
    with db.transaction() as s:  # stored: any session reads the workspace as it was made
        assert workspace_settings(s, team="T1") == before
        assert workspace_settings(s, team="T2") == WorkspaceSettings("T2", "USD", "UTC", 14, None)


@pytest.mark.parametrize("change", [{"currency": "XYZ"}, {"currency": "nok"},
                                    {"timezone": "Mars/Base"}, {"timezone": "europe/oslo"},
                                    {"rotting_days": 0}, {"rotting_days": 366}])
def test_a_setting_the_value_grammar_would_not_give_is_refused(db, now, change):
    with db.transaction() as s:
        ensure_workspace(s, team="T1", now=now)
    with pytest.raises(ValueError), db.transaction() as s:
        update_settings(s, team="T1", now=now, **change)
    with db.transaction() as s:
        assert workspace_settings(s, team="T1") == WorkspaceSettings("T1", "USD", "UTC", 14, None)


def test_currency_zone_and_stale_limit_are_changed_and_read_back(db, now):
    with db.transaction() as s:
        update_settings(s, team="T1", now=now, currency="SEK", timezone="Pacific/Auckland",
                        rotting_days=365)
    with db.transaction() as s:
        assert workspace_settings(s, team="T1") == WorkspaceSettings(
            "T1", "SEK", "Pacific/Auckland", 365, None)


def test_one_transaction_reads_the_stages_once_and_sees_its_own_stage_changes(db, now):
    reads = []

    def count(conn, cursor, statement: str, *args) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM stages" in statement:
            reads.append(statement)

    with db.transaction() as s:
        ensure_workspace(s, team="T1", now=now)
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            for _ in range(3):
                assert [x.name for x in stages_of(s, team="T1")][:2] == [
                    "Prospecting", "Qualification"]
            assert len(reads) == 1
            move_stage(s, team="T1", stage="meeting", after=None)
            rename_stage(s, team="T1", stage="qualification", new_name="Discovery")
            assert [x.name for x in stages_of(s, team="T1")][:3] == [
                "Meeting", "Prospecting", "Discovery"]
            savepoint = s.begin_nested()
            add_stage(s, team="T1", name="Trial", after="discovery")
            assert "Trial" in [x.name for x in stages_of(s, team="T1")]
            savepoint.rollback()
            assert "Trial" not in [x.name for x in stages_of(s, team="T1")]
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    with db.transaction() as s:
        assert [x.name for x in stages_of(s, team="T1")][:3] == [
            "Meeting", "Prospecting", "Discovery"]
