"""Dates, weeks, times of day and time zones as people write them. Pure functions: no clock
(`today` is a parameter). Bad input raises `UsageError` saying what was wrong.

- Dates: a weekday (`friday`) is its next occurrence after today, so on a Friday it is a week
  away; `next friday` is the Friday of next week (weeks start on Monday). `end of week` is the
  Friday on or after today, the end of the work week. A day without a year (`1 dec`) is its
  next occurrence on or after today. `in 1 month` from January 31 is the last day of February.
  Day first with dots, as Norway and Germany write it and the import reads it: `31.12.2026`,
  or `31.12.` for its next occurrence on or after today. Other numeric forms with `/` or `.`
  (`3/4/2026`, `12.01`, `31.12.26`) are refused as ambiguous. A date that does not exist
  (`31.02.2026`, `2026-02-30`, `30.02.`) is refused as that, never as ambiguous. Dates more
  than 10 years before or after today are refused.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, time, timedelta
from functools import cache
from zoneinfo import available_timezones

from storage.errors import UsageError
from storage.values.text import quoted


def iso_week_label(day: date) -> str:
    """`2026-W47`: the ISO week `day` falls in."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_time_of_day(text: str) -> time:
    """`09:30`, `9:30` (24-hour), `9am`, `5:30pm`, `12am` (midnight) -> a time."""
    words = text.strip().lower()
    if found := re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", words):
        return time(int(found[1]), int(found[2]))
    if found := re.fullmatch(r"(0?[1-9]|1[0-2])(?::([0-5]\d))? ?([ap])\.?m\.?", words):
        return time(int(found[1]) % 12 + (12 if found[3] == "p" else 0), int(found[2] or 0))
    raise UsageError(f"{quoted(text)} is not a time of day. "
                     "Write it like `09:30`, `9am` or `5:30pm`.")


@cache
def _zone_names() -> dict[str, str]:
    # `localtime` is whatever zone the host runs in, `Factory` the database's "no zone set":
    # neither is something a team can mean
    return {name.lower(): name for name in available_timezones() - {"localtime", "Factory"}}


def parse_timezone(text: str) -> str:
    """An IANA time zone name in its own spelling: `europe/oslo` -> `Europe/Oslo`."""
    if name := _zone_names().get(text.strip().lower()):
        return name
    raise UsageError(f"{quoted(text)} is not a time zone I know. "
                     "Use an IANA name like `Europe/Oslo` or `America/New_York`.")


# --- Dates ------------------------------------------------------------------------------

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_YEAR = r"([1-9]\d{3})"
_ISO_DATE = re.compile(rf"{_YEAR}-(\d{{1,2}})-(\d{{1,2}})")
_DAY_MONTH = re.compile(rf"(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?([a-z]+)(?: {_YEAR})?")
_MONTH_DAY = re.compile(rf"([a-z]+) (\d{{1,2}})(?:st|nd|rd|th)?(?: {_YEAR})?")
_DATE_FORMS = ("Write it like `2026-12-01`, `1 dec`, `friday`, `next week`, `in 2 weeks` "
               "or `end of month`.")


def _prefix_index(word: str, names: tuple[str, ...]) -> int | None:
    """Which name `word` starts, given at least 3 letters: `fri`, `thurs`, `sept`."""
    if len(word) >= 3:
        for index, name in enumerate(names):
            if name.startswith(word):
                return index
    return None


def parse_weekday(text: str) -> str:
    """`Monday`, `mon`, `tues` ... -> the three-letter name, `mon` to `sun`."""
    if (index := _prefix_index(text.strip().lower(), _WEEKDAYS)) is None:
        raise UsageError(f"{quoted(text)} is not a day of the week. "
                         "Write it like `monday` or `mon`.")
    return _WEEKDAYS[index][:3]


def parse_iso_week(text: str) -> date:
    """The Monday of an ISO week, from `2026-W47` or from any ISO date in that week."""
    words = text.strip().lower()
    if found := re.fullmatch(rf"{_YEAR}-?w(\d{{1,2}})", words):
        year, week = int(found[1]), int(found[2])
        weeks = date(year, 12, 28).isocalendar().week
        if not 1 <= week <= weeks:
            raise UsageError(f"{quoted(text)} does not exist: {year} has no week {week}; "
                             f"its weeks run from 1 to {weeks}.")
        return date.fromisocalendar(year, week, 1)
    if found := _ISO_DATE.fullmatch(words):
        day = _make_date(int(found[1]), int(found[2]), int(found[3]), text)
        return day - timedelta(days=day.weekday())
    raise UsageError(f"{quoted(text)} is not a week. "
                     "Write it like `2026-W47`, or a date in the week like `2026-11-16`.")


