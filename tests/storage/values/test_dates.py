"""storage/values/dates.py: dates, weeks, times of day and time zones as people write them.
Tables of forms, refusals first, each with what the user reads."""

from __future__ import annotations

from datetime import date, time

import pytest

from storage.values import (
    day_first_date,
    iso_week_label,
    parse_date,
    parse_iso_week,
    parse_time_of_day,
    parse_timezone,
    parse_weekday,
)
from tests.storage.values import refusal

SUNDAY = date(2026, 11, 22)  # the fixed "today" of relative dates: a Sunday
MONDAY = date(2026, 11, 23)
FRIDAY = date(2026, 11, 27)

# --- Dates: refused ---------------------------------------------------------------------

IMPOSSIBLE = [  # (text, what does not exist)
    ("2026-02-30", "there is no 30 February 2026"), ("31.02.2026", "there is no 31 February 2026"),
    ("30.02.", "there is no 30 February in any year"), ("31.04.2027", "there is no 31 April 2027"),
    ("2026-04-31", "there is no 31 April 2026"), ("31 nov", "there is no 31 November in any year"),
    ("30 feb", "there is no 30 February in any year"),
    ("0.12.", "there is no 0 December in any year"),
    ("dec 32", "there is no 32 December in any year"),
    ("0 dec", "there is no 0 December in any year"),
    ("2027-02-29", "there is no 29 February in 2027, which is not a leap year"),
    ("29.02.2027", "there is no 29 February in 2027, which is not a leap year"),
    ("2026-13-01", "there is no month 13"), ("2026-00-10", "there is no month 0"),
    ("13.13.2026", "there is no month 13"), ("1.0.", "there is no month 0"),
    ("31 february 2026", "there is no 31 February 2026"),
]


@pytest.mark.parametrize(("text", "reason"), IMPOSSIBLE)
def test_a_date_that_does_not_exist_is_called_that_not_ambiguous(text, reason):
    assert refusal(parse_date, text, today=SUNDAY) == f"`{text}` is not a date: {reason}."


def test_february_29_in_a_leap_year_is_a_date():
    assert parse_date("2028-02-29", today=SUNDAY) == date(2028, 2, 29)
    assert parse_date("29 feb 2028", today=SUNDAY) == date(2028, 2, 29)
    assert parse_date("29.02.2028", today=SUNDAY) == date(2028, 2, 29)


AMBIGUOUS = ["12/01", "1/12/2026", "3/4/2026", "2026/12/01", "12.01", "31.12", "31.12.26",
             "2026.12.01", "1.12.26.", "12/31"]


@pytest.mark.parametrize("text", AMBIGUOUS)
def test_other_numeric_dates_with_slashes_or_dots_are_refused_as_ambiguous(text):
    assert refusal(parse_date, text, today=SUNDAY) == (
        f"`{text}` could be read more than one way. Write the date as year-month-day, "
        "like `2026-12-01`, day first with dots, like `1.12.2026`, or as `1 dec`.")

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


DAY_FIRST = [  # (text, date) with today Sunday 22 November 2026
    ("31.12.2026", date(2026, 12, 31)), ("1.3.2027", date(2027, 3, 1)),
    ("01.03.2027", date(2027, 3, 1)), ("31.12.", date(2026, 12, 31)),
    ("22.11.", SUNDAY), ("21.11.", date(2027, 11, 21)), ("1.1.", date(2027, 1, 1)),
    ("29.02.", date(2028, 2, 29)), (" 31.12.2026 ", date(2026, 12, 31)),
]


@pytest.mark.parametrize(("text", "expected"), DAY_FIRST)
def test_day_first_dotted_dates_are_read_and_without_a_year_are_the_next_one(text, expected):
    assert parse_date(text, today=SUNDAY) == expected


@pytest.mark.parametrize("text", ["2026-12-31", "31/12/2026", "31.12", "dec 31", ""])
def test_the_dotted_reader_the_import_shares_leaves_other_forms_alone(text):
    assert day_first_date(text, today=SUNDAY) is None


def test_a_dotted_date_more_than_ten_years_away_is_refused_as_too_far():
    assert refusal(parse_date, "1.12.2037", today=SUNDAY) == (
        "`1.12.2037` is too far from today: give a date within 10 years.")


# --- Time of day, time zone, weekday, ISO week ---------------------------------------



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
    ("2026-02-30", "`2026-02-30` is not a date: there is no 30 February 2026."),
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


@pytest.mark.parametrize(("day", "label"), [(date(2026, 11, 16), "2026-W47"),
                                            (date(2027, 1, 1), "2026-W53"),
                                            (date(2024, 12, 30), "2025-W01")])
def test_the_iso_week_label_uses_the_iso_year(day, label):
    assert iso_week_label(day) == label
