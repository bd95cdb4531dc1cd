"""The Add to deal message shortcut and the type-ahead deal picker: the shortcut and the
block_suggestion requests exactly as Slack sends them (signed, through the app), the options
within Slack's limits, and the note saved with the message's link and author."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.slack_standin import text_of, user_message
from handlers import ids
from storage.deals import operations as deals
from storage.deals import queries as deal_queries
from storage.deals.views import MessageSource

pytestmark = pytest.mark.usefixtures("db")
LINK = "https://acme.slack.com/archives/C1/p1700000000000200"


def capture(driver, text: str = "They want 40 seats by March", **where) -> dict:
    """Uses Add to deal on a message by U2; returns the modal as it was last drawn."""
    driver.shortcut_on(user_message(text=text), ids.SHORTCUT_ADD_TO_DEAL, **where)
    return driver.updated_view()


def pick(driver, view: dict, typed: str, number: int) -> dict:
    """Types into the picker and picks deal `number` among the options offered."""
    offered = driver.suggest(view, ids.PICK_DEAL, typed)
    chosen = [o for o in offered if o["value"] == str(number)]
    assert chosen, f"deal #{number} was not offered for {typed!r}: {offered}"
    return {ids.PICK_DEAL: {ids.PICK_DEAL: {"selected_option": chosen[0]}}}


def note_of(view: dict) -> str:
    block = next(b for b in view["blocks"] if b.get("block_id") == ids.CAPTURE_NOTE_BLOCK)
    return block["element"].get("initial_value", "")


def latest_note(db, number: int = 1):
    with db.transaction() as s:
        _, events = deal_queries.deal_history(s, team="T1", number=number)
    return events[-1]


def test_the_shortcut_opens_the_modal_first_with_the_messages_plain_text(driver, slack):
    message = user_message(text="Call <@U3> about <http://acme.io|acme.io> &amp; the &lt;plan&gt;")
    name = driver.shortcut_on(message, ids.SHORTCUT_ADD_TO_DEAL)
    methods = [c.name for c in slack.calls() if c.name != "auth.test"]
    assert methods == ["views.open", "chat.getPermalink", "views.update"]
    opened = driver.opened_view()
    assert opened["callback_id"] == ids.CAPTURE_MODAL
    picker = next(b for b in opened["blocks"] if b.get("block_id") == ids.PICK_DEAL)["element"]
    assert picker["type"] == "external_select" and picker["min_query_length"] == 0
    assert note_of(opened) == "Call @U3 about acme.io & the <plan>"
    assert slack.calls("chat.getPermalink")[0].body["message_ts"] == message["ts"]
    assert json.loads(driver.updated_view()["private_metadata"])["link"] == LINK
    assert driver.replies(name) == []  # nothing is posted before the note is saved


def test_the_picker_offers_at_most_100_short_options_open_and_best_matches_first(db, now,
                                                                                driver):
    with db.transaction() as s:
        for n in range(1, 251):
            name = f"Acme {n}" if n % 2 else f"Globex Acme {n}"
            deals.create_deal(s, team="T1", name=name, actor="U1",
                              now=now + timedelta(minutes=n))
        deals.create_deal(s, team="T1", name="Acme " + "very long name " * 12, actor="U1",
                          now=now)
        deals.win_deal(s, team="T1", number=1, actor="U1", now=now + timedelta(days=1))
        deals.create_deal(s, team="T2", name="Acme secret", actor="U9", now=now)
    view = capture(driver)
    offered = driver.suggest(view, ids.PICK_DEAL, "acme")
    labels = [o["text"]["text"] for o in offered]
    assert len(offered) == 100 and all(len(label) <= 75 for label in labels)
    assert not any("secret" in label for label in labels)
    # open deals whose name starts with the text first, the newest first; #1 is Won
    assert labels[:2] == ["#249 Acme 249 · Prospecting", "#247 Acme 247 · Prospecting"]
    assert "#1 Acme 1 · Won" not in labels  # 252 deals match; a closed one is not in the 100
    long = driver.suggest(view, ids.PICK_DEAL, "very long")[0]["text"]["text"]
    assert long.startswith("#251 Acme very long") and long.endswith("… · Prospecting")
    assert len(long) == 75
    assert [o["value"] for o in driver.suggest(view, ids.PICK_DEAL, "#17")][:1] == ["17"]
    assert driver.suggest(view, ids.PICK_DEAL, "#1")[0]["text"]["text"] == "#1 Acme 1 · Won"
    assert driver.suggest(view, ids.PICK_DEAL, "secret") == []
    assert driver.suggest(view, ids.PICK_DEAL, "secret", team="T2")[0]["value"] == "1"


def test_saving_logs_the_note_with_the_link_and_author_and_shows_the_card_to_the_saver(
        db, driver, slack, clock):
    driver.one("new Acme 50k")
    clock.advance(hours=3)
    name = driver.shortcut_on(user_message(text="They want 40 seats by March"),
                              ids.SHORTCUT_ADD_TO_DEAL)
    view = driver.updated_view()
    assert driver.submit(view, pick(driver, view, "acm", 1)) == {}
    event = latest_note(db)
    assert event.new_value == "They want 40 seats by March"
    assert event.source == MessageSource(LINK, "U2") and event.actor == "U1"
    with db.transaction() as s:
        assert deal_queries.show_deal(s, team="T1", number=1).last_contact_at == clock.now
    [reply] = driver.replies(name)
    assert reply.ephemeral and not reply.replaces_original
    shown = text_of(reply.blocks)
    assert f"<@U1> logged a contact from <{LINK}|a message> by <@U2>" in shown
    assert "Logged on deal #1" in shown and "Last contact" in shown


def test_it_works_on_a_thread_reply_and_in_a_direct_message(db, driver, slack):
    driver.one("new Acme 50k")
    thread_link = ("https://acme.slack.com/archives/C1/p1700000000000300"
                   "?thread_ts=1700000000.000100&cid=C1")
    slack.script("chat.getPermalink", {"ok": True, "channel": "C1", "permalink": thread_link})
    driver.shortcut_on(user_message(text="In the thread", ts="1700000000.000300",
                                    thread_ts="1700000000.000100"), ids.SHORTCUT_ADD_TO_DEAL)
    view = driver.updated_view()
    driver.submit(view, pick(driver, view, "", 1))
    assert latest_note(db).source == MessageSource(thread_link, "U2")
    name = driver.shortcut_on(user_message(text="In a DM", user="U1"), ids.SHORTCUT_ADD_TO_DEAL,
                              channel="D0123", channel_name="directmessage")
    view = driver.updated_view()
    driver.submit(view, pick(driver, view, "#1", 1))
    assert slack.calls("chat.getPermalink")[-1].body["channel"] == "D0123"
    assert latest_note(db).source == MessageSource(
        "https://acme.slack.com/archives/D0123/p1700000000000200", "U1")
    assert "Logged on deal #1" in driver.replies(name)[0].text


def test_a_message_dealbot_cannot_link_to_is_explained_and_the_note_kept_without_a_link(
        db, driver, slack):
    driver.one("new Acme 50k")
    slack.script("chat.getPermalink", {"ok": False, "error": "channel_not_found"})
    name = driver.shortcut_on(user_message(text="Private talk"), ids.SHORTCUT_ADD_TO_DEAL,
                              channel="G0PRIVATE", channel_name="secret-deals")
    view = driver.updated_view()
    assert "not in that conversation" in text_of(view["blocks"])
    driver.submit(view, pick(driver, view, "acme", 1))
    assert latest_note(db).source == MessageSource(None, "U2")
    shown = driver.replies(name)[0].text
    assert "<@U1> logged a contact from a message by <@U2>" in shown
    assert "saved without a link" in shown


def test_a_modal_submitted_before_the_link_arrived_asks_for_it_then(db, driver, slack):
    driver.one("new Acme 50k")
    driver.shortcut_on(user_message(text="Quick"), ids.SHORTCUT_ADD_TO_DEAL)
    opened = driver.opened_view()  # as first drawn, without the link
    driver.submit(opened, pick(driver, opened, "acme", 1))
    assert len(slack.calls("chat.getPermalink")) == 2
    assert latest_note(db).source == MessageSource(LINK, "U2")


def test_a_message_without_text_asks_for_a_note_and_a_long_one_is_shortened(driver):
    view = capture(driver, text="")
    assert note_of(view) == "" and "no text I can copy" in text_of(view["blocks"])
    view = capture(driver, text="word " * 1000)
    assert len(note_of(view)) <= 3000
    assert "The message has 4,999 characters; the note holds the first 3,000." in text_of(
        view["blocks"])


def test_another_workspaces_deal_cannot_be_picked_and_nothing_is_saved(db, now, driver):
    with db.transaction() as s:
        deals.create_deal(s, team="T2", name="Theirs", actor="U9", now=now)
    view = capture(driver)
    forged = {ids.PICK_DEAL: {ids.PICK_DEAL: {"selected_option": {
        "text": {"type": "plain_text", "text": "#1 Theirs · Prospecting"}, "value": "1"}}}}
    answer = driver.submit(view, forged)
    assert answer["response_action"] == "errors"
    assert "There is no deal #1" in answer["errors"][ids.PICK_DEAL]
    with db.transaction() as s:
        _, events = deal_queries.deal_history(s, team="T2", number=1)
    assert [e.kind for e in events] == ["created"]


def test_an_emptied_note_is_refused_on_the_note(driver):
    driver.one("new Acme 50k")
    view = capture(driver)
    values = {**pick(driver, view, "acme", 1),
              ids.CAPTURE_NOTE_BLOCK: {ids.CAPTURE_NOTE_BLOCK: {"value": "   "}}}
    answer = driver.submit(view, values)
    assert answer["errors"] == {ids.CAPTURE_NOTE_BLOCK: "A note cannot be empty."}


def test_markup_in_the_message_stays_text_in_the_note_and_the_card(db, driver):
    driver.one("new Acme 50k")
    name = driver.shortcut_on(user_message(
        text="<!channel> ask <@UEVIL|bob> <https://evil.example/x|click> &lt;!here&gt;"),
        ids.SHORTCUT_ADD_TO_DEAL)
    view = driver.updated_view()
    assert note_of(view) == "@channel ask @bob click (https://evil.example/x) <!here>"
    driver.submit(view, pick(driver, view, "acme", 1))
    assert latest_note(db).new_value == note_of(view)
    assert "&lt;!here&gt;" in driver.replies(name)[0].text  # shown as typed, never live
