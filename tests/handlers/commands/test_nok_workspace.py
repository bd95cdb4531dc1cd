"""A workspace that counts in Norwegian kroner, through the real app: amounts typed as a
Norwegian types them, money shown as a Norwegian writes it everywhere a person reads it,
plain decimals wherever a program reads it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.app import web_client
from bot.cli.main import main
from bot.console.mrkdwn import Style
from bot.console.render import draw_blocks
from bot.digests import run_due_digests
from bot.slack_standin import FakeSlack, text_of
from bot.slack_standin.tables import rows_of
from tests.storage.values import nbsp

FJORD = "new Fjord 50 000 NOK close:31.12.2026"
SHOWN = nbsp("50 000 kr")


@pytest.fixture
def nok(driver):
    """Team T1 counts in NOK, set as its admin sets it."""
    assert "now shown in NOK" in driver.one("settings currency NOK", user="UADMIN").text
    return "T1"


def uploaded(slack: FakeSlack) -> str:
    (upload,) = slack.uploads()
    return upload.body["content"].decode("utf-8")


def test_a_deal_typed_in_kroner_shows_kroner_on_its_card_and_in_the_list(nok, driver):
    card = driver.one(FJORD)
    assert f"*Value*\n{SHOWN} · weighted {nbsp('5 000 kr')}" in card.text
    assert "*Expected close*\nThu 31 Dec 2026" in card.text
    assert f"`#1` *Fjord* — Prospecting, {SHOWN}, <@U1> · closes Thu 31 Dec 2026" in \
        driver.one("list").text


@pytest.mark.parametrize("typed", ["kr 50 000", "NOK 50k", "50.000 kr", "kr 50.000,-", "50k",
                                   "50000"])
def test_every_common_way_of_typing_the_amount_gives_the_same_deal(nok, driver, typed):
    assert f"*Value*\n{SHOWN}" in driver.one(f"new Fjord {typed}").text


def test_a_changed_value_is_written_in_kroner_on_the_card_and_in_the_history(nok, driver):
    driver.one(FJORD)
    changed = driver.one("value Fjord kr 1 250 000,50")
    assert f"changed the value of this to {nbsp('1 250 000,50 kr')}" in changed.text
    assert f"changed the value of it to {nbsp('1 250 000,50 kr')}" in \
        driver.one("history Fjord").text


def test_an_amount_in_another_currency_is_refused_naming_both_and_changes_nothing(nok, driver):
    driver.one(FJORD)
    refused = driver.one("value Fjord $500")
    assert refused.ephemeral and refused.text == (
        ":warning: This workspace counts in NOK; `$500` is in USD. Amounts are not converted: "
        "type it in NOK, or an admin can change the currency with `/deal settings currency`.")
    assert SHOWN in driver.one("list").text


def test_an_impossible_dotted_date_is_called_impossible_and_changes_nothing(nok, driver):
    driver.one(FJORD)
    refused = driver.one("close Fjord 31.02.2027")
    assert refused.ephemeral and "`31.02.2027` is not a date: there is no 31 February 2027." \
        in refused.text
    assert "closes Thu 31 Dec 2026" in driver.one("list").text
    assert "*Expected close*\nMon 1 Mar 2027" in driver.one("close Fjord 1.3.").text


def test_the_pipeline_shows_kroner_in_columns_that_stay_aligned(nok, driver):
    driver.one(FJORD)
    driver.one("new Bryggen kr 1 250 000,50 stage:proposal")
    reply = driver.one("", command="/pipeline")
    [table] = [b for b in reply.blocks if b["type"] == "table"]
    rows = {row[0]: row for row in rows_of(table)}
    value = rows["Stage"].index("Value")
    assert table["column_settings"][value]["align"] == "right"  # Slack aligns the money
    assert rows["Prospecting"][value] == SHOWN
    assert rows["Proposal"][value] == nbsp("1 250 000,50 kr")
    assert rows["Meeting"][value] == nbsp("0 kr")
    drawn = [line for line in draw_blocks([table], Style(), []) if "kr" in line]
    assert len({line.index(" kr") for line in drawn}) == 1, drawn  # the console too
    assert f"*Open:* 2 deals · *{nbsp('1 300 000,50 kr')}*" in reply.text


def test_the_daily_digest_shows_kroner(nok, driver, db, slack, settings, clock):
    driver.one(FJORD)
    driver.one("subscribe <#C9|sales> daily at 13:00", command="/pipeline", user="UADMIN")
    run_due_digests(db, lambda team: web_client(settings), clock() + timedelta(hours=1))
    (digest,) = [c for c in slack.calls("chat.postMessage") if c.body.get("channel") == "C9"]
    blocks = digest.body["blocks"]
    text = text_of(json.loads(blocks) if isinstance(blocks, str) else blocks)
    assert f"*{SHOWN}* · weighted {nbsp('5 000 kr')}" in text


def test_the_home_tab_shows_kroner(nok, driver):
    driver.one(FJORD)
    assert SHOWN in text_of(driver.open_home()["blocks"])


def test_the_csv_export_keeps_plain_decimals(nok, driver, slack):
    driver.one(FJORD)
    driver.one("export")
    assert "#1,Fjord,50000.00,Prospecting," in uploaded(slack)


def test_the_reports_as_data_say_nok_with_plain_decimals_and_as_text_in_kroner(
        nok, driver, db, monkeypatch, capsys):
    driver.one(FJORD)
    monkeypatch.setenv("DATABASE_URL", db.url)
    monkeypatch.delenv("SLACK_API_URL", raising=False)
    as_of = ("--as-of", "2026-11-22T13:00:00Z")
    assert main(["report", "pipeline", "--format", "json", *as_of]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["currency"] == "NOK"
    assert data["stages"][0]["value"] == "50000.00" and data["totals"]["value"] == "50000.00"
    assert main(["report", "pipeline", *as_of]) == 0
    lines = capsys.readouterr().out.splitlines()
    prospecting = next(line for line in lines if line.startswith("Prospecting"))
    total = next(line for line in lines if line.startswith("Total"))
    assert SHOWN in prospecting and SHOWN in total
    assert prospecting.index(SHOWN) + len(SHOWN) == total.index(SHOWN) + len(SHOWN)
