"""storage/values: amounts, dates, mentions, text as people write them. Refusals first, each
with what the user reads."""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest

import storage.values
from storage.errors import UsageError
from storage.values import (
    as_typed,
    escape,
    format_money,
    iso_week_label,
    looks_like_amount,
    parse_amount,
    parse_channel_mention,
    parse_date,
    parse_iso_week,
    parse_percent,
    parse_time_of_day,
    parse_timezone,
    parse_user_mention,
    parse_weekday,
    unescape,
)

SUNDAY = date(2026, 11, 22)  # the fixed "today" of relative dates: a Sunday
MONDAY = date(2026, 11, 23)
FRIDAY = date(2026, 11, 27)


def refusal(call: Callable[..., object], *args: object, **kwargs: object) -> str:
    """The message of the UsageError that `call` raises."""
    with pytest.raises(UsageError) as caught:
        call(*args, **kwargs)
    return caught.value.message



# --- The package itself -----------------------------------------------------------------

def test_the_values_import_only_the_standard_library_and_the_domain_errors():
    outside = set()
    for path in Path(storage.values.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for alias in node.names}
        imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        outside |= {name for name in imported if name.split(".")[0] not in sys.stdlib_module_names
                    and name != "storage.errors" and not name.startswith("storage.values")}
    assert outside == set()


# --- Amounts: refused -------------------------------------------------------------------

def test_a_word_is_not_an_amount_and_the_reply_shows_how_to_write_one():
    assert refusal(parse_amount, "50x") == (
        "`50x` is not an amount. Write it like `50000`, `50k`, `1.2m` or `$50,000`.")


@pytest.mark.parametrize("text", ["abc", "50,00", "5,0000", "1.2.3", "50 00", "1e6", "$", "k",
                                  "50kk", "50 XYZ", "usd 50", "Top 50", "50k!", "--50"])
def test_text_outside_the_amount_grammar_is_not_an_amount(text):
    assert refusal(parse_amount, text).startswith(f"`{text}` is not an amount.")


def test_an_empty_amount_is_refused_without_an_empty_code_span():
    assert refusal(parse_amount, "  ").startswith("Nothing is not an amount.")


@pytest.mark.parametrize("text", ["-50k", "-$50", "$-50", "−500", "- 50"])
def test_a_negative_amount_is_refused(text):
    assert refusal(parse_amount, text) == f"`{text}` is negative: an amount is 0 or more."


@pytest.mark.parametrize("text", ["1000000000000.01", "1001bn", "1,000,000,000,001", "2000b",
                                  "9" * 40])
def test_an_amount_over_a_trillion_is_refused_and_names_the_largest_value(text):
    assert refusal(parse_amount, text).endswith(
        "is too large: the largest value is 1,000,000,000,000.")


def test_an_amount_in_another_currency_is_refused_and_names_both_currencies():
    message = refusal(parse_amount, "50 EUR", currency="USD")
    assert message == ("`50 EUR` is in EUR, but this workspace counts money in USD. "
                       "Leave the currency out to mean USD, like `50k`.")


@pytest.mark.parametrize(("text", "written_in"), [("€50", "EUR"), ("£50", "GBP"),
                                                  ("$50", "USD"), ("50k sek", "SEK")])
def test_a_currency_symbol_or_code_must_be_the_workspaces_own(text, written_in):
    message = refusal(parse_amount, text, currency="NOK")
    assert f"is in {written_in}, but this workspace counts money in NOK" in message


def test_kroner_are_refused_in_a_workspace_that_does_not_count_in_kroner():
    message = refusal(parse_amount, "500 kr", currency="USD")
    assert message.startswith("`500 kr` is in kroner (`kr` is NOK, SEK or DKK)")
    assert "counts money in USD" in message


def test_a_point_before_three_digits_is_refused_as_ambiguous_rather_than_guessed():
    message = refusal(parse_amount, "€1.200", currency="EUR")
    assert message == ("`€1.200` is ambiguous: the point could separate thousands. "
                       "Write `1200` for 1,200, or use at most two decimals.")


def test_a_very_long_amount_is_quoted_shortened_in_the_reply():
    message = refusal(parse_amount, "x" * 500)
    assert "x" * 59 + "…`" in message and "x" * 61 not in message


