"""`/deal settings` through the real Bolt app: everyone sees the currency, time zone and stale
limit; admins change them; the team's zone decides its "today" and its weeks."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from storage.digests.subscriptions import list_subscriptions
from storage.models import Deal, Workspace
from storage.values import format_money
from storage.workspaces import WorkspaceSettings, workspace_settings
from tests.conftest import _driver

DEFAULTS = WorkspaceSettings("T1", "USD", "UTC", 14, None)


def settings_of(db, team: str = "T1") -> WorkspaceSettings:
    with db.transaction() as s:
        return workspace_settings(s, team=team)


def workspace_exists(db, team: str = "T1") -> bool:
    with db.transaction() as s:
        return s.get(Workspace, team) is not None


def test_everyone_sees_the_settings_and_how_admins_change_them(driver):
    reply = driver.one("settings", user="U1")
    assert reply.ephemeral
    for line in ("Currency: USD", "Time zone: UTC (today is Sun 22 Nov 2026 there)",
                 "Deals go stale after 14 days without activity",
                 "`/deal settings currency &lt;ISO 4217 code&gt;`",
                 "`/deal settings timezone Europe/Oslo`", "`/deal settings stale 21`"):
        assert line in reply.text


@pytest.mark.parametrize("text", ["currency NOK", "timezone Europe/Oslo", "stale 21",
                                  "tz Europe/Oslo"])
def test_a_non_admin_is_told_who_may_change_settings_and_nothing_changes(driver, db, text):
    reply = driver.one(f"settings {text}", user="U1")
    assert reply.ephemeral and ":warning:" in reply.text
    assert "Only workspace admins and owners" in reply.text and "DEALBOT_ADMINS" in reply.text
    assert settings_of(db) == DEFAULTS and not workspace_exists(db)


@pytest.mark.parametrize(("text", "words", "form"), [
    ("currency XYZ", "`XYZ` is not a currency code I know. Use an ISO 4217 code like `NOK`",
     "`/deal settings currency NOK`"),
    ("currency kroner", "`kroner` is not a currency code I know", "`/deal settings currency NOK`"),
    ("currency DEM", "`DEM` is not a currency code I know", "`/deal settings currency NOK`"),
    ("currency", "Something is missing", "`/deal settings currency NOK`"),
    ("timezone Mars/Base", "`Mars/Base` is not a time zone I know. Use an IANA name like "
     "`Europe/Oslo`", "`/deal settings timezone Europe/Oslo`"),
    ("timezone Oslo", "`Oslo` is not a time zone I know", "`/deal settings timezone Europe/Oslo`"),
    ("stale 0", "Deals can go stale after 1 to 365 days, not 0.", "`/deal settings stale 21`"),
    ("stale 366", "Deals can go stale after 1 to 365 days, not 366.", "`/deal settings stale 21`"),
    ("stale abc", "`abc` is not a number of days: give a whole number from 1 to 365.",
     "`/deal settings stale 21`"),
    ("stale 2.5", "`2.5` is not a number of days", "`/deal settings stale 21`"),
    ("stale -3", "`-3` is not a number of days", "`/deal settings stale 21`"),
    ("colour blue", "I could not read `/deal settings colour blue`",
     "`/deal settings currency NOK`"),
])
def test_a_bad_value_gets_a_specific_answer_with_the_form_and_changes_nothing(driver, db, text,
                                                                             words, form):
    reply = driver.one(f"settings {text}", user="UADMIN")
    assert reply.ephemeral and ":warning:" in reply.text
    assert words in reply.text and form in reply.text
    assert settings_of(db) == DEFAULTS and not workspace_exists(db)


def test_an_admin_sets_each_setting_in_any_case_and_it_is_stored_in_its_own_spelling(driver, db):
    assert "now shown in NOK" in driver.one("settings currency nok", user="UADMIN").text
    assert "now Pacific/Auckland" in driver.one("settings timezone pacific/AUCKLAND",
                                                user="UADMIN").text
    assert "after 21 days" in driver.one("settings stale 21 days", user="UADMIN").text
    assert settings_of(db) == WorkspaceSettings("T1", "NOK", "Pacific/Auckland", 21, None)
    shown = driver.one("settings", user="U1").text
    assert "Currency: NOK" in shown and "Time zone: Pacific/Auckland" in shown
    assert "after 21 days" in shown
    again = driver.one("settings currency NOK", user="UADMIN")
    assert "already in NOK; nothing changed" in again.text


def test_changing_the_currency_relabels_the_cards_amounts_and_says_nothing_was_converted(driver,
                                                                                        db):
    driver.one("new Fjord 50k")
    reply = driver.one("settings currency NOK", user="UADMIN")
    usd, nok = format_money(Decimal(50000), "USD"), format_money(Decimal(50000), "NOK")
    assert "Nothing was converted" in reply.text and f"{usd} now reads {nok}" in reply.text
    card = driver.one("show Fjord").text
    assert nok in card and usd not in card
    with db.transaction() as s:
        assert s.scalar(select(Deal.value)) == Decimal("50000.00")  # the number is as it was


def test_the_stale_limit_decides_which_deals_pipeline_lists_and_a_stages_own_limit_wins(driver,
                                                                                       clock):
    driver.one("new Acme 5k")
    driver.one("new Globex 5k stage:proposal")
    clock.advance(days=10)
    assert "Stale" not in driver.one("", command="/pipeline").text
    driver.one("stages rotting proposal 30", user="UADMIN")
    reply = driver.one("settings stale 7", user="UADMIN")
    assert "after 7 days without activity (it was 14 days)" in reply.text
    assert "Stages with a limit of their own keep it: Proposal (30 days)" in reply.text
    summary = driver.one("", command="/pipeline").text
    assert "Stale" in summary and "Acme" in summary and "Globex" not in summary


def test_a_subscription_keeps_its_zone_when_the_team_changes_and_a_new_one_takes_the_new(driver,
                                                                                        db):
    driver.one("subscribe <#C5|sales> weekdays at 8:30", command="/pipeline", user="UADMIN")
    reply = driver.one("settings timezone Pacific/Auckland", user="UADMIN")
    assert "1 existing digest keeps its own time zone" in reply.text
    assert ("`/pipeline subscribe` <#C5> `weekdays at 08:30 tz:Pacific/Auckland` (UTC now)"
            in reply.text)
    after = driver.one("subscribe <#C6|board> at 7:00", command="/pipeline", user="UADMIN")
    assert "every day at 07:00 (Pacific/Auckland)" in after.text
    with db.transaction() as s:
        assert [(v.channel, v.timezone) for v in list_subscriptions(s, team="T1")] == [
            ("C5", "UTC"), ("C6", "Pacific/Auckland")]
    none_left = driver.one("settings timezone Pacific/Auckland", user="UADMIN")
    assert "already Pacific/Auckland" in none_left.text


# Sunday 22 November 2026 in UTC; in Auckland (UTC+13 in summer) Monday starts at 11:00 UTC.
BEFORE_AUCKLAND_MIDNIGHT = datetime(2026, 11, 22, 10, 50, tzinfo=UTC)


def test_auckland_today_and_this_week_turn_at_its_own_midnight_not_utcs(driver, clock):
    driver.one("settings timezone Pacific/Auckland", user="UADMIN", team="TNZ")
    clock.now = BEFORE_AUCKLAND_MIDNIGHT  # 23:50 on Sunday in Auckland
    assert "Sun 22 Nov 2026" in driver.one("new Early 1k close:today", team="TNZ").text
    assert "week 2026-W47" in driver.one("this week", command="/funnel", team="TNZ").text
    clock.advance(minutes=20)  # 00:10 on Monday in Auckland, still Sunday 11:10 in UTC
    assert "Mon 23 Nov 2026" in driver.one("new Late 1k close:today", team="TNZ").text
    assert "week 2026-W48" in driver.one("this week", command="/funnel", team="TNZ").text
    assert "week 2026-W47" in driver.one("last week", command="/funnel", team="TNZ").text
    assert "Sun 22 Nov 2026" in driver.one("new Here 1k close:today", team="TUTC").text
    assert "week 2026-W47" in driver.one("this week", command="/funnel", team="TUTC").text
    pipeline = driver.one("", command="/pipeline", team="TNZ").text
    assert "As of Mon 23 Nov 2026 at 00:10 (Pacific/Auckland)" in pipeline
    assert "Overdue" in pipeline and "Early" in pipeline  # closing Sunday, and it is Monday
    assert "Overdue" not in driver.one("", command="/pipeline", team="TUTC").text


@pytest.fixture
def configured(db, slack, clock, settings, request_clock):
    """The app as deployed with DEALBOT_CURRENCY=NOK and DEALBOT_TIMEZONE=Europe/Oslo."""
    deployed = dataclasses.replace(settings, currency="NOK", timezone="Europe/Oslo")
    yield from _driver(db, slack, clock, deployed, request_clock)


def test_a_new_workspace_starts_with_the_configured_currency_and_zone(configured, db):
    shown = configured.one("settings").text
    assert "Currency: NOK" in shown and "Time zone: Europe/Oslo" in shown
    assert not workspace_exists(db)  # reading wrote nothing
    card = configured.one("new Fjord 50k").text
    assert format_money(Decimal(50000), "NOK") in card
    with db.transaction() as s:
        assert s.get_one(Workspace, "T1").timezone == "Europe/Oslo"
    assert configured.one("settings currency EUR", user="UADMIN")
    assert "Currency: EUR" in configured.one("settings").text  # a setting wins over the default
