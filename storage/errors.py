"""Domain errors. Every one carries a message that is safe to show the user as is."""

from __future__ import annotations


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
