"""Command text -> values: amounts, dates, times, mentions, tags and `key:value` options.

Pure functions: no clock (`today` is a parameter), no database, no Slack client. Bad input
raises `UsageError` whose message says what was wrong and how to write it. Text quoted in a
message is the raw command text, which Slack has already escaped, so it is safe mrkdwn.

Choices worth knowing (each one has a test):
- Amounts: `,` or a space groups thousands only before exactly three digits; `.` is the
  decimal point. `1.200` without a suffix is refused as ambiguous rather than guessed.
  `$` is USD, `€` EUR, `£` GBP, `kr` any of NOK, SEK or DKK. A currency code before the number
  must be in capitals (`NOK 500`), so that `Top 50` stays a name; after it any case does
  (`500 nok`). From 0 to 10^12 inclusive, rounded half up to cents.
- Dates: a weekday (`friday`) is its next occurrence after today, so on a Friday it is a week
  away; `next friday` is the Friday of next week (weeks start on Monday). `end of week` is the
  Friday on or after today, the end of the work week. A day without a year (`1 dec`) is its
  next occurrence on or after today. `in 1 month` from January 31 is the last day of February.
  Numeric forms with `/` or `.` (`12/01`) are refused as ambiguous. Dates more than 10 years
  before or after today are refused.
- Options: `key:value` runs to the next known key, `#` token or `<...>` mention; a mention
  right after the colon is the whole value; a quoted value (`close:"end of month"`) ends at
  its closing quote; `reason:` takes the rest of the text, whatever it holds.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from zoneinfo import available_timezones

from storage.errors import UsageError

_TOKEN = re.compile(r"<[^<>]*>|\S+")  # a mention or link is one token, even with spaces
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}


def unescape(text: str) -> str:
    """Decodes exactly `&amp;`, `&lt;` and `&gt;`; call it after mentions were taken out."""
    return re.sub(r"&(?:amp|lt|gt);", lambda found: _ENTITIES[found.group()], text)


def escape(text: str) -> str:
    """Encodes exactly `&`, `<` and `>`, so text we send is shown and never interpreted."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _code(text: str) -> str:
    """The user's text as inline code in a message, shortened."""
    text = " ".join(text.split()).replace("`", "'")
    return f"`{text if len(text) <= 60 else text[:59] + '…'}`" if text else "Nothing"


def _joined(pieces: list[str]) -> str:
    return " ".join(piece.strip() for piece in pieces if piece.strip())


# --- Commands, options and tags ---------------------------------------------------------

_TO_THE_END = frozenset({"reason"})  # free text may hold anything, so it takes the rest
_QUOTED = re.compile(r'\s*["“”]([^"“”]*)["“”]')


def split_command(text: str) -> tuple[str, str]:
    """`Move Acme proposal` -> (`move`, `Acme proposal`); empty text gives two empty strings."""
    parts = text.split(None, 1)
    return (parts[0].lower() if parts else ""), (parts[1].strip() if len(parts) > 1 else "")


def extract_options(rest: str, keys: set[str]) -> tuple[str, dict[str, str]]:
    """Takes `key:value` options for the (lowercase) `keys` out of the text; keys match in any
    case. Returns the text left and the raw values, still Slack-escaped."""
    options: dict[str, str] = {}
    kept: list[str] = []
    pos = 0
    while (found := _next_key(rest, pos, keys)) is not None:
        key, start = found
        value, end = _option_value(rest, start + len(key) + 1, keys, key in _TO_THE_END)
        if key in options:
            raise UsageError(f"`{key}:` is given twice; give it once.")
        if not value:
            raise UsageError(f"`{key}:` has nothing after it: write its value right after "
                             "the colon.")
        options[key] = value
        kept.append(rest[pos:start])
        pos = end
    kept.append(rest[pos:])
    return _joined(kept), options


def _key_of(word: str, keys: set[str]) -> str | None:
    name, colon, _ = word.partition(":")
    return name.lower() if colon and name.lower() in keys else None


def _next_key(text: str, pos: int, keys: set[str]) -> tuple[str, int] | None:
    for token in _TOKEN.finditer(text, pos):
        if (key := _key_of(token.group(), keys)) is not None:
            return key, token.start()
    return None


