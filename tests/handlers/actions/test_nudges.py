"""A nudge's buttons through the real Bolt app: the DM the scheduler sent, clicked as Slack
sends the clicks (Snooze, Log activity, Open, See all)."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from decimal import Decimal

import pytest

from bot.app import web_client
from bot.config import Settings
from bot.nudges import run_due_nudges
from handlers import ids
from storage.deals import operations as deals
from storage.deals import queries as deal_queries
from storage.leads import operations as leads
from storage.nudges.settings import change_nudges
from tests.driver import Reply

BOB = "UBOB"


@pytest.fixture
def clients(slack):
    settings = Settings(slack_api_url=slack.api_url, slack_bot_token="xoxb-test")
    return lambda team: web_client(settings)


def stale(db, clock, *names, owner=BOB):
    with db.transaction() as s:
        for name in names:
            deals.create_deal(s, team="T1", name=name, actor="UANN", value=Decimal(5000),
                              now=clock.now - timedelta(days=30), owner=owner)


def nudge_of(slack, user=BOB) -> Reply:
    [dm] = [c for c in slack.calls("chat.postMessage") if c.body["channel"] == f"D{user}"]
    blocks = dm.body["blocks"]
    return Reply({"blocks": json.loads(blocks) if isinstance(blocks, str) else blocks,
                  "text": dm.body["text"], "response_type": "in_channel"})


def nudged(db, slack, clients, clock) -> Reply:
    """Bob's nudges at the next minute, and the DM he got."""
    clock.now = clock.now.replace(hour=10, minute=30)  # a Sunday: bob asks for every day
    with db.transaction() as s:
        change_nudges(s, team="T1", user=BOB, now=clock.now, every_day=True, at_time="11:31")
    run_due_nudges(db, clients, clock.now + timedelta(minutes=1))  # 11:31 in Oslo
    return nudge_of(slack)


def click(driver, reply, action_id, **kwargs):
    return driver.click(reply, action_id, user=BOB, channel=f"D{BOB}", **kwargs)


# bad input first


def test_a_button_value_the_app_did_not_draw_is_refused(driver, db, slack, clients, clock):
    stale(db, clock, "Acme")
    reply = nudged(db, slack, clients, clock)
    tampered = json.loads(json.dumps(reply.blocks).replace('"deal:1"', '"deal:x"'))
    [answer] = click(driver, Reply({**reply.body, "blocks": tampered}), "nudge.open~d1")
    assert answer.ephemeral and "This button is not one I drew" in answer.text


def test_snoozing_a_deal_that_is_gone_is_refused_and_changes_nothing(
        driver, db, slack, clients, clock):
    stale(db, clock, "Acme")
    reply = nudged(db, slack, clients, clock)
    gone = json.loads(json.dumps(reply.blocks).replace('"deal:1:3"', '"deal:9:3"'))
    [answer] = click(driver, Reply({**reply.body, "blocks": gone}), "nudge.snooze~d1",
                     selected_option_value="deal:9:3")
    assert answer.ephemeral and "#9" in answer.text
    assert "Left out" not in click(driver, reply, "nudge.open~d1")[0].text


def test_an_empty_note_is_refused_on_the_field_and_logs_nothing(driver, db, slack, clients,
                                                                 clock):
    stale(db, clock, "Acme")
    reply = nudged(db, slack, clients, clock)
    assert click(driver, reply, "nudge.log~d1") == []
    answer = driver.submit(driver.opened_view(), {ids.NUDGE_NOTE_BLOCK: {
        ids.NUDGE_NOTE_BLOCK: {"type": "plain_text_input", "value": "  "}}}, user=BOB)
    assert answer["response_action"] == "errors" and ids.NUDGE_NOTE_BLOCK in answer["errors"]
    with db.transaction() as s:
        assert deal_queries.show_deal(s, team="T1", number=1).last_contact_at is None


# what bob sees


