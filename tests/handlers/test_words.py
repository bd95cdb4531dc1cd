"""Words as people read them: a count and its noun agree (1 deal, 2 deals), a change says what
happened (back to the stage's weight, assigned to themselves), and dates have one format per
kind: a day `Mon 23 Nov 2026`, a time `today at 09:00` or `Mon 23 Nov 2026 at 09:00`."""

from __future__ import annotations

import pytest

from handlers.blocks.format import at_time, moment
from handlers.blocks.history import describe
from storage.reports import forecast
from storage.values import counted

pytestmark = pytest.mark.usefixtures("db")


@pytest.mark.parametrize(("count", "words"), [
    (0, "0 deals"), (1, "1 deal"), (2, "2 deals"), (1250, "1,250 deals")])
def test_a_count_agrees_with_its_noun(count, words):
    assert counted(count, "deal") == words
    assert counted(count, "entry", "entries") == words.replace("deals", "entries").replace(
        "deal", "entry")


def test_deal_and_lead_lists_count_one_and_two(driver):
    driver.one("new Acme 5k")
    one = driver.one("list")
    assert one.body["text"] == "1 deal" and "*1 deal*" in one.text
    driver.one("new Globex 7k")
    assert driver.one("list").body["text"] == "2 deals"
    driver.one("add Jane Roe", command="/lead")
    assert driver.one("list", command="/lead").body["text"] == "1 lead"
    driver.one("add Ola Nordmann", command="/lead")
    assert driver.one("list", command="/lead").body["text"] == "2 leads"


def test_the_pipeline_counts_one_open_deal_and_two(driver):
    driver.one("new Acme 5k")
    one = driver.one("", command="/pipeline")
    assert "*Open:* 1 deal · " in one.text
    assert one.body["text"].startswith("Pipeline: 1 open deal, $5,000 ")
    driver.one("new Globex 5k")
    two = driver.one("", command="/pipeline")
    assert "*Open:* 2 deals · " in two.text
    assert two.body["text"].startswith("Pipeline: 2 open deals, $10,000 ")


@pytest.mark.parametrize("weeks", [1, 2])
def test_the_forecast_counts_one_open_deal_and_two_and_its_weeks(driver, monkeypatch, weeks):
    monkeypatch.setattr(forecast, "WINDOW_WEEKS", weeks)  # how far back rates are counted
    driver.one("new Acme 5k")
    one = driver.one("forecast", command="/pipeline").text
    window = counted(weeks, "week")
    assert f"*Velocity ({window}):* 1 open deal × " in one
    assert f"share of the leads in that stage in the last {window} that are customers" in one
    driver.one("new Globex 5k")
    assert f"*Velocity ({window}):* 2 open deals × " in driver.one(
        "forecast", command="/pipeline").text


def test_a_deal_idle_one_day_says_1_day(driver, clock):
    driver.one("settings stale 1", user="UADMIN")
    driver.one("new Acme 5k")
    clock.advance(days=1, hours=1)  # stale: idle more than the limit
    assert "idle 1 day" in driver.one("", command="/pipeline").text
    clock.advance(days=1)
    assert "idle 2 days" in driver.one("", command="/pipeline").text


def test_stale_limits_of_one_day_say_1_day(driver):
    reply = driver.one("settings stale 1", user="UADMIN")
    assert "Deals now go stale after 1 day without activity (it was 14 days)." in reply.text
    assert "Deals already go stale after 1 day; nothing changed." in driver.one(
        "settings stale 1", user="UADMIN").text
    assert "Deals go stale after 1 day without activity" in driver.one("settings").text
    rotting = driver.one("stages rotting proposal 1", user="UADMIN")
    assert "Deals in *Proposal* go stale after 1 day without activity." in rotting.text
    assert "*Proposal* — 60%, stale after 1 day\n" in driver.one("stages").text
    driver.one("stages rotting proposal 2", user="UADMIN")
    assert "*Proposal* — 60%, stale after 2 days" in driver.one("stages").text
    assert "keep it: Proposal (2 days)" in driver.one("settings stale 3", user="UADMIN").text


