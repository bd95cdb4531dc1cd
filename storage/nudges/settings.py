"""Each person's nudge setting: on or off, weekdays or every day, at a local time.

Default: on, weekdays at 09:00 in the person's Slack time zone (kept here once Slack told it,
`timezone`), else the workspace's. Changing the setting makes it count from then: a nudge
due before `set_at` is not owed (as with digest subscriptions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.db import insert_if_absent
from storage.errors import UsageError
from storage.models import NudgeSetting

WEEKDAYS_ONLY = ("mon", "tue", "wed", "thu", "fri")
EVERY_DAY = (*WEEKDAYS_ONLY, "sat", "sun")
DEFAULT_AT = "09:00"
_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


@dataclass(frozen=True)
class NudgeSettingView:
    team: str
    user: str
    enabled: bool
    at_time: str  # HH:MM, local
    every_day: bool
    slack_timezone: str | None  # the person's zone as Slack last told it
    timezone_checked_at: datetime | None
    gone_reason: str | None  # Slack refused them for good: no nudges until turned on again
    set_at: datetime | None  # None: never changed by them (the defaults, owed from always)

    @property
    def days(self) -> tuple[str, ...]:
        return EVERY_DAY if self.every_day else WEEKDAYS_ONLY


@dataclass(frozen=True)
class NudgeSchedule:
    """A person's nudge times, in the zone they are counted in (storage.digests.times)."""

    days: tuple[str, ...]
    at_time: str
    timezone: str


def schedule_of(setting: NudgeSettingView, fallback_zone: str) -> NudgeSchedule:
    return NudgeSchedule(setting.days, setting.at_time, setting.slack_timezone or fallback_zone)


def _view(row: NudgeSetting) -> NudgeSettingView:
    return NudgeSettingView(row.team_id, row.user_id, row.enabled, row.at_time, row.every_day,
                            row.timezone, row.timezone_checked_at, row.gone_reason, row.set_at)


def default_setting(team: str, user: str) -> NudgeSettingView:
    return NudgeSettingView(team, user, True, DEFAULT_AT, False, None, None, None, None)


def nudge_setting(session: Session, *, team: str, user: str) -> NudgeSettingView:
    """The person's setting; a pure read (the defaults when they never changed it)."""
    row = session.get(NudgeSetting, (team, user))
    return _view(row) if row is not None else default_setting(team, user)


def nudge_settings(session: Session, people: list[tuple[str, str]]
                   ) -> dict[tuple[str, str], NudgeSettingView]:
    """The settings of `people` (team, user), in one read; defaults for those without one."""
    teams = {team for team, _ in people}
    found = {(r.team_id, r.user_id): _view(r) for r in session.scalars(
        select(NudgeSetting).where(NudgeSetting.team_id.in_(teams)))} if teams else {}
    return {key: found.get(key) or default_setting(*key) for key in people}


def parse_nudge_time(text: str) -> str:
    """`9:30`, `09:30` as HH:MM; anything else is refused with the form expected."""
    found = _TIME.fullmatch(text.strip())
    if found is None:
        raise UsageError(f"`{text.strip()}` is not a time of day like `08:30` or `17:00`.")
    return f"{int(found.group(1)):02d}:{found.group(2)}"


def change_nudges(session: Session, *, team: str, user: str, now: datetime,
                  enabled: bool | None = None, at_time: str | None = None,
                  every_day: bool | None = None) -> NudgeSettingView:
    """Changes the person's setting (and turns a person Slack had refused back on when they
    turn nudges on); it counts from `now`."""
    changes: dict[str, object] = {"set_at": now}
    if enabled is not None:
        changes["enabled"] = enabled
        if enabled:
            changes["gone_reason"] = None
    if at_time is not None:
        changes["at_time"] = parse_nudge_time(at_time)
    if every_day is not None:
        changes["every_day"] = every_day
    _ensure(session, team, user)
    _update(session, team, user, **changes)
    return nudge_setting(session, team=team, user=user)


def remember_timezone(session: Session, *, team: str, user: str, timezone: str | None,
                      now: datetime) -> None:
    """Keeps the zone Slack gave for the person (None: Slack gave none), checked `now`."""
    _ensure(session, team, user)
    _update(session, team, user, timezone=timezone, timezone_checked_at=now)


def mark_gone(session: Session, *, team: str, user: str, reason: str) -> None:
    """Slack refused the person for good (they left): no nudges until they turn them on."""
    _ensure(session, team, user)
    _update(session, team, user, gone_reason=reason[:200])


def _ensure(session: Session, team: str, user: str) -> None:
    insert_if_absent(session, NudgeSetting, team_id=team, user_id=user, enabled=True,
                     at_time=DEFAULT_AT, every_day=False)


def _update(session: Session, team: str, user: str, **values: object) -> None:
    session.execute(update(NudgeSetting).where(NudgeSetting.team_id == team,
                                               NudgeSetting.user_id == user).values(**values))
