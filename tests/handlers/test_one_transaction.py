"""One interaction is one transaction: a change reads what its follow-ups need (the activity
channel, whether the actor keeps a Home tab) in its own transaction, and the stages, the
pipeline and the workspace are read once however many steps need them. The Home refresh
that follows runs later, in one transaction of its own."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from sqlalchemy import event

from bot.slack_standin import text_of
from handlers import ids
from storage.db import Database

pytestmark = pytest.mark.usefixtures("db")
TABLE = re.compile(r"\bFROM\s+\"?(\w+)", re.IGNORECASE)


@dataclass
class Seen:
    transactions: int = 0
    reads: Counter[str] = field(default_factory=Counter)


@contextmanager
def watching(db: Database) -> Iterator[Seen]:
    seen = Seen()

    def statement(conn, cursor, text: str, *args) -> None:
        seen.reads.update(set(TABLE.findall(text)))

    def begin(conn) -> None:
        seen.transactions += 1

    event.listen(db.engine, "before_cursor_execute", statement)
    event.listen(db.engine, "begin", begin)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", statement)
        event.remove(db.engine, "begin", begin)


def test_a_move_a_click_and_a_new_deal_each_take_one_transaction_reading_settings_once(
        driver, db):
    driver.one("new Acme 50k")
    driver.open_home()
    changes = {"move": lambda card: driver.one("move Acme meeting"),
               "click": lambda card: driver.click(card, ids.DEAL_ADVANCE),
               "new": lambda card: driver.one("new Globex 10k")}
    for name, change in changes.items():
        card = driver.one("show Acme")
        with watching(db) as seen:
            change(card)
        assert seen.transactions == 1, name
        assert all(seen.reads[t] == 1 for t in ("stages", "pipelines", "workspaces")), (
            name, seen.reads)
        with watching(db) as later:
            assert driver.refresh_homes() == 1
        assert later.transactions == 1, name


def test_the_home_tab_shows_the_stage_totals_of_open_deals_in_every_open_stage(driver):
    for text in ("new A 10k", "new B 20k stage:meeting", "new C 5k stage:meeting", "new D 1k"):
        driver.one(text)
    driver.one("won D")
    driver.one("value B 25k")
    text = text_of(driver.open_home()["blocks"]).split("*Pipeline*")[1].split("Your open")[0]
    assert "\nProspecting | 1 | $10,000\n" in text and "\nMeeting | 2 | $30,000\n" in text
    assert "\nProposal | 0 | $0\n" in text and "Won" not in text