def test_digests_are_counted_one_and_two(driver):
    driver.one("subscribe <#C2|sales> daily", command="/pipeline", user="UADMIN")
    one = driver.one("subscriptions", command="/pipeline")
    assert one.body["text"] == "1 digest" and one.text.startswith("*1 digest*\n")
    driver.one("subscribe <#C3|leads> monday", command="/funnel", user="UADMIN")
    assert driver.one("subscriptions", command="/pipeline").body["text"] == "2 digests"


def test_a_probability_put_back_to_the_stages_weight_says_so(driver):
    driver.one("new Acme 5k")
    driver.one("probability Acme 35")
    back = driver.one("probability Acme stage")
    assert "set the probability of this back to its stage's weight" in back.text
    history = driver.one("history Acme").text
    assert "changed the probability of it to 35%" in history
    assert "set the probability of it back to its stage's weight" in history
    assert "to nothing" not in history


def test_assigning_a_deal_to_oneself_says_themselves(driver):
    driver.one("new Acme 5k owner:<@U3|cy>")
    mine = driver.one("assign Acme <@U1|ann>")
    assert "<@U1> assigned this to themselves" in mine.text
    theirs = driver.one("assign Acme <@U2|bob>")
    assert "<@U1> assigned this to <@U2>" in theirs.text
    history = driver.one("history Acme").text
    assert "<@U1> assigned it to themselves" in history and "<@U1> assigned it to <@U2>" in history


def test_a_cleared_field_says_cleared_not_to_nothing():
    from datetime import UTC, datetime

    from storage.deals.views import EventView
    from storage.kinds import EventKind

    event = EventView(at=datetime(2026, 11, 22, tzinfo=UTC), actor="U1", kind=EventKind.EDIT,
                      from_stage=None, to_stage=None, field="expected_close",
                      old_value="2026-12-01", new_value=None)
    assert describe(event) == "<@U1> cleared the expected close of this"


def test_times_read_today_at_on_their_day_and_the_day_otherwise():
    from datetime import UTC, date, datetime

    at = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert at_time(at, today=date(2026, 11, 23)) == "today at 09:00"
    assert at_time(at, today=date(2026, 11, 22)) == "Mon 23 Nov 2026 at 09:00"
    assert at_time(at) == "Mon 23 Nov 2026 at 09:00"
    assert moment(at).endswith("|Mon 23 Nov 2026 at 09:00 UTC>")


def test_a_digest_starting_today_says_today_at_and_one_tomorrow_its_day(driver):
    reply = driver.one("subscribe daily at 15:00", command="/pipeline", user="UADMIN")
    assert "The first one arrives" in reply.text and "(today at 15:00 UTC)." in reply.text
    later = driver.one("subscribe <#C2|sales> daily at 9:00", command="/pipeline", user="UADMIN")
    assert "(Mon 23 Nov 2026 at 09:00 UTC)." in later.text  # now: Sunday 22 Nov, 12:00 UTC


def test_spend_names_the_monday_as_a_day(driver):
    reply = driver.one("spend 2.5k source:webinar week:2026-11-18", command="/funnel",
                       user="UADMIN")
    assert "for the week 2026-W47 (from Mon 16 Nov 2026)." in reply.text


@pytest.mark.parametrize("zone", ["Mars/Base", "Factory", "+02:00"])
def test_a_subscription_zone_is_checked_as_the_workspace_zone_is(driver, zone):
    settings = driver.one(f"settings timezone {zone}", user="UADMIN")
    reply = driver.one(f"subscribe tz:{zone}", command="/pipeline", user="UADMIN")
    said = f"`{zone}` is not a time zone I know. Use an IANA name like `Europe/Oslo`"
    assert said in settings.text and said in reply.text
    assert reply.ephemeral and "*Usage:* `/pipeline subscribe [#channel]" in reply.text
    assert "No digests yet" in driver.one("subscriptions", command="/pipeline").text


def test_a_zone_is_one_word_so_words_after_it_are_read_as_the_rest_of_the_command(driver):
    reply = driver.one("subscribe <#C2|sales> tz:europe/oslo weekdays at 8:30",
                       command="/pipeline", user="UADMIN")
    assert "on weekdays at 08:30 (Europe/Oslo)" in reply.text
    funnel = driver.one("subscribe tz:America/New_York friday at 16:00", command="/funnel",
                        user="UADMIN")
    assert "on Fri at 16:00 (America/New_York)" in funnel.text
