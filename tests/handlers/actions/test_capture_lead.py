"""The Add to lead message shortcut: the same capture as Add to deal, with a type-ahead lead
picker; the note keeps the message's link and author in the lead's history and in
`dealbot export events`."""

from __future__ import annotations

import io
import json

import pytest

from bot.imports.exporter import export
from bot.slack_standin import text_of, user_message
from handlers import ids
from storage.deals.views import MessageSource
from storage.leads import queries as lead_queries

pytestmark = pytest.mark.usefixtures("db")
LINK = "https://acme.slack.com/archives/C1/p1700000000000200"


def lead(driver, text: str):
    return driver.one(text, command="/lead")


def test_add_to_lead_logs_the_message_on_the_lead_picked_by_typing(db, driver):
    lead(driver, "add Jane Roe (Globex)")
    lead(driver, "add Janet Doe")
    lead(driver, "drop Janet Doe")
    name = driver.shortcut_on(user_message(text="Jane asked for a demo next week"),
                              ids.SHORTCUT_ADD_TO_LEAD)
    view = driver.updated_view()
    assert view["callback_id"] == ids.LEAD_CAPTURE_MODAL
    picker = next(b for b in view["blocks"] if b.get("block_id") == ids.PICK_LEAD)
    assert picker["element"]["type"] == "external_select" and picker["label"]["text"] == "Lead"
    offered = driver.suggest(view, ids.PICK_LEAD, "jan")
    assert [o["text"]["text"] for o in offered] == ["#1 Jane Roe · Awareness",
                                                    "#2 Janet Doe · Dropped"]
    assert driver.submit(view, {ids.PICK_LEAD: {ids.PICK_LEAD: {
        "selected_option": offered[0]}}}) == {}
    with db.transaction() as s:
        _, events = lead_queries.lead_history(s, team="T1", number=1)
    note = events[-1]
    assert (note.kind, note.new_value, note.actor) == (
        "note", "Jane asked for a demo next week", "U1")
    assert note.source == MessageSource(LINK, "U2")
    [reply] = driver.replies(name)
    assert reply.ephemeral and "Logged on lead #1" in reply.text and "Jane Roe" in reply.text
    assert f"from <{LINK}|a message> by <@U2>" in text_of(reply.blocks)
    assert f"from <{LINK}|a message> by <@U2>" in lead(driver, "history #1").text
    out = io.StringIO()
    export(db, "events", out, team="T1", fmt="jsonl")
    [row] = [r for r in map(json.loads, out.getvalue().splitlines()) if r["kind"] == "note"]
    assert (row["record"], row["id"], row["source_url"], row["source_author"]) == (
        "lead", "#1", LINK, "U2")


def test_a_picked_value_that_is_no_lead_number_is_refused_and_logs_nothing(db, driver):
    lead(driver, "add Jane Roe")
    driver.shortcut_on(user_message(text="Hello"), ids.SHORTCUT_ADD_TO_LEAD)
    forged = {"text": {"type": "plain_text", "text": "Jane"}, "value": "jane"}
    answer = driver.submit(driver.updated_view(),
                           {ids.PICK_LEAD: {ids.PICK_LEAD: {"selected_option": forged}}})
    assert answer == {"response_action": "errors",
                      "errors": {ids.PICK_LEAD: "Pick the lead to log this message on."}}
    with db.transaction() as s:
        _, events = lead_queries.lead_history(s, team="T1", number=1)
    assert [e.kind for e in events] == ["created"]


def test_a_lead_gone_meanwhile_is_refused_on_the_picker(db, driver):
    lead(driver, "add Jane Roe")
    driver.shortcut_on(user_message(text="Hello"), ids.SHORTCUT_ADD_TO_LEAD)
    view = driver.updated_view()
    forged = {"text": {"type": "plain_text", "text": "#9 Nobody · Awareness"}, "value": "9"}
    answer = driver.submit(view, {ids.PICK_LEAD: {ids.PICK_LEAD: {"selected_option": forged}}})
    assert answer["response_action"] == "errors" and "#9" in answer["errors"][ids.PICK_LEAD]
