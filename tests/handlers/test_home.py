"""The App Home tab: the user's open deals (overdue first) with their buttons, the pipeline
at a glance, and within Slack's 100 blocks however many deals the user owns."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.slack_standin import event_callback, text_of
from bot.slack_standin.tables import rows_of
from handlers import ids
from storage.deals import operations as deals
from storage.deals.queries import stage_totals
from storage.values import format_money
from tests.driver import SIGNING_SECRET

pytestmark = pytest.mark.usefixtures("db")


def test_the_home_tab_lists_my_open_deals_overdue_first_and_the_pipeline(driver, db):
    driver.one("new Later 10k close:2026-12-20")
    driver.one("new Undated 20k")
    driver.one("new Overdue 30k close:2026-11-01")
    driver.one("new Theirs 40k owner:<@U2|bob>")
    driver.one("won #1")
    blocks = driver.open_home()["blocks"]
    text = text_of(blocks)
    assert text.index("Overdue") < text.index("Undated")
    assert "Later" not in text and "Theirs" not in text.split("Your open deals")[1]
    assert ":warning: *overdue*" in text
    assert "*Pipeline* — 3 open deals, $90,000" in text
    [table] = [b for b in blocks if b["type"] == "table"]
    with db.transaction() as s:
        totals = stage_totals(s, team="T1")
    assert rows_of(table) == [["Stage", "Deals", "Value"]] + [
        [t.stage, str(t.count), format_money(t.value, "USD")] for t in totals]
    assert ["Prospecting", "3", "$90,000"] in rows_of(table)
    assert [s["align"] for s in table["column_settings"]] == ["left", "right", "right"]


def published_for(slack, user: str) -> int:
    return len([c for c in slack.calls("views.publish") if c.body.get("user_id") == user])


def test_my_home_tab_is_refreshed_after_my_changes_once_i_have_opened_it(driver, slack):
    driver.one("new Acme 50k")
    assert driver.refresh_homes() == 0  # never opened: no Home tab to keep current
    assert "Acme" in text_of(driver.open_home()["blocks"])
    driver.one("move Acme proposal")
    assert published_for(slack, "U1") == 1  # refreshed after the answer, not during it
    assert "Acme* — Proposal" in str(driver.home("U1")["blocks"])
    assert published_for(slack, "U1") == 2


def test_someone_elses_change_refreshes_only_their_home_tab(driver, slack):
    driver.one("new Acme 50k")
    driver.open_home(user="U1")
    driver.one("move Acme proposal", user="U2")
    driver.refresh_homes()
    assert published_for(slack, "U1") == 1 and published_for(slack, "U2") == 0
    assert "Acme* — Proposal" not in str(driver.home("U1")["blocks"])
    assert "Acme* — Proposal" in str(driver.open_home()["blocks"])


def test_a_home_tab_opened_through_one_app_instance_is_refreshed_by_a_change_on_another(
        driver, other_driver, slack):
    driver.one("new Acme 50k")
    driver.open_home()
    other_driver.one("won Acme")
    assert other_driver.refresh_homes() == 1
    assert "*Pipeline* — 0 open deals" in text_of(driver.home("U1")["blocks"])


def test_a_home_tab_for_500_deals_stays_within_100_blocks_and_shows_the_rest_on_demand(
        driver, slack, db, now):
    with db.transaction() as s:
        for n in range(500):
            deals.create_deal(s, team="T1", name=f"Deal {n}", actor="U1", now=now,
                              value=Decimal(1000 + n),
                              expected_close=date(2026, 10, 1) + timedelta(days=n % 120))
    home = driver.open_home()
    assert len(home["blocks"]) <= 100
    text = text_of(home["blocks"])
    assert "*Your open deals* (500)" in text and "… and 480 more" in text
    driver.click_view(home, ids.HOME_MORE_DEALS)
    listed = text_of(driver.opened_view()["blocks"])
    assert "Your 500 open deals" in listed and "… and 400 more" in listed


def test_new_deal_and_full_pipeline_buttons_open_their_modals(driver, slack):
    driver.one("new Acme 50k")
    home = driver.open_home()
    driver.click_view(home, ids.HOME_PIPELINE)
    modal = driver.opened_view()  # Slack takes no table in a modal: the stages are fields
    assert "*Prospecting*\n1 · $50,000" in text_of(modal["blocks"])
    assert all(b["type"] != "table" for b in modal["blocks"])
    driver.click_view(home, ids.HOME_NEW_DEAL)
    view = driver.opened_view()
    name = {ids.DEAL_FORM_NAME: {ids.DEAL_FORM_NAME: {"value": "Globex"}}}
    assert driver.submit(view, name) == {}
    [posted] = [c.body for c in slack.calls("chat.postMessage") if c.body["channel"] == "U1"]
    assert "Globex" in text_of(posted["blocks"])
    assert "Globex" in text_of(driver.home()["blocks"])


def test_a_retried_event_delivery_publishes_the_home_tab_once(driver, slack):
    def deliver(event_id: str, retry_num: int | None) -> int:
        request = event_callback(signing_secret=SIGNING_SECRET, event_id=event_id,
                                 retry_num=retry_num,
                                 event={"type": "app_home_opened", "user": "U1",
                                        "channel": "DU1", "tab": "home",
                                        "event_ts": "1700000000.000001"})
        return driver.app.dispatch(request.to_bolt()).status

    assert deliver("EvRetried", None) == 200
    assert deliver("EvRetried", 1) == 200  # Slack did not hear our 200 in time and retried
    assert deliver("EvRetried", 2) == 200
    driver.refresh_homes()
    assert len(slack.calls("views.publish")) == 1
    assert deliver("EvAnother", None) == 200  # a new opening is a new event
    driver.refresh_homes()
    assert len(slack.calls("views.publish")) == 2
