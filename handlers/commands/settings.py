"""`/deal settings`: shows the workspace's settings to everyone; admins change the currency,
the time zone, the stale limit and the activity channel."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from slack_sdk.errors import SlackApiError

from handlers import grammar, messages
from handlers.blocks.format import context, counted, day, escape, format_money, section
from handlers.commands.common import Call
from handlers.commands.subscribe import resubscribe_command
from handlers.replies import ephemeral
from storage import stages, values
from storage.currencies import parse_currency_code
from storage.digests.subscriptions import list_subscriptions
from storage.errors import UsageError
from storage.workspaces import (
    ROTTING_DAYS,
    WorkspaceSettings,
    update_settings,
    workspace_settings,
)

USAGE = messages.SETTINGS_USAGE
OFF = frozenset({"off", "none", "stop"})
WHAT = {"currency": "the workspace's currency", "timezone": "the workspace's time zone",
        "stale": "when deals go stale", "channel": "the activity channel",
        "celebrate": "whether wins are celebrated"}
ALIASES = {"tz": "timezone", "zone": "timezone", "rotting": "stale"}
SHOWN_DIGESTS = 5
T = TypeVar("T")
_DAYS = re.compile(r"([0-9]+)(?: ?d| days?)?", re.IGNORECASE)


def deal_settings(call: Call, rest: str) -> None:
    word, args = grammar.split_command(rest)
    if not word:
        with call.deps.db.transaction() as s:
            current = workspace_settings(s, team=call.team)
        ephemeral(call.respond, _settings_blocks(call, current), "The workspace's settings")
        return
    word = ALIASES.get(word, word)
    change = CHANGES.get(word)
    if change is None or len(args.split()) > (2 if word == "stale" else 1):
        raise UsageError(f"I could not read `/deal settings {values.as_typed(rest.strip())}`.",
                         usage=USAGE)
    call.require_admin(WHAT[word])
    done = change(call, args)
    ephemeral(call.respond, [section(f":white_check_mark: {done}")], done)


def _read(setting: str, read: Callable[[str], T], text: str) -> T:
    """`read(text)`; a refusal (or nothing given) comes with the setting's form and example."""
    if not text.strip():
        raise UsageError(messages.MISSING, usage=messages.SETTING_USAGE[setting])
    try:
        return read(text)
    except UsageError as error:
        raise UsageError(error.message, usage=messages.SETTING_USAGE[setting]) from None


def _change(call: Call, session, name: str, value: T) -> T:
    """Sets the workspace setting `name` to `value` unless it is that already; returns what
    it was."""
    old: T = getattr(workspace_settings(session, team=call.team), name)
    if value != old:
        update_settings(session, team=call.team, now=call.now, **{name: value})
    return old


def _currency(call: Call, text: str) -> str:
    code = _read("currency", parse_currency_code, values.as_typed(text))
    with call.deps.db.transaction() as s:
        old = _change(call, s, "currency", code)
    if code == old:
        return messages.CURRENCY_SAME.format(currency=code)
    example = Decimal(50000)
    return messages.CURRENCY_SET.format(new=code, old=old, before=format_money(example, old),
                                        after=format_money(example, code))


def _timezone(call: Call, text: str) -> str:
    zone = _read("timezone", values.parse_timezone, values.as_typed(text))
    with call.deps.db.transaction() as s:
        old = _change(call, s, "timezone", zone)
        keeping = [sub for sub in list_subscriptions(s, team=call.team) if sub.timezone != zone]
    if zone == old:
        return messages.TIMEZONE_SAME.format(zone=zone)
    done = messages.TIMEZONE_SET.format(new=zone, old=old, today=day(call.today(zone)))
    if not keeping:
        return done
    one = len(keeping) == 1
    lines = [f"• {resubscribe_command(sub, zone)} ({escape(sub.timezone)} now)"
             for sub in keeping[:SHOWN_DIGESTS]]
    if len(keeping) > SHOWN_DIGESTS:
        lines.append(f"• … and {len(keeping) - SHOWN_DIGESTS} more: `/pipeline subscriptions` "
                     "lists them")
    return (f"{done}\n" + messages.DIGESTS_KEEP_ZONE.format(
        count=len(keeping), digests="digest" if one else "digests",
        keep="keeps" if one else "keep", their="its" if one else "their", zone=zone)
        + "\n" + "\n".join(lines))


