"""Importing deals, leads and spend: files as CRMs and spreadsheets write them, every kind of
bad row refused with its line and nothing written, re-imports that update and never
duplicate."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from bot.imports.importer import ImportRefused, import_file, import_rows
from storage.deals import operations as deals
from storage.deals import queries as deal_queries
from storage.imports.write import ANALYZED_AFTER, refresh_statistics
from storage.leads import operations as leads_ops
from storage.leads import queries as lead_queries
from storage.lookup import resolve_deal, resolve_lead
from storage.models import Deal, DealEvent, Lead, LeadEvent, Spend
from storage.workspaces import ensure_workspace, update_settings
from tests.bot.imports.history import histories

UTC = UTC


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def count(db, model) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_a_spreadsheet_file_with_bom_crlf_semicolons_and_nordic_names_imports(db, now, tmp_path):
    path = tmp_path / "deals.csv"
    path.write_bytes("\ufeffRecord ID;Deal name;Amount;Deal stage;Create date;Deal owner\r\n"
                     "1;Blåbær Ærlig AS;1.234,50;Proposal;01.09.2026 10:00;U1\r\n"
                     "2;Müller & Söhne GmbH;50 000;Negotiation;2026-09-02;U2\r\n"
                     .encode("utf-8"))
    result = import_file(db, "deals", path, team="T1", now=now)
    assert (result.rows, result.created, result.updated) == (2, 2, 0)
    with db.transaction() as s:
        deals = {d.name: d.value for d in s.scalars(select(Deal))}
    assert deals == {"Blåbær Ærlig AS": Decimal("1234.50"),
                     "Müller & Söhne GmbH": Decimal("50000.00")}


def test_crm_column_names_and_entered_columns_rebuild_the_history(db, now):
    row = {"Record ID": "D1", "Deal Name": "Globex", "Amount": "$12,000",
           "Create date": "2026-09-01T09:00:00Z",
           'Date entered "Qualification (Sales Pipeline)"': "2026-09-03T09:00:00Z",
           "entered:Proposal": "2026-09-10 12:00:00+02:00", "Closed Won Date": "2026-10-01T08:00Z",
           "Hubspot Score": "40"}
    result = import_rows(db, "deals", [row], team="T1", now=now)
    assert result.ignored_columns == ("Hubspot Score",)
    assert histories(db, "T1")["D1"] == [
        (at("2026-09-01T09:00"), "created", None, "Prospecting"),
        (at("2026-09-03T09:00"), "stage", "Prospecting", "Qualification"),
        (at("2026-09-10T10:00"), "stage", "Qualification", "Proposal"),
        (at("2026-10-01T08:00"), "stage", "Proposal", "Won")]


def test_times_without_a_zone_are_in_the_workspace_time_zone(db, now):
    with db.transaction() as s:
        ensure_workspace(s, team="T1", now=now)
        update_settings(s, team="T1", now=now, timezone="Europe/Oslo")
    import_rows(db, "deals", [{"id": "D1", "name": "Fjord", "created": "2026-09-01 10:00",
                               "entered:Meeting": "2026-09-02"}], team="T1", now=now)
    assert [e[0] for e in histories(db, "T1")["D1"]] == [at("2026-09-01T08:00"),
                                                         at("2026-09-01T22:00")]


def test_reimporting_a_file_updates_the_same_records_and_never_duplicates(db, now):
    rows = [{"id": "D1", "name": "Acme", "value": "10k", "created": "2026-09-01",
             "entered:Meeting": "2026-09-05", "stage": "Meeting"},
            {"id": "D2", "name": "Initech", "value": "5k", "created": "2026-09-02",
             "lost_at": "2026-09-20", "lost_reason": "price"}]
    first = import_rows(db, "deals", rows, team="T1", now=now)
    before = histories(db, "T1")
    rows[0] = {**rows[0], "value": "12k", "stage": "Proposal", "entered:Proposal": "2026-09-09"}
    again = import_rows(db, "deals", rows, team="T1", now=now)
    assert (first.created, again.created, again.updated) == (2, 0, 2)
    assert count(db, Deal) == 2
    after = histories(db, "T1")
    assert after["D2"] == before["D2"]
    assert [e[3] for e in after["D1"]] == ["Prospecting", "Meeting", "Proposal"]
    with db.transaction() as s:
        acme = s.scalars(select(Deal).where(Deal.external_id == "D1")).one()
        assert (acme.number, acme.value) == (1, Decimal("12000.00"))
        assert s.scalar(select(func.count()).select_from(DealEvent)) == 5


def test_notes_logged_in_dealbot_survive_a_reimport_of_the_file(db, now):
    rows = [{"id": "D1", "name": "Acme", "value": "10k", "created": "2026-09-01",
             "stage": "Meeting", "entered:Meeting": "2026-09-05"}]
    leads = [{"id": "L1", "name": "Kari Nordmann", "created": "2026-09-01"}]
    import_rows(db, "deals", rows, team="T1", now=now)
    import_rows(db, "leads", leads, team="T1", now=now)
    with db.transaction() as s:
        deals.add_note(s, team="T1", number=resolve_deal(s, team="T1", ref="Acme"),
                       text="called Kari", actor="U1", now=now)
        leads_ops.add_lead_note(s, team="T1", number=resolve_lead(s, team="T1", ref="Kari"),
                                text="met at the fair", actor="U1", now=now)
    import_rows(db, "deals", [{**rows[0], "value": "12k"}], team="T1", now=now)
    import_rows(db, "leads", leads, team="T1", now=now)
    with db.transaction() as s:
        acme = resolve_deal(s, team="T1", ref="Acme")
        shown, events = deal_queries.deal_history(s, team="T1", number=acme)
        assert [e.new_value for e in events if e.kind == "note"] == ["called Kari"]
        assert shown.value == Decimal("12000.00") and shown.last_activity_at == now
        kari = resolve_lead(s, team="T1", ref="Kari")
        _, lead_events = lead_queries.lead_history(s, team="T1", number=kari)
        assert [e.new_value for e in lead_events if e.kind == "note"] == ["met at the fair"]


def test_a_lead_names_a_deal_that_a_later_deals_file_brings_and_they_link(db, now):
    import_rows(db, "leads", [{"id": "L1", "name": "Kari Nordmann", "source": "Webinar",
                               "created": "2026-09-01", "entered:Engagement": "2026-09-08",
                               "deal": "D9"}], team="T1", now=now)
    import_rows(db, "deals", [{"id": "D9", "name": "Nordmann AS", "created": "2026-09-08"}],
                team="T1", now=now)
    with db.transaction() as s:
        lead = s.scalars(select(Lead)).one()
        deal = s.scalars(select(Deal)).one()
        assert deal.lead_id == lead.id and lead.converted_at == at("2026-09-08T00:00")
        kinds = list(s.scalars(select(LeadEvent.kind).order_by(LeadEvent.at, LeadEvent.id)))
    assert kinds == ["created", "stage", "convert"]


def test_a_deal_names_its_lead_by_the_leads_id(db, now):
    import_rows(db, "leads", [{"id": "L1", "name": "Jürgen Groß", "created": "2026-09-01"}],
                team="T1", now=now)
    import_rows(db, "deals", [{"id": "D1", "name": "Groß GmbH", "created": "2026-09-03",
                               "lead": "L1"}], team="T1", now=now)
    with db.transaction() as s:
        assert s.scalars(select(Deal)).one().lead_id == s.scalars(select(Lead)).one().id


def test_spend_imports_by_iso_week_or_date_and_a_second_import_replaces(db, now):
    rows = [{"week": "2026-W40", "amount": "2.5k", "source": "Webinar"},
            {"week": "2026-10-07", "amount": "300", "source": ""}]
    first = import_rows(db, "spend", rows, team="T1", now=now)
    second = import_rows(db, "spend", [{**rows[0], "amount": "2000"}], team="T1", now=now)
    assert (first.created, second.updated) == (2, 1)
    with db.transaction() as s:
        assert [(r.week_start.isoformat(), r.source, r.amount) for r in s.scalars(
            select(Spend).order_by(Spend.week_start))] == [
            ("2026-09-28", "webinar", Decimal("2000.00")), ("2026-10-05", "", Decimal("300.00"))]


GOOD = {"id": "D1", "name": "Acme", "value": "10k", "created": "2026-09-01"}


@pytest.mark.parametrize(("bad", "words"), [
    ({"name": ""}, "`name` is empty"),
    ({"id": ""}, "`id` is empty"),
    ({"stage": "Closing"}, "`Closing` is not a stage here; the stages are `Prospecting`"),
    ({"value": "lots"}, "`value`: `lots` is not an amount"),
    ({"value": "-5"}, "negative"),
    ({"created": "yesterday-ish"}, "`created`"),
    ({"won_at": "3/4/2026"}, "could be read more than one way"),
    ({"won_at": "31.02.2026 10:00"}, "`31.02.2026` is not a date: there is no 31 February 2026"),
    ({"expected_close": "30.02.2027"}, "there is no 30 February 2027"),
    ({"won_at": "01.03.2026 25:00"}, "`01.03.2026 25:00` is not a time that exists"),
    ({"value": "1.200"}, "`1.200` is ambiguous"),
    ({"lead": "L404"}, "`lead` `L404` is not a lead imported before"),
    ({"entered:Proposal": "2026-10-05", "won_at": "2026-10-01"},
     "`entered:Proposal` (2026-10-05 00:00) is after `won_at`"),
    ({"entered:Qualification": "2026-08-01"}, "is before `created`"),
    ({"entered:Closing": "2026-09-05"}, "`entered:Closing` names no stage"),
    ({"won_at": "2026-10-01", "lost_at": "2026-10-02"}, "are both set"),
    ({"stage": "Won"}, "stage `Won` needs the time in `won_at`"),
    ({"stage": "Proposal", "lost_at": "2026-10-02"}, "stage is `Proposal` but `lost_at`"),
])
def test_every_kind_of_bad_deal_row_refuses_the_file_with_its_line_and_writes_nothing(
        db, now, bad, words):
    rows = [dict(GOOD), {**GOOD, "id": "D2", **bad}, {**GOOD, "id": "D3"}]
    with pytest.raises(ImportRefused) as refused:
        import_rows(db, "deals", rows, team="T1", now=now)
    assert [line for line, _ in refused.value.errors] == [3]
    assert words in refused.value.errors[0][1]
    assert count(db, Deal) == 0 and count(db, DealEvent) == 0


def test_every_bad_row_is_listed_at_once_with_the_files_line_numbers(db, now, tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text('id,name,stage,created\nL1,Ola,Interest,2026-09-01\n'
                    'L2,,Interest,2026-09-01\nL3,"Per\nHansen",Nowhere,2026-09-01\n'
                    'L1,Kari,Interest,2026-09-02\n', encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        import_file(db, "leads", path, team="T1", now=now)
    assert [line for line, _ in refused.value.errors] == [3, 4, 6]
    assert "is also on line 2" in refused.value.errors[2][1]
    assert count(db, Lead) == 0


def test_a_file_without_a_required_column_is_refused_at_the_header(db, now):
    with pytest.raises(ImportRefused) as refused:
        import_rows(db, "deals", [{"Deal name": "Acme"}], team="T1", now=now)
    assert refused.value.errors == [
        (1, "the file has no `id` column (it may be called `id`, `record id`, `deal id`)")]


def test_bad_spend_rows_are_refused(db, now):
    rows = [{"week": "2026-W60", "amount": "5"}, {"week": "2027-01-04", "amount": "5"},
            {"week": "2026-W40", "amount": "x"}, {"week": "2026-W41", "amount": "1"},
            {"week": "2026-10-06", "amount": "2"}]
    with pytest.raises(ImportRefused) as refused:
        import_rows(db, "spend", rows, team="T1", now=now)
    assert [line for line, _ in refused.value.errors] == [2, 3, 4, 6]
    assert count(db, Spend) == 0


LEAD = {"id": "L1", "name": "Kari Nordmann", "created": "2026-09-01"}


@pytest.mark.parametrize(("bad", "words"), [
    ({"last_contact": "sometime"}, "`last_contact`"),
    ({"next_action_due": "31.02.2026"}, "there is no 31 February 2026"),
    ({"next_action": "x" * 501}, "at most 500 characters"),
])
def test_a_bad_last_contact_or_next_action_refuses_the_leads_file(db, now, bad, words):
    rows = [dict(LEAD), {**LEAD, "id": "L2", **bad}]
    with pytest.raises(ImportRefused) as refused:
        import_rows(db, "leads", rows, team="T1", now=now)
    assert [line for line, _ in refused.value.errors] == [3]
    assert words in refused.value.errors[0][1]
    assert count(db, Lead) == 0


@pytest.mark.parametrize("header", ["contact", "Email", "E-mail", "Email address",
                                    "Person - Email"])
def test_a_leads_contact_comes_in_by_its_name_or_a_crm_column_name(db, now, header):
    import_rows(db, "leads", [{**LEAD, header: "kari@globex.no"}, {**LEAD, "id": "L2"}],
                team="T1", now=now)
    with db.transaction() as s:
        assert lead_queries.show_lead(s, team="T1", number=1).contact == "kari@globex.no"
        assert lead_queries.show_lead(s, team="T1", number=2).contact is None


def test_a_contact_that_is_neither_an_email_nor_a_phone_refuses_the_leads_file(db, now):
    rows = [{**LEAD, "contact": "+47 22 33 44 55"}, {**LEAD, "id": "L2", "contact": "call her"}]
    with pytest.raises(ImportRefused) as refused:
        import_rows(db, "leads", rows, team="T1", now=now)
    assert refused.value.errors == [
        (3, "`contact`: `call her` is neither an email address nor a phone number")]
    assert count(db, Lead) == 0


def test_a_leads_last_contact_and_next_action_come_in_by_crm_column_names(db, now):
    import_rows(db, "leads", [{**LEAD, "Last contacted": "2026-09-20 14:00",
                               "Next step": "Book the demo", "Next activity date": "2026-10-02"},
                              {**LEAD, "id": "L2", "Next activity date": "2026-10-02"}],
                team="T1", now=now)
    with db.transaction() as s:
        kari = lead_queries.show_lead(s, team="T1", number=1)
        other = lead_queries.show_lead(s, team="T1", number=2)
    assert kari.last_contact_at == at("2026-09-20T14:00")
    assert (kari.next_action, str(kari.next_action_due)) == ("Book the demo", "2026-10-02")
    assert kari.last_activity_at == at("2026-09-20T14:00")
    assert (other.next_action, other.next_action_due) == (None, None)  # nothing is due


def planner_row_count(db, table: str) -> float | None:
    """What the database's query planner believes `table` holds (None: no statistics)."""
    with db.transaction() as s:
        if db.dialect == "postgresql":
            return s.scalar(text("SELECT reltuples FROM pg_class WHERE relname = :t"), {"t": table})
        if not s.scalar(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")):
            return None
        stat = s.scalar(text("SELECT stat FROM sqlite_stat1 WHERE tbl = :t LIMIT 1"), {"t": table})
        return float(stat.split()[0]) if stat else None


def test_a_large_import_leaves_the_planner_knowing_the_new_rows(db, now):
    """Reports are planned from the tables' statistics: after 1,200 imported deals the planner
    must not still believe the table empty (a 100,000-deal import made the pipeline summary
    take 29 s instead of 0.4 s until the next ANALYZE)."""
    rows = [{"id": f"D{n}", "name": f"Deal {n}", "amount": "1000", "stage": "Proposal",
             "created": "2026-09-01"} for n in range(1200)]
    result = import_rows(db, "deals", rows, team="T1", now=now)
    assert result.created == 1200
    assert planner_row_count(db, "deals") == 1200
    assert planner_row_count(db, "deal_events") == count(db, DealEvent)


def test_a_small_import_does_not_analyze(db):
    with db.transaction() as s:
        assert refresh_statistics(s, kind="deals", written=ANALYZED_AFTER - 1) is False
        assert refresh_statistics(s, kind="deals", written=ANALYZED_AFTER) is True
