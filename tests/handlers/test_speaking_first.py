"""The bot speaks first: the person a deal or lead is given to by somebody else gets it by
direct message, and every win, however it was made, is celebrated once in the activity
channel (unless the workspace turned that off)."""

from __future__ import annotations

import pytest

from bot.slack_standin import text_of, validate_blocks
from handlers import ids

pytestmark = pytest.mark.usefixtures("db")


def dms(slack, user: str) -> list[str]:
    texts = []
    for call in slack.calls("chat.postMessage"):
        if call.body["channel"] == f"D{user}":
            blocks = call.body["blocks"]
            validate_blocks(blocks)
            texts.append(text_of(blocks))
    return texts


def activity(slack) -> list[str]:
    return [c.body["text"] for c in slack.calls("chat.postMessage") if c.body["channel"] == "C9"]


def with_activity_channel(driver) -> None:
    driver.one("settings channel <#C9|wins>", user="UADMIN")


# bad input first


@pytest.mark.parametrize("text", ["settings celebrate maybe", "settings celebrate",
                                  "settings celebrate on off"])
def test_a_celebration_setting_i_cannot_read_is_refused_and_changes_nothing(driver, text):
    reply = driver.one(text, user="UADMIN")
    assert reply.ephemeral and "/deal settings celebrate on|off" in reply.text
    assert "Wins celebrated there: on" in driver.one("settings").text


def test_only_admins_turn_celebrations_off(driver):
    assert "Only workspace admins" in driver.one("settings celebrate off").text
    assert "Wins celebrated there: on" in driver.one("settings").text


# giving a deal or lead to somebody else


def test_a_deal_given_to_somebody_else_is_sent_to_them_and_to_nobody_else(driver, slack):
    driver.one("new Acme 50k")
    driver.one("assign #1 <@U2|bob>")
    [told] = dms(slack, "U2")
    assert "<@U1> gave you this deal." in told and "#1 Acme" in told
    card = driver.one("show #1", user="U3")
    driver.click(card, ids.DEAL_ASSIGN_ME, user="U3")  # taking it oneself tells nobody
    assert dms(slack, "U3") == [] and len(dms(slack, "U2")) == 1


def test_a_new_deal_or_lead_made_for_somebody_else_is_sent_to_them(driver, slack):
    driver.one("new Acme 50k owner:<@U2|bob>")
    driver.one("new Globex 5k")
    driver.one("add Jane Roe owner:<@U3|cat>", command="/lead")
    assert len(dms(slack, "U2")) == 1 and dms(slack, "U1") == []
    [lead] = dms(slack, "U3")
    assert "<@U1> gave you this lead." in lead and "Jane Roe" in lead


def test_an_owner_changed_in_the_edit_form_is_told_and_other_edits_tell_nobody(driver, slack):
    card = driver.one("new Acme 50k")
    driver.click(card, ids.DEAL_EDIT)
    driver.submit(driver.opened_view(), {ids.DEAL_FORM_NAME: {
        ids.DEAL_FORM_NAME: {"value": "Acme Group"}}})
    driver.click(driver.one("show #1"), ids.DEAL_EDIT)
    driver.submit(driver.opened_view(), {ids.DEAL_FORM_OWNER: {
        ids.DEAL_FORM_OWNER: {"selected_user": "U5"}}})
    [told] = dms(slack, "U5")
    assert "<@U1> gave you this deal." in told and "Acme Group" in told


def test_a_lead_converted_into_a_deal_for_somebody_else_is_sent_to_them(driver, slack):
    driver.one("add Jane Roe", command="/lead")
    driver.one("convert Jane 20k owner:<@U2|bob>", command="/lead")
    [told] = dms(slack, "U2")
    assert "<@U1> gave you this deal." in told and "Jane Roe" in told


# wins


def test_a_win_is_celebrated_with_who_its_value_and_the_days_it_took(driver, slack, clock):
    with_activity_channel(driver)
    driver.one("new Acme 50k")
    clock.advance(days=12)
    driver.one("won #1", user="U2")
    assert activity(slack) == [
        ":tada: <@U2> won *#1 Acme* ($50,000), 12 days after it was created! :trophy:"]


@pytest.mark.parametrize("where", ["ephemeral card", "home tab", "stage picker"])
def test_a_win_from_any_surface_is_celebrated_once_like_the_command(driver, slack, where):
    with_activity_channel(driver)
    driver.one("new Acme 50k")
    if where == "home tab":
        home = driver.open_home()
        won = next(e["action_id"] for b in home["blocks"] for e in b.get("elements", [])
                   if e["action_id"].startswith(ids.DEAL_WON))
        driver.click_view(home, won)
    elif where == "ephemeral card":
        driver.click(driver.one("show #1"), ids.DEAL_WON)
    else:
        card = driver.one("show #1")
        won = next(o["value"] for b in card.blocks for e in b.get("elements", [])
                   if e.get("action_id") == ids.DEAL_PICK_STAGE for o in e["options"]
                   if o["text"]["text"] == "Won")
        driver.click(card, ids.DEAL_PICK_STAGE, selected_option_value=won)
    assert activity(slack) == [
        ":tada: <@U1> won *#1 Acme* ($50,000), the day it was created! :trophy:"]


def test_with_celebrations_off_a_win_is_told_as_a_plain_move(driver, slack, clock):
    with_activity_channel(driver)
    assert "no longer celebrated" in driver.one("settings celebrate off", user="UADMIN").text
    driver.one("new Acme 50k")
    clock.advance(days=1)
    driver.one("won #1")
    assert activity(slack) == [":arrow_right: <@U1> moved *#1 Acme* ($50,000) from Prospecting "
                               "to Won"]
    assert "Wins celebrated there: off" in driver.one("settings").text
    assert "are celebrated" in driver.one("settings celebrate on", user="UADMIN").text
