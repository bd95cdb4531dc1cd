"""Exports: the columns the import reads, so that an export imported into an empty workspace
rebuilds the same histories, the same current state, and exports the same file again."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta
from decimal import Decimal

from bot.demo import team as demo
from bot.imports.exporter import export
from bot.imports.importer import import_file
from storage.deals import operations as deals
from storage.deals import queries as deal_queries
from storage.deals.views import MessageSource
from storage.leads import operations as leads
from storage.leads import queries as lead_queries
from storage.reports.as_data import funnel_data, pipeline_data
from storage.reports.funnel import funnel_report
from storage.reports.pipeline import pipeline_summary
from storage.workspaces import ensure_workspace
from tests.bot.imports.history import histories, states


def native_history(db, start: datetime) -> None:
    """A team's life in Dealbot: deals created, moved (also back), won, lost, noted; leads
    added, moved, converted, dropped."""
    t = start
    with db.transaction() as s:
        ensure_workspace(s, team="T1", now=t)
        kw = {"team": "T1", "actor": "U1"}
        deals.create_deal(s, name="Acme", value=Decimal("10000"), now=t, **kw)
        deals.create_deal(s, name="Blåbær AS", stage="meeting", owner="U2", tags=["q4"],
                          now=t + timedelta(hours=1), **kw)
        deals.move_deal(s, number=1, stage="qualification", now=t + timedelta(days=1), **kw)
        deals.move_deal(s, number=1, stage="proposal", now=t + timedelta(days=3), **kw)
        deals.move_deal(s, number=1, stage="qualification", now=t + timedelta(days=4), **kw)
        deals.add_note(s, number=1, text="called", now=t + timedelta(days=5), **kw)
        deals.win_deal(s, number=2, now=t + timedelta(days=6), **kw)
        deals.create_deal(s, name="Müller GmbH", value=Decimal("5000.50"), now=t, **kw)
        deals.lose_deal(s, number=3, reason="price", now=t + timedelta(days=2), **kw)
        leads.add_lead(s, name="Kari Nordmann", company="Fjord", source="Webinar", now=t, **kw)
        leads.move_lead(s, number=1, stage="interest", now=t + timedelta(days=1), **kw)
        leads.convert_lead(s, number=1, value=Decimal("2000"), now=t + timedelta(days=2), **kw)
        deals.win_deal(s, number=4, now=t + timedelta(days=7), **kw)
        leads.add_lead(s, name="Jürgen Groß", now=t + timedelta(days=1), **kw)
        leads.drop_lead(s, number=2, reason="no budget", now=t + timedelta(days=2), **kw)


def exported(db, kind: str, team: str, fmt: str = "csv") -> str:
    out = io.StringIO()
    export(db, kind, out, team=team, fmt=fmt)
    return out.getvalue()


def without_notes(found: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """The stage histories: notes travel only as `last_activity`, which the import records as
    one `activity` event (the report comparison below checks that it is enough)."""
    return {key: sorted((e for e in events if e[1] not in ("note", "activity")),
                        key=lambda e: (e[0], e[1]))
            for key, events in found.items()}


def round_trip(db, now: datetime, folder) -> None:
    """Exports T1's leads and deals to files and imports them into the empty T2."""
    for kind in ("leads", "deals"):
        (folder / f"{kind}.csv").write_text(exported(db, kind, "T1"), encoding="utf-8")
        import_file(db, kind, folder / f"{kind}.csv", team="T2", now=now)


def test_an_export_imported_into_an_empty_workspace_rebuilds_the_same_histories(db, now,
                                                                                 tmp_path):
    native_history(db, now - timedelta(days=30))
    round_trip(db, now, tmp_path)
    assert without_notes(histories(db, "T2")) == without_notes(histories(db, "T1"))
    assert without_notes(histories(db, "T2", "lead")) == without_notes(histories(db, "T1", "lead"))
    assert states(db, "T2") == states(db, "T1")
    for kind in ("deals", "leads"):
        assert exported(db, kind, "T2") == exported(db, kind, "T1")


