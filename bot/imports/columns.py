"""The columns an import understands, by their Dealbot names and the names CRM exports use,
and the readers for the values in them (times, dates, amounts, tags).

A header is matched after folding case, quotes, `_` and `-`, so `Deal name`, `deal_name`
and `DEAL NAME` are one. `entered:<Stage>` also comes as `Date entered "<Stage>"`
(HubSpot), `Entered <Stage>` or `<Stage> entered`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from storage import text_fields
from storage.errors import UsageError
from storage.values import (
    day_first_date,
    parse_amount,
    parse_date,
    parse_iso_week,
    parse_user_mention,
)

ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "deals": {
        "id": ("record id", "deal id", "external id", "opportunity id"),
        "name": ("deal name", "title", "deal title", "opportunity name"),
        "value": ("amount", "deal value", "deal amount", "value in currency"),
        "stage": ("deal stage", "stage name", "pipeline stage"),
        "owner": ("deal owner", "owner name", "opportunity owner"),
        "company": ("organization", "organisation", "organization name", "account name",
                    "company name", "associated company"),
        "created": ("create date", "created date", "deal created", "created at", "add time",
                    "created time"),
        "expected_close": ("close date", "expected close date", "expected close"),
        "won_at": ("won time", "won date", "closed won date"),
        "lost_at": ("lost time", "lost date", "closed lost date"),
        "lost_reason": ("lost reason", "closed lost reason", "loss reason"),
        "tags": ("labels", "label"),
        "source": ("lead source", "original source", "deal source"),
        "lead": ("lead id",),
        "stage_changed": ("last stage change", "stage change time", "stage changed"),
        "last_activity": ("last activity date", "last activity", "last activity time"),
    },
    "leads": {
        "id": ("record id", "lead id", "contact id", "external id"),
        "name": ("lead name", "full name", "contact name"),
        "company": ("company name", "account name", "organization", "organisation"),
        # an email address or a phone number, as `/lead add contact:`; only the email
        # columns are taken for it, since a file with both would have two contact columns
        "contact": ("email", "email address", "e mail", "contact email", "person email",
                    "primary email"),
        "source": ("lead source", "original source"),
        "stage": ("lead stage", "lifecycle stage", "lead status", "status"),
        "owner": ("lead owner", "contact owner"),
        "created": ("create date", "created date", "created at", "created time"),
        "dropped_at": ("dropped", "dropped date", "disqualified date"),
        "drop_reason": ("drop reason", "disqualification reason", "disqualified reason"),
        "deal": ("deal id", "converted deal id", "converted opportunity id"),
        "tags": ("labels", "label"),
        "stage_changed": ("last stage change", "stage change time", "stage changed"),
        "last_activity": ("last activity date", "last activity", "last activity time"),
        "last_contact": ("last contacted", "last contact date", "last contacted date",
                         "last contact time"),
        "next_action": ("next step", "next activity", "next activity subject"),
        "next_action_due": ("next action date", "next activity date", "next step date",
                            "next action due date"),
    },
    "spend": {
        "week": ("week start", "date", "iso week"),
        "amount": ("spend", "cost", "amount spent"),
        "source": ("channel", "lead source"),
    },
}
_ENTERED = tuple(re.compile(form, re.IGNORECASE) for form in (
    r"entered:\s*(.+)", r"date[ _]entered\s+(.+)", r"entered\s+(.+)", r"(.+?)\s+entered"))


def _fold(header: str) -> str:
    return " ".join(re.sub(r"[_\-\s]+", " ", header.replace("\ufeff", "")).split()).casefold()


def map_header(kind: str, header: str) -> tuple[str, str] | None:
    """("column", "") for a known column, ("entered", "<Stage as written>") for an entered
    column, or None for a column the import ignores."""
    folded = _fold(header)
    for column, aliases in ALIASES[kind].items():
        if folded in (column.replace("_", " "), *aliases):
            return column, ""
    if kind != "spend":
        raw = " ".join(header.replace("\ufeff", "").split())
        for pattern in _ENTERED:
            if found := pattern.fullmatch(raw):
                return "entered", found[1].strip().strip('"“”\'').strip()
    return None


_DOTTED = re.compile(r"(\d{1,2}\.\d{1,2}\.\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def parse_time(text: str, zone: ZoneInfo, today: date) -> datetime:
    """An aware UTC time from ISO 8601 (`2026-03-01T09:30:00Z`, `2026-03-01 09:30`,
    `2026-03-01`), `01.03.2026 09:30` (day first, as Norwegian and German files write it) or
    a date in words (`1 mar 2026`). Without a zone the time is in `zone`; a date alone is
    its midnight there."""
    clean = text.strip()
    try:
        found = datetime.fromisoformat(clean.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        found = _other_time(clean, today)
    if found.tzinfo is None:
        found = found.replace(tzinfo=zone)
    return found.astimezone(ZoneInfo("UTC"))


def _other_time(text: str, today: date) -> datetime:
    if found := _DOTTED.fullmatch(text):
        day_text, hour, minute, second = found.groups()
        if (day := day_first_date(day_text, today=today)) is None:  # the rule chat uses
            raise UsageError(f"`{text}` is not a date I can read")
        try:
            return datetime.combine(day, time(int(hour or 0), int(minute or 0), int(second or 0)))
        except ValueError:
            raise UsageError(f"`{text}` is not a time that exists") from None
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{2,4}.*", text):
        raise UsageError(f"`{text}` could be read more than one way: write times as "
                         "`2026-03-01 09:30` (or `01.03.2026 09:30`)")
    return datetime.combine(parse_date(text, today=today), time())


def parse_day(text: str, zone: ZoneInfo, today: date) -> date:
    """A calendar date, as written (a time given with it is ignored)."""
    clean = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", clean) or _DOTTED.fullmatch(clean):
        return (_other_time(clean, today) if "." in clean else
                datetime.fromisoformat(clean)).date()
    return parse_time(clean, zone, today).astimezone(zone).date()


def parse_money(text: str, currency: str) -> Decimal:
    """An amount as `/deal` reads it (`50000`, `50k`, `$50,000`, `50 000 NOK`), which takes
    a decimal comma as spreadsheets in Norway and Germany write it (`1.234,50`, `99,5`)."""
    return parse_amount(text, currency=currency)


def parse_week(text: str, zone: ZoneInfo, today: date) -> date:
    """The Monday of an ISO week (`2026-W47`) or of the week of any date."""
    clean = text.strip()
    if re.fullmatch(r"\d{4}-?[wW]\d{1,2}|\d{4}-\d{2}-\d{2}", clean):
        return parse_iso_week(clean)
    day = parse_day(clean, zone, today)
    return date.fromordinal(day.toordinal() - day.weekday())


def parse_owner(text: str) -> str:
    """A Slack user: `<@U123>` or a bare user id; other text (a name) is kept as written."""
    clean = text.strip()
    if clean.startswith("<@"):
        return parse_user_mention(clean)
    if len(clean) > text_fields.OWNER.limit:
        raise UsageError(f"owner `{clean[:40]}` is longer than {text_fields.OWNER.limit} "
                         "characters; give the Slack user id (like `U0123ABCD`)")
    return clean


def parse_tags(text: str) -> tuple[str, ...]:
    """Tags separated by spaces, commas or semicolons, with or without `#`."""
    return tuple(sorted({t.lstrip("#").lower() for t in re.split(r"[\s,;]+", text)
                         if t.lstrip("#")}))
