"""Lead sources (`webinar`, `linkedin ads`): free text, folded to one canonical key.

The key is the text with its whitespace collapsed and lower-cased, so `Webinar`, `webinar`
and ` WEBINAR ` are one source everywhere: on leads, on the deals they become, and on
marketing spend (CAC by source joins on it). Reports group by the stored key directly.
"""

from __future__ import annotations

from storage.errors import UsageError

MAX_SOURCE = 80


def normalise_source(text: str | None) -> str | None:
    """The canonical key of a source, or None when `text` is empty."""
    if text is None:
        return None
    key = " ".join(text.split()).lower()  # lower() folds as SQL lower() does on both DBs
    if not key:
        return None
    if len(key) > MAX_SOURCE:
        raise UsageError(f"A source can be at most {MAX_SOURCE} characters; this one has "
                         f"{len(key)}.")
    return key