def _option_value(text: str, start: int, keys: set[str], to_the_end: bool) -> tuple[str, int]:
    """The value that starts at `start`, and where it ends."""
    if to_the_end:
        return text[start:].strip(), len(text)
    if quoted := _QUOTED.match(text, start):
        return quoted.group(1).strip(), quoted.end()
    end = start
    for token in _TOKEN.finditer(text, start):
        word = token.group()
        if _key_of(word, keys) or word.startswith("#") or (word.startswith("<") and end > start):
            break
        end = token.end()
        if word.startswith("<"):
            break
    return text[start:end].strip(), end


def extract_tags(rest: str) -> tuple[str, list[str]]:
    """Takes standalone `#tag` tokens out of the text, lowercased and without repeats.
    `#12` stays: it names a deal by its number."""
    tags: list[str] = []
    kept: list[str] = []
    pos = 0
    for token in _TOKEN.finditer(rest):
        word = token.group()
        if word.startswith("#") and not word[1:].isdigit():
            if (tag := parse_tag(word)) not in tags:
                tags.append(tag)
            kept.append(rest[pos:token.start()])
            pos = token.end()
    kept.append(rest[pos:])
    return _joined(kept), tags


def parse_tag(token: str) -> str:
    """`#Q4` -> `q4`: 1 to 40 letters, digits, `-` or `_`, not all of them digits."""
    word = token.strip()
    name = word[1:].lower()
    if not word.startswith("#"):
        raise UsageError(f"{_code(word)} is not a tag: a tag starts with `#`, like `#q4`.")
    if not name:
        raise UsageError("A tag needs a name right after the `#`, like `#q4`.")
    if name.isdigit():
        raise UsageError(f"{_code(word)} names a deal by its number, not a tag: a tag needs "
                         "more than digits, like `#q4`.")
    if len(name) > 40:
        raise UsageError(f"{_code(word)} is too long for a tag: the most is 40 characters.")
    if not re.fullmatch(r"[\w-]+", name):
        raise UsageError(f"{_code(word)} is not a tag: use only letters, digits, `-` and `_`, "
                         "like `#q4-renewal`.")
    return name


@dataclass(frozen=True)
class ListFilters:
    """What `/deal list` and `/lead list` filter by: stage words, owner, first tag."""

    stage: str | None
    owner: str | None
    tag: str | None


def parse_list_filters(rest: str, *, me: str) -> ListFilters:
    """`mine`, `@someone`, `#tag` and stage words in any order; `me` is who `mine` is."""
    rest, tags = extract_tags(rest)
    owner, stage_words = None, []
    for word in rest.split():
        if word.lower() == "mine":
            owner = me
        elif word.startswith("<@"):
            owner = parse_user_mention(word)
        else:
            stage_words.append(word)
    return ListFilters(stage=" ".join(stage_words) or None, owner=owner,
                       tag=tags[0] if tags else None)


def optional_text(value: str | None) -> str | None:
    """An option's value as the user typed it (entities decoded), or None when absent."""
    return unescape(value) if value else None


# --- Mentions ---------------------------------------------------------------------------

_USER = re.compile(r"<@([UW][A-Z0-9]+)(\|[^>]*)?>")
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(\|[^>]*)?>")


def parse_user_mention(token: str) -> str:
    """`<@U123|ann>` or `<@U123>` -> `U123`."""
    if found := _USER.fullmatch(token.strip()):
        return found.group(1)
    raise UsageError(f"{_code(token)} is not a mention of a Slack user. Type `@` and pick "
                     "the person from the list Slack suggests.")


def parse_channel_mention(token: str) -> str:
    """`<#C123|sales>` or `<#C123>` -> `C123` (private channels' ids start with G)."""
    if found := _CHANNEL.fullmatch(token.strip()):
        return found.group(1)
    raise UsageError(f"{_code(token)} is not a mention of a Slack channel. Type `#` and pick "
                     "the channel from the list Slack suggests.")


# --- Amounts ----------------------------------------------------------------------------

