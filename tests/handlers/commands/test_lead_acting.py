"""Acting on leads through the real Bolt app: last contact, next action, owner, stale leads
and a company's leads."""

from __future__ import annotations

import pytest

from handlers import ids

pytestmark = pytest.mark.usefixtures("db")


def lead(driver, text, **kwargs):
    return driver.one(text, command="/lead", **kwargs)


def test_a_note_is_the_last_contact_on_the_card_show_and_list(driver, clock):
    card = lead(driver, "add Jane Roe (Globex)")
    assert "*Last contact*\nnever" in card.text
    assert "no contact yet, added today" in lead(driver, "list").text
    noted = lead(driver, "note Jane asked for a demo")
    assert not noted.ephemeral and "<!date^" in noted.text.split("*Last contact*")[1]
    clock.advance(days=3)
    assert "(3 days ago)" in lead(driver, "show Jane").text
    assert "last contact 3 days ago" in lead(driver, "list").text


def test_next_action_with_a_due_date_shows_on_the_card_and_in_the_history(driver):
    lead(driver, "add Jane Roe")
    reply = lead(driver, "next Jane Roe send the case study due:2026-12-04")
    assert not reply.ephemeral
    assert "send the case study (due Fri 4 Dec 2026)" in reply.text
    assert "<@U1> set the next action: send the case study" in reply.text
    assert "Next: send the case study (due Fri 4 Dec 2026)" in lead(driver, "list").text
    assert "set the next action: send the case study" in lead(driver, "history #1").text


def test_assign_gives_the_lead_to_someone_else(driver):
    lead(driver, "add Jane Roe")
    reply = lead(driver, "assign Jane <@U2|bob>")
    assert not reply.ephemeral and "<@U1> assigned this to <@U2>" in reply.text
    assert "Jane Roe" in lead(driver, "list mine", user="U2").text
    assert "No leads match" in lead(driver, "list mine").text


def test_stale_lists_the_leads_nobody_contacted_within_the_limit(driver, clock):
    lead(driver, "add Jane Roe")
    lead(driver, "add Bob Smith")
    clock.advance(days=10)
    lead(driver, "note Bob called him")
    clock.advance(days=5)
    stale = lead(driver, "list stale")
    assert stale.ephemeral and "Jane Roe" in stale.text and "Bob" not in stale.text
    assert "added 15 days ago" in stale.text
    assert "No leads match" in lead(driver, "list STALE <@U2|bob>").text


def test_a_companys_leads_are_listed_together_whatever_the_case(driver):
    lead(driver, "add Jane Roe (Globex)")
    lead(driver, "add John Doe (globex)")
    lead(driver, "add Ann Lee (Initech)")
    listed = lead(driver, "list company:GLOBEX")
    assert "Jane Roe" in listed.text and "John Doe" in listed.text and "Ann" not in listed.text
    assert "2 leads" in listed.text


def test_add_note_on_the_card_logs_a_contact_and_redraws_it(driver, slack):
    card = lead(driver, "add Jane Roe")
    lead(driver, "move Jane interest")  # the card is out of date; a note overwrites nothing
    assert driver.click(card, ids.LEAD_ADD_NOTE) == []
    view = driver.opened_view()
    assert driver.submit(view, {ids.LEAD_NOTE_BLOCK: {ids.LEAD_NOTE_BLOCK: {
        "type": "plain_text_input", "value": "   "}}})["response_action"] == "errors"
    assert "logged a contact" not in lead(driver, "history #1").text
    assert driver.submit(view, {ids.LEAD_NOTE_BLOCK: {ids.LEAD_NOTE_BLOCK: {
        "type": "plain_text_input", "value": "called, wants a demo"}}}) == {}
    assert "logged a contact: “called, wants a demo”" in lead(driver, "history #1").text
    assert "(today)" in lead(driver, "show #1").text
