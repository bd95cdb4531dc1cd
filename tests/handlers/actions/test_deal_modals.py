"""The deal's modals (Lost, Add note, Edit, create) and the activity channel: opened from
what the app rendered, submitted as Slack submits them, errors shown on the field."""

from __future__ import annotations

import pytest

from bot.slack_standin import text_of
from handlers import ids

pytestmark = pytest.mark.usefixtures("db")
F = ids


def field(block_id: str, value: str) -> dict:
    return {block_id: {block_id: {"value": value}}}


def open_modal(driver, card, action_id: str, **kwargs) -> dict:
    assert driver.click(card, action_id, **kwargs) == []  # the answer is the modal
    return driver.opened_view()


def last_card(slack) -> dict:
    return slack.responses()[-1].body


def test_lost_without_a_reason_is_refused_on_the_field_and_changes_nothing(driver):
    card = driver.one("new Acme 50k")
    answer = driver.submit(open_modal(driver, card, ids.DEAL_LOST), {})
    assert answer["response_action"] == "errors"
    assert "reason" in answer["errors"][ids.DEAL_LOST_REASON_BLOCK]
    assert "Prospecting" in driver.one("show #1").text


def test_lost_offers_the_workspaces_recent_reasons(driver, slack):
    driver.one("new Old deal 5k")
    driver.one("lost #1 reason: budget cut")
    card = driver.one("new Acme 50k")
    view = open_modal(driver, card, ids.DEAL_LOST)
    assert "budget cut" in text_of(view["blocks"])
    driver.submit(view, {ids.DEAL_LOST_PICK_BLOCK: {ids.DEAL_LOST_PICK_BLOCK: {
        "selected_option": {"value": "budget cut"}}}})
    assert "LOST — budget cut" in text_of(last_card(slack)["blocks"])


def test_a_deal_changed_while_the_lost_form_was_open_is_not_overwritten(driver):
    card = driver.one("new Acme 50k")
    view = open_modal(driver, card, ids.DEAL_LOST)
    driver.one("move #1 proposal", user="U2")
    answer = driver.submit(view, field(ids.DEAL_LOST_REASON_BLOCK, "too pricey"))
    assert "changed while the form was open" in answer["errors"][ids.DEAL_LOST_REASON_BLOCK]
    assert "Proposal" in driver.one("show #1").text


def test_lost_on_an_out_of_date_card_redraws_it_instead_of_asking(driver, slack):
    card = driver.one("new Acme 50k")
    driver.one("move #1 proposal", user="U2")
    replies = driver.click(card, ids.DEAL_LOST)
    assert replies[0].replaces_original and "Proposal" in replies[0].text
    assert slack.calls("views.open") == []


def test_add_note_takes_3000_characters_and_sets_the_last_contact(driver, slack, clock):
    card = driver.one("new Acme 50k")
    clock.advance(hours=3)
    view = open_modal(driver, card, ids.DEAL_ADD_NOTE)
    assert driver.submit(view, field(ids.DEAL_NOTE_BLOCK, "n" * 3000)) == {}
    redrawn = text_of(last_card(slack)["blocks"])
    assert "Last contact*\nnever" not in redrawn and "logged a contact" in redrawn
    too_long = driver.submit(view, field(ids.DEAL_NOTE_BLOCK, "n" * 3001))
    assert "at most 3,000" in too_long["errors"][ids.DEAL_NOTE_BLOCK]


