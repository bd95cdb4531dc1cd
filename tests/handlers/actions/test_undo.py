"""Undo through the real Bolt app: the **Undo** button under every confirmation of a change,
and `/deal undo` / `/lead undo`. Only the person who made the change takes it back, within 15
minutes, while nobody changed the record since; every refusal is ephemeral and changes
nothing."""

from __future__ import annotations

import pytest

from handlers import ids

pytestmark = pytest.mark.usefixtures("db")


def deal(driver, text, **kwargs):
    return driver.one(text, command="/deal", **kwargs)


def lead(driver, text, **kwargs):
    return driver.one(text, command="/lead", **kwargs)


def stage_of(reply) -> str:
    return next(f["text"].split("\n")[1] for b in reply.blocks for f in b.get("fields", [])
                if f["text"].startswith("*Stage*"))


def has_undo(reply) -> bool:
    return any(e.get("action_id") == ids.UNDO for b in reply.blocks
               for e in b.get("elements", []))


def test_win_then_undo_leaves_no_win_in_the_history_the_funnel_or_the_pipeline(driver, clock):
    lead(driver, "add Jane Roe")
    lead(driver, "convert Jane 20k")
    clock.advance(minutes=1)
    won = deal(driver, "won #1")
    assert has_undo(won) and "WON" in stage_of(won)
    clock.advance(minutes=2)
    [undone] = driver.click(won, ids.UNDO)
    assert undone.replaces_original
    assert stage_of(undone) == "Prospecting" and not has_undo(undone)
    assert "<@U1> undid a change to deal #1 Jane Roe: <@U1> moved it from Prospecting to Won" \
        in undone.text
    history = deal(driver, "history #1").text
    assert "Won" not in history and "created it in Prospecting" in history
    assert "Engagement" in stage_of(lead(driver, "show #1"))
    funnel = driver.one("", command="/funnel").text
    assert "Conversion | 0 |" in funnel and "🏆 0 won" in funnel
    pipeline = driver.one("", command="/pipeline").text
    assert "🏆 0 won ($0)" in pipeline and "⏪ 0 moved back" in pipeline
    assert "Prospecting | 1 |" in pipeline
    assert "WON" not in stage_of(deal(driver, "show #1"))


def test_a_second_click_on_undo_is_refused_and_changes_nothing(driver, clock):
    card = deal(driver, "new Acme 50k")
    moved = deal(driver, "move Acme proposal")
    [undone] = driver.click(moved, ids.UNDO)
    assert stage_of(undone) == "Prospecting"
    [again] = driver.click(moved, ids.UNDO)  # the card as it was before the first click
    assert again.ephemeral and not again.replaces_original
    assert "undone already, by <@U1>" in again.text
    assert stage_of(deal(driver, "show #1")) == "Prospecting"
    assert has_undo(card)


def test_only_the_author_may_undo_from_a_card_everyone_sees(driver):
    moved = (deal(driver, "new Acme 50k"), deal(driver, "move Acme proposal"))[1]
    [refused] = driver.click(moved, ids.UNDO, user="U2")
    assert refused.ephemeral and not refused.replaces_original
    assert "Only <@U1>, who made this change, can undo it." in refused.text
    assert stage_of(deal(driver, "show #1")) == "Proposal"


def test_undo_after_15_minutes_says_when_the_change_was_made(driver, clock):
    deal(driver, "new Acme 50k")
    moved = deal(driver, "move Acme proposal")
    clock.advance(minutes=15, seconds=1)
    [refused] = driver.click(moved, ids.UNDO)
    assert refused.ephemeral and "more than 15 minutes ago" in refused.text
    assert "<!date^" in refused.text  # when, in the reader's own zone
    late = deal(driver, "undo")
    assert late.ephemeral and "more than 15 minutes ago" in late.text
    assert stage_of(deal(driver, "show #1")) == "Proposal"


def test_undo_is_refused_naming_who_changed_the_deal_since_and_what(driver, clock):
    deal(driver, "new Acme 50k")
    moved = deal(driver, "move Acme proposal")
    clock.advance(minutes=1)
    deal(driver, "value Acme 75k", user="U2")
    [refused] = driver.click(moved, ids.UNDO)
    assert refused.ephemeral and not refused.replaces_original
    assert "Deal #1 Acme has changed since: <@U2> changed its value" in refused.text
    by_command = deal(driver, "undo")
    assert by_command.ephemeral and "<@U2> changed its value" in by_command.text
    shown = deal(driver, "show #1")
    assert stage_of(shown) == "Proposal" and "$75,000" in shown.text