# --- Amounts: read ----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "value"), [
    ("50000", "50000.00"), ("50k", "50000.00"), ("50K", "50000.00"), ("1.2m", "1200000.00"),
    ("1.5bn", "1500000000.00"), ("1b", "1000000000.00"), ("1.200k", "1200.00"),
    ("$50,000", "50000.00"), ("$ 50,000", "50000.00"), ("50,000.50", "50000.50"),
    ("1,200,000", "1200000.00"), ("50 000", "50000.00"), ("0.5k", "500.00"), ("0", "0.00"),
    ("50k USD", "50000.00"), ("USD 50k", "50000.00"), ("50 usd", "50.00"),
    ("$50 USD", "50.00"), ("12.5", "12.50"), ("0.005", "0.01"), ("50000.505", "50000.51"),
])
def test_amounts_are_read_as_decimals_in_cents(text, value):
    amount = parse_amount(text, currency="USD")
    assert isinstance(amount, Decimal) and str(amount) == value


@pytest.mark.parametrize("text", ["1,000,000,000,000", "1000bn", "1000000000000"])
def test_exactly_a_trillion_is_allowed(text):
    assert parse_amount(text) == Decimal("1000000000000.00")


@pytest.mark.parametrize("text", ["50 000 NOK", "50 000 nok", "NOK 50 000", "kr 50 000",
                                  "50 000 kr", "50000kr", "50\u00a0000 NOK", "50k NOK"])
def test_kroner_amounts_are_read_with_spaces_between_thousands(text):
    assert parse_amount(text, currency="NOK") == Decimal("50000.00")


@pytest.mark.parametrize("currency", ["SEK", "DKK"])
def test_kr_is_accepted_in_any_kroner_workspace(currency):
    assert parse_amount("1 500 kr", currency=currency) == Decimal("1500.00")


def test_a_bare_number_is_in_the_workspaces_currency():
    assert parse_amount("75k", currency="EUR") == Decimal("75000.00")
    assert parse_amount("€75k", currency="eur") == Decimal("75000.00")


@pytest.mark.parametrize("text", ["50k", "50 000 NOK", "-50k", "50 EUR", "3M", "€1.200",
                                  "1001bn", "kr 50"])
def test_anything_written_as_an_amount_looks_like_one_even_when_it_will_be_refused(text):
    assert looks_like_amount(text)


@pytest.mark.parametrize("text", ["Acme", "3M Company", "Q4", "50x", "Top 50", "Bob 20k",
                                  "2026-12-01", "#12", "", "50 box", "Corp 50k"])
def test_names_do_not_look_like_amounts(text):
    assert not looks_like_amount(text)


# --- Dates: refused ---------------------------------------------------------------------

def test_a_day_a_month_does_not_have_is_refused_by_name():
    assert refusal(parse_date, "2026-02-30", today=SUNDAY) == (
        "`2026-02-30` is not a date: February 30 does not exist.")


def test_february_29_in_a_common_year_is_refused_as_not_a_leap_year():
    assert refusal(parse_date, "2027-02-29", today=SUNDAY) == (
        "`2027-02-29` is not a date: February 29 does not exist in 2027, "
        "which is not a leap year.")


def test_february_29_in_a_leap_year_is_a_date():
    assert parse_date("2028-02-29", today=SUNDAY) == date(2028, 2, 29)
    assert parse_date("29 feb 2028", today=SUNDAY) == date(2028, 2, 29)


@pytest.mark.parametrize(("text", "reason"), [
    ("2026-13-01", "there is no month 13"), ("2026-00-10", "there is no month 0"),
    ("31 nov", "November 31 does not exist"), ("30 feb", "February 30 does not exist"),
    ("dec 32", "December 32 does not exist"), ("0 dec", "December 0 does not exist"),
    ("2026-04-31", "April 31 does not exist"),
])
def test_impossible_dates_say_what_does_not_exist(text, reason):
    assert refusal(parse_date, text, today=SUNDAY) == f"`{text}` is not a date: {reason}."


