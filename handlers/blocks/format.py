"""Small Block Kit and text helpers shared by every builder: escaping, money, dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from handlers import ids

# The one escaping rule and the one money formatter, re-exported for the builders: every
# piece of user text in a mrkdwn text object or a message's `text` goes through `escape`;
# plain_text objects (buttons, options, headers, titles) take it as typed.
from storage.values import counted, escape, format_money  # noqa: F401

SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]+")
SECTION_LIMIT = 3000
FIELD_LIMIT = 2000


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# One format per kind of date, everywhere (messages, Home, modals, charts, CLI text reports):
# a day is `Fri 4 Dec 2026`; a time is `today at 09:30` on the day it is read, else
# `Fri 4 Dec 2026 at 09:30`, with its zone where the reader could take it for their own.
# Dates in files and JSON (CSV exports, `--format json`) stay ISO 8601.

def day(value: date) -> str:
    """`Fri 4 Dec 2026`."""
    return f"{value:%a} {value.day} {value:%b %Y}"


def at_time(local: datetime, today: date | None = None) -> str:
    """A local time: `today at 09:30` when it falls on `today`, else `Fri 4 Dec 2026 at
    09:30` (always so without `today`: for what stays on screen, like a report's moment)."""
    when = "today" if local.date() == today else day(local.date())
    return f"{when} at {local:%H:%M}"


def moment(value: datetime) -> str:
    """A time every viewer sees in their own zone (with a UTC fallback for old clients)."""
    ts = int(value.timestamp())
    return (f"<!date^{ts}^{{date_short_pretty}} at {{time}}|"
            f"{at_time(value.astimezone(UTC))} UTC>")


def ago(value: datetime, now: datetime) -> str:
    """How long before `now`, in whole days: `today`, `1 day ago`, `3 days ago`."""
    days = max((now - value).days, 0)
    return "today" if days == 0 else f"{days} day{'s' if days != 1 else ''} ago"


def user(user_id: str | None) -> str:
    """A mention of a Slack user id; an owner imported as a name (not an id) is text."""
    if not user_id:
        return "nobody"
    return f"<@{user_id}>" if SLACK_USER_ID.fullmatch(user_id) else escape(user_id)


def mrkdwn(text: str, limit: int = SECTION_LIMIT) -> dict:
    """A mrkdwn text object. `text` is mrkdwn already: user text in it went through `escape`.
    `verbatim` keeps Slack from linking what merely looks like a URL, a #channel or an
    @here in that text; the app's own `<@U1>` and `<!date^...>` still work."""
    return {"type": "mrkdwn", "text": clip(text, limit), "verbatim": True}


def section(text: str, **extra: object) -> dict:
    return {"type": "section", "text": mrkdwn(text), **extra}


def fields(*pairs: tuple[str, str]) -> dict:
    return {"type": "section", "fields": [
        mrkdwn(f"*{label}*\n{value}", FIELD_LIMIT) for label, value in pairs]}


def context(*texts: str) -> dict:
    return {"type": "context", "elements": [mrkdwn(t) for t in texts[:10]]}


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict:
    element = {"type": "button", "text": {"type": "plain_text", "text": clip(text, 75),
                                          "emoji": True},
               "action_id": action_id, "value": value}
    if style:
        element["style"] = style
    return element


def option(text: str, value: str) -> dict:
    return {"text": {"type": "plain_text", "text": clip(text, 75)}, "value": value}


def divider() -> dict:
    return {"type": "divider"}


@dataclass(frozen=True)
class Pages:
    """Where a page of a list starts and ends among `total` records, and what its Previous
    and Next buttons carry (None: no such page)."""

    first: int  # 1-based
    shown: int
    total: int
    previous: str | None
    next: str | None


def listing(lines: list[str], pages: Pages, noun: str, narrow: str) -> list[dict]:
    """A count, one section a line, which of them these are with how to `narrow` the list
    down, and Previous / Next buttons; for `/deal list` and `/lead list`."""
    total = pages.total
    blocks = [section(f"*{counted(total, noun)}*")]
    blocks += [section(line) for line in lines]
    if total > pages.shown:
        last = pages.first + pages.shown - 1
        blocks.append(context(f"{pages.first}–{last} of {total}. Narrow it down with "
                              f"{narrow}."))
    buttons = [button(text, action_id, value) for text, action_id, value in (
        ("◀ Previous", ids.LIST_PREVIOUS, pages.previous), ("Next ▶", ids.LIST_NEXT, pages.next))
        if value is not None]
    if buttons:
        blocks.append({"type": "actions", "block_id": ids.LIST_PAGES, "elements": buttons})
    return blocks
