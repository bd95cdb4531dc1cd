"""Digest subscriptions: a channel gets a report kind on some weekdays at a local time.

One subscription per (team, channel, kind): subscribing again changes it (and resumes it
when it was paused). Admin rights are checked by the caller (handlers); the scheduler reads
the subscriptions on every run, so changes apply without a restart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.errors import NoSubscription, UsageError
from storage.kinds import DigestKind
from storage.models import Subscription
from storage.workspaces import ensure_workspace

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_PER_TEAM = 50


@dataclass(frozen=True)
class SubscriptionView:
    id: int
    team: str
    channel: str
    kind: DigestKind
    days: tuple[str, ...]  # three-letter weekday names, Monday first
    at_time: str  # HH:MM, local time in `timezone`
    timezone: str
    created_by: str | None
    paused_reason: str | None
    set_at: datetime  # when it was last subscribed: digests due before then are not owed

    @property
    def weekdays(self) -> tuple[int, ...]:
        """The days as Python weekday numbers (Monday is 0)."""
        return tuple(WEEKDAYS.index(d) for d in self.days)


def subscription_view(row: Subscription) -> SubscriptionView:
    return SubscriptionView(row.id, row.team_id, row.channel_id, row.kind,
                            tuple(d for d in row.days.split(",") if d), row.at_time,
                            row.timezone, row.created_by, row.paused_reason,
                            row.created_at)


def subscribe(session: Session, *, team: str, channel: str, kind: DigestKind,
              days: tuple[str, ...], at_time: str, timezone: str, actor: str,
              now: datetime) -> SubscriptionView:
    """Creates or changes the channel's subscription to `kind`; a paused one resumes."""
    ensure_workspace(session, team=team, now=now)
    values = _checked(days, at_time, timezone)
    row = session.scalar(select(Subscription).where(
        Subscription.team_id == team, Subscription.channel_id == channel,
        Subscription.kind == kind))
    if row is None:
        if len(list_subscriptions(session, team=team)) >= MAX_PER_TEAM:
            raise UsageError(f"A workspace can have at most {MAX_PER_TEAM} digests. "
                             "Unsubscribe a channel first.")
        row = Subscription(team_id=team, channel_id=channel, kind=kind, created_at=now)
        session.add(row)
    for name, value in values.items():
        setattr(row, name, value)
    row.created_by = actor
    row.created_at = now  # the column says when this version of the subscription was set
    row.paused_reason = None
    session.flush()
    return subscription_view(row)


def unsubscribe(session: Session, *, team: str, channel: str,
                kind: DigestKind) -> SubscriptionView:
    row = session.scalar(select(Subscription).where(
        Subscription.team_id == team, Subscription.channel_id == channel,
        Subscription.kind == kind))
    if row is None:
        raise NoSubscription(channel=channel, kind=kind)
    view = subscription_view(row)
    session.delete(row)
    session.flush()
    return view


def list_subscriptions(session: Session, *, team: str) -> list[SubscriptionView]:
    return [subscription_view(r) for r in session.scalars(select(Subscription).where(
        Subscription.team_id == team).order_by(Subscription.kind, Subscription.channel_id))]


def active_subscriptions(session: Session) -> list[SubscriptionView]:
    """Every subscription of every workspace that is not paused (for the scheduler)."""
    return [subscription_view(r) for r in session.scalars(select(Subscription).where(
        Subscription.paused_reason.is_(None)).order_by(Subscription.id))]


def pause_subscription(session: Session, *, subscription_id: int, reason: str) -> None:
    """Stops a subscription's digests until someone subscribes the channel again."""
    row = session.get(Subscription, subscription_id)
    if row is not None:
        row.paused_reason = reason[:200]


def _checked(days: tuple[str, ...], at_time: str, timezone: str) -> dict[str, str]:
    if not days or any(d not in WEEKDAYS for d in days):
        raise UsageError("A digest needs days of the week, like `mon` or `mon,tue,wed`.")
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", at_time):
        raise UsageError(f"`{at_time}` is not a time of day like `09:00`.")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"`{timezone}` is not a time zone like `Europe/Oslo`.") from None
    ordered = ",".join(d for d in WEEKDAYS if d in days)
    return {"days": ordered, "at_time": at_time, "timezone": timezone}
