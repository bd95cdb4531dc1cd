"""`/deal nudges [on|off|at HH:MM|weekdays|daily]`: each person's own daily nudge."""

from __future__ import annotations

from typing import Any

from handlers import messages
from handlers.blocks.format import context, escape, section
from handlers.commands.common import Call
from handlers.nudges import current_nudge, slack_person
from handlers.replies import ephemeral
from storage import values
from storage.errors import UsageError
from storage.nudges.settings import (
    NudgeSettingView,
    change_nudges,
    nudge_setting,
    parse_nudge_time,
    remember_timezone,
)
from storage.workspaces import workspace_settings

USAGE = messages.NUDGES_USAGE


def deal_nudges(call: Call, rest: str) -> None:
    changes = _changes(values.as_typed(rest))
    with call.deps.db.transaction() as s:
        setting = (change_nudges(s, team=call.team, user=call.user, now=call.now, **changes)
                   if changes else nudge_setting(s, team=call.team, user=call.user))
        workspace_zone = workspace_settings(s, team=call.team).timezone
    if setting.timezone_checked_at is None:  # first time: ask Slack for the person's zone
        setting = _with_slack_zone(call, setting)
    zone = setting.slack_timezone or workspace_zone
    text = _describe(setting, zone, own_zone=setting.slack_timezone is not None)
    if changes:
        text = ":white_check_mark: " + text
    else:
        nudge = current_nudge(call.deps.db, team=call.team, user=call.user, now=call.now,
                              timezone=zone)
        count = len(nudge.items) if nudge else 0
        text += "\n" + messages.NUDGES_NOW.format(
            count=count, things="thing needs" if count == 1 else "things need")
    ephemeral(call.respond, [section(text), context(escape(USAGE))], text)


def _changes(text: str) -> dict[str, Any]:
    """What the words ask for: `on`, `off`, `weekdays`, `daily`, `at HH:MM`, in any order."""
    changes: dict[str, Any] = {}
    words_left = iter(text.lower().split())
    for word in words_left:
        if word in ("on", "off"):
            changes["enabled"] = word == "on"
        elif word in ("weekdays", "daily"):
            changes["every_day"] = word == "daily"
        elif word == "at":
            at = next(words_left, "")
            if not at:
                raise UsageError("At what time? Give it like `at 08:30`.", usage=USAGE)
            changes["at_time"] = _time(at)
        else:
            raise UsageError(f"I could not read {values.quoted('/deal nudges ' + text)}: "
                             f"{values.quoted(word)} is not one of `on`, `off`, `at HH:MM`, "
                             "`weekdays`, `daily`.", usage=USAGE)
    return changes


def _time(text: str) -> str:
    try:
        return parse_nudge_time(text)
    except UsageError as error:
        raise UsageError(error.message, usage=USAGE) from None


def _with_slack_zone(call: Call, setting: NudgeSettingView) -> NudgeSettingView:
    person = slack_person(call.client, call.user)
    if person.transient or person.gone:
        return setting
    with call.deps.db.transaction() as s:
        remember_timezone(s, team=call.team, user=call.user, timezone=person.timezone,
                          now=call.now)
        return nudge_setting(s, team=call.team, user=call.user)


def _describe(setting: NudgeSettingView, zone: str, *, own_zone: bool) -> str:
    if not setting.enabled:
        return messages.NUDGES_OFF
    days = "every day" if setting.every_day else "on weekdays"
    whose = "your Slack time zone" if own_zone else "the workspace's time zone"
    return messages.NUDGES_ON.format(days=days, at=setting.at_time, zone=escape(zone),
                                     whose=whose)
