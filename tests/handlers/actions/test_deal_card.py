"""Clicks on the deal card, built from the blocks the app rendered: each updates the same
message in place and records who did it; an old card never overwrites a newer change."""

from __future__ import annotations

import threading

import pytest

from handlers import ids

pytestmark = pytest.mark.usefixtures("db")


def option_value(reply, label: str) -> str:
    actions = next(b for b in reply.blocks if b["type"] == "actions")
    picker = next(e for e in actions["elements"] if e["action_id"] == ids.DEAL_PICK_STAGE)
    return next(o["value"] for o in picker["options"] if o["text"]["text"] == label)


def stage_of(driver, ref: str = "#1") -> str:
    card = driver.one(f"show {ref}")
    return next(f["text"] for b in card.blocks for f in b.get("fields", [])
                if f["text"].startswith("*Stage*"))


def test_done_when_advance_picker_lost_and_a_stale_click_that_undoes_nothing(driver, slack):
    first = driver.one("new Acme 50k")
    assert not first.ephemeral
    [advanced] = driver.click(first, ids.DEAL_ADVANCE, user="U2")
    assert advanced.replaces_original and "Qualification" in stage_of(driver)
    assert "<@U2> moved this from Prospecting to Qualification" in advanced.text
    [picked] = driver.click(advanced, ids.DEAL_PICK_STAGE,
                            selected_option_value=option_value(advanced, "Negotiation"))
    assert picked.replaces_original and "Negotiation" in picked.text
    assert driver.click(picked, ids.DEAL_LOST) == []
    answer = driver.submit(driver.opened_view(), {
        ids.DEAL_LOST_REASON_BLOCK: {ids.DEAL_LOST_REASON_BLOCK: {"value": "went with Globex"}}})
    assert answer == {}
    redrawn = slack.responses()[-1].body
    assert redrawn["replace_original"] and "LOST — went with Globex" in str(redrawn["blocks"])
    replies = driver.click(first, ids.DEAL_ADVANCE)  # the very first card, now stale
    assert [r.replaces_original for r in replies] == [True, False]
    assert "LOST" in replies[0].text and replies[1].ephemeral
    told = replies[1].text
    assert "out of date" in told and "<@U1> moved #1 from Negotiation to Lost" in told
    assert "LOST — went with Globex" in stage_of(driver)
    assert "Acme" in str(driver.open_home())


def test_advance_records_who_clicked_in_the_history(driver):
    card = driver.one("new Acme 50k")
    driver.click(card, ids.DEAL_ADVANCE, user="U2")
    assert "<@U2> moved it from Prospecting to Qualification" in driver.one("history #1").text


def test_won_closes_the_deal_and_the_card_offers_reopen(driver):
    card = driver.one("new Acme 50k")
    [won] = driver.click(card, ids.DEAL_WON)
    assert won.replaces_original and "WON" in won.text and "Reopen" in won.text
    [reopened] = driver.click(won, ids.DEAL_REOPEN)
    assert "Prospecting" in stage_of(driver) and "→ Qualification" in reopened.text


def test_assign_to_me_makes_the_clicker_the_owner(driver):
    card = driver.one("new Acme 50k")
    [assigned] = driver.click(card, ids.DEAL_ASSIGN_ME, user="U7")
    assert "*Owner*\n<@U7>" in assigned.text
    [refused] = driver.click(assigned, ids.DEAL_ASSIGN_ME, user="U7")
    assert refused.ephemeral and not refused.replaces_original and "already" in refused.text


def test_a_click_on_an_ephemeral_card_redraws_it_in_place(driver):
    driver.one("new Acme 50k")
    shown = driver.one("show #1")
    assert shown.ephemeral
    [moved] = driver.click(shown, ids.DEAL_ADVANCE)
    assert moved.replaces_original and "Qualification" in moved.text


def test_a_click_from_another_workspace_changes_nothing(driver):
    card = driver.one("new Acme 50k")
    [answer] = driver.click(card, ids.DEAL_WON, team="T2", user="U9")
    assert answer.ephemeral and not answer.replaces_original and "no deal #1" in answer.text
    assert "Prospecting" in stage_of(driver)


def test_a_card_posted_in_another_workspace_is_refused_even_when_the_number_exists(driver):
    card = driver.one("new Acme 50k")
    driver.one("new Globex 10k", team="T2")
    [answer] = driver.click(card, ids.DEAL_WON, team="T2", user="U9", posted_in="T1")
    assert answer.ephemeral and "another workspace" in answer.text
    assert "Prospecting" in stage_of(driver, "#1") and "Prospecting" in str(
        driver.one("show #1", team="T2").blocks)


def test_a_card_with_the_longest_name_and_a_long_note_stays_valid(driver):
    name = "N" * 200
    card = driver.one(f"new {name} 50k")
    driver.one("note #1 " + "x" * 2990)
    moved, told = driver.click(card, ids.DEAL_ADVANCE)  # stale: redrawn, and validated
    assert "logged a contact" in told.text and len(told.text) < 3000
    [again] = driver.click(moved, ids.DEAL_ADVANCE)
    assert again.replaces_original and name in again.text


def test_two_people_clicking_the_same_card_at_once_apply_exactly_one_change(driver, slack, db):
    card = driver.one("new Acme 50k")
    start = threading.Barrier(2)
    results: dict[str, list] = {}

    def click(user: str, action_id: str) -> None:
        start.wait()
        results[user] = driver.click(card, action_id, user=user)

    threads = [threading.Thread(target=click, args=("U2", ids.DEAL_ADVANCE)),
               threading.Thread(target=click, args=("U3", ids.DEAL_WON))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    history = driver.one("history #1").text
    applied = [u for u in ("U2", "U3") if f"<@{u}> moved it" in history]
    assert len(applied) == 1, history
    final = "Qualification" if applied == ["U2"] else "WON"
    assert final in stage_of(driver)
    loser = "U3" if applied == ["U2"] else "U2"
    assert any(r.ephemeral and ("out of date" in r.text) for r in results[loser])
    redraws = [r for rs in results.values() for r in rs if r.replaces_original]
    assert redraws and all(final in r.text for r in redraws)


def test_a_click_in_the_home_tab_changes_the_deal_and_republishes_the_home_tab(driver):
    driver.one("new Acme 50k")
    home = driver.open_home()
    advance = next(e["action_id"] for b in home["blocks"] for e in b.get("elements", [])
                   if e["action_id"].startswith(ids.DEAL_ADVANCE))
    driver.click_view(home, advance)
    assert "Qualification" in stage_of(driver)
    assert "Acme* — Qualification" in str(driver.home()["blocks"])
    driver.click_view(home, advance)  # the old Home tab is out of date now
    assert "Qualification" in stage_of(driver)
    assert "out of date" in str(driver.home()["blocks"])
