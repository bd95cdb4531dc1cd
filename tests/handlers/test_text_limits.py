"""Every text field has one length limit, the same in commands, modals and imports, checked
before anything is written, with a message naming the field and the limit; control
characters (NUL among them, which PostgreSQL refuses) are removed on every path. A database
error is never what a user sees."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.slack_standin import text_of
from handlers import ids
from storage import text_fields as fields
from storage.kinds import EventKind
from storage.models import Deal, DealEvent

pytestmark = pytest.mark.usefixtures("db")

LONG = "y" * 10_000
TAGS = " ".join(f"#t{i:02d}{'x' * 35}" for i in range(20))  # 20 tags of 38: 779 together


def too_long(field: fields.TextField, has: int = 10_000) -> str:
    return f"{field.what} can be at most {field.limit:,} characters; this one has {has:,}."


DEAL_COMMANDS = [
    ("new " + LONG + " 5k", too_long(fields.DEAL_NAME)),
    ("note Acme " + LONG, too_long(fields.NOTE)),
    ("next Acme " + LONG, too_long(fields.NEXT_ACTION)),
    ("lost Acme reason:" + LONG, too_long(fields.LOST_REASON)),
    ("new Globex #" + LONG, "is too long for a tag: the most is 40 characters."),
    ("new Globex " + TAGS, "The tags together can be at most 500 characters; these have 779."),
]
LEAD_COMMANDS = [
    ("add " + LONG, too_long(fields.LEAD_NAME)),
    ("add Jane Roe (" + LONG + ")", too_long(fields.COMPANY)),
    ("add Jane Roe contact:" + LONG, too_long(fields.CONTACT)),
    ("add Jane Roe source:" + LONG, too_long(fields.SOURCE)),
    ("note #1 " + LONG, too_long(fields.NOTE)),
    ("drop #1 reason:" + LONG, too_long(fields.DROP_REASON)),
]


@pytest.mark.parametrize(("text", "message"), DEAL_COMMANDS)
def test_a_deal_command_with_a_text_too_long_names_the_field_and_changes_nothing(
        driver, text, message):
    driver.one("new Acme 5k")
    before = driver.one("history Acme").text
    reply = driver.one(text)
    assert reply.ephemeral and message in reply.text, reply.text
    assert driver.one("history Acme").text == before
    assert "Globex" not in driver.one("list").text


@pytest.mark.parametrize(("text", "message"), LEAD_COMMANDS)
def test_a_lead_command_with_a_text_too_long_names_the_field_and_changes_nothing(
        driver, text, message):
    driver.one("add Jane Doe", command="/lead")
    before = driver.one("history #1", command="/lead").text
    reply = driver.one(text, command="/lead")
    assert reply.ephemeral and message in reply.text, reply.text
    assert driver.one("history #1", command="/lead").text == before
    assert "Roe" not in driver.one("list", command="/lead").text


def test_a_stage_name_too_long_is_refused_with_its_limit(driver):
    reply = driver.one("stages add " + "S" * 10_000, user="UADMIN")
    assert reply.ephemeral and too_long(fields.STAGE_NAME) in reply.text
    assert "SSS" not in driver.one("stages").text


def test_the_longest_texts_are_kept_whole(driver, db):
    driver.one("new " + "N" * 200 + " 5k")
    driver.one(f"next #1 {'x' * 500}")
    driver.one(f"note #1 {'n' * 3000}")
    driver.one(f"lost #1 reason:{'r' * 500}")
    with db.transaction() as s:
        deal = s.scalars(select(Deal)).one()
        note = s.scalar(select(DealEvent.new_value).where(DealEvent.kind == EventKind.NOTE))
    assert (deal.name, deal.next_action, deal.lost_reason) == ("N" * 200, "x" * 500, "r" * 500)
    assert note == "n" * 3000


CONTROLS = "\x00\x01\x07\x08\x0b\x0c\x1b\x1f\x7f\x85\x9f"


def notes(db) -> list[str | None]:
    with db.transaction() as s:
        return list(s.scalars(select(DealEvent.new_value).where(
            DealEvent.kind == EventKind.NOTE).order_by(DealEvent.id)))


def test_control_characters_in_commands_are_removed_and_nul_is_no_internal_error(driver, db):
    card = driver.one(f"new Ac{CONTROLS}me Corp\x00 5k #q\x00{CONTROLS}4")
    assert "*#1 Acme Corp*" in card.text and "`#q4`" in card.text
    driver.one(f"note Ac\x00me Corp first line\x00\nsecond\x1b[31m line{CONTROLS}")
    assert notes(db) == ["first line second[31m line"]
    driver.one("next #1 call\x00 Jane due:friday")
    driver.one("move Acme\x00 Corp proposal")
    assert "call Jane" in driver.one("show ac\x00me").text
    driver.one("lost #1 reason:too\x00 pricey\x07")
    assert "LOST — too pricey" in driver.one("show #1").text
    assert "No deals match" in driver.one("list #a\x00b").text


def test_control_characters_in_lead_commands_are_removed(driver):
    card = driver.one("add Ja\x00ne Roe (Glo\x07bex) source:web\x00inar "
                      "contact:ja\x00ne@globex.test", command="/lead")
    assert "Lead #1 Jane Roe" in card.text and "webinar" in card.text
    assert "jane@globex.test" in card.text
    driver.one("note #1 called\x00 back", command="/lead")
    assert "called back" in driver.one("history #1", command="/lead").text
    assert "Jane Roe" in driver.one("list source:web\x00inar", command="/lead").text


# --- Modals: the input's max_length is the field's limit, and the server checks it too ---

def field(block_id: str, value: str) -> dict:
    return {block_id: {block_id: {"value": value}}}


def opened(driver, card, action_id: str) -> dict:
    assert driver.click(card, action_id) == []
    return driver.opened_view()


def max_lengths(view: dict) -> dict[str, int]:
    return {block["block_id"]: block["element"]["max_length"] for block in view["blocks"]
            if block.get("element", {}).get("type") == "plain_text_input"
            and "max_length" in block["element"]}


@pytest.mark.parametrize(("action", "block", "limit"), [
    (ids.DEAL_ADD_NOTE, ids.DEAL_NOTE_BLOCK, fields.NOTE),
    (ids.DEAL_LOST, ids.DEAL_LOST_REASON_BLOCK, fields.LOST_REASON),
    (ids.DEAL_EDIT, ids.DEAL_FORM_NAME, fields.DEAL_NAME),
    (ids.DEAL_EDIT, ids.DEAL_FORM_NEXT, fields.NEXT_ACTION),
])
def test_a_deal_modal_refuses_a_text_too_long_on_its_field(driver, action, block, limit):
    card = driver.one("new Acme 5k")
    before = driver.one("history #1").text
    view = opened(driver, card, action)
    assert max_lengths(view)[block] == limit.limit
    answer = driver.submit(view, field(block, LONG))
    assert answer["response_action"] == "errors"
    assert f"at most {limit.limit:,} characters; this one has 10,000" in answer["errors"][block]
    assert driver.one("history #1").text == before


def test_the_edit_form_refuses_tags_too_long_together(driver):
    card = driver.one("new Acme 5k")
    answer = driver.submit(opened(driver, card, ids.DEAL_EDIT), field(ids.DEAL_FORM_TAGS, TAGS))
    assert "tags together can be at most 500" in answer["errors"][ids.DEAL_FORM_TAGS]
    assert "#t00" not in driver.one("show #1").text


def test_the_create_form_refuses_a_name_too_long(driver):
    assert driver.command("new") == []  # opens the create form
    view = driver.opened_view()
    answer = driver.submit(view, field(ids.DEAL_FORM_NAME, LONG))
    assert "at most 200 characters; this one has 10,000" in answer["errors"][ids.DEAL_FORM_NAME]
    assert "No deals" in driver.one("list").text


def test_the_drop_modal_refuses_a_reason_too_long(driver):
    card = driver.one("add Jane Doe", command="/lead")
    view = opened(driver, card, ids.LEAD_DROP)
    assert max_lengths(view)[ids.LEAD_DROP_REASON_BLOCK] == fields.DROP_REASON.limit
    answer = driver.submit(view, {ids.LEAD_DROP_REASON_BLOCK: {
        ids.LEAD_DROP_REASON: {"value": LONG}}})
    assert answer["errors"][ids.LEAD_DROP_REASON_BLOCK] == too_long(fields.DROP_REASON)
    assert "Awareness" in driver.one("show #1", command="/lead").text


def test_control_characters_in_modal_inputs_are_removed(driver, slack, db):
    card = driver.one("new Acme 5k")
    assert driver.submit(opened(driver, card, ids.DEAL_ADD_NOTE),
                         field(ids.DEAL_NOTE_BLOCK, "met\x00 Jane\r\nshe\x07 said yes")) == {}
    assert notes(db) == ["met Jane\nshe said yes"]
    card = driver.one("show #1")
    assert driver.submit(opened(driver, card, ids.DEAL_EDIT), {
        **field(ids.DEAL_FORM_NAME, "Acme\x00 Group"),
        **field(ids.DEAL_FORM_NEXT, "send\x1b offer")}) == {}
    assert "Acme Group" in driver.one("show #1").text
    card = driver.one("show #1")
    assert driver.submit(opened(driver, card, ids.DEAL_LOST),
                         field(ids.DEAL_LOST_REASON_BLOCK, "no\x00 budget")) == {}
    assert "LOST — no budget" in text_of(slack.responses()[-1].body["blocks"])
