"""The global shortcuts New deal and New lead: each opens its create form, as Slack sends
a `shortcut` (no channel, no response_url); the card goes to the person's direct messages."""

from __future__ import annotations

import pytest

from bot.slack_standin import text_of
from handlers import ids

pytestmark = pytest.mark.usefixtures("db")


def text(block_id: str, value: str) -> dict:
    return {block_id: {block_id: {"value": value}}}


def test_new_deal_opens_the_create_form_and_the_card_comes_in_a_direct_message(driver, slack):
    driver.global_shortcut(ids.SHORTCUT_NEW_DEAL, user="U2")
    view = driver.opened_view()
    assert view["callback_id"] == ids.DEAL_CREATE_MODAL
    assert driver.submit(view, {**text(ids.DEAL_FORM_NAME, "Acme"),
                                **text(ids.DEAL_FORM_VALUE, "50k")}, user="U2") == {}
    [posted] = slack.calls("chat.postMessage")
    assert posted.body["channel"] == "U2"
    assert "#1 Acme" in text_of(posted.body["blocks"])
    assert "$50,000" in driver.one("show #1").text


def test_new_lead_opens_the_lead_form_with_the_funnel_stages_a_person_may_pick(driver):
    driver.global_shortcut(ids.SHORTCUT_NEW_LEAD)
    view = driver.opened_view()
    assert view["callback_id"] == ids.LEAD_CREATE_MODAL
    stage = next(b for b in view["blocks"] if b["block_id"] == ids.LEAD_FORM_STAGE)["element"]
    assert [o["value"] for o in stage["options"]] == [
        "Awareness", "Interest", "Consideration", "Engagement"]  # never Conversion by hand
    owner = next(b for b in view["blocks"] if b["block_id"] == ids.LEAD_FORM_OWNER)["element"]
    assert owner == {"type": "users_select", "initial_user": "U1",
                     "action_id": ids.LEAD_FORM_OWNER}


def test_a_new_lead_is_added_from_the_form_and_its_card_sent_to_its_author_and_owner(
        driver, slack):
    driver.global_shortcut(ids.SHORTCUT_NEW_LEAD)
    values = {**text(ids.LEAD_FORM_NAME, "Jane Roe"), **text(ids.LEAD_FORM_COMPANY, "Globex"),
              **text(ids.LEAD_FORM_SOURCE, "Webinar"),
              **text(ids.LEAD_FORM_CONTACT, "jane@globex.test"),
              **text(ids.LEAD_FORM_TAGS, "#q4 renewal"),
              ids.LEAD_FORM_STAGE: {ids.LEAD_FORM_STAGE: {
                  "selected_option": {"value": "Interest"}}},
              ids.LEAD_FORM_OWNER: {ids.LEAD_FORM_OWNER: {"selected_user": "U3"}}}
    assert driver.submit(driver.opened_view(), values) == {}
    posted, told = slack.calls("chat.postMessage")
    assert (posted.body["channel"], told.body["channel"]) == ("U1", "DU3")  # U3 was given it
    shown = driver.one("show #1", command="/lead").text
    for part in ("Jane Roe", "Globex", "Interest", "webinar", "<@U3>", "jane@globex.test",
                 "#q4", "#renewal"):
        assert part in shown, part


def test_a_bad_field_in_the_lead_form_is_shown_on_it_and_nothing_is_added(driver, slack):
    driver.global_shortcut(ids.SHORTCUT_NEW_LEAD)
    answer = driver.submit(driver.opened_view(), {**text(ids.LEAD_FORM_NAME, "Jane"),
                                                  **text(ids.LEAD_FORM_CONTACT, "call me")})
    assert answer["response_action"] == "errors"
    assert "neither an email address nor a phone number" in answer["errors"][
        ids.LEAD_FORM_CONTACT]
    assert slack.calls("chat.postMessage") == []
    assert "no lead" in driver.one("show #1", command="/lead").text.lower()


@pytest.mark.parametrize("kind", ["deal", "lead"])
def test_a_card_slack_took_without_answering_still_tells_the_new_owner(driver, slack, kind):
    """The author's card is posted after the form closed; when that post's connection drops
    (Slack may have posted it), the record is saved and the person it was given to still
    hears of it."""
    shortcut, name, owner = ((ids.SHORTCUT_NEW_DEAL, ids.DEAL_FORM_NAME, ids.DEAL_FORM_OWNER)
                             if kind == "deal" else
                             (ids.SHORTCUT_NEW_LEAD, ids.LEAD_FORM_NAME, ids.LEAD_FORM_OWNER))
    driver.global_shortcut(shortcut)
    slack.drop("api", "chat.postMessage")
    values = {**text(name, "Acme"), owner: {owner: {"selected_user": "U3"}}}
    assert driver.submit(driver.opened_view(), values) == {}
    posted, told = slack.calls("chat.postMessage")
    assert (posted.body["channel"], told.body["channel"]) == ("U1", "DU3")
    assert "Acme" in driver.one("show #1", command=f"/{kind}").text
