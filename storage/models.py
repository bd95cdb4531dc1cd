"""The shared store: every table Dealbot keeps, as SQLAlchemy 2.0 typed models.

Histories (`deal_events`, `lead_events`) are append-only; the current columns on `deals`
and `leads` are a convenience for cards and lists, the reports read the histories.

Void: an undone change (storage/undo.py) is kept for audit but counts nowhere. Its events get
`voided_at` and are left out of every history, report and export; a deal or lead that the
change created gets `voided_at` too and is left out of every list, lookup and report. So
every read of a history or of deals and leads says `voided_at IS NULL`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
    true,
    type_coerce,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from storage.kinds import DigestKind, EventKind, PipelineKind, StageKind, TargetPeriod

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MONEY = Numeric(16, 2)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC on every database and gives them back aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


K = TypeVar("K", bound=StrEnum)


class KindColumn(TypeDecorator[K]):
    """A kind (storage.kinds) stored as its plain string and read back as the enum member."""

    impl = String
    cache_ok = True

    def __init__(self, kinds: type[K], length: int) -> None:
        super().__init__(length)
        self.kinds = kinds

    def process_bind_param(self, value: K | None, dialect: object) -> str | None:
        return None if value is None else self.kinds(value).value

    def process_result_value(self, value: str | None, dialect: object) -> K | None:
        return None if value is None else self.kinds(value)


Tags = tuple[str, ...]
MAX_TAGS_TEXT = 500  # the column's length: all of a record's tags, space-separated


def sorted_tags(tags: Iterable[str]) -> Tags:
    """Tags as a record holds them: sorted, each once."""
    return tuple(sorted(set(tags)))


def tags_text(tags: Iterable[str]) -> str:
    """The tags as stored (and exported, and shown in a history): `sorted_tags` with single
    spaces between them. A tag never holds a space (handlers.grammar.parse_tag)."""
    return " ".join(sorted_tags(tags))


class TagList(TypeDecorator[Tags]):
    """A record's tags: a sorted tuple in Python, `tags_text` in the column."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: Iterable[str] | None, dialect: object) -> str:
        return tags_text(value or ())

    def process_result_value(self, value: str | None, dialect: object) -> Tags:
        return sorted_tags((value or "").split())


def has_tag(column: ColumnElement[Tags] | Mapped[Tags], tag: str) -> ColumnElement[bool]:
    """SQL: the record's tags include `tag` itself (`#q4` does not match `q4-renewal`)."""
    padded = " " + type_coerce(column, String) + " "
    return padded.contains(f" {tag} ", autoescape=True)


