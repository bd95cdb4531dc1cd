"""`/pipeline subscribe|unsubscribe|subscriptions` and `/funnel subscribe|unsubscribe`.

Admins only for changes. The channel defaults to the one the command was typed in, the time
zone to the subscriber's own (users.info `tz`), the time to 09:00; a pipeline digest comes
every day unless `weekdays` is given, a funnel digest on Mondays unless a weekday is given.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError

from handlers import messages, parse
from handlers.blocks.format import escape, moment, section
from handlers.commands.common import Call
from handlers.replies import ephemeral
from storage.digests import subscriptions
from storage.digests.times import next_due
from storage.errors import UsageError
from storage.digests.subscriptions import WEEKDAYS, SubscriptionView

log = logging.getLogger(__name__)
DAILY = WEEKDAYS
WORKDAYS = WEEKDAYS[:5]
DEFAULT_TIME = "09:00"


@dataclass(frozen=True)
class Wanted:
    channel: str
    days: tuple[str, ...]
    at_time: str
    timezone: str | None


def parse_subscribe(call: Call, kind: str, rest: str) -> Wanted:
    rest, options = parse.extract_options(rest, {"tz"})
    channel, days, at_time = call.channel, None, DEFAULT_TIME
    words = rest.split()
    while words:
        word = words.pop(0)
        lower = word.lower()
        if word.startswith("<#"):
            channel = parse.parse_channel_mention(word)
        elif lower == "at" and words:
            at_time = parse.parse_time_of_day(words.pop(0)).strftime("%H:%M")
        elif lower[:1].isdigit():
            at_time = parse.parse_time_of_day(word).strftime("%H:%M")
        elif kind == "pipeline" and lower in ("daily", "weekdays"):
            days = DAILY if lower == "daily" else WORKDAYS
        elif kind == "funnel":
            days = (parse.parse_weekday(word),)
        else:
            raise UsageError(f"I did not understand `{word}`.",
                             usage=messages.SUBSCRIBE_USAGE[kind])
    default = DAILY if kind == "pipeline" else ("mon",)
    zone = parse.parse_timezone(options["tz"]) if options.get("tz") else None
    return Wanted(channel, days or default, at_time, zone)


def subscribe(call: Call, kind: str, rest: str) -> None:
    wanted = parse_subscribe(call, kind, rest)
    call.require_admin("digests")
    zone = wanted.timezone or _user_zone(call)
    with call.deps.db.transaction() as s:
        sub = subscriptions.subscribe(s, team=call.team, channel=wanted.channel, kind=kind,
                                      days=wanted.days, at_time=wanted.at_time, timezone=zone,
                                      actor=call.user, now=call.now)
    first = next_due(sub, call.now)
    local = first.astimezone(ZoneInfo(sub.timezone))
    line = messages.SUBSCRIBED.format(
        channel=sub.channel, what=messages.DIGEST_NAMES[kind], when=describe(sub),
        first=moment(first), local=f"{local:%a %d %b %H:%M}", zone=sub.timezone)
    ephemeral(call.respond, [section(f":white_check_mark: {line}")], line)


def unsubscribe(call: Call, kind: str, rest: str) -> None:
    word = rest.strip()
    channel = parse.parse_channel_mention(word) if word else call.channel
    call.require_admin("digests")
    with call.deps.db.transaction() as s:
        sub = subscriptions.unsubscribe(s, team=call.team, channel=channel, kind=kind)
    line = messages.UNSUBSCRIBED.format(channel=sub.channel, what=messages.DIGEST_NAMES[kind])
    ephemeral(call.respond, [section(line)], line)


def list_all(call: Call, rest: str) -> None:
    with call.deps.db.transaction() as s:
        found = subscriptions.list_subscriptions(s, team=call.team)
    if not found:
        line = "No digests yet. `/pipeline subscribe` or `/funnel subscribe` starts one."
        return ephemeral(call.respond, [section(line)], line)
    lines = [f"• <#{sub.channel}>: {messages.DIGEST_NAMES[sub.kind]}, {describe(sub)}"
             + (f" — _paused: {escape(sub.paused_reason)}_" if sub.paused_reason else "")
             for sub in found]
    ephemeral(call.respond, [section(f"*{len(found)} digests*\n" + "\n".join(lines))],
              f"{len(found)} digests")


def describe(sub: SubscriptionView) -> str:
    """`every day at 09:00 (Europe/Oslo)`, `weekdays at ...`, `on Mondays at ...`."""
    if sub.days == DAILY:
        when = "every day"
    elif sub.days == WORKDAYS:
        when = "on weekdays"
    else:
        when = "on " + ", ".join(d.capitalize() for d in sub.days)
    return f"{when} at {sub.at_time} ({escape(sub.timezone)})"


def _user_zone(call: Call) -> str:
    """The subscriber's own time zone; the workspace default when Slack does not say (the
    reply names the zone, and `tz:` changes it)."""
    try:
        return call.client.users_info(user=call.user)["user"].get("tz") or \
            call.deps.default_timezone
    except SlackApiError as error:
        log.warning("users.info for %s failed: %s", call.user, error.response.get("error"))
        return call.deps.default_timezone
