"""Undo in words and blocks: the **Undo** button under a change's confirmation, what an undo
took back, and why one is refused."""

from __future__ import annotations

from handlers import ids
from handlers.blocks.format import button, context, escape, moment, section, user
from handlers.blocks.history import FIELD_NAMES, describe
from storage.errors import (
    AlreadyUndone,
    ChangedSince,
    DealbotError,
    NotYourChange,
    TooLateToUndo,
)
from storage.kinds import EventKind, PipelineKind
from storage.undo import UNDO_MINUTES, Undone


def undo_actions(change_id: int, kind: PipelineKind, number: int) -> dict:
    """The actions block under a card's note: one **Undo** for the change it describes."""
    return {"type": "actions", "block_id": ids.UNDO_ACTIONS, "elements": [
        button("Undo", ids.UNDO, f"{change_id}:{kind}:{number}")]}


def undo_hint() -> str:
    return (f"Only the person who made the change can undo it, within {UNDO_MINUTES} minutes "
            "and while nobody has changed the record since.")


def undone_lines(undone: Undone, actor: str) -> list[str]:
    """What the undo took back: one line per record, with the events now void."""
    lines = []
    for record in undone.records:
        subject = f"{record.kind} #{record.number} {escape(record.name)}"
        if record.removed:
            lines.append(f"{user(actor)} undid the creation of {subject}: it is gone.")
            continue
        taken = "; ".join(describe(e, subject="it") for e in record.events) or "its change"
        lines.append(f"{user(actor)} undid a change to {subject}: {taken}.")
    return lines


def undone_blocks(undone: Undone, actor: str) -> tuple[list[dict], str]:
    lines = undone_lines(undone, actor)
    text = f":leftwards_arrow_with_hook: {lines[0]}" if lines else "Undone."
    return [section(f":leftwards_arrow_with_hook: {line}") for line in lines], text


def undone_activity_lines(undone: Undone, actor: str) -> list[str]:
    """For the activity channel, which heard of them: the deals' stage changes taken back."""
    lines = []
    for record in undone.records:
        moves = [e for e in record.events if e.kind == EventKind.STAGE]
        if record.kind == PipelineKind.DEAL and moves:
            taken = "; ".join(describe(e, subject="it") for e in moves)
            lines.append(f":leftwards_arrow_with_hook: {user(actor)} took back a change to "
                         f"*#{record.number} {escape(record.name)}*: {taken}.")
    return lines


_WHAT = {EventKind.CREATED: "created it", EventKind.STAGE: "moved it",
         EventKind.NOTE: "logged a contact on it", EventKind.ASSIGN: "assigned it",
         EventKind.NEXT: "set its next action", EventKind.CONVERT: "converted it into a deal",
         EventKind.ACTIVITY: "imported its last activity"}


def refusal_text(error: DealbotError, *, clicker: str) -> str:
    """Why an undo was refused, in mrkdwn (user text escaped; times shown in each viewer's
    zone); other errors in storage's words."""
    match error:
        case TooLateToUndo(at=at, minutes=minutes):
            return (f"That change was made {moment(at)}, more than {minutes} minutes ago, so "
                    "it can no longer be undone.")
        case ChangedSince(kind=kind, number=number, name=name, by=by, what=what, field=field,
                          at=at):
            subject = f"{kind.capitalize()} #{number} {escape(name)}"
            if what is None or at is None:
                return (f"{subject} has changed since (an import updated it), so your change "
                        "can no longer be undone.")
            did = (f"changed its {FIELD_NAMES.get(field or '', field or 'details')}"
                   if what == EventKind.EDIT else _WHAT.get(what, "changed it"))
            who = "you" if by == clicker else user(by)
            return (f"{subject} has changed since: {who} {did} {moment(at)}. Your change can "
                    "no longer be undone; undo the later one first, or change the "
                    f"{kind} back by hand.")
        case NotYourChange(actor=actor):
            return f"Only {user(actor)}, who made this change, can undo it."
        case AlreadyUndone(by=by, at=at):
            return f"That change was undone already, by {user(by)} {moment(at)}."
    return escape(error.message)


def refusal_blocks(error: DealbotError, *, clicker: str) -> tuple[list[dict], str]:
    text = refusal_text(error, clicker=clicker)
    return [section(f":warning: {text}"), context(undo_hint())], text