def test_deal_undo_takes_back_the_latest_change_and_then_has_nothing(driver):
    deal(driver, "new Acme 50k")
    deal(driver, "move Acme proposal")
    undone = deal(driver, "undo")
    assert undone.ephemeral and "moved it from Prospecting to Proposal" in undone.text
    assert stage_of(undone) == "Prospecting"
    gone = deal(driver, "undo")
    assert gone.ephemeral and "undid the creation of deal #1 Acme: it is gone" in gone.text
    nothing = deal(driver, "undo")
    assert nothing.ephemeral and "no change to a deal that can be undone" in nothing.text
    assert "no deal" in deal(driver, "show #1").text.lower()
    assert "nothing after it" in deal(driver, "undo #1").text


def test_undo_of_a_conversion_by_button_removes_the_deal_and_puts_the_lead_back(driver):
    lead(driver, "add Jane Roe")
    converted = lead(driver, "convert Jane 20k")
    [undone] = driver.click(converted, ids.UNDO)
    assert undone.replaces_original
    assert "undid the creation of deal #1 Jane Roe: it is gone" in undone.text
    assert "Awareness" in stage_of(lead(driver, "show #1"))
    assert "0 deals" in driver.command("list")[0].body["text"]


def test_lead_undo_takes_back_the_latest_change_to_a_lead(driver):
    lead(driver, "add Jane Roe")
    deal(driver, "new Acme 50k")
    moved = lead(driver, "move Jane interest")
    assert has_undo(moved)
    undone = lead(driver, "undo")
    assert undone.ephemeral and "moved it from Awareness to Interest" in undone.text
    assert stage_of(lead(driver, "show #1")) == "Awareness"
    assert stage_of(deal(driver, "show #1")) == "Prospecting"


def test_card_clicks_and_forms_offer_undo_too(driver, slack):
    card = deal(driver, "new Acme 50k")
    [advanced] = driver.click(card, ids.DEAL_ADVANCE)
    assert has_undo(advanced)
    driver.click(advanced, ids.DEAL_EDIT)
    driver.submit(driver.opened_view(), {ids.DEAL_FORM_VALUE: {ids.DEAL_FORM_VALUE: {
        "value": "9"}}})
    edited = slack.responses()[-1].body
    from tests.driver import Reply
    edited_reply = Reply(edited)
    assert has_undo(edited_reply) and "$9" in edited_reply.text
    [undone] = driver.click(edited_reply, ids.UNDO)
    assert "$50,000" in undone.text and "Qualification" in stage_of(undone)


def test_an_undo_button_we_did_not_draw_changes_nothing(driver):
    moved = (deal(driver, "new Acme 50k"), deal(driver, "move Acme proposal"))[1]
    forged = [{**b, "elements": [{**e, "value": "x:deal:1"} for e in b["elements"]]}
              if b.get("block_id") == ids.UNDO_ACTIONS else b for b in moved.blocks]
    from tests.driver import Reply
    [refused] = driver.click(Reply({**moved.body, "blocks": forged}), ids.UNDO)
    assert refused.ephemeral and "not one I drew" in refused.text
    assert stage_of(deal(driver, "show #1")) == "Proposal"


def test_the_activity_channel_hears_that_a_win_was_taken_back(driver, slack):
    driver.one("settings channel <#C9|wins>", user="UADMIN")
    deal(driver, "new Acme 50k")
    won = deal(driver, "won #1")
    driver.click(won, ids.UNDO)
    deal(driver, "note #1 called")
    deal(driver, "undo")  # a note was never announced, nor is its undo
    lines = [c.body["text"] for c in slack.calls("chat.postMessage") if c.body["channel"] == "C9"]
    assert len(lines) == 2 and lines[0].startswith(":tada: <@U1> won *#1 Acme*")
    assert lines[1] == (":leftwards_arrow_with_hook: <@U1> took back a change to *#1 Acme*: "
                        "<@U1> moved it from Prospecting to Won.")


def test_a_change_made_in_the_home_tab_is_confirmed_on_top_of_it_with_undo(driver):
    deal(driver, "new Acme 50k")
    home = driver.open_home()
    advance = next(e["action_id"] for b in home["blocks"] for e in b.get("elements", [])
                   if e["action_id"].startswith(ids.DEAL_ADVANCE))
    driver.click_view(home, advance)
    moved = driver.home()
    text = str(moved["blocks"])
    assert "<@U1> moved this from Prospecting to Qualification" in text and ids.UNDO in text
    driver.click_view(moved, ids.UNDO, user="U2")  # someone else's click, on U1's tab
    assert "Only <@U1>, who made this change, can undo it." in str(driver.home("U2")["blocks"])
    driver.click_view(moved, ids.UNDO)
    undone = driver.home()
    assert "undid a change to deal #1 Acme" in str(undone["blocks"])
    assert "Acme* — Prospecting" in str(undone["blocks"])
    assert ids.UNDO not in str(undone["blocks"])
    driver.click_view(moved, ids.UNDO)  # the same button again
    assert "undone already" in str(driver.home()["blocks"])
    assert stage_of(deal(driver, "show #1")) == "Prospecting"