@pytest.mark.parametrize("text", ["12/01", "1/12/2026", "01.12.2026", "2026/12/01", "12.01"])
def test_numeric_dates_with_slashes_or_dots_are_refused_as_ambiguous(text):
    assert refusal(parse_date, text, today=SUNDAY) == (
        f"`{text}` could be read more than one way. Write the date as year-month-day, "
        "like `2026-12-01`, or as `1 dec`.")


@pytest.mark.parametrize("text", ["someday", "next", "in weeks", "fr", "month", "in 2 fortnights",
                                  "next decade", "friday week", "26-12-01", "0999-01-01"])
def test_words_that_are_not_dates_are_refused_with_the_forms_that_work(text):
    assert refusal(parse_date, text, today=SUNDAY) == (
        f"`{text}` is not a date I can read. Write it like `2026-12-01`, `1 dec`, `friday`, "
        "`next week`, `in 2 weeks` or `end of month`.")


def test_an_empty_date_asks_which_date():
    assert refusal(parse_date, " ", today=SUNDAY).startswith("Which date? Write it like")


@pytest.mark.parametrize("text", ["in 11 years", "2036-11-23", "2016-11-21", "in 99999 years",
                                  "in 9999999999 days", "in 121 months", "9999-12-31"])
def test_dates_more_than_ten_years_from_today_are_refused(text):
    assert refusal(parse_date, text, today=SUNDAY) == (
        f"`{text}` is too far from today: give a date within 10 years.")


@pytest.mark.parametrize(("text", "expected"), [
    ("2036-11-22", date(2036, 11, 22)), ("2016-11-22", date(2016, 11, 22)),
    ("in 10 years", date(2036, 11, 22)), ("in 120 months", date(2036, 11, 22)),
])
def test_dates_exactly_ten_years_away_are_allowed(text, expected):
    assert parse_date(text, today=SUNDAY) == expected


# --- Dates: read ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("2026-12-01", date(2026, 12, 1)), ("2026-1-5", date(2026, 1, 5)),
    ("today", SUNDAY), ("TODAY", SUNDAY), ("tomorrow", MONDAY), ("yesterday", date(2026, 11, 21)),
    ("1 dec", date(2026, 12, 1)), ("dec 1", date(2026, 12, 1)), ("December 1st", date(2026, 12, 1)),
    ("1 december 2026", date(2026, 12, 1)), ("dec 1, 2026", date(2026, 12, 1)),
    ("1st of December", date(2026, 12, 1)), ("Sept 3", date(2027, 9, 3)),
    ("3 march 2027", date(2027, 3, 3)),
])
def test_iso_dates_and_calendar_words_are_read_in_any_case(text, expected):
    assert parse_date(text, today=SUNDAY) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("22 nov", SUNDAY), ("21 nov", date(2027, 11, 21)), ("jan 5", date(2027, 1, 5)),
    ("29 feb", date(2028, 2, 29)),
])
def test_a_day_without_a_year_is_its_next_occurrence_on_or_after_today(text, expected):
    assert parse_date(text, today=SUNDAY) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("monday", MONDAY), ("mon", MONDAY), ("tue", date(2026, 11, 24)),
    ("Thurs", date(2026, 11, 26)), ("fri", FRIDAY), ("Friday", FRIDAY),
    ("sat", date(2026, 11, 28)), ("sunday", date(2026, 11, 29)),
])
def test_a_weekday_is_its_next_occurrence_after_today(text, expected):
    assert parse_date(text, today=SUNDAY) == expected


def test_a_weekday_named_on_that_same_weekday_means_a_week_later():
    assert parse_date("friday", today=FRIDAY) == date(2026, 12, 4)


def test_next_weekday_is_that_day_in_next_week():
    assert parse_date("next friday", today=SUNDAY) == FRIDAY  # next week starts tomorrow
    assert parse_date("next friday", today=MONDAY) == date(2026, 12, 4)
    assert parse_date("next mon", today=FRIDAY) == date(2026, 11, 30)