def test_bob_gets_one_nudge_with_two_schedulers_and_every_button_works(
        driver, other_driver, db, slack, clients, clock):
    stale(db, clock, "Acme", "Globex")
    clock.now = clock.now.replace(hour=10, minute=30)  # 11:30 in Oslo, a Sunday
    driver.one("nudges daily at 11:31", user=BOB)
    barrier = threading.Barrier(2)

    def scheduler() -> None:
        barrier.wait()
        run_due_nudges(db, clients, clock.now + timedelta(minutes=1))

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    reply = nudge_of(slack)  # exactly one
    assert "2 deals and leads need you today" in reply.text
    [card] = click(driver, reply, "nudge.open~d1")
    assert card.ephemeral and "#1 Acme" in card.text and not card.replaces_original

    [redrawn] = click(driver, reply, "nudge.snooze~d1", selected_option_value="deal:1:7")
    assert redrawn.replaces_original
    assert "#1 Acme" not in json.dumps(redrawn.blocks[:-1]) and "#2 Globex" in redrawn.text
    assert ":zzz: *#1 Acme* is left out of your nudges until Sun 29 Nov 2026" in redrawn.text
    [card] = click(driver, reply, "nudge.open~d1")
    assert "Left out of the nudges until <!date^1795948200^" in card.text  # 29 Nov, 10:30 UTC
    assert "Left out of the nudges until" in driver.one("show #1", user="U2").text
    assert "Left out of the nudges" not in driver.one("show #2").text

    assert click(driver, redrawn, "nudge.log~d2") == []
    view = driver.opened_view()
    assert "What happened with *#2 Globex*?" in json.dumps(view)
    assert driver.submit(view, {ids.NUDGE_NOTE_BLOCK: {ids.NUDGE_NOTE_BLOCK: {
        "type": "plain_text_input", "value": "called, all good"}}}, user=BOB) == {}
    last = Reply(slack.responses()[-1].body)
    assert ":memo: Logged a note on *#2 Globex*." in last.text
    assert "Nothing else needs you right now" in last.text
    with db.transaction() as s:
        assert deal_queries.show_deal(s, team="T1", number=2).last_contact_at == clock.now


def test_past_ten_lines_see_all_shows_the_rest(driver, db, slack, clients, clock):
    stale(db, clock, *[f"Deal {n}" for n in range(1, 13)])
    with db.transaction() as s:
        leads.add_lead(s, team="T1", name="Jane", actor="UANN", owner=BOB,
                       now=clock.now - timedelta(days=30))
    reply = nudged(db, slack, clients, clock)
    assert "13 deals and leads need you today" in reply.text
    assert reply.text.count("— no activity for 29 days") == 10
    assert "…and 3 more." in reply.text
    [everything] = click(driver, reply, ids.NUDGE_ALL)
    assert everything.ephemeral and everything.text.count("— no activity for 29 days") == 13
    assert "*Lead #1 Jane* (Awareness) — no activity for 29 days" in everything.text
    assert everything.text.index("*Your deals*") < everything.text.index("*Your leads*")
    assert len(everything.blocks) <= 50
    [lead_card] = click(driver, everything, "nudge.open~l1")
    assert "Jane" in lead_card.text


def test_log_activity_on_a_lead_notes_it_and_it_leaves_the_nudge(driver, db, slack, clients,
                                                                 clock):
    with db.transaction() as s:
        leads.add_lead(s, team="T1", name="Jane", actor="UANN", owner=BOB,
                       now=clock.now - timedelta(days=30))
    reply = nudged(db, slack, clients, clock)
    assert click(driver, reply, "nudge.log~l1") == []
    view = driver.opened_view()
    assert "What happened with *lead #1 Jane*?" in json.dumps(view)
    assert driver.submit(view, {ids.NUDGE_NOTE_BLOCK: {ids.NUDGE_NOTE_BLOCK: {
        "type": "plain_text_input", "value": "asked for a demo"}}}, user=BOB) == {}
    last = Reply(slack.responses()[-1].body)
    assert ":memo: Logged a note on *lead #1 Jane*." in last.text
    assert "Nothing else needs you right now" in last.text
    assert "asked for a demo" in driver.one("history #1", command="/lead").text
