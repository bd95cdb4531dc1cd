"""An import holds to the same limits and cleaning as every other path: a cell longer than
its field is refused with its line, its column and the limit, and nothing is written; control
characters (NUL among them) are removed from every cell."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.imports.importer import ImportRefused, import_file, import_rows
from storage import text_fields as fields
from storage.models import Deal, DealEvent, Lead

LONG = "y" * 10_000
DEAL = {"id": "D1", "name": "Acme", "value": "10k", "created": "2026-09-01"}
LEAD = {"id": "L1", "name": "Jane Roe", "created": "2026-09-01"}


def limit(field: fields.TextField, counted: str = "this one has 10,000") -> str:
    return f"{field.what} can be at most {field.limit:,} characters; {counted}"


def count(db, model) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(model))


DEAL_CELLS = [
    ({"id": LONG}, f"`id`: {limit(fields.RECORD_ID)}"),
    ({"name": LONG}, f"`name`: {limit(fields.DEAL_NAME)}"),
    ({"company": LONG}, f"`company`: {limit(fields.COMPANY)}"),
    ({"source": LONG}, f"`source`: {limit(fields.SOURCE)}"),
    ({"lost_at": "2026-10-01", "lost_reason": LONG}, f"`lost_reason`: {limit(fields.LOST_REASON)}"),
    ({"tags": " ".join(f"t{i:03d}{'x' * 30}" for i in range(20))},
     f"`tags`: {limit(fields.TAGS, 'these have 699')}"),
    ({"tags": "#" + "t" * 41}, "`tags`: `#tttt"),
    ({"lead": LONG}, f"`lead`: {limit(fields.RECORD_ID)}"),
]
LEAD_CELLS = [
    ({"id": LONG}, f"`id`: {limit(fields.RECORD_ID)}"),
    ({"name": LONG}, f"`name`: {limit(fields.LEAD_NAME)}"),
    ({"company": LONG}, f"`company`: {limit(fields.COMPANY)}"),
    ({"source": LONG}, f"`source`: {limit(fields.SOURCE)}"),
    ({"dropped_at": "2026-10-01", "drop_reason": LONG},
     f"`drop_reason`: {limit(fields.DROP_REASON)}"),
    ({"deal": LONG}, f"`deal`: {limit(fields.RECORD_ID)}"),
]


@pytest.mark.parametrize(("kind", "cells", "reason"), [
    *(("deals", cells, reason) for cells, reason in DEAL_CELLS),
    *(("leads", cells, reason) for cells, reason in LEAD_CELLS)])
def test_a_cell_longer_than_its_field_refuses_the_file_and_writes_nothing(
        db, now, kind, cells, reason):
    good = DEAL if kind == "deals" else LEAD
    rows = [dict(good), {**good, "id": "X2", **cells}]
    with pytest.raises(ImportRefused) as refused:
        import_rows(db, kind, rows, team="T1", now=now)
    assert [line for line, _ in refused.value.errors] == [3]
    assert reason in refused.value.errors[0][1]
    assert count(db, Deal) == 0 and count(db, Lead) == 0 and count(db, DealEvent) == 0


def test_control_characters_are_removed_from_every_cell_of_a_file(db, now, tmp_path):
    path = tmp_path / "deals.csv"
    path.write_text("id,name,value,company,source,tags,created,lost_at,lost_reason\n"
                    "D\x001,Ac\x00me\x07 Corp,10k,Glo\x1bbex,web\x00inar,q\x004 re\x7fnewal,"
                    "2026-09-01,2026-10-01,too\x00 pricey\x85\n", encoding="utf-8")
    assert import_file(db, "deals", path, team="T1", now=now).created == 1
    with db.transaction() as s:
        deal = s.scalars(select(Deal)).one()
        reasons = list(s.scalars(select(DealEvent.new_value).where(
            DealEvent.new_value.is_not(None))))
        found = (deal.external_id, deal.name, deal.company, deal.source, deal.tags,
                 deal.lost_reason)
    assert found == ("D1", "Acme Corp", "Globex", "webinar", ("q4", "renewal"), "too pricey")
    assert reasons == ["too pricey"]


def test_a_lead_file_with_nul_imports_without_it(db, now, tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text("id,name,company,source\nL1,Ja\x00ne Roe,Glo\x00bex,web\x00inar\n",
                    encoding="utf-8")
    assert import_file(db, "leads", path, team="T1", now=now).created == 1
    with db.transaction() as s:
        lead = s.scalars(select(Lead)).one()
        assert (lead.name, lead.company, lead.source) == ("Jane Roe", "Globex", "webinar")