@pytest.mark.parametrize(("text", "today", "expected"), [
    ("next week", SUNDAY, MONDAY), ("next week", MONDAY, date(2026, 11, 30)),
    ("next month", SUNDAY, date(2026, 12, 1)), ("next month", date(2026, 12, 15), date(2027, 1, 1)),
    ("next quarter", SUNDAY, date(2027, 1, 1)),
    ("next quarter", date(2027, 2, 3), date(2027, 4, 1)),
    ("next year", SUNDAY, date(2027, 1, 1)),
])
def test_next_week_month_quarter_and_year_are_their_first_day(text, today, expected):
    assert parse_date(text, today=today) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("in 3 days", date(2026, 11, 25)), ("in 1 day", MONDAY), ("in 0 days", SUNDAY),
    ("in 2 weeks", date(2026, 12, 6)), ("in a week", date(2026, 11, 29)),
    ("in 1 month", date(2026, 12, 22)), ("in 3 months", date(2027, 2, 22)),
    ("in 1 year", date(2027, 11, 22)), ("In 2 Weeks", date(2026, 12, 6)),
])
def test_in_n_days_weeks_months_or_years_counts_from_today(text, expected):
    assert parse_date(text, today=SUNDAY) == expected


@pytest.mark.parametrize(("today", "expected"), [
    (date(2028, 1, 31), date(2028, 2, 29)), (date(2027, 1, 31), date(2027, 2, 28)),
    (date(2026, 8, 31), date(2026, 9, 30)),
])
def test_in_a_month_from_a_long_months_end_is_the_last_day_of_the_shorter_month(today, expected):
    assert parse_date("in 1 month", today=today) == expected


def test_in_a_year_from_february_29_is_february_28():
    assert parse_date("in 1 year", today=date(2028, 2, 29)) == date(2029, 2, 28)


@pytest.mark.parametrize("text", ["end of month", "eom", "End of the month", "EOM"])
def test_end_of_month_is_its_last_day(text):
    assert parse_date(text, today=SUNDAY) == date(2026, 11, 30)


def test_end_of_month_in_a_leap_february_is_the_29th():
    assert parse_date("end of month", today=date(2028, 2, 10)) == date(2028, 2, 29)
    assert parse_date("eom", today=date(2027, 2, 10)) == date(2027, 2, 28)


@pytest.mark.parametrize(("today", "expected"), [
    (SUNDAY, FRIDAY), (MONDAY, FRIDAY), (FRIDAY, FRIDAY),
    (date(2026, 11, 28), date(2026, 12, 4)),
])
def test_end_of_week_is_the_friday_on_or_after_today(today, expected):
    assert parse_date("end of week", today=today) == expected
    assert parse_date("eow", today=today) == expected


@pytest.mark.parametrize(("text", "today", "expected"), [
    ("end of quarter", SUNDAY, date(2026, 12, 31)), ("eoq", date(2027, 5, 10), date(2027, 6, 30)),
    ("end of quarter", date(2027, 1, 1), date(2027, 3, 31)),
    ("end of year", SUNDAY, date(2026, 12, 31)), ("eoy", date(2027, 1, 1), date(2027, 12, 31)),
])
def test_end_of_quarter_and_end_of_year_are_their_last_day(text, today, expected):
    assert parse_date(text, today=today) == expected


# --- Mentions ---------------------------------------------------------------------------

@pytest.mark.parametrize(("token", "typed"), [
    ("@ann", "@ann"), ("<@ann>", "@ann"), ("<@U12", "<@U12"), ("ann", "ann"),
    ("<#C123|sales>", "#sales"), ("<@u123>", "@u123"), ("<!here>", "@here"),
])
def test_a_user_that_is_not_a_slack_mention_is_refused_with_how_to_pick_one(token, typed):
    assert refusal(parse_user_mention, token) == (
        f"`{typed}` is not a mention of a Slack user. Type `@` and pick the person from "
        "the list Slack suggests.")


@pytest.mark.parametrize(("token", "user"), [
    ("<@U123|ann>", "U123"), ("<@U123>", "U123"), ("<@W0ABC|ann smith>", "W0ABC"),
    (" <@U1> ", "U1"),
])
def test_a_user_mention_gives_the_user_id(token, user):
    assert parse_user_mention(token) == user