def _where(condition: str) -> dict[str, Any]:
    """A partial index's condition, on both databases."""
    return {"postgresql_where": text(condition), "sqlite_where": text(condition)}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table_of(model: type[Base]) -> Table:
    """The model's table, typed as the `Table` it is (SQLAlchemy types it as any FromClause)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


class Workspace(Base):
    """A Slack workspace (team) and its settings; created with defaults on first use."""

    __tablename__ = "workspaces"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    rotting_days: Mapped[int] = mapped_column(Integer, default=14)
    activity_channel: Mapped[str | None] = mapped_column(String(32))
    # a win is celebrated in the activity channel (`/deal settings celebrate off` stops it)
    celebrate_wins: Mapped[bool] = mapped_column(Boolean, default=True,
                                                 server_default=true())
    next_deal_number: Mapped[int] = mapped_column(Integer, default=1)
    next_lead_number: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # the forecast's commit stage (storage/reports/forecast.py): a stage id of the team's
    # pipeline, NULL for the default, the last open stage. No foreign key: stages belong to
    # workspaces through pipelines, and a key back would make the tables a cycle.
    commit_stage_id: Mapped[int | None] = mapped_column(Integer)
    # Slack told us the workspace left (storage.leaving: app_uninstalled, tokens_revoked): no
    # nudges go there until it installs Dealbot again, at `back_at` (nudges due before are
    # not owed)
    left_reason: Mapped[str | None] = mapped_column(String(32))
    back_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Pipeline(Base):
    """An ordered set of stages: kind `deal` for the sales pipeline, `lead` for the funnel."""

    __tablename__ = "pipelines"
    __table_args__ = (UniqueConstraint("team_id", "kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id"))
    kind: Mapped[PipelineKind] = mapped_column(KindColumn(PipelineKind, 8))
    name: Mapped[str] = mapped_column(String(80))


class Stage(Base):
    """A stage of a pipeline. `kind` is open, won or lost (funnel: open or dropped).

    Stages are never deleted once used, so history keeps pointing at them; a rename changes
    the name everywhere, including in past reports.
    """

    __tablename__ = "stages"
    __table_args__ = (Index("ix_stages_pipeline_position", "pipeline_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pipeline_id: Mapped[int] = mapped_column(ForeignKey("pipelines.id"))
    name: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[StageKind] = mapped_column(KindColumn(StageKind, 8), default=StageKind.OPEN)
    probability: Mapped[int] = mapped_column(Integer, default=0)
    rotting_days: Mapped[int | None] = mapped_column(Integer)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class Change(Base):
    """One change a person made: what one command, click or modal submission wrote, on one or
    more deals and leads (storage/changes.py). Its events carry its id. `records` holds, for
    each deal and lead it touched, the columns before (null: it created the record) and
    after, so that an undo restores them exactly and sees whether anything changed them
    since. Undone: `voided_at`, `voided_by`, as on its events."""

    __tablename__ = "changes"
    __table_args__ = (
        # a person's latest change
        Index("ix_changes_team_actor", "team_id", "actor", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    records: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voided_by: Mapped[str | None] = mapped_column(String(32))


class Deal(Base):
    """An opportunity in a pipeline. `version` guards against lost updates."""

    __tablename__ = "deals"
    __table_args__ = (
        UniqueConstraint("team_id", "number"),
        UniqueConstraint("team_id", "external_id"),
        # the pipeline report (storage/reports/): per stage, the longest idle and the earliest
        # closes first, without reading the stage's other deals; on PostgreSQL the first also
        # carries what the stage totals sum, so they (the report's and the Home tab's) are
        # read from the index alone
        Index("ix_deals_team_stage_activity", "team_id", "stage_id", "last_activity_at",
              postgresql_include=["value", "probability", "expected_close", "created_at",
                                  "voided_at"]),
        Index("ix_deals_team_stage_close", "team_id", "stage_id", "expected_close"),
        # the deals active since a time: the few a report of the past looks up in history
        Index("ix_deals_team_activity", "team_id", "last_activity_at"),
        Index("ix_deals_team_owner", "team_id", "owner"),
        # who owns an open deal (storage/nudges/items.py `owners`, every minute): the
        # entries of the open stages alone, read without the table
        Index("ix_deals_stage_team_owner", "stage_id", "team_id", "owner",
              **_where("voided_at IS NULL AND owner IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id"))
    number: Mapped[int] = mapped_column(Integer)
    external_id: Mapped[str | None] = mapped_column(String(100))
    pipeline_id: Mapped[int] = mapped_column(ForeignKey("pipelines.id"))
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    name: Mapped[str] = mapped_column(String(200))
    company: Mapped[str | None] = mapped_column(String(200))
    value: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    owner: Mapped[str | None] = mapped_column(String(32))
    expected_close: Mapped[date | None] = mapped_column(Date)
    probability: Mapped[int | None] = mapped_column(Integer)
    last_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_action: Mapped[str | None] = mapped_column(String(500))
    next_action_due: Mapped[date | None] = mapped_column(Date)
    tags: Mapped[Tags] = mapped_column(TagList(MAX_TAGS_TEXT), default=())
    source: Mapped[str | None] = mapped_column(String(80))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"), unique=True)
    lost_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(String(32))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # set when the change that created the deal was undone: it is gone (kept for audit)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


LOST_REASON = "lost_reason"  # the `field` of the stage event that lost a deal with a reason
# the `field` of a lead's stage event an import wrote because the lead follows its deal into
# Conversion and back (storage/imports/follow.py): the next import rewrites those
FOLLOWS_DEAL = "follows_deal"


class DealEvent(Base):
    """One thing that happened to a deal. Kinds: created, stage, edit, note, assign, next."""

    __tablename__ = "deal_events"
    __table_args__ = (
        # on PostgreSQL with what tells a report which figures changed since a time
        Index("ix_deal_events_team_at", "team_id", "at",
              postgresql_include=["deal_id", "kind", "field", "voided_at"]),
        Index("ix_deal_events_deal_at", "deal_id", "at"),
        Index("ix_deal_events_team_kind_at", "team_id", "kind", "at"),
        # the deals won or lost in a window, without reading its other stage changes
        Index("ix_deal_events_team_to_stage_at", "team_id", "to_stage_id", "at"),
        Index("ix_deal_events_change", "change_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str | None] = mapped_column(String(32))
    kind: Mapped[EventKind] = mapped_column(KindColumn(EventKind, 16))
    from_stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id"))
    to_stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id"))
    field: Mapped[str | None] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    # the change a person made that recorded it (NULL: an import or the system); when that
    # change was undone, when and by whom
    change_id: Mapped[int | None] = mapped_column(ForeignKey("changes.id"))
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voided_by: Mapped[str | None] = mapped_column(String(32))
    # a note logged from a Slack message (the Add to deal shortcut): the message's link,
    # when Slack gave one, and who wrote it
    source_url: Mapped[str | None] = mapped_column(Text)
    source_author: Mapped[str | None] = mapped_column(String(32))


class Lead(Base):
    """A prospect in the funnel. Its deal is the one whose `lead_id` names it; the unique
    constraint there is what makes a lead convert at most once, even under concurrency."""

    __tablename__ = "leads"
    __table_args__ = (
        UniqueConstraint("team_id", "number"),
        UniqueConstraint("team_id", "external_id"),
        Index("ix_leads_team_stage", "team_id", "stage_id"),
        Index("ix_leads_team_created", "team_id", "created_at"),
        # who owns an open lead, as for deals
        Index("ix_leads_stage_team_owner", "stage_id", "team_id", "owner", **_where(
            "voided_at IS NULL AND converted_at IS NULL AND owner IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id"))
    number: Mapped[int] = mapped_column(Integer)
    external_id: Mapped[str | None] = mapped_column(String(100))
    pipeline_id: Mapped[int] = mapped_column(ForeignKey("pipelines.id"))
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    name: Mapped[str] = mapped_column(String(200))
    company: Mapped[str | None] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(String(80))
    owner: Mapped[str | None] = mapped_column(String(32))
    tags: Mapped[Tags] = mapped_column(TagList(MAX_TAGS_TEXT), default=())
    converted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dropped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    drop_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(String(32))
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # the latest contact logged (a note); a lead is stale when neither it nor its creation
    # is within the workspace's limit
    last_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_action: Mapped[str | None] = mapped_column(String(500))
    next_action_due: Mapped[date | None] = mapped_column(Date)
    # An import's `deal` column: the source system's id of the deal this lead became, kept
    # until a deals import brings that deal and links it (deals.lead_id).
    deal_ref: Mapped[str | None] = mapped_column(String(100))
    # set when the change that created the lead was undone: it is gone (kept for audit)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class LeadEvent(Base):
    """One thing that happened to a lead. Kinds: created, stage, edit, note, assign, next,
    convert."""

    __tablename__ = "lead_events"
    __table_args__ = (
        Index("ix_lead_events_team_at", "team_id", "at"),
        Index("ix_lead_events_lead_at", "lead_id", "at"),
        Index("ix_lead_events_change", "change_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str | None] = mapped_column(String(32))
    kind: Mapped[EventKind] = mapped_column(KindColumn(EventKind, 16))
    from_stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id"))
    to_stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id"))
    field: Mapped[str | None] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    change_id: Mapped[int | None] = mapped_column(ForeignKey("changes.id"))  # as on deal_events
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voided_by: Mapped[str | None] = mapped_column(String(32))
    # as on deal_events: a note logged from a Slack message (the Add to lead shortcut)
    source_url: Mapped[str | None] = mapped_column(Text)
    source_author: Mapped[str | None] = mapped_column(String(32))


class Spend(Base):
    """Marketing spend for one ISO week (its Monday) and source ('' when none)."""

    __tablename__ = "spend"
    __table_args__ = (UniqueConstraint("team_id", "week_start", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id"))
    week_start: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(80), default="")
    amount: Mapped[Decimal] = mapped_column(MONEY)
    recorded_by: Mapped[str | None] = mapped_column(String(32))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Target(Base):
    """A sales target: the value a team (owner '') or one owner means to win each month or
    each quarter. One per team, owner and period; setting it again replaces it."""

    __tablename__ = "targets"
    __table_args__ = (UniqueConstraint("team_id", "owner", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id"))
    owner: Mapped[str] = mapped_column(String(32), default="")
    period: Mapped[TargetPeriod] = mapped_column(KindColumn(TargetPeriod, 8))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    set_by: Mapped[str | None] = mapped_column(String(32))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Subscription(Base):
    """A digest: a channel gets a report kind on some weekdays at a local time."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("team_id", "channel_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id"))
    channel_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[DigestKind] = mapped_column(KindColumn(DigestKind, 16))
    days: Mapped[str] = mapped_column(String(40))
    at_time: Mapped[str] = mapped_column(String(5))
    timezone: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    paused_reason: Mapped[str | None] = mapped_column(String(200))


