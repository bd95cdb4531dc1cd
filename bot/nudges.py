"""Sending nudges: each owner of an open deal or lead gets, on their days at their local time,
one direct message about what needs them (handlers.nudges owns the message and Slack).

`run_due_nudges` runs in the digest scheduler's tick and is a pure function of the database,
a way to get a Web API client per workspace, and the time: tests call it with moved clocks.
A workspace that left (uninstalled, or its bot token revoked) gets none until it installs
Dealbot again, and nudges due while it was gone are not owed (storage.leaving).
Guarantees, as for digests: at most one message per person and local day whatever the number
of schedulers and restarts (the ledger row is committed before sending); a nudge missed while
nothing ran is sent once when less than GRACE late, older ones are skipped; across daylight
saving changes the day's nudge comes once (storage.digests.times). A person's Slack time zone
is asked once a week (users.info) and kept; someone Slack says left the workspace is skipped
from then on and logged, never retried. Rate limits and server errors are retried by the
client's retry handlers; a failure that outlives them gives the day back for a later run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from handlers.digests import POSTED, TRANSIENT
from handlers.nudges import GONE, NOTHING, nudge_message, send_direct, slack_person
from storage.db import Database
from storage.digests.times import latest_due_at
from storage.leaving import back_since
from storage.nudges import ledger
from storage.nudges.items import forget_expired_snoozes, nudge_items, owners
from storage.nudges.settings import (
    NudgeSettingView,
    mark_gone,
    nudge_settings,
    remember_timezone,
    schedule_of,
)
from storage.workspaces import workspace_settings

log = logging.getLogger(__name__)
GRACE = timedelta(hours=3)
ZONE_KEPT = timedelta(days=7)  # how long a person's Slack time zone is trusted
ClientFactory = Callable[[str], WebClient]


@dataclass(frozen=True)
class Nudged:
    team: str
    user: str
    period: str
    outcome: str  # "posted", "nothing to say", a Slack error code, or "connection_error"


def run_due_nudges(db: Database, client_factory: ClientFactory, now: datetime) -> list[Nudged]:
    """Sends every nudge due at `now` that nobody sent yet; settings are read anew each run."""
    with db.transaction() as session:
        forget_expired_snoozes(session, now=now)
        people = owners(session)
        settings = nudge_settings(session, people)
        teams = {team: (workspace_settings(session, team=team).timezone,
                        back_since(session, team=team)) for team in {team for team, _ in people}}
    asked = _ask_slack(db, client_factory, [
        s for s in settings.values() if s.enabled and not s.gone_reason and (
            s.timezone_checked_at is None or now - s.timezone_checked_at >= ZONE_KEPT)], now)
    done = []
    for team, user in people:
        setting = asked.get((team, user), settings[(team, user)])
        try:
            result = _nudge_one(db, client_factory, setting, *teams[team], now)
        except Exception:  # one person's failure never blocks the others; log it fully
            log.exception("nudge for %s in %s failed", user, team)
            continue
        if result is not None:
            done.append(result)
    return done


def _ask_slack(db: Database, client_factory: ClientFactory, stale: list[NudgeSettingView],
               now: datetime) -> dict[tuple[str, str], NudgeSettingView]:
    """The settings of `stale` with each person's zone as Slack gives it now, all kept in
    one transaction. Someone who left is marked gone; someone Slack cannot tell about right
    now keeps what was known (the next run asks again)."""
    answers = {}
    for setting in stale:
        try:
            answers[(setting.team, setting.user)] = (
                setting, slack_person(client_factory(setting.team), setting.user))
        except Exception:  # one workspace's trouble (its token, say) never stops the others
            log.exception("could not ask Slack about %s in %s", setting.user, setting.team)
    asked = {}
    with db.transaction() as session:
        for key, (setting, person) in answers.items():
            if person.gone:
                log.info("nudges for %s in %s stop: %s", setting.user, setting.team,
                         person.gone)
                mark_gone(session, team=setting.team, user=setting.user, reason=person.gone)
                asked[key] = replace(setting, gone_reason=person.gone)
            elif not person.transient:
                remember_timezone(session, team=setting.team, user=setting.user,
                                  timezone=person.timezone, now=now)
                asked[key] = replace(setting, slack_timezone=person.timezone,
                                     timezone_checked_at=now)
    return asked


def _nudge_one(db: Database, client_factory: ClientFactory, setting: NudgeSettingView,
               workspace_zone: str, back_at: datetime | None, now: datetime) -> Nudged | None:
    if not setting.enabled or setting.gone_reason:
        return None
    team, user = setting.team, setting.user
    schedule = schedule_of(setting, workspace_zone)
    due = latest_due_at(schedule, now, look_back=GRACE)  # an older one is not owed anyway
    owed_from = max((t for t in (setting.set_at, back_at) if t is not None), default=None)
    if due is None or (owed_from and due < owed_from) or now - due >= GRACE:
        return None
    period = due.astimezone(ZoneInfo(schedule.timezone)).date().isoformat()
    with db.transaction() as session:  # committed before sending: the claim is the guard
        if not ledger.claim_nudge(session, team=team, user=user, period=period, due_at=due,
                                  now=now):
            return None
        items = nudge_items(session, team=team, user=user, now=now,
                            today=now.astimezone(ZoneInfo(schedule.timezone)).date())
        nudge = nudge_message(items, workspace_settings(session, team=team).currency)
    outcome = NOTHING if nudge is None else send_direct(
        client_factory(team), user, blocks=nudge.blocks, text=nudge.text)
    _settle(db, team, user, period, outcome, now)
    return Nudged(team, user, period, outcome)


def _settle(db: Database, team: str, user: str, period: str, outcome: str,
            now: datetime) -> None:
    with db.transaction() as session:
        if outcome in TRANSIENT:
            ledger.release_nudge(session, team=team, user=user, period=period)
            return
        ledger.settle_nudge(session, team=team, user=user, period=period, outcome=outcome,
                            posted_at=now if outcome == POSTED else None)
        if outcome in GONE:
            log.info("nudges for %s in %s stop: %s", user, team, outcome)
            mark_gone(session, team=team, user=user, reason=outcome)
        elif outcome not in (POSTED, NOTHING):
            log.warning("nudge for %s in %s not sent: %s", user, team, outcome)