@pytest.mark.parametrize(("token", "typed"), [
    ("#sales", "#sales"), ("<#sales>", "#sales"), ("<@U1>", "@U1"), ("<#C12", "<#C12"),
    ("<#D123|dm>", "#dm"),
])
def test_a_channel_that_is_not_a_slack_mention_is_refused_with_how_to_pick_one(token, typed):
    assert refusal(parse_channel_mention, token) == (
        f"`{typed}` is not a mention of a Slack channel. Type `#` and pick the channel from "
        "the list Slack suggests.")


@pytest.mark.parametrize(("token", "channel"), [
    ("<#C123|sales>", "C123"), ("<#C123>", "C123"), ("<#G0AB|private>", "G0AB"),
])
def test_a_channel_mention_gives_the_channel_id(token, channel):
    assert parse_channel_mention(token) == channel


def test_unescape_decodes_exactly_the_three_entities_slack_encodes():
    assert unescape("R&amp;D &lt;3 &gt; &quot;x&quot; &nbsp;") == 'R&D <3 > &quot;x&quot; &nbsp;'


def test_unescape_decodes_once_so_an_escaped_entity_stays_literal():
    assert unescape("&amp;lt;") == "&lt;"


@pytest.mark.parametrize(("sent", "typed"), [
    ("<http://acme.io|acme.io>", "acme.io"),  # Slack auto-linked what was typed
    ("<http://www.acme.io/x|www.acme.io/x>", "www.acme.io/x"),
    ("<https://acme.io/a?b=1&amp;c=2>", "https://acme.io/a?b=1&c=2"),
    ("<mailto:jane@acme.test|jane@acme.test>", "jane@acme.test"),
    ("<tel:+4712345678|+47 12 34 56 78>", "+47 12 34 56 78"),
    ("<https://evil.example/x|click>", "click (https://evil.example/x)"),  # nothing hidden
    ("<mailto:jane@acme.test|Jane>", "Jane (jane@acme.test)"),
    ("call <@U123|bob>", "call @bob"), ("<@U123>", "@U123"), ("<#C1|sales>", "#sales"),
    ("<!channel> <!here> <!everyone>", "@channel @here @everyone"),
    ("<!subteam^S1|@sales> <!subteam^S2>", "@sales @S2"),
    ("<!date^1700000000^{date}|Nov 14>", "Nov 14"),
    ("A &amp; B &lt;b&gt; &amp;lt;", "A & B <b> &lt;"),  # typed literally: stays literal
    ("plain words, 50% off", "plain words, 50% off"),
])
def test_as_typed_unwraps_slacks_markup_into_what_the_person_typed(sent, typed):
    assert as_typed(sent) == typed


def test_escape_encodes_exactly_ampersand_and_angle_brackets():
    assert escape("R&D <b> \"*_'") == "R&amp;D &lt;b&gt; \"*_'"
    assert unescape(escape("a & <b> &amp;")) == "a & <b> &amp;"


# --- Percent, time of day, time zone, weekday, ISO week ---------------------------------

@pytest.mark.parametrize(("text", "message"), [
    ("abc", "`abc` is not a percentage. Write a whole number from 0 to 100, like `35` or `35%`."),
    ("35 percent", "`35 percent` is not a percentage. Write a whole number from 0 to 100, "
                   "like `35` or `35%`."),
    ("35.5", "`35.5` is not a whole number: write a whole percentage, like `35`."),
    ("101", "`101` is out of range: a percentage lies between 0 and 100."),
    ("-1%", "`-1%` is out of range: a percentage lies between 0 and 100."),
])
def test_a_percentage_outside_whole_numbers_from_0_to_100_is_refused(text, message):
    assert refusal(parse_percent, text) == message


@pytest.mark.parametrize(("text", "percent"), [("35", 35), ("35%", 35), (" 35 % ", 35), ("0", 0),
                                               ("100%", 100), ("007", 7)])
def test_a_percentage_is_read_with_or_without_the_sign(text, percent):
    assert parse_percent(text) == percent


@pytest.mark.parametrize("text", ["24:00", "9:60", "13pm", "0am", "9", "9.30", "noon", "9:5"])
def test_a_time_of_day_that_does_not_exist_is_refused(text):
    assert refusal(parse_time_of_day, text) == (
        f"`{text}` is not a time of day. Write it like `09:30`, `9am` or `5:30pm`.")