class DigestLedger(Base):
    """The claim that a subscription's digest for one period was (being) posted."""

    __tablename__ = "digest_ledger"
    __table_args__ = (UniqueConstraint("subscription_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(200))


class EnterpriseTeam(Base):
    """The Enterprise Grid organisation a workspace belongs to, as its requests say: the
    bot token of a Grid workspace is found by enterprise and team (bot.oauth)."""

    __tablename__ = "enterprise_teams"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    enterprise_id: Mapped[str] = mapped_column(String(32), index=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ProcessedDelivery(Base):
    """Slack deliveries already applied (event ids), so that a retry never applies twice."""

    __tablename__ = "processed_deliveries"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class HomeTab(Base):
    """A user who has opened the app's Home tab: the tab is refreshed after their changes.
    Users who never opened it cost no refresh."""

    __tablename__ = "home_tabs"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)


class NudgeSetting(Base):
    """A person's daily nudge: on or off, at a local time on weekdays or every day. The row
    is made the first time the person changes it or the scheduler meets them as an owner;
    `timezone` is their Slack zone (users.info), kept for a while (`timezone_checked_at`).
    `gone_reason` says Slack refused them for good (they left the workspace): no more nudges
    until they turn them on again."""

    __tablename__ = "nudge_settings"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    at_time: Mapped[str] = mapped_column(String(5), default="09:00")
    every_day: Mapped[bool] = mapped_column(Boolean, default=False)
    timezone: Mapped[str | None] = mapped_column(String(64))
    timezone_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    gone_reason: Mapped[str | None] = mapped_column(String(200))
    set_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: never set by them


class NudgeLedger(Base):
    """The claim that a person's nudge for one local day was (being) sent: unique, so at most
    one per person and day whatever the number of schedulers."""

    __tablename__ = "nudge_ledger"
    __table_args__ = (UniqueConstraint("team_id", "user_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    period: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(200))


class NudgeSnooze(Base):
    """A deal or lead left out of its owner's nudges until `until`. A row of its own, not a
    column of the record: snoozing is no change to the deal (no version, no undo)."""

    __tablename__ = "nudge_snoozes"
    __table_args__ = (Index("ix_nudge_snoozes_until", "until"),)

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[PipelineKind] = mapped_column(KindColumn(PipelineKind, 8), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    until: Mapped[datetime] = mapped_column(UTCDateTime)
    snoozed_by: Mapped[str] = mapped_column(String(32))
