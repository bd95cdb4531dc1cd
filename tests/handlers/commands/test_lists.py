"""`/deal list` and `/lead list` a page at a time, through the real Bolt app: the command's
first page, then signed clicks on Next and Previous that redraw the same ephemeral message."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from handlers import ids
from storage.deals import operations as deals
from storage.leads import operations as leads
from tests.driver import Reply

pytestmark = pytest.mark.usefixtures("db")

TODAY = date(2026, 11, 22)  # the clock's date (tests/conftest.py `now`)
LISTED = re.compile(r"`#(\d+)`")


def numbers(reply) -> list[int]:
    return [int(n) for n in LISTED.findall(reply.text)]


def buttons(reply) -> list[str]:
    return [e["action_id"] for b in reply.blocks if b["type"] == "actions"
            for e in b["elements"]]


def _deals(db, now, count: int) -> None:
    """`count` open deals: every 10th overdue, every 10th (another) closing within the week,
    values all different; the rest with no close or a far one."""
    with db.transaction() as s:
        for i in range(1, count + 1):
            close = {0: TODAY - timedelta(days=1 + i % 5), 1: TODAY + timedelta(days=i % 7),
                     2: None}.get(i % 10, TODAY + timedelta(days=60))
            deals.create_deal(s, team="T1", name=f"Deal {i}", actor="U1", now=now,
                              value=Decimal(1000 + 7 * ((i * 37) % count)),
                              expected_close=close, owner="U1" if i % 2 else "U2",
                              company="Globex Corp" if i % 50 == 0 else None)


def _expected_order(count: int) -> list[int]:
    def key(i: int) -> tuple[int, int, int]:
        urgency = 0 if i % 10 == 0 else 1 if i % 10 == 1 else 2
        return urgency, -(1000 + 7 * ((i * 37) % count)), i
    return sorted(range(1, count + 1), key=key)


def test_250_deals_page_by_page_with_next_and_previous_in_attention_order(db, now, driver):
    _deals(db, now, 250)
    page = driver.one("list")
    assert page.ephemeral and "*250 deals*" in page.text and "1–25 of 250" in page.text
    assert buttons(page) == [ids.LIST_NEXT]
    assert len(page.blocks) <= 50
    seen = [numbers(page)]
    while ids.LIST_NEXT in buttons(page):
        [page] = driver.click(page, ids.LIST_NEXT)
        assert page.replaces_original and page.ephemeral
        assert len(page.blocks) <= 50
        seen.append(numbers(page))
    assert [len(p) for p in seen] == [25] * 10
    assert [n for p in seen for n in p] == _expected_order(250)
    assert "226–250 of 250" in page.text and buttons(page) == [ids.LIST_PREVIOUS]
    [back] = driver.click(page, ids.LIST_PREVIOUS)
    assert back.replaces_original and numbers(back) == seen[-2]
    assert buttons(back) == [ids.LIST_PREVIOUS, ids.LIST_NEXT]
    first = driver.one("list").text
    assert ":warning: *overdue*, was to close Sat 21 Nov 2026" in first


def test_the_first_page_shows_the_overdue_deals_then_those_closing_soon(db, now, driver):
    _deals(db, now, 30)
    text = driver.one("list").text
    assert text.index("*overdue*") < text.index("*closing soon*")
    assert "*Deal 20* — Prospecting, $1,140" in text.split("\n")[1]  # most valuable overdue


def test_a_page_clicked_after_deals_closed_shows_the_last_page(db, now, driver):
    _deals(db, now, 30)
    page = driver.one("list")
    with db.transaction() as s:
        for number in range(1, 11):
            deals.win_deal(s, team="T1", number=number, actor="U1", now=now)
    [last] = driver.click(page, ids.LIST_NEXT)
    assert "*20 deals*" in last.text and len(numbers(last)) == 20 and buttons(last) == []


@pytest.mark.parametrize(("words", "expected"), [
    ("overdue", [n for n in _expected_order(60) if n % 10 == 0]),
    ("closing", [n for n in _expected_order(60) if n % 10 == 1]),
    ("overdue mine", []),  # every overdue deal (a multiple of 10) is U2's
    ("closing mine", [n for n in _expected_order(60) if n % 10 == 1]),
    ("company:globex", [50]),
    ("overdue company:GLOBEX corp", [50]),
])
def test_each_attention_filter(db, now, driver, words, expected):
    _deals(db, now, 60)
    assert numbers(driver.one(f"list {words}")) == expected


def test_stale_open_won_lost_and_all(db, now, driver):
    with db.transaction() as s:
        for name, at in (("Old", now - timedelta(days=20)), ("Fresh", now),
                         ("Won one", now), ("Lost one", now)):
            deals.create_deal(s, team="T1", name=name, actor="U1", now=at)
        deals.win_deal(s, team="T1", number=3, actor="U1", now=now)
        deals.lose_deal(s, team="T1", number=4, actor="U1", now=now, reason="price")

    def names(words: str) -> list[str]:
        return re.findall(r"\*([A-Z][a-z]+(?: one)?)\*", driver.one(f"list {words}").text)
    assert names("stale") == ["Old"]
    assert sorted(names("")) == sorted(names("open")) == ["Fresh", "Old"]
    assert names("won") == ["Won one"] and names("lost") == ["Lost one"]
    assert sorted(names("all")) == ["Fresh", "Lost one", "Old", "Won one"]
    assert names("prospecting stale") == ["Old"]


def test_lead_list_pages_and_stale(db, now, driver):
    with db.transaction() as s:
        for i in range(1, 31):
            leads.add_lead(s, team="T1", name=f"Lead {i}", actor="U1",
                           now=now - timedelta(days=40 if i in (7, 8) else 0))
    page = driver.one("list", command="/lead")
    assert "*30 leads*" in page.text and numbers(page)[:2] == [8, 7]  # stale ones first
    [rest] = driver.click(page, ids.LIST_NEXT)
    assert rest.replaces_original and len(numbers(rest)) == 5
    assert set(numbers(page) + numbers(rest)) == set(range(1, 31))
    assert numbers(driver.one("list stale", command="/lead")) == [8, 7]


BAD_WORDS = [
    ("/deal", "list nowhere", "There is no stage called `nowhere`"),
    ("/deal", "list nowhere", "`stale`, `overdue`, `closing`"),
    ("/deal", "list stale overdue", "`stale` and `overdue` are two lists"),
    ("/deal", "list company:", "`company:` has nothing after it"),
    ("/deal", "list company:" + "x" * 201, "at most 200 characters"),
    ("/lead", "list overdue", "There is no stage called `overdue`"),
    ("/lead", "list won", "`stale`, `open`, `all`"),
]


@pytest.mark.parametrize(("command", "text", "words"), BAD_WORDS)
def test_bad_filter_words_get_a_clear_ephemeral_answer(driver, command, text, words):
    reply = driver.one(text, command=command)
    assert reply.ephemeral and ":warning:" in reply.text and words in reply.text
    assert "Usage:" in reply.text and "list" in reply.text


@pytest.mark.parametrize("value", ["not json", '{"kind":"task"}', '{"kind":"deal","offset":-5}',
                                   '{"kind":"deal","view":"drop table"}', '[1]',
                                   '{"kind":"deal","owner":7}'])
def test_a_page_button_we_did_not_draw_is_answered(db, now, driver, value):
    _deals(db, now, 30)
    page = driver.one("list")
    forged = json.loads(json.dumps(page.blocks))
    next(b for b in forged if b["type"] == "actions")["elements"][0]["value"] = value
    [answer] = driver.click(Reply({**page.body, "blocks": forged}), ids.LIST_NEXT)
    assert answer.ephemeral and not answer.replaces_original
    assert "does not belong to a list Dealbot drew" in answer.text
