"""Checks shared by deals and leads on what people type."""

from __future__ import annotations

from storage.errors import UsageError


def check_text(text: str, limit: int, what: str) -> str:
    """`text` without surrounding space; refused when empty or longer than `limit`."""
    clean = text.strip()
    if not clean:
        raise UsageError(f"{what} cannot be empty.")
    if len(clean) > limit:
        raise UsageError(f"{what} can be at most {limit:,} characters; this one has "
                         f"{len(clean):,}.")
    return clean