def parse_date(text: str, *, today: date) -> date:
    """A date from ISO (`2026-12-01`) or everyday words, counted from `today`; see the module
    docstring for what each word means. Within 10 years of `today`."""
    words = " ".join(text.lower().replace(",", " ").replace("of the ", "of ").split())
    if not words:
        raise UsageError(f"Which date? {_DATE_FORMS}")
    dotted = day_first_date(words, today=today)
    if dotted is None and re.fullmatch(r"\d{1,4}[/.]\d{1,2}(?:[/.]\d{0,4}\.?)?", words):
        raise UsageError(f"{quoted(text)} could be read more than one way. Write the date as "
                         "year-month-day, like `2026-12-01`, day first with dots, like "
                         "`1.12.2026`, or as `1 dec`.")
    too_far = f"{quoted(text)} is too far from today: give a date within 10 years."
    try:
        found = dotted or _named_date(words, today) or _relative_date(words, today) \
            or _calendar_date(words, today)
    except (OverflowError, ValueError):  # `in 9999 years` leaves the calendar
        raise UsageError(too_far) from None
    if found is None:
        raise UsageError(f"{quoted(text)} is not a date I can read. {_DATE_FORMS}")
    if not _add_months(today, -120) <= found <= _add_months(today, 120):
        raise UsageError(too_far)
    return found


_DAY_FIRST = re.compile(rf"(\d{{1,2}})\.(\d{{1,2}})\.(?:{_YEAR})?")


def day_first_date(text: str, *, today: date) -> date | None:
    """`31.12.2026`, or `31.12.` (its next occurrence on or after `today`); None for text of
    another form. The one reading of the dotted form, for chat and for imported files."""
    if not (found := _DAY_FIRST.fullmatch(text.strip())):
        return None
    day, month = int(found[1]), int(found[2])
    if found[3]:
        return _make_date(int(found[3]), month, day, text)
    return _next_yearly(month, day, today, text)


def _make_date(year: int | None, month: int, day: int, text: str) -> date:
    """The date, or a refusal that names what does not exist; no `year`: in any year."""
    if not 1 <= month <= 12:
        raise UsageError(f"{quoted(text)} is not a date: there is no month {month}.")
    if year is None or not 1 <= day <= calendar.monthrange(year, month)[1]:
        when = ("in any year" if year is None else f"in {year}, which is not a leap year"
                if (month, day) == (2, 29) else f"{year}")
        raise UsageError(f"{quoted(text)} is not a date: "
                         f"there is no {day} {_MONTHS[month - 1].title()} {when}.")
    return date(year, month, day)


def _add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


_NAMED: dict[str, Callable[[date], date]] = {
    "today": lambda day: day,
    "tomorrow": lambda day: day + timedelta(days=1),
    "yesterday": lambda day: day - timedelta(days=1),
    "end of week": lambda day: day + timedelta(days=(4 - day.weekday()) % 7),
    "end of month": _end_of_month,
    "end of quarter": lambda day: _end_of_month(_add_months(_quarter_start(day), 2)),
    "end of year": lambda day: date(day.year, 12, 31),
    "next week": lambda day: day + timedelta(days=7 - day.weekday()),
    "next month": lambda day: _add_months(day.replace(day=1), 1),
    "next quarter": lambda day: _add_months(_quarter_start(day), 3),
    "next year": lambda day: date(day.year + 1, 1, 1),
}
_NAMED |= {"eow": _NAMED["end of week"], "eom": _NAMED["end of month"],
           "eoq": _NAMED["end of quarter"], "eoy": _NAMED["end of year"]}


def _named_date(words: str, today: date) -> date | None:
    return _NAMED[words](today) if words in _NAMED else None


def _relative_date(words: str, today: date) -> date | None:
    """`friday` (after today), `next friday` (in next week), `in 3 days|weeks|months|years`."""
    if (weekday := _prefix_index(words, _WEEKDAYS)) is not None:
        return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
    if words.startswith("next ") and (weekday := _prefix_index(words[5:], _WEEKDAYS)) is not None:
        return today + timedelta(days=7 - today.weekday() + weekday)
    if not (found := re.fullmatch(r"in (\d+|an?) (day|week|month|year)s?", words)):
        return None
    count = 1 if found[1] in ("a", "an") else int(found[1])
    if found[2] in ("day", "week"):
        return today + timedelta(days=count * (7 if found[2] == "week" else 1))
    return _add_months(today, count * (12 if found[2] == "year" else 1))


def _calendar_date(words: str, today: date) -> date | None:
    """`2026-12-01`, `1 dec`, `dec 1`, `1st of december 2026`; without a year, the next one
    on or after today."""
    if found := _ISO_DATE.fullmatch(words):
        return _make_date(int(found[1]), int(found[2]), int(found[3]), words)
    if found := _DAY_MONTH.fullmatch(words):
        day, name, year = found.groups()
    elif found := _MONTH_DAY.fullmatch(words):
        name, day, year = found.groups()
    else:
        return None
    if (month := _prefix_index(name, _MONTHS)) is None:
        return None
    if year:
        return _make_date(int(year), month + 1, int(day), words)
    return _next_yearly(month + 1, int(day), today, words)


def _next_yearly(month: int, day: int, today: date, text: str) -> date:
    """The next `month` `day` on or after today; a February 29 comes within 8 years."""
    if 1 <= month <= 12:
        for year in range(today.year, today.year + 9):
            if 1 <= day <= calendar.monthrange(year, month)[1] and date(year, month, day) >= today:
                return date(year, month, day)
    return _make_date(None, month, day, text)  # a day that no year has: this refuses it
