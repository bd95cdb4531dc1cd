"""Clicks on the lead card: advance and the picker redraw it in place; old cards never win."""

from __future__ import annotations

import json

import pytest

from bot.slack_standin import submit_view, text_of, validate_view
from handlers import ids
from tests.driver import SIGNING_SECRET

pytestmark = pytest.mark.usefixtures("db")


def lead(driver, text, **kwargs):
    return driver.one(text, command="/lead", **kwargs)


def _option(reply, label):
    actions = next(b for b in reply.blocks if b["type"] == "actions")
    select = next(e for e in actions["elements"] if e["action_id"] == ids.LEAD_PICK_STAGE)
    return next(o["value"] for o in select["options"] if o["text"]["text"] == label)


def test_advance_moves_the_lead_and_updates_the_card_in_place(driver):
    card = lead(driver, "add Jane Roe")
    [updated] = driver.click(card, ids.LEAD_ADVANCE, user="U2")
    assert updated.replaces_original
    assert "Interest" in updated.text and "→ Consideration" in updated.text
    assert "<@U2> moved this from Awareness to Interest" in updated.text


def test_the_picker_moves_to_the_chosen_stage(driver):
    card = lead(driver, "add Jane Roe")
    [updated] = driver.click(card, ids.LEAD_PICK_STAGE,
                             selected_option_value=_option(card, "Engagement"))
    assert updated.replaces_original and "Engagement" in updated.text
    assert "Conversion" not in str(updated.blocks)  # nobody picks Conversion by hand


def test_a_click_on_an_out_of_date_card_redraws_it_and_says_so(driver):
    card = lead(driver, "add Jane Roe")
    lead(driver, "move Jane consideration", user="U2")
    replies = driver.click(card, ids.LEAD_ADVANCE)
    redrawn = next(r for r in replies if r.replaces_original)
    told = next(r for r in replies if not r.replaces_original)
    assert "Consideration" in redrawn.text
    assert told.ephemeral and "out of date" in told.text
    history = lead(driver, "history #1").text
    assert "to Interest" not in history and "to Consideration" in history


def _open_modal(driver, slack, card, action_id):
    assert driver.click(card, action_id) == []  # the answer is the modal, nothing else
    view = slack.calls("views.open")[-1].body["view"]
    validate_view(view)
    return view


def _submit(driver, view, values):
    request = submit_view(signing_secret=SIGNING_SECRET, view=view, values=values)
    response = driver.app.dispatch(request.to_bolt())
    assert response.status == 200, response.body
    return json.loads(response.body) if response.body else {}


def test_convert_opens_a_modal_whose_submission_creates_the_deal(driver, slack):
    card = lead(driver, "add Jane Roe (Globex) source:webinar")
    view = _open_modal(driver, slack, card, ids.LEAD_CONVERT)
    answer = _submit(driver, view, {
        ids.LEAD_CONVERT_VALUE_BLOCK: {ids.LEAD_CONVERT_VALUE: {"value": "20k"}},
        ids.LEAD_CONVERT_STAGE_BLOCK: {
            ids.LEAD_CONVERT_STAGE: {"selected_option": {"value": "Meeting"}}},
        ids.LEAD_CONVERT_OWNER_BLOCK: {ids.LEAD_CONVERT_OWNER: {"selected_user": "U3"}}})
    assert answer == {}
    posted = [r.body for r in slack.responses()][-2:]
    assert posted[0]["replace_original"] and "Engagement" in text_of(posted[0]["blocks"])
    deal_text = text_of(posted[1]["blocks"])
    assert "Meeting" in deal_text and "$20,000" in deal_text and "<@U3>" in deal_text
    assert "From lead #1 Jane Roe" in driver.one("show #1", command="/deal").text


def test_a_bad_value_in_the_convert_modal_is_shown_beside_it_and_converts_nothing(driver, slack):
    card = lead(driver, "add Jane Roe")
    view = _open_modal(driver, slack, card, ids.LEAD_CONVERT)
    answer = _submit(driver, view, {
        ids.LEAD_CONVERT_VALUE_BLOCK: {ids.LEAD_CONVERT_VALUE: {"value": "lots"}},
        ids.LEAD_CONVERT_STAGE_BLOCK: {
            ids.LEAD_CONVERT_STAGE: {"selected_option": {"value": "Meeting"}}},
        ids.LEAD_CONVERT_OWNER_BLOCK: {ids.LEAD_CONVERT_OWNER: {"selected_user": "U1"}}})
    assert answer["response_action"] == "errors"
    assert "not an amount" in answer["errors"][ids.LEAD_CONVERT_VALUE_BLOCK]
    assert "No deals match" in driver.one("list", command="/deal").text


def test_drop_asks_for_a_reason_and_redraws_the_card(driver, slack):
    card = lead(driver, "add Jane Roe")
    view = _open_modal(driver, slack, card, ids.LEAD_DROP)
    _submit(driver, view,
            {ids.LEAD_DROP_REASON_BLOCK: {ids.LEAD_DROP_REASON: {"value": "no budget"}}})
    redrawn = slack.responses()[-1].body
    assert redrawn["replace_original"] and "Dropped — no budget" in text_of(redrawn["blocks"])


def test_a_lead_card_posted_in_another_workspace_is_refused_even_when_the_number_exists(
        driver):
    card = lead(driver, "add Jane Roe")
    lead(driver, "add Kari Nordmann", team="T2")
    [answer] = driver.click(card, ids.LEAD_ADVANCE, team="T2", user="U9", posted_in="T1")
    assert answer.ephemeral and "another workspace" in answer.text
    assert "Awareness" in lead(driver, "show #1").text
    assert "Awareness" in lead(driver, "show #1", team="T2").text