@pytest.mark.parametrize(("text", "expected"), [
    ("09:30", time(9, 30)), ("9:30", time(9, 30)), ("23:59", time(23, 59)), ("00:00", time(0)),
    ("9am", time(9)), ("5:30pm", time(17, 30)), ("5:30 P.M.", time(17, 30)), ("12am", time(0)),
    ("12pm", time(12)), ("12:15am", time(0, 15)),
])
def test_times_of_day_are_read_in_24_hour_or_am_pm_form(text, expected):
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize("text", ["Oslo", "Europe/Osloo", "../etc/passwd", "localtime", "+02:00"])
def test_an_unknown_time_zone_is_refused_with_an_example(text):
    assert refusal(parse_timezone, text) == (
        f"`{text}` is not a time zone I know. Use an IANA name like `Europe/Oslo` "
        "or `America/New_York`.")


@pytest.mark.parametrize(("text", "zone"), [
    ("Europe/Oslo", "Europe/Oslo"), ("europe/oslo", "Europe/Oslo"), ("UTC", "UTC"),
    (" America/New_York ", "America/New_York"),
])
def test_a_time_zone_is_given_back_in_its_own_spelling(text, zone):
    assert parse_timezone(text) == zone


@pytest.mark.parametrize("text", ["funday", "mo", "", "monday morning"])
def test_a_word_that_is_not_a_weekday_is_refused(text):
    assert refusal(parse_weekday, text).endswith(
        "is not a day of the week. Write it like `monday` or `mon`.")


@pytest.mark.parametrize(("text", "day"), [
    ("monday", "mon"), ("Mon", "mon"), ("tues", "tue"), ("WEDNESDAY", "wed"),
    ("thurs", "thu"), ("fri", "fri"), ("saturday", "sat"), ("sun", "sun"),
])
def test_a_weekday_is_given_back_as_its_three_letter_name(text, day):
    assert parse_weekday(text) == day


@pytest.mark.parametrize(("text", "message"), [
    ("2026-W54", "`2026-W54` does not exist: 2026 has no week 54; its weeks run from 1 to 53."),
    ("2025-W53", "`2025-W53` does not exist: 2025 has no week 53; its weeks run from 1 to 52."),
    ("2026-W00", "`2026-W00` does not exist: 2026 has no week 0; its weeks run from 1 to 53."),
    ("2026-02-30", "`2026-02-30` is not a date: February 30 does not exist."),
    ("W47", "`W47` is not a week. Write it like `2026-W47`, or a date in the week like "
            "`2026-11-16`."),
    ("next week", "`next week` is not a week. Write it like `2026-W47`, or a date in the week "
                  "like `2026-11-16`."),
])
def test_a_week_that_does_not_exist_is_refused(text, message):
    assert refusal(parse_iso_week, text) == message


@pytest.mark.parametrize(("text", "monday"), [
    ("2026-W47", date(2026, 11, 16)), ("2026-w47", date(2026, 11, 16)),
    ("2026W47", date(2026, 11, 16)), ("2026-W53", date(2026, 12, 28)),
    ("2026-W01", date(2025, 12, 29)), ("2026-11-22", date(2026, 11, 16)),
    ("2026-11-16", date(2026, 11, 16)), ("2027-01-01", date(2026, 12, 28)),
    ("2028-02-29", date(2028, 2, 28)),
])
def test_a_week_or_a_date_in_it_gives_its_monday(text, monday):
    assert parse_iso_week(text) == monday


# --- Money and weeks as text ------------------------------------------------------------

@pytest.mark.parametrize(("amount", "currency", "text"), [
    (Decimal("50000"), "USD", "$50,000"), (Decimal("1250.50"), "EUR", "€1,250.50"),
    (Decimal("50000.00"), "NOK", "50,000 NOK"), (Decimal("0"), "GBP", "£0")])
def test_money_is_written_with_its_symbol_or_its_code(amount, currency, text):
    assert format_money(amount, currency) == text


@pytest.mark.parametrize(("day", "label"), [(date(2026, 11, 16), "2026-W47"),
                                            (date(2027, 1, 1), "2026-W53"),
                                            (date(2024, 12, 30), "2025-W01")])
def test_the_iso_week_label_uses_the_iso_year(day, label):
    assert iso_week_label(day) == label
