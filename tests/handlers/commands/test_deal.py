"""`/deal` through the real Bolt app: signed requests in, what reached Slack out."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("db")


def test_a_new_deal_is_shown_as_a_card_in_the_channel(driver):
    reply = driver.one("new Acme 50k")
    assert not reply.ephemeral
    assert "#1 Acme" in reply.text and "Prospecting" in reply.text and "$50,000" in reply.text
    labels = reply.text
    for label in ("→ Qualification", "Won", "Lost", "Assign to me", "Add note", "Edit"):
        assert label in labels


def test_new_takes_stage_close_owner_and_tags(driver):
    reply = driver.one("new Globex Corp 1.2m stage:meeting close:2026-12-18 owner:<@U2|bob> "
                       "#q4 #big")
    text = reply.text
    assert "#1 Globex Corp" in text and "Meeting" in text and "$1,200,000" in text
    assert "<@U2>" in text and "Fri 18 Dec 2026" in text and "#big" in text and "#q4" in text


def test_move_then_show_tells_the_new_stage_and_value(driver):
    driver.one("new Acme 50k")
    moved = driver.one("move Acme proposal")
    assert "Proposal" in moved.text and "moved this from Prospecting to Proposal" in moved.text
    shown = driver.one("show #1")
    assert shown.ephemeral and "Proposal" in shown.text and "$50,000" in shown.text


def test_every_change_subcommand_updates_the_card(driver):
    driver.one("new Acme 50k")
    assert "<@U7>" in driver.one("assign Acme <@U7|zed>").text
    assert "$75,000" in driver.one("value Acme 75k").text
    assert "*Expected close*\nMon 30 Nov 2026" in driver.one("close Acme end of month").text
    assert "35% (own)" in driver.one("probability Acme 35").text
    assert "10%" in driver.one("probability Acme stage").text
    noted = driver.one("note Acme called Jane, demo went well")
    assert "called Jane, demo went well" in noted.text and "never" not in noted.text
    nxt = driver.one("next Acme send the proposal due:2026-11-27")
    assert "send the proposal (due Fri 27 Nov 2026)" in nxt.text


def test_a_value_change_is_told_as_money_on_the_card_and_in_the_history(driver):
    driver.one("new Acme 50k")
    assert "changed the value of this to $75,500" in driver.one("value Acme 75.5k").text
    assert "changed the value of it to $75,500" in driver.one("history Acme").text


def test_won_lost_and_reopen(driver):
    driver.one("new Acme 50k")
    driver.one("new Globex 10k")
    assert "WON" in driver.one("won Acme").text
    lost = driver.one("lost Globex reason: chose a competitor")
    assert "LOST — chose a competitor" in lost.text
    reopened = driver.one("reopen #2")
    assert "Prospecting" in reopened.text


def test_list_is_ephemeral_and_filters(driver):
    driver.one("new Acme 50k #q4")
    driver.one("new Globex 10k", user="U2")
    listed = driver.one("list mine")
    assert listed.ephemeral and "Acme" in listed.text and "Globex" not in listed.text
    assert "Acme" in driver.one("list #q4").text
    assert "No deals match" in driver.one("list won").text


def test_history_lists_every_change_with_who_did_it(driver):
    driver.one("new Acme 50k")
    driver.one("move Acme meeting", user="U2")
    history = driver.one("history Acme")
    assert history.ephemeral
    assert "<@U1> created it in Prospecting" in history.text
    assert "<@U2> moved it from Prospecting to Meeting" in history.text


def test_help_is_ephemeral_and_shows_every_subcommand(driver):
    for text in ("help", ""):
        reply = driver.one(text)
        assert reply.ephemeral
        for word in ("/deal new", "/deal move", "/deal won", "/deal lost", "/deal list",
                     "/deal note", "/deal next", "/deal history", "/deal stages"):
            assert word in reply.text


def test_stages_are_shown_and_admins_can_rename_them(driver):
    assert "Prospecting" in driver.one("stages").text
    renamed = driver.one("stages rename meeting Discovery", user="UADMIN")
    assert "Discovery" in renamed.text and "Meeting" not in renamed.text


def test_after_a_rename_on_any_instance_of_the_app_the_next_card_shows_the_new_name(
        driver, other_driver):
    driver.one("new Acme 50k")
    assert "→ Qualification" in str(driver.one("show Acme").blocks)
    other_driver.one("stages rename qualification Discovery", user="UADMIN")
    card = str(driver.one("show Acme").blocks)
    assert "→ Discovery" in card and "Qualification" not in card
    driver.one("stages rename discovery Qualified", user="UADMIN")
    moved = driver.one("move Acme qualified")
    assert "*Stage*\\nQualified" in str(moved.blocks) and "Discovery" not in str(moved.blocks)


# Bad input: an ephemeral answer that names the problem, shows the form, and changes nothing.

def _unchanged(driver):
    listed = driver.one("list")
    return listed.text


BAD_INPUT = [
    ("frobnicate Acme", "is not something I know"),
    ("move", "Something is missing"),
    ("move Acme", "Tell me the deal and the stage"),
    ("move Nothing proposal", "No deal matches `Nothing`"),
    ("move Acme nowhere", "There is no stage called `nowhere`"),
    ("move Acme prospecting", "already in Prospecting"),
    ("new Acme 50x", None),
    ("new Acme -5k", "negative"),
    ("new Acme 2000000000000", "too large"),
    ("new Acme 50k EUR", "EUR"),
    ("new Acme close:2026-02-30", "there is no 30 February 2026"),
    ("new Acme close:31.02.2027", "there is no 31 February 2027"),
    ("new Fjord 50 000 kr", "counts in USD"),
    ("new Acme close:2099-01-01", "too far"),
    ("new " + "x" * 201, "at most 200 characters"),
    ("new #q4", "A deal needs a name"),  # bare `/deal new` opens the form (issue 3)
    ("note Acme " + "y" * 3001, "at most 3,000 characters"),
    ("assign Acme @bob", "is not a mention of a Slack user"),
    ("value Acme lots", "is not an amount"),
    ("probability Acme 150", None),
    ("close Acme someday", None),
    ("show #99", "There is no deal #99"),
]


@pytest.mark.parametrize(("text", "words"), BAD_INPUT)
def test_bad_input_gets_a_specific_ephemeral_answer_and_changes_nothing(driver, text, words):
    driver.one("new Acme 50k")
    before = driver.one("history #1").text
    reply = driver.one(text)
    assert reply.ephemeral, reply.body
    assert ":warning:" in reply.text
    if words:
        assert words in reply.text
    assert driver.one("history #1").text == before
    assert driver.one("list").text.count("Acme") == 1


def test_a_bad_amount_shows_the_right_form_with_an_example(driver):
    reply = driver.one("new Acme 50x")
    assert "50k" in reply.text or "50000" in reply.text


def test_several_matches_are_offered_to_pick_from(driver):
    driver.one("new Acme North 1k")
    driver.one("new Acme South 2k")
    reply = driver.one("won acme")
    assert reply.ephemeral and "#1" in reply.text and "#2" in reply.text
    assert "Acme North" in reply.text and "Acme South" in reply.text


def test_changing_a_won_deal_is_refused_and_says_how_to_reopen(driver):
    driver.one("new Acme 50k")
    driver.one("won Acme")
    for text in ("move Acme proposal", "value Acme 5k", "lost Acme"):
        reply = driver.one(text)
        assert reply.ephemeral and "/deal reopen #1" in reply.text


def test_non_admins_cannot_change_stages(driver):
    reply = driver.one("stages rename meeting Discovery", user="U1")
    assert reply.ephemeral and "Only workspace admins" in reply.text
    assert "Meeting" in driver.one("stages").text


def test_workspace_admins_from_slack_may_change_stages(driver, slack):
    slack.users["U5"] = {"id": "U5", "is_admin": True, "tz": "Europe/Oslo"}
    assert "Discovery" in driver.one("stages rename meeting Discovery", user="U5").text


@pytest.mark.parametrize("name", [
    "<!channel> Big deal", "Robert'); DROP TABLE deals;--", "$(rm -rf /) & <b>x</b>",
    "שלום עולם", "Ærlig AS 🚀",
])
def test_names_with_markup_are_stored_verbatim_and_shown_escaped(driver, name):
    from handlers.blocks.format import escape

    slack_text = escape(name)  # Slack sends &, <, > escaped in command text
    card = driver.one(f"new {slack_text} 5k")
    assert escape(name) in card.text
    assert "<!channel>" not in str(card.blocks)
    shown = driver.one("show #1")
    assert escape(name) in shown.text


def test_another_workspace_cannot_see_or_change_this_workspaces_deals(driver):
    driver.one("new Acme 50k", team="T1")
    reply = driver.one("move #1 proposal", team="T2")
    assert reply.ephemeral and "There is no deal #1" in reply.text
    assert "Prospecting" in driver.one("show #1", team="T1").text


def test_what_the_user_typed_is_escaped_in_error_answers_and_usage(driver):
    reply = driver.one("show &lt;!channel&gt;")
    assert "&lt;!channel&gt;" in reply.text and "<!channel>" not in str(reply.blocks)
    usage = driver.one("move Acme")
    assert "&lt;deal&gt;" in usage.text and "<deal>" not in str(usage.blocks)