_LIMIT = Decimal(10) ** 12
_SCALES = {"k": Decimal(10**3), "m": Decimal(10**6), "b": Decimal(10**9), "bn": Decimal(10**9)}
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP"}
_KRONER = ("NOK", "SEK", "DKK")
_ISO_CODES = frozenset("""
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP
    BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP
    GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR
    KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK
    MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR
    SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS
    UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG""".split())
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?: \d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_AMOUNT = re.compile(
    rf"(?P<sign>[-−])? ?(?:(?P<pre>[$€£]|(?i:kr)|[A-Z]{{3}}) ?(?P<sign2>[-−])?)?"
    rf"(?P<number>{_NUMBER})(?P<scale>(?i:bn|[kmb]))?(?: ?(?P<post>[$€£]|(?i:kr|[a-z]{{3}})))?")


@dataclass(frozen=True)
class _Amount:
    """An amount as written, before the checks."""

    number: str                  # digits as written: `1,200.50`, `50 000`, `1.2`
    value: Decimal               # with the suffix applied, not yet rounded
    currencies: tuple[str, ...]  # as written: `$`, `kr`, `nok`
    negative: bool
    ambiguous: bool              # `1.200`: a decimal point, or thousands as in much of Europe?


def _read_amount(text: str) -> _Amount | None:
    found = _AMOUNT.fullmatch(" ".join(text.split()))
    if not found:
        return None
    marks = tuple(mark for mark in (found["pre"], found["post"]) if mark)
    if not all(mark in _SYMBOLS or mark.lower() == "kr" or mark.upper() in _ISO_CODES
               for mark in marks):
        return None
    number, scale = found["number"], found["scale"]
    digits = Decimal(re.sub("[, ]", "", number))
    ambiguous = not scale and re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", number) is not None
    return _Amount(number=number, value=digits * _SCALES[scale.lower()] if scale else digits,
                   currencies=marks, negative=bool(found["sign"] or found["sign2"]),
                   ambiguous=ambiguous)


def looks_like_amount(token: str) -> bool:
    """Whether the whole text (one or more words, like `50 000 NOK`) is written as an amount,
    even one `parse_amount` refuses (negative, too large, another currency): so a command
    can tell `Acme Corp 50k` apart from a name, and the refusal says what is wrong."""
    return _read_amount(token) is not None


def parse_amount(text: str, *, currency: str = "USD") -> Decimal:
    """An amount of money in the workspace's `currency`, rounded to cents. A bare number is in
    that currency: `50000`, `50k`, `1.2m`, `1.5bn`, `$50,000`, `50 000 NOK`, `50,000.50`."""
    amount = _read_amount(text)
    if amount is None:
        raise UsageError(f"{_code(text)} is not an amount. "
                         "Write it like `50000`, `50k`, `1.2m` or `$50,000`.")
    for mark in amount.currencies:
        _check_currency(mark, currency.upper(), text)
    if amount.negative:
        raise UsageError(f"{_code(text)} is negative: an amount is 0 or more.")
    if amount.ambiguous:
        whole = amount.number.replace(".", "")
        raise UsageError(f"{_code(text)} is ambiguous: the point could separate thousands. "
                         f"Write `{whole}` for {int(whole):,}, or use at most two decimals.")
    if amount.value > _LIMIT:
        raise UsageError(f"{_code(text)} is too large: the largest value is 1,000,000,000,000.")
    return amount.value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _check_currency(mark: str, currency: str, text: str) -> None:
    if mark.lower() == "kr":
        if currency not in _KRONER:
            raise UsageError(f"{_code(text)} is in kroner (`kr` is NOK, SEK or DKK), but this "
                             f"workspace counts money in {currency}. Leave the currency out "
                             f"to mean {currency}, like `50k`.")
    elif (code := _SYMBOLS.get(mark, mark.upper())) != currency:
        raise UsageError(f"{_code(text)} is in {code}, but this workspace counts money in "
                         f"{currency}. Leave the currency out to mean {currency}, like `50k`.")


# --- Percent, time of day, time zone ----------------------------------------------------

def parse_percent(text: str) -> int:
    """A whole percentage from 0 to 100: `35` or `35%`."""
    found = re.fullmatch(r"(-?\d+(?:\.\d+)?) ?%?", text.strip())
    if not found:
        raise UsageError(f"{_code(text)} is not a percentage. "
                         "Write a whole number from 0 to 100, like `35` or `35%`.")
    if "." in found[1]:
        raise UsageError(f"{_code(text)} is not a whole number: write a whole percentage, "
                         "like `35`.")
    if not 0 <= (value := int(found[1])) <= 100:
        raise UsageError(f"{_code(text)} is out of range: a percentage lies between 0 and 100.")
    return value


