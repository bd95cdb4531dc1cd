"""The command grammar: which words of a command text are what. Values inside the words
(amounts, dates, mentions) are read by storage.values, the grammar both floors share.

Pure functions: no clock (`today` is a parameter), no database, no Slack client. Bad input
raises `UsageError` whose message says what was wrong and how to write it. Free text (names,
references, stage words, notes, reasons) leaves the grammar as the person typed it
(`values.as_typed`: Slack's link markup unwrapped, entities decoded); words read as mentions
(`owner:<@U1|bob>`, `<#C1>`) stay Slack's markup until parsed into ids.

Choices worth knowing (each one has a test):
- Options: `key:value` runs to the next known key, `#` token or `<...>` mention; a mention
  right after the colon is the whole value; a quoted value (`close:"end of month"`) ends at
  its closing quote; `reason:` takes the rest of the text, whatever it holds.
- A value at the end of the words (`Acme Corp 50 000 NOK`, `Acme end of month`) is the
  longest tail (amounts, up to 4 words: `kr 1 250 000`) or the shortest tail (dates) that
  reads as one.
- A record is named by `#id` (one word) or by the words before the last one, so
  `/deal move Acme North proposal` moves "Acme North"; a `to` between them is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TypeVar

from storage import text_fields
from storage.digests.subscriptions import WEEKDAYS
from storage.errors import UsageError
from storage.kinds import DigestKind, ListView
from storage.values import (
    as_typed,
    looks_like_amount,
    parse_amount,
    parse_channel_mention,
    parse_date,
    parse_iso_week,
    parse_time_of_day,
    parse_timezone,
    parse_user_mention,
    parse_weekday,
    quoted,
)

T = TypeVar("T")

_TOKEN = re.compile(r"<[^<>]*>|\S+")  # a mention or link is one token, even with spaces


def _joined(pieces: list[str]) -> str:
    return " ".join(piece.strip() for piece in pieces if piece.strip())


# --- Commands, options and tags ---------------------------------------------------------

_TO_THE_END = frozenset({"reason"})  # free text may hold anything, so it takes the rest
_QUOTED = re.compile(r'\s*["“”]([^"“”]*)["“”]')


def split_command(text: str) -> tuple[str, str]:
    """`Move Acme proposal` -> (`move`, `Acme proposal`); empty text gives two empty strings.
    The word is as typed (`<!channel>` -> `@channel`), the rest still as Slack sent it."""
    parts = text.split(None, 1) or [""]
    return as_typed(parts[0]).lower(), (parts[1].strip() if len(parts) > 1 else "")


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
            if (tag := parse_tag(as_typed(word))) not in tags:
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
        raise UsageError(f"{quoted(word)} is not a tag: a tag starts with `#`, like `#q4`.")
    if not name:
        raise UsageError("A tag needs a name right after the `#`, like `#q4`.")
    if name.isdigit():
        raise UsageError(f"{quoted(word)} names a deal by its number, not a tag: a tag needs "
                         "more than digits, like `#q4`.")
    if len(name) > text_fields.TAG.limit:
        raise UsageError(f"{quoted(word)} is too long for a tag: the most is "
                         f"{text_fields.TAG.limit} characters.")
    if not re.fullmatch(r"[\w-]+", name):
        raise UsageError(f"{quoted(word)} is not a tag: use only letters, digits, `-` and `_`, "
                         "like `#q4-renewal`.")
    return name


@dataclass(frozen=True)
class ListFilters:
    """What `/deal list` and `/lead list` filter by: stage words, owner, first tag, and one
    of the list's views (`stale`, `won` ...)."""

    stage: str | None
    owner: str | None
    tag: str | None
    view: ListView | None = None


def parse_list_filters(rest: str, *, me: str,
                       views: frozenset[ListView] = frozenset()) -> ListFilters:
    """`mine`, `@someone`, `#tag`, one of `views` and stage words in any order; `me` is who
    `mine` is."""
    rest, tags = extract_tags(rest)
    owner, stage_words, view = None, [], None
    for word in rest.split():
        lower = as_typed(word).lower()
        if lower == "mine":
            owner = me
        elif word.startswith("<@"):
            owner = parse_user_mention(word)
        elif lower in views:
            if view is not None and view != lower:
                raise UsageError(f"`{view}` and `{lower}` are two lists: ask for one of them.")
            view = ListView(lower)
        else:
            stage_words.append(word)
    return ListFilters(stage=as_typed(" ".join(stage_words)) or None, owner=owner,
                       tag=tags[0] if tags else None, view=view)