def test_a_leads_last_contact_and_next_action_survive_the_round_trip(db, now, tmp_path):
    native_history(db, now - timedelta(days=30))
    kw = {"team": "T1", "actor": "U1"}
    with db.transaction() as s:
        leads.add_lead(s, name="Ola", now=now - timedelta(days=9), **kw)
        leads.add_lead_note(s, number=3, text="called", now=now - timedelta(days=8), **kw)
        leads.set_lead_next_action(s, number=3, text="send the deck, then call",
                                   due=date(2026, 12, 4), now=now - timedelta(days=8), **kw)
    header, *rows = exported(db, "leads", "T1").splitlines()
    assert header.split(",")[13:16] == ["last_contact", "next_action", "next_action_due"]
    assert rows[2].split(",")[13:14] == [
        (now - timedelta(days=8)).isoformat().replace("+00:00", "Z")]
    assert '"send the deck, then call",2026-12-04' in rows[2]
    round_trip(db, now, tmp_path)
    with db.transaction() as s:
        ola = lead_queries.show_lead(s, team="T2", number=3)
    assert (ola.last_contact_at, ola.next_action, ola.next_action_due) == (
        now - timedelta(days=8), "send the deck, then call", date(2026, 12, 4))
    assert exported(db, "leads", "T2") == exported(db, "leads", "T1")


def test_a_leads_contact_survives_the_round_trip(db, now, tmp_path):
    native_history(db, now - timedelta(days=30))
    with db.transaction() as s:
        leads.add_lead(s, team="T1", name="Ola", actor="U1", now=now - timedelta(days=9),
                       contact="ola@globex.no")
    header, *rows = exported(db, "leads", "T1").splitlines()
    assert "contact" in header.split(",")
    assert "ola@globex.no" in rows[2]
    round_trip(db, now, tmp_path)
    with db.transaction() as s:
        assert lead_queries.show_lead(s, team="T2", number=3).contact == "ola@globex.no"
    assert exported(db, "leads", "T2") == exported(db, "leads", "T1")


def test_a_deal_moved_back_keeps_both_moves_through_the_round_trip(db, now, tmp_path):
    native_history(db, now - timedelta(days=30))
    round_trip(db, now, tmp_path)
    assert [e[3] for e in histories(db, "T2")["#1"] if e[1] != "activity"] == [
        "Prospecting", "Qualification", "Proposal", "Qualification"]


def test_exports_write_the_import_columns_with_entered_times_and_links(db, now):
    native_history(db, now - timedelta(days=30))
    lines = exported(db, "deals", "T1").splitlines()
    assert lines[0].startswith("id,name,value,stage,owner,company,created,expected_close,"
                               "won_at,lost_at,lost_reason,tags,source,lead,")
    assert lines[0].endswith(",entered:Prospecting,entered:Qualification,entered:Meeting,"
                             "entered:Proposal,entered:Negotiation")
    assert lines[3].startswith("#3,Müller GmbH,5000.50,Lost,U1,,2026-10-23T12:00:00Z,,,"
                               "2026-10-25T12:00:00Z,price,")
    assert lines[4].split(",")[13] == "#1"  # the converted lead's deal names its lead


def test_events_export_as_json_lines_in_time_order(db, now):
    native_history(db, now - timedelta(days=30))
    events = [json.loads(line) for line in exported(db, "events", "T1", "jsonl").splitlines()]
    deal_events = [e for e in events if e["record"] == "deal"]
    assert deal_events[0] == {"record": "deal", "id": "#1", "at": "2026-10-23T12:00:00Z",
                              "kind": "created", "from_stage": "", "to_stage": "Prospecting",
                              "field": "", "old_value": "", "new_value": "",
                              "amount": "10000.00", "actor": "U1", "source_url": "",
                              "source_author": ""}
    assert [e["at"] for e in deal_events] == sorted(e["at"] for e in deal_events)
    assert {e["kind"] for e in events} >= {"created", "stage", "note", "convert"}


