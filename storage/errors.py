"""Domain errors. Every one carries a message that is safe to show the user as is."""

from __future__ import annotations

from datetime import datetime

from storage.kinds import DigestKind, EventKind, PipelineKind


class DealbotError(Exception):
    """Root of every error a user may see. `message` is plain text (backticks may mark
    code); whoever shows it escapes it. `usage` optionally shows the right form with an
    example."""

    def __init__(self, message: str, *, usage: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.usage = usage


class UsageError(DealbotError):
    """The command text was malformed: wrong form, bad amount, bad date, bad mention."""


class NotFound(DealbotError):
    """No deal, lead or stage matches the reference (also for other workspaces' ids)."""


class Ambiguous(DealbotError):
    """Several records match a reference; `candidates` lists (id, label) to pick from."""

    def __init__(self, message: str, *, candidates: list[tuple[int, str]],
                 usage: str | None = None) -> None:
        super().__init__(message, usage=usage)
        self.candidates = candidates


class RuleViolation(DealbotError):
    """The change breaks a rule: moving a won deal, converting a lead twice, ..."""


class StaleVersion(DealbotError):
    """Someone else changed the record first; nothing was overwritten."""


class NotAllowed(DealbotError):
    """The acting user may not do this (admin-only settings)."""


class DatabaseUnavailable(DealbotError):
    """The database did not answer; nothing was changed."""


class OutOfTime(DatabaseUnavailable):
    """The time the request had to be answered in ran out before the database answered (or
    before it was asked): nothing was changed."""


class CommitUnknown(DatabaseUnavailable):
    """The database stopped answering after it was asked to commit: the change may have been
    saved or not (it may still be, once the network delivers the COMMIT)."""


# Errors that carry data: storage says what is wrong in plain words; the Slack floor
# (handlers/messages.py) adds the command that helps, since only it knows the commands.

class NoSuchRecord(NotFound):
    """No deal or lead is named `ref` (`#12` or a part of a name) in this workspace."""

    def __init__(self, *, kind: PipelineKind, ref: str) -> None:
        number = ref.startswith("#")
        super().__init__(f"There is no {kind} {ref}." if number
                         else f"No {kind} matches `{ref}`.")
        self.kind = kind
        self.ref = ref


class StageGone(NotFound):
    """A card named a stage that is no longer in the team's pipeline (`kind` deal) or funnel."""

    def __init__(self, *, kind: PipelineKind) -> None:
        place = "pipeline" if kind == PipelineKind.DEAL else "funnel"
        super().__init__(f"That stage is no longer in the {place}.")
        self.kind = kind


class ClosedDeal(RuleViolation):
    """A won or lost deal changes only by being reopened."""

    def __init__(self, *, number: int, name: str, stage: str) -> None:
        super().__init__(f"#{number} {name} is {stage.lower()} and does not change any more.")
        self.number, self.name, self.stage = number, name, stage


class DroppedLead(RuleViolation):
    """A dropped lead is not converted until it is brought back."""

    def __init__(self, *, number: int, name: str) -> None:
        super().__init__(f"#{number} {name} is dropped.")
        self.number, self.name = number, name


class ConvertedMeanwhile(RuleViolation):
    """Someone else converted the lead at the same moment."""

    def __init__(self, *, number: int, name: str) -> None:
        super().__init__(f"#{number} {name} was converted into a deal at the same moment by "
                         "someone else.")
        self.number, self.name = number, name


class FollowsItsDeal(RuleViolation):
    """A converted lead's place in the funnel follows its deal: not moved, dropped or
    converted again by hand."""

    def __init__(self, *, number: int, name: str, deal_number: int, deal_name: str,
                 conversion_stage: str, what: str) -> None:
        super().__init__(
            f"#{number} {name} became deal #{deal_number} {deal_name}, so it is not {what}: "
            f"its place in the funnel follows the deal (a won deal puts it in "
            f"{conversion_stage}).")
        self.number, self.name, self.deal_number = number, name, deal_number


class ConversionByHand(RuleViolation):
    """Nobody puts a lead in the conversion stage by hand: a won deal does."""

    def __init__(self, *, stage: str) -> None:
        super().__init__(f"A lead cannot be put in {stage} by hand: it enters {stage} when the "
                         "deal it was converted into is won.")
        self.stage = stage


class NoSubscription(NotFound):
    """The channel has no digest of that kind."""

    def __init__(self, *, channel: str, kind: DigestKind) -> None:
        super().__init__(f"<#{channel}> has no {kind} digest.")
        self.channel, self.kind = channel, kind


# Undo (storage/undo.py): the data says what the handlers need to word the refusal.

class NothingToUndo(NotFound):
    """The person has made no change (of deals, or of leads, when `kind` says) that is not
    undone yet."""

    def __init__(self, *, kind: PipelineKind | None = None) -> None:
        what = f"to a {kind} " if kind else ""
        super().__init__(f"You have made no change {what}that can be undone.")
        self.kind = kind


class NoSuchChange(NotFound):
    """No change has that id in this workspace."""

    def __init__(self, *, change_id: int) -> None:
        super().__init__("That change is not known here.")
        self.change_id = change_id


class NotYourChange(RuleViolation):
    """Only the person who made a change undoes it; `actor` made it."""

    def __init__(self, *, change_id: int, actor: str) -> None:
        super().__init__("Only the person who made a change can undo it.")
        self.change_id, self.actor = change_id, actor


class AlreadyUndone(RuleViolation):
    """The change was undone already, by `by` at `at`."""

    def __init__(self, *, change_id: int, by: str | None, at: datetime) -> None:
        super().__init__("That change was undone already.")
        self.change_id, self.by, self.at = change_id, by, at


class TooLateToUndo(RuleViolation):
    """The change, made at `at`, is older than `minutes`."""

    def __init__(self, *, change_id: int, at: datetime, minutes: int) -> None:
        super().__init__(f"That change was made more than {minutes} "
                         f"minute{'' if minutes == 1 else 's'} ago, so it can no longer be "
                         "undone.")
        self.change_id, self.at, self.minutes = change_id, at, minutes


class ChangedSince(RuleViolation):
    """Something changed one of the change's records since: the latest such event was `what`
    (an event kind; with `field` for edits) by `by` at `at`. All three are None when the
    record was changed without an event of its own (an import updating it)."""

    def __init__(self, *, change_id: int, kind: PipelineKind, number: int, name: str,
                 by: str | None, what: EventKind | None, field: str | None,
                 at: datetime | None) -> None:
        super().__init__(f"{kind.capitalize()} #{number} {name} has changed since, so that "
                         "change can no longer be undone.")
        self.change_id, self.kind, self.number, self.name = change_id, kind, number, name
        self.by, self.what, self.field, self.at = by, what, field, at