def parse_time_of_day(text: str) -> time:
    """`09:30`, `9:30` (24-hour), `9am`, `5:30pm`, `12am` (midnight) -> a time."""
    words = text.strip().lower()
    if found := re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", words):
        return time(int(found[1]), int(found[2]))
    if found := re.fullmatch(r"(0?[1-9]|1[0-2])(?::([0-5]\d))? ?([ap])\.?m\.?", words):
        return time(int(found[1]) % 12 + (12 if found[3] == "p" else 0), int(found[2] or 0))
    raise UsageError(f"{_code(text)} is not a time of day. "
                     "Write it like `09:30`, `9am` or `5:30pm`.")


@cache
def _zone_names() -> dict[str, str]:
    # `localtime` is whatever zone the host runs in: not something a team can mean
    return {name.lower(): name for name in available_timezones() - {"localtime"}}


def parse_timezone(text: str) -> str:
    """An IANA time zone name in its own spelling: `europe/oslo` -> `Europe/Oslo`."""
    if name := _zone_names().get(text.strip().lower()):
        return name
    raise UsageError(f"{_code(text)} is not a time zone I know. "
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
        raise UsageError(f"{_code(text)} is not a day of the week. "
                         "Write it like `monday` or `mon`.")
    return _WEEKDAYS[index][:3]


def parse_iso_week(text: str) -> date:
    """The Monday of an ISO week, from `2026-W47` or from any ISO date in that week."""
    words = text.strip().lower()
    if found := re.fullmatch(rf"{_YEAR}-?w(\d{{1,2}})", words):
        year, week = int(found[1]), int(found[2])
        weeks = date(year, 12, 28).isocalendar().week
        if not 1 <= week <= weeks:
            raise UsageError(f"{_code(text)} does not exist: {year} has no week {week}; "
                             f"its weeks run from 1 to {weeks}.")
        return date.fromisocalendar(year, week, 1)
    if found := _ISO_DATE.fullmatch(words):
        day = _make_date(int(found[1]), int(found[2]), int(found[3]), text)
        return day - timedelta(days=day.weekday())
    raise UsageError(f"{_code(text)} is not a week. "
                     "Write it like `2026-W47`, or a date in the week like `2026-11-16`.")


def parse_date(text: str, *, today: date) -> date:
    """A date from ISO (`2026-12-01`) or everyday words, counted from `today`; see the module
    docstring for what each word means. Within 10 years of `today`."""
    words = " ".join(text.lower().replace(",", " ").replace("of the ", "of ").split())
    if not words:
        raise UsageError(f"Which date? {_DATE_FORMS}")
    if re.fullmatch(r"\d{1,4}[/.]\d{1,2}(?:[/.]\d{1,4})?", words):
        raise UsageError(f"{_code(text)} could be read more than one way. Write the date as "
                         "year-month-day, like `2026-12-01`, or as `1 dec`.")
    too_far = f"{_code(text)} is too far from today: give a date within 10 years."
    try:
        found = _named_date(words, today) or _relative_date(words, today) \
            or _calendar_date(words, today)
    except (OverflowError, ValueError):  # `in 9999 years` leaves the calendar
        raise UsageError(too_far) from None
    if found is None:
        raise UsageError(f"{_code(text)} is not a date I can read. {_DATE_FORMS}")
    if not _add_months(today, -120) <= found <= _add_months(today, 120):
        raise UsageError(too_far)
    return found


def _make_date(year: int, month: int, day: int, text: str) -> date:
    if not 1 <= month <= 12:
        raise UsageError(f"{_code(text)} is not a date: there is no month {month}.")
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        leap = f" in {year}, which is not a leap year" if (month, day) == (2, 29) else ""
        raise UsageError(f"{_code(text)} is not a date: "
                         f"{_MONTHS[month - 1].title()} {day} does not exist{leap}.")
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
    for year in range(today.year, today.year + 9):
        if 1 <= day <= calendar.monthrange(year, month)[1] and date(year, month, day) >= today:
            return date(year, month, day)
    return _make_date(today.year, month, day, text)  # a day that no year has: this refuses it
