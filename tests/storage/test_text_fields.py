"""The text fields: one limit each, which every column the field is stored in can hold, and
one cleaning rule for every path."""

from __future__ import annotations

import pytest

from storage import text_fields as fields
from storage.errors import UsageError
from storage.models import Deal, Lead, Spend, Stage, table_of

STORED_IN = [
    (fields.DEAL_NAME, Deal, "name"), (fields.LEAD_NAME, Lead, "name"),
    (fields.COMPANY, Deal, "company"), (fields.COMPANY, Lead, "company"),
    (fields.CONTACT, Lead, "contact"), (fields.SOURCE, Deal, "source"),
    (fields.SOURCE, Lead, "source"), (fields.SOURCE, Spend, "source"),
    (fields.NEXT_ACTION, Deal, "next_action"), (fields.LOST_REASON, Deal, "lost_reason"),
    (fields.DROP_REASON, Lead, "drop_reason"), (fields.STAGE_NAME, Stage, "name"),
    (fields.RECORD_ID, Deal, "external_id"), (fields.RECORD_ID, Lead, "external_id"),
    (fields.RECORD_ID, Lead, "deal_ref"), (fields.OWNER, Deal, "owner"),
    (fields.OWNER, Lead, "owner"), (fields.TAGS, Deal, "tags"), (fields.TAGS, Lead, "tags"),
]


@pytest.mark.parametrize(("field", "model", "column"), STORED_IN)
def test_each_field_is_exactly_as_long_as_every_column_it_is_stored_in(field, model, column):
    assert table_of(model).c[column].type.length == field.limit


def test_a_text_too_long_is_refused_with_the_field_the_limit_and_its_length():
    with pytest.raises(UsageError) as refused:
        fields.DEAL_NAME.clean("x" * 10_000)
    assert refused.value.message == ("A deal name can be at most 200 characters; this one "
                                     "has 10,000.")
    assert fields.DEAL_NAME.clean("x" * 200) == "x" * 200


def test_control_characters_are_removed_and_one_line_fields_collapse_whitespace():
    typed = " Ac\x00me\x01\x08\x1b\x7f\x85\x9f \t\r\n Corp\x0b\x0c\ud800 "
    assert fields.DEAL_NAME.clean(typed) == "Acme Corp"
    assert fields.COMPANY.optional("\x00\x07 ") is None
    with pytest.raises(UsageError, match="needs a name"):
        fields.DEAL_NAME.required("\x00", "A deal needs a name.")


def test_a_note_keeps_its_lines_and_counts_after_cleaning():
    assert fields.NOTE.clean(" first\x00 line  \r\nsecond\rthird\x07\n\n") == (
        "first line\nsecond\nthird")
    assert fields.NOTE.clean("\x00" * 5000 + "n" * 3000) == "n" * 3000