LINK = "https://acme.slack.com/archives/C1/p1700000000000100"


def _logged_from_slack(db, now: datetime, at: datetime) -> None:
    with db.transaction() as s:
        deals.add_note(s, team="T1", number=1, text="Can we get 10% off?", actor="U1", now=at,
                       source=MessageSource(LINK, "U9"))


def test_a_note_from_a_slack_message_is_exported_with_its_link_and_author(db, now):
    native_history(db, now - timedelta(days=30))
    _logged_from_slack(db, now, now - timedelta(days=1))
    events = [json.loads(line) for line in exported(db, "events", "T1", "jsonl").splitlines()]
    [note] = [e for e in events if e["new_value"] == "Can we get 10% off?"]
    assert (note["kind"], note["actor"], note["source_url"], note["source_author"]) == (
        "note", "U1", LINK, "U9")
    assert all(e["source_url"] == "" for e in events if e is not note)
    lines = exported(db, "events", "T1").splitlines()
    assert lines[0].endswith(",actor,source_url,source_author")
    assert sum(line.endswith(f",U1,{LINK},U9") for line in lines) == 1


def test_a_reimport_keeps_a_note_from_a_slack_message_with_its_link_and_author(db, now,
                                                                                tmp_path):
    path = tmp_path / "deals.csv"
    path.write_text("id,name,stage,created\ncrm-1,Acme,Proposal,2026-10-01\n",
                    encoding="utf-8")
    import_file(db, "deals", path, team="T1", now=now - timedelta(days=2))
    _logged_from_slack(db, now, now - timedelta(days=1))
    path.write_text("id,name,stage,created\ncrm-1,Acme Corp,Negotiation,2026-10-01\n",
                    encoding="utf-8")
    import_file(db, "deals", path, team="T1", now=now)
    with db.transaction() as s:
        deal, events = deal_queries.deal_history(s, team="T1", number=1)
    assert (deal.name, deal.stage.name) == ("Acme Corp", "Negotiation")
    [note] = [e for e in events if e.kind == "note"]
    assert (note.new_value, note.actor, note.source) == (
        "Can we get 10% off?", "U1", MessageSource(LINK, "U9"))
    [row] = [json.loads(line) for line in exported(db, "events", "T1", "jsonl").splitlines()
             if json.loads(line)["kind"] == "note"]
    assert (row["id"], row["source_url"], row["source_author"]) == ("crm-1", LINK, "U9")


def reports(db, team: str, now: datetime) -> list[dict]:
    """The pipeline as of several past times and the funnel of several weeks in Oslo, as the
    JSON of `dealbot report`, without the team id."""
    found = []
    with db.transaction() as s:
        for days in (0, 3, 10, 24, 45, 69):
            found.append(pipeline_data(pipeline_summary(
                s, team=team, now=now, as_of=now - timedelta(days=days), attention_limit=None)))
        for weeks in (0, 1, 2, 5, 9):
            found.append(funnel_data(funnel_report(s, team=team, now=now, timezone="Europe/Oslo",
                                                   week=(now - timedelta(weeks=weeks)).date())))
    return [{key: value for key, value in report.items() if key != "team"} for report in found]


def test_the_demo_history_exported_and_imported_into_an_empty_workspace_reports_the_same(
        db, now, tmp_path):
    assert demo.fill(db, seed=3, now=now, force=False, out=io.StringIO())
    for kind in ("leads", "deals", "spend"):
        (tmp_path / f"{kind}.csv").write_text(exported(db, kind, demo.TEAM), encoding="utf-8")
        import_file(db, kind, tmp_path / f"{kind}.csv", team="T2", now=now)
    original, copied = reports(db, demo.TEAM, now), reports(db, "T2", now)
    assert original[0]["totals"]["count"] > 20 and original[-2]["stages"][0]["entered"] > 0
    assert copied == original
    assert exported(db, "spend", "T2") == exported(db, "spend", demo.TEAM)