def _stale(call: Call, text: str) -> str:
    days = _read("stale", _parse_days, values.as_typed(text))
    with call.deps.db.transaction() as s:
        old = _change(call, s, "rotting_days", days)
        own = [stage for stage in stages.stage_views(s, team=call.team)
               if stage.is_open and stage.rotting_days]
    if days == old:
        return messages.STALE_SAME.format(days=counted(days, "day"))
    done = messages.STALE_SET.format(days=counted(days, "day"), old=counted(old, "day"))
    if own:
        done += " " + messages.STALE_OWN_LIMITS.format(stages=", ".join(
            f"{escape(stage.name)} ({counted(stage.rotting_days or 0, 'day')})" for stage in own))
    return done


def _parse_days(text: str) -> int:
    """`21`, `21d`, `21 days`: a whole number of days from 1 to 365."""
    found = _DAYS.fullmatch(text.strip())
    if found is None:
        raise UsageError(f"{values.quoted(text)} is not a number of days: give a whole number "
                         "from 1 to 365.")
    days = int(found.group(1))
    if days not in ROTTING_DAYS:
        raise UsageError(f"Deals can go stale after 1 to 365 days, not {days}.")
    return days


def _channel(call: Call, text: str) -> str:
    channel = _read("channel", _parse_channel, text)
    with call.deps.db.transaction() as s:
        update_settings(s, team=call.team, now=call.now, activity_channel=channel)
    return (messages.ACTIVITY_CHANNEL_SET.format(channel=channel) + _join(call, channel)
            if channel else messages.ACTIVITY_CHANNEL_OFF)


def _parse_channel(text: str) -> str | None:
    """A channel mention, or `off` (None)."""
    return None if text.strip().lower() in OFF else values.parse_channel_mention(text.strip())


def _celebrate(call: Call, text: str) -> str:
    celebrate = _read("celebrate", _parse_on_off, values.as_typed(text))
    with call.deps.db.transaction() as s:
        _change(call, s, "celebrate_wins", celebrate)
    return messages.CELEBRATE_ON if celebrate else messages.CELEBRATE_OFF


def _parse_on_off(text: str) -> bool:
    word = text.strip().lower()
    if word not in ("on", "off"):
        raise UsageError(f"{values.quoted(text)} is neither `on` nor `off`.")
    return word == "on"


CHANGES: dict[str, Callable[[Call, str], str]] = {
    "currency": _currency, "timezone": _timezone, "stale": _stale, "channel": _channel,
    "celebrate": _celebrate}


def _join(call: Call, channel: str) -> str:
    """Joins a public channel so that posting works; a private one needs an invitation."""
    try:
        call.client.conversations_join(channel=channel)
    except SlackApiError:
        return messages.ACTIVITY_CHANNEL_PRIVATE
    return ""


def _settings_blocks(call: Call, current: WorkspaceSettings) -> list[dict]:
    channel = f"<#{current.activity_channel}>" if current.activity_channel else "none"
    today = day(call.today(current.timezone))
    return [section(f"*Workspace settings*\nCurrency: {current.currency}\n"
                    f"Time zone: {current.timezone} (today is {today} there)\n"
                    f"Deals go stale after {counted(current.rotting_days, 'day')} without "
                    "activity, unless their stage has a limit of its own\n"
                    f"Activity channel: {channel}\n"
                    f"Wins celebrated there: {'on' if current.celebrate_wins else 'off'}"),
            context(escape(USAGE))]