def optional_text(value: str | None) -> str | None:
    """An option's value as the user typed it (entities decoded), or None when absent."""
    return as_typed(value) if value else None


# --- Values at the end of the words ---------------------------------------------------

def split_tail(words: list[str], read: Callable[[str], T | None], *, longest: int,
               shortest_first: bool = False, keep_trying: bool = False) -> tuple[str, T] | None:
    """The words before a tail of 1 to `longest` words that `read` accepts (it returns None
    for words that are not its value), and the value; None when no tail reads. At least one
    word is left before the tail. Longer tails are tried first, unless `shortest_first`.
    A UsageError from `read` is the answer, unless `keep_trying`: then the next tail is
    tried, and the first error raised when none reads."""
    sizes = range(1, min(longest, len(words) - 1) + 1)
    first_error: UsageError | None = None
    for size in (sizes if shortest_first else reversed(sizes)):
        try:
            value = read(" ".join(words[-size:]))
        except UsageError as error:
            if not keep_trying:
                raise
            first_error = first_error or error
            continue
        if value is not None:
            return " ".join(words[:-size]), value
    if first_error is not None:
        raise first_error
    return None


def _amount_reader(currency: str) -> Callable[[str], Decimal | None]:
    def read(tail: str) -> Decimal | None:
        typed = as_typed(tail)
        if not looks_like_amount(typed, currency=currency):
            return None
        return parse_amount(typed, currency=currency)
    return read


def split_amount(text: str, currency: str) -> tuple[str, Decimal | None]:
    """`Acme Corp 50 000 NOK` -> ("Acme Corp", 50000): the name and the amount at its end, if
    any. A last word that was meant as an amount but is not one is refused."""
    words = text.split()
    found = split_tail(words, _amount_reader(currency), longest=4)
    if found is not None:
        return found
    if len(words) > 1 and words[-1][0] in "$€£-0123456789":  # meant as an amount, mistyped
        parse_amount(as_typed(words[-1]), currency=currency)
    return text, None


def split_value(text: str, currency: str, usage: str) -> tuple[str, Decimal]:
    """`Acme North 75k` -> ("Acme North", 75000), for `/deal value`; the record as typed."""
    words = text.split()
    found = split_tail(words, _amount_reader(currency), longest=4)
    if found is None:
        missing = ("Tell me the deal and its new value." if len(words) < 2
                   else f"{quoted(as_typed(words[-1]))} is not an amount.")
        raise UsageError(missing, usage=usage)
    return as_typed(found[0]), found[1]


def split_date(words: list[str], today: date, usage: str) -> tuple[str, date]:
    """`Acme end of month` -> ("Acme", the date): the shortest tail (up to 4 words) that is
    a date; the words before it as typed."""
    try:
        found = split_tail(words, lambda tail: parse_date(as_typed(tail), today=today),
                           longest=4, shortest_first=True, keep_trying=True)
    except UsageError as error:
        raise UsageError(error.message, usage=usage) from None
    if found is None:
        raise UsageError("Tell me the record and the date.", usage=usage)
    return as_typed(found[0]), found[1]


def ref_and_last(text: str, usage: str, what: str, *, record: str = "deal") -> tuple[str, str]:
    """`Acme North @ann` -> ("Acme North", "@ann"): the record and the last word."""
    words = text.split()
    if len(words) < 2:
        raise UsageError(f"Tell me the {record} and {what}.", usage=usage)
    return as_typed(" ".join(words[:-1])), words[-1]


def assign_args(text: str, usage: str, *, record: str = "deal") -> tuple[str, str]:
    """`Acme North <@U2|ann>` -> ("Acme North", "U2"): the record and its new owner."""
    if not text.strip():
        raise UsageError(f"Tell me the {record} and the person, as an @-mention.", usage=usage)
    ref, mention = ref_and_last(text, usage, "the person, as an @-mention", record=record)
    return ref, parse_user_mention(mention)


def move_args(text: str, *, what: str, usage: str) -> tuple[str, str]:
    """`#12 to proposal`, `Acme North proposal` -> (record, stage words)."""
    words = text.split()
    if len(words) < 2:
        raise UsageError(f"Tell me the {what} and the stage to move it to.", usage=usage)
    ref, stage = (words[:1], words[1:]) if words[0].startswith("#") else (words[:-1], words[-1:])
    if len(ref) > 1 and ref[-1].lower() == "to":
        ref = ref[:-1]
    if len(stage) > 1 and stage[0].lower() == "to":
        stage = stage[1:]
    return as_typed(" ".join(ref)), as_typed(" ".join(stage))


