"""Imported wins put the deal's lead in Conversion at the win's time, as a win in Slack does,
whichever file comes first; a reopened deal takes it back out."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest

from bot.imports.exporter import export
from bot.imports.importer import import_file, import_rows
from storage.deals import operations as deals
from storage.lookup import resolve_deal
from storage.reports.as_data import funnel_data
from storage.reports.funnel import funnel_report
from tests.bot.imports.history import histories

LEADS = [{"id": "L1", "name": "Kari Nordmann", "created": "2026-10-01",
          "entered:Interest": "2026-10-05", "entered:Engagement": "2026-10-20",
          "deal": "D1"}]
DEALS = [{"id": "D1", "name": "Nordmann AS", "value": "20k", "created": "2026-10-20",
          "won_at": "2026-11-18T10:00:00Z"}]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def lead_history(db) -> list[tuple]:
    return [(e[0], e[2], e[3]) for e in histories(db, "T1", "lead")["L1"] if e[1] == "stage"]


def funnel(db, now, week: str) -> dict[str, int]:
    with db.transaction() as s:
        report = funnel_data(funnel_report(s, team="T1", now=now, timezone="UTC",
                                           week=datetime.fromisoformat(week).date()))
    return {stage["name"]: stage["entered"] for stage in report["stages"]}


@pytest.mark.parametrize("order", [("leads", "deals"), ("deals", "leads")])
def test_a_won_imported_deal_puts_its_lead_in_conversion_at_the_win(db, now, order):
    files = {"leads": LEADS, "deals": DEALS}
    for kind in order:
        import_rows(db, kind, files[kind], team="T1", now=now)
    assert lead_history(db) == [
        (at("2026-10-05T00:00"), "Awareness", "Interest"),
        (at("2026-10-20T00:00"), "Interest", "Engagement"),
        (at("2026-11-18T10:00"), "Engagement", "Conversion")]
    assert funnel(db, now, "2026-11-18")["Conversion"] == 1
    assert funnel(db, now, "2026-11-11")["Conversion"] == 0


def test_importing_both_files_again_never_moves_the_lead_twice(db, now):
    for _ in range(2):
        import_rows(db, "leads", LEADS, team="T1", now=now)
        import_rows(db, "deals", DEALS, team="T1", now=now)
    assert [e[2] for e in lead_history(db)] == ["Interest", "Engagement", "Conversion"]


def test_a_reimported_deal_that_is_no_longer_won_takes_the_lead_out(db, now):
    import_rows(db, "leads", LEADS, team="T1", now=now)
    import_rows(db, "deals", DEALS, team="T1", now=now)
    import_rows(db, "deals", [{**DEALS[0], "won_at": "", "stage": "Proposal"}], team="T1",
                now=now)
    assert [e[2] for e in lead_history(db)] == ["Interest", "Engagement"]
    assert funnel(db, now, "2026-11-18")["Conversion"] == 0


def test_an_imported_win_reopened_in_slack_takes_the_lead_back_to_engagement(db, now):
    import_rows(db, "leads", LEADS, team="T1", now=now)
    import_rows(db, "deals", DEALS, team="T1", now=now)
    with db.transaction() as s:
        deals.reopen_deal(s, team="T1", number=resolve_deal(s, team="T1", ref="Nordmann"),
                          actor="U1", now=now)
    assert lead_history(db)[-1] == (now, "Conversion", "Engagement")


HUBSPOT_CONTACTS = (
    'Record ID,Full name,Company name,Original Source,Create date,'
    'Date entered "Interest",Date entered "Consideration",Date entered "Engagement",'
    'Converted deal ID\n'
    '101,Kari Nordmann,Fjord AS,Webinar,2026-10-01 09:00,2026-10-05 09:00,,'
    '2026-10-20 09:00,9001\n'
    '102,Ola Hansen,Berg AS,Organic search,2026-11-02 09:00,2026-11-10 09:00,,,\n'
    '103,Jane Roe,Globex,Webinar,2026-10-10 09:00,2026-10-12 09:00,2026-10-20 09:00,'
    '2026-10-25 09:00,9003\n')
HUBSPOT_DEALS = (
    'Record ID,Deal Name,Amount,Deal Stage,Create date,Closed Won Date,Deal owner\n'
    '9001,Fjord AS - platform,"$20,000",Won,2026-10-20 09:00,2026-11-18 14:30,U1\n'
    '9002,Walk-in customer,"$5,000",Won,2026-11-16 10:00,2026-11-17 11:00,U2\n'
    '9003,Globex renewal,"$8,000",Won,2026-10-25 09:00,2026-11-03 10:00,U1\n')


@pytest.mark.parametrize("order", [("leads", "deals"), ("deals", "leads")])
def test_a_hubspot_style_history_counts_its_customers_in_the_week_they_were_won(
        db, now, tmp_path, order):
    files = {"leads": HUBSPOT_CONTACTS, "deals": HUBSPOT_DEALS}
    for kind in order:
        (tmp_path / f"{kind}.csv").write_text(files[kind], encoding="utf-8")
        import_file(db, kind, tmp_path / f"{kind}.csv", team="T1", now=now)
    # by hand: in week 47 deal 9001 (Kari's) was won and 9002 (no lead) was; Jane's deal 9003
    # was won in week 45; Ola never became a deal
    assert funnel(db, now, "2026-11-18")["Conversion"] == 1
    assert funnel(db, now, "2026-11-04")["Conversion"] == 1
    assert funnel(db, now, "2026-11-11")["Conversion"] == 0
    out = io.StringIO()
    export(db, "leads", out, team="T1")  # and the export says so, for the next import
    kari = next(line for line in out.getvalue().splitlines() if "Kari Nordmann" in line)
    assert ",Conversion," in kari