def test_edit_changes_every_field_and_redraws_the_card(driver, slack):
    card = driver.one("new Acme 50k")
    view = open_modal(driver, card, ids.DEAL_EDIT)
    assert driver.submit(view, {
        **field(F.DEAL_FORM_NAME, "Acme Group"), **field(F.DEAL_FORM_VALUE, "75k"),
        F.DEAL_FORM_CLOSE: {F.DEAL_FORM_CLOSE: {"selected_date": "2026-12-04"}},
        F.DEAL_FORM_OWNER: {F.DEAL_FORM_OWNER: {"selected_user": "U5"}},
        **field(F.DEAL_FORM_NEXT, "send the proposal"),
        F.DEAL_FORM_DUE: {F.DEAL_FORM_DUE: {"selected_date": "2026-11-27"}},
        **field(F.DEAL_FORM_TAGS, "#q4, renewal")}) == {}
    assert "edited this" in text_of(last_card(slack)["blocks"])
    shown = driver.one("show #1").text
    for expected in ("Acme Group", "$75,000", "Fri 4 Dec 2026", "<@U5>",
                     "send the proposal (due Fri 27 Nov 2026)", "`#q4` `#renewal`"):
        assert expected in shown


def test_edit_shows_each_problem_beside_its_field_and_saves_nothing(driver):
    card = driver.one("new Acme 50k")
    view = open_modal(driver, card, ids.DEAL_EDIT)
    answer = driver.submit(view, {**field(F.DEAL_FORM_NAME, "N" * 201),
                                  **field(F.DEAL_FORM_VALUE, "lots"),
                                  **field(F.DEAL_FORM_TAGS, "#12")})
    errors = answer["errors"]
    assert "at most 200" in errors[F.DEAL_FORM_NAME]
    assert "not an amount" in errors[F.DEAL_FORM_VALUE]
    assert "number" in errors[F.DEAL_FORM_TAGS]
    assert "$50,000" in driver.one("show #1").text


def test_edit_keeps_the_longest_name(driver, slack):
    card = driver.one("new Acme 50k")
    view = open_modal(driver, card, ids.DEAL_EDIT)
    assert driver.submit(view, field(F.DEAL_FORM_NAME, "N" * 200)) == {}
    assert "N" * 200 in text_of(last_card(slack)["blocks"])


def test_deal_new_without_arguments_opens_a_form_that_posts_the_card(driver, slack):
    assert driver.command("new") == []
    view = driver.opened_view()
    assert view["callback_id"] == ids.DEAL_CREATE_MODAL
    bad = driver.submit(view, {**field(F.DEAL_FORM_NAME, "Acme"), **field(F.DEAL_FORM_VALUE, "-5")})
    assert "negative" in bad["errors"][F.DEAL_FORM_VALUE]
    assert driver.submit(view, {
        **field(F.DEAL_FORM_NAME, "Acme"), **field(F.DEAL_FORM_VALUE, "50k"),
        F.DEAL_FORM_STAGE: {F.DEAL_FORM_STAGE: {"selected_option": {"value": "Meeting"}}},
        **field(F.DEAL_FORM_NEXT, "call Jane")}) == {}
    posted = last_card(slack)
    assert posted["response_type"] == "in_channel"
    text = text_of(posted["blocks"])
    assert "Acme" in text and "Meeting" in text and "call Jane" in text and "$50,000" in text


def test_the_activity_channel_is_for_admins_to_set_and_hears_moves_wins_and_losses(driver, slack):
    refused = driver.one("settings channel <#C9|wins>")
    assert "Only workspace admins" in refused.text
    done = driver.one("settings channel <#C9|wins>", user="UADMIN")
    assert "<#C9>" in done.text
    card = driver.one("new Acme 50k")
    driver.click(card, ids.DEAL_ADVANCE, user="U2")
    driver.one("won #1")
    driver.one("new Globex 5k")
    driver.one("lost #2 reason: no budget")
    lines = [c.body["text"] for c in slack.calls("chat.postMessage") if c.body["channel"] == "C9"]
    assert lines[0].startswith(":arrow_right: <@U2> moved *#1 Acme*")
    assert lines[1].startswith(":tada: <@U1> won *#1 Acme* ($50,000)")
    assert lines[2] == ":x: <@U1> lost *#2 Globex* ($5,000) — no budget"
    assert len(lines) == 3  # creating a deal is not a stage change
    assert "Activity channel: <#C9>" in driver.one("settings").text
