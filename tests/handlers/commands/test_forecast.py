"""`/pipeline forecast`, `/pipeline target` and `/deal stages commit` through the real Bolt
app: bad input first, then what a team sees."""

from __future__ import annotations

from decimal import Decimal

import pytest

from storage.targets import targets_of


def pipeline(driver, text, user="U1"):
    return driver.one(text, command="/pipeline", user=user)


def _targets(db):
    with db.transaction() as s:
        return [(t.period, t.owner, t.amount) for t in targets_of(s, team="T1")]


@pytest.mark.parametrize(("text", "words"), [
    ("forecast weekly", "`weekly` is not something `/pipeline forecast` knows"),
    ("forecast <!channel>", "`@channel` is not something"),
])
def test_a_forecast_word_it_does_not_know_gets_the_usage(driver, text, words):
    reply = pipeline(driver, text)
    assert reply.ephemeral and words in reply.text
    assert "/pipeline forecast quarter" in reply.text


@pytest.mark.parametrize(("text", "words"), [
    ("target lots", "`lots` is not an amount"),
    ("target 0", "above zero"),
    ("target -5k", "is negative"),
    ("target 10k monthly quarterly", "monthly or quarterly"),
    ("target 10k <@U2|ann> <@U3|bob>", "one person"),
    ("target 10k @ann", "is not a mention of a Slack user"),
    ("target monthly", "How much should be won"),
    ("target 10 EUR", "counts in USD"),
    ("target off quarterly", "no quarterly target for the team"),
])
def test_a_target_it_cannot_read_gets_a_specific_answer_and_sets_nothing(driver, db, text,
                                                                         words):
    reply = pipeline(driver, text, user="UADMIN")
    assert reply.ephemeral and ":warning:" in reply.text and words in reply.text
    assert _targets(db) == []


def test_only_admins_set_targets(driver, db):
    reply = pipeline(driver, "target 100k", user="U1")
    assert reply.ephemeral and "Only workspace admins" in reply.text
    assert _targets(db) == []


def test_a_target_is_set_replaced_listed_and_removed(driver, db):
    assert "the team's target of $100,000 each month" in pipeline(
        driver, "target 100k", user="UADMIN").text
    again = pipeline(driver, "target 120k monthly", user="UADMIN")
    assert "It replaces $100,000" in again.text
    pipeline(driver, "target 30k quarterly <@U2|ann>", user="UADMIN")
    listing = pipeline(driver, "target")
    assert "the team's target of $120,000 each month" in listing.text
    assert "<@U2>'s target of $30,000 each quarter" in listing.text
    assert "Removed the team's target" in pipeline(driver, "target off", user="UADMIN").text
    assert _targets(db) == [("quarter", "U2", Decimal("30000.00"))]


def test_the_forecast_shows_the_periods_the_target_and_a_footer_that_defines_them(driver):
    driver.one("new Acme 50k stage:negotiation close:2026-11-30")
    driver.one("new Globex 20k close:2027-01-15")
    driver.one("new Initech 5k")
    pipeline(driver, "target 100k", user="UADMIN")
    reply = pipeline(driver, "forecast")
    table = next(b for b in reply.blocks if b["type"] == "table")
    rows = [[cell["text"] for cell in row] for row in table["rows"]]
    assert rows[1][:7] == ["November 2026", "1", "$50,000", "$40,000", "$40,000", "$50,000",
                           "$0"]
    assert rows[1][7:] == ["$100,000", "0%"]
    assert rows[3][0] == "January 2027" and rows[5][:3] == ["No close date", "1", "$5,000"]
    text = str(reply.blocks)
    assert "won $0 of $100,000 (0%) · 9 days left · coverage 0.4×" in text
    assert "Commit: weighted value of the deals in Negotiation or a later stage" in text
    assert "November 2026: 1 deal, $50,000" in reply.body["text"]


def test_forecast_mine_shows_the_callers_deals_and_target_by_quarter(driver):
    driver.one("new Acme 50k close:2026-11-30", user="U1")
    driver.one("new Globex 20k close:2026-12-15", user="U2")
    pipeline(driver, "target 30k quarterly <@U2|ann>", user="UADMIN")
    reply = pipeline(driver, "forecast quarter mine", user="U2")
    rows = [[c["text"] for c in row] for row in next(
        b for b in reply.blocks if b["type"] == "table")["rows"]]
    assert rows[1][:3] == ["Q4 2026", "1", "$20,000"] and rows[1][7] == "$30,000"
    assert "<@U2>'s deals" in str(reply.blocks)


def test_pipeline_has_a_line_per_team_target(driver):
    driver.one("new Acme 10k stage:proposal close:2026-11-30")
    driver.one("won Acme")
    driver.one("new Globex 50k stage:proposal close:2026-11-27")
    pipeline(driver, "target 40k", user="UADMIN")
    pipeline(driver, "target 100k quarterly", user="UADMIN")
    text = str(pipeline(driver, "").blocks)
    assert ("Monthly target, November 2026:* won $10,000 of $40,000 (25%) · 9 days left · "
            "coverage 1.0× ($30,000 weighted closing, $30,000 to go)") in text
    assert "Quarterly target, Q4 2026:* won $10,000 of $100,000 (10%) · 40 days left" in text


def test_the_commit_stage_is_an_admin_setting(driver, db):
    assert "Only workspace admins" in driver.one("stages commit proposal").text
    refused = driver.one("stages commit won", user="UADMIN")
    assert ":warning:" in refused.text and "closing stage" in refused.text
    reply = driver.one("stages commit prop", user="UADMIN")
    assert "*Proposal* is now the commit stage" in reply.text
    assert "commit stage *Proposal*" in str(pipeline(driver, "forecast").blocks)


def test_pipeline_help_names_the_forecast_and_the_targets(driver):
    reply = pipeline(driver, "help")
    assert "/pipeline forecast [month | quarter] [mine]" in reply.text
    assert "/pipeline target &lt;amount&gt; [monthly | quarterly] [@user]" in str(reply.blocks)
    assert "/deal stages commit" in driver.one("help").text