def reopen_args(text: str) -> tuple[str, str | None]:
    """`#12 negotiation` -> ("#12", "negotiation"); a name takes every word: ("Acme", None)."""
    words = text.split()
    if words[0].startswith("#"):
        return as_typed(words[0]), as_typed(" ".join(words[1:])) or None
    return as_typed(" ".join(words)), None


# --- Leads ------------------------------------------------------------------------------

_COMPANY = re.compile(r"^(?P<name>.*?)\s*\((?P<company>[^()]*)\)\s*$")


def split_company(text: str) -> tuple[str, str | None]:
    """`Jane Roe (Globex)` -> ("Jane Roe", "Globex"); without parentheses, no company."""
    match = _COMPANY.match(text)
    if match is None:
        return text, None
    return match.group("name"), match.group("company")


def contact_of(text: str | None) -> str | None:
    """Slack turns typed addresses into `<mailto:a@b.c|a@b.c>` links: keep the address."""
    return as_typed(text.strip()) if text else None


# --- Digests and weeks ------------------------------------------------------------------

DEFAULT_TIME = "09:00"


@dataclass(frozen=True)
class Wanted:
    """What `/pipeline subscribe` or `/funnel subscribe` asked for; None means the default."""

    channel: str
    days: tuple[str, ...]
    at_time: str
    timezone: str | None


def parse_subscribe(rest: str, *, kind: DigestKind, channel: str, usage: str) -> Wanted:
    """`<#C1> weekdays at 9am tz:Europe/Oslo` (pipeline) or `<#C1> tuesday 08:00` (funnel);
    `channel` is where the command was typed. A zone is one word, read as `/deal settings
    timezone` reads it (`tz:Europe/Oslo daily` is a zone and a day); a value that does not
    read is refused with the usage."""
    try:
        return _subscribe(rest, kind=kind, channel=channel, usage=usage)
    except UsageError as error:
        raise UsageError(error.message, usage=error.usage or usage) from None


def _subscribe(rest: str, *, kind: DigestKind, channel: str, usage: str) -> Wanted:
    rest, options = extract_options(rest, {"tz"})
    zone, *after_zone = options.get("tz", "").split() or [""]
    days: tuple[str, ...] | None = None
    at_time = DEFAULT_TIME
    words = rest.split() + after_zone
    while words:
        word = words.pop(0)
        lower = word.lower()
        if word.startswith("<#"):
            channel = parse_channel_mention(word)
        elif lower == "at" and words:
            at_time = parse_time_of_day(as_typed(words.pop(0))).strftime("%H:%M")
        elif lower[:1].isdigit():
            at_time = parse_time_of_day(as_typed(word)).strftime("%H:%M")
        elif kind == DigestKind.PIPELINE and lower in ("daily", "weekdays"):
            days = WEEKDAYS if lower == "daily" else WEEKDAYS[:5]
        elif kind == DigestKind.FUNNEL:
            days = (parse_weekday(as_typed(word)),)
        else:
            raise UsageError(f"I did not understand {quoted(as_typed(word))}.", usage=usage)
    default = WEEKDAYS if kind == DigestKind.PIPELINE else ("mon",)
    return Wanted(channel, days or default, at_time,
                  parse_timezone(as_typed(zone)) if zone else None)


def report_week(words: str, this_week: date, usage: str) -> date:
    """The Monday of `this week` (or nothing), `last week`, or an ISO week like 2026-W47."""
    words = " ".join(as_typed(words).lower().split())
    if words in ("", "this week"):
        return this_week
    if words == "last week":
        return this_week - timedelta(days=7)
    try:
        return parse_iso_week(words)
    except UsageError as error:
        raise UsageError(error.message, usage=usage) from None


_ISO_WEEK = re.compile(r"\d{4}-?W\d{1,2}", re.IGNORECASE)


def day_in_week(text: str, today: date) -> date:
    """A day in the week meant: `2026-W47` or any date `parse_date` reads (`2026-11-18`,
    `today` ...)."""
    text = as_typed(text)
    if _ISO_WEEK.fullmatch(text.strip()):
        return parse_iso_week(text)
    return parse_date(text, today=today)
