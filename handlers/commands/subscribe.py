"""`/pipeline subscribe|unsubscribe|subscriptions` and `/funnel subscribe|unsubscribe`.

Admins only for changes. The channel defaults to the one the command was typed in, the time
zone to the workspace's (`/deal settings timezone`; a subscription keeps the zone it was made
with), the time to 09:00; a pipeline digest comes every day unless `weekdays` is given, a
funnel digest on Mondays unless a weekday is given.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from handlers import grammar, messages
from handlers.blocks.format import at_time, counted, escape, moment, section
from handlers.commands.common import Call
from handlers.replies import ephemeral
from storage import values
from storage.digests import subscriptions
from storage.digests.subscriptions import WEEKDAYS, SubscriptionView
from storage.digests.times import next_due
from storage.kinds import DigestKind
from storage.workspaces import workspace_settings

DAILY = WEEKDAYS
WORKDAYS = WEEKDAYS[:5]


def subscribe(call: Call, kind: DigestKind, rest: str) -> None:
    wanted = grammar.parse_subscribe(rest, kind=kind, channel=call.channel,
                                     usage=messages.SUBSCRIBE_USAGE[kind])
    call.require_admin("digests")
    with call.deps.db.transaction() as s:
        zone = wanted.timezone or workspace_settings(s, team=call.team).timezone
        sub = subscriptions.subscribe(s, team=call.team, channel=wanted.channel, kind=kind,
                                      days=wanted.days, at_time=wanted.at_time, timezone=zone,
                                      actor=call.user, now=call.now)
    first = next_due(sub, call.now)
    local = first.astimezone(ZoneInfo(sub.timezone))
    line = messages.SUBSCRIBED.format(
        channel=sub.channel, what=messages.DIGEST_NAMES[kind], when=describe(sub),
        first=moment(first), local=at_time(local, today=call.today(sub.timezone)),
        zone=sub.timezone)
    ephemeral(call.respond, [section(f":white_check_mark: {line}")], line)


def unsubscribe(call: Call, kind: DigestKind, rest: str) -> None:
    word = rest.strip()
    channel = values.parse_channel_mention(word) if word else call.channel
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
    ephemeral(call.respond, [section(f"*{counted(len(found), 'digest')}*\n" + "\n".join(lines))],
              counted(len(found), "digest"))


def describe(sub: SubscriptionView) -> str:
    """`every day at 09:00 (Europe/Oslo)`, `weekdays at ...`, `on Mondays at ...`."""
    if sub.days == DAILY:
        when = "every day"
    elif sub.days == WORKDAYS:
        when = "on weekdays"
    else:
        when = "on " + ", ".join(d.capitalize() for d in sub.days)
    return f"{when} at {sub.at_time} ({escape(sub.timezone)})"


def resubscribe_command(sub: SubscriptionView, zone: str) -> str:
    """The command that makes `sub` again as it is, in `zone`:
    `/pipeline subscribe <#C1> weekdays at 08:30 tz:Europe/Oslo`."""
    if sub.kind == DigestKind.FUNNEL:
        command, days = "/funnel", " ".join(sub.days)
    else:
        command, days = "/pipeline", "weekdays" if sub.days == WORKDAYS else "daily"
    return f"`{command} subscribe` <#{sub.channel}> `{days} at {sub.at_time} tz:{zone}`"
