"""The kinds of things Dealbot keeps, as string enums.

Each member is the very string stored in its column (a StrEnum compares equal to it and
prints as it), so the enums name the values without changing the schema. Models read them
back as members (storage.models.KindColumn).
"""

from __future__ import annotations

from enum import StrEnum


class PipelineKind(StrEnum):
    """A team has one pipeline of each kind: deals go through the sales pipeline, leads
    through the funnel."""

    DEAL = "deal"
    LEAD = "lead"


class StageKind(StrEnum):
    """What being in a stage means. Deal stages are open, won or lost; funnel stages are
    open or dropped."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"
    DROPPED = "dropped"


class EventKind(StrEnum):
    """What a history entry records. Deals: created, stage, edit, note, assign, next;
    leads: created, stage, edit, note, convert; both: activity (an import's last activity)."""

    CREATED = "created"
    STAGE = "stage"
    EDIT = "edit"
    NOTE = "note"
    ASSIGN = "assign"
    NEXT = "next"
    CONVERT = "convert"
    ACTIVITY = "activity"


class DigestKind(StrEnum):
    """A report a channel can subscribe to: the daily pipeline summary or the weekly funnel."""

    PIPELINE = "pipeline"
    FUNNEL = "funnel"


class ListView(StrEnum):
    """Which records `/deal list` and `/lead list` show, besides a stage: those still open
    (the default), closed ones too, only won or lost ones, or those needing attention (stale,
    overdue, closing within 7 days). Leads know open, all and stale."""

    OPEN = "open"
    ALL = "all"
    WON = "won"
    LOST = "lost"
    STALE = "stale"
    OVERDUE = "overdue"
    CLOSING = "closing"


class TargetPeriod(StrEnum):
    """How often a sales target comes round: each calendar month or each calendar quarter."""

    MONTH = "month"
    QUARTER = "quarter"
