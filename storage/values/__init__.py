"""The value grammar both floors use: amounts and money, percentages, dates, weeks, times of
day, time zones, mentions, Slack's text entities and control characters.

Pure functions: no clock (`today` is a parameter), no database, no Slack client; money is
written with Babel's CLDR data (money.py). Bad input
raises `UsageError` whose message says what was wrong and how to write it. The command
grammar (which words of a command are what) is the Slack floor's: handlers/grammar.py.
"""

from storage.values.amounts import looks_like_amount, parse_amount, parse_percent
from storage.values.dates import (
    day_first_date,
    iso_week_label,
    parse_date,
    parse_iso_week,
    parse_time_of_day,
    parse_timezone,
    parse_weekday,
)
from storage.values.money import format_money
from storage.values.text import (
    as_typed,
    counted,
    escape,
    parse_channel_mention,
    parse_user_mention,
    quoted,
    unescape,
    without_controls,
)

__all__ = [
    "as_typed", "counted", "day_first_date", "escape", "format_money", "iso_week_label",
    "looks_like_amount", "parse_amount", "parse_channel_mention", "parse_date", "parse_iso_week",
    "parse_percent", "parse_time_of_day", "parse_timezone", "parse_user_mention",
    "parse_weekday", "quoted", "unescape", "without_controls",
]
