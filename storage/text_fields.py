"""The text people type that Dealbot keeps, field by field: one length limit per field, used
by the commands, the modals (`max_length`), the CSV import and the column; and one way of
cleaning it, the same on every path.

A stored field's limit is its column's length. Cleaning removes control characters
(`without_controls`: NUL, which PostgreSQL refuses in text, the other C0 and C1 controls and
DEL: invisible, and meaningless in a name or a note); a one-line field has its whitespace
(line breaks and tabs too) collapsed to single spaces, a note keeps its line breaks. Then the
length is checked, and a longer text is refused with a message that names the field and the
limit, before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from storage.errors import UsageError
from storage.models import Base, Deal, Lead, Stage, sorted_tags, table_of, tags_text
from storage.values.text import without_controls


@dataclass(frozen=True)
class TextField:
    """A kind of text people type: `what` names it in messages ("A deal name")."""

    what: str
    limit: int
    multiline: bool = False
    counted: str = "this one has"

    def clean(self, text: str | None) -> str:
        """`text` as it is kept ("" when nothing is left); refused when longer than `limit`."""
        text = without_controls(text or "")
        if self.multiline:
            text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n")
                             .replace("\r", "\n").split("\n")).strip()
        else:
            text = " ".join(text.split())
        if len(text) > self.limit:
            raise UsageError(f"{self.what} can be at most {self.limit:,} characters; "
                             f"{self.counted} {len(text):,}.")
        return text

    def optional(self, text: str | None) -> str | None:
        """`clean`, or None when nothing is left."""
        return self.clean(text) or None

    def required(self, text: str | None, missing: str) -> str:
        """`clean`, refused with `missing` when nothing is left."""
        if not (clean := self.clean(text)):
            raise UsageError(missing)
        return clean


def _length(model: type[Base], column: str) -> int:
    length = getattr(table_of(model).c[column].type, "length", None)
    assert isinstance(length, int), f"{model.__name__}.{column} has no length"
    return length


DEAL_NAME = TextField("A deal name", _length(Deal, "name"))
LEAD_NAME = TextField("A lead name", _length(Lead, "name"))
COMPANY = TextField("A company name", _length(Deal, "company"))
CONTACT = TextField("A contact", _length(Lead, "contact"))
SOURCE = TextField("A source", _length(Deal, "source"))
NEXT_ACTION = TextField("A next action", _length(Deal, "next_action"))
LOST_REASON = TextField("A lost reason", _length(Deal, "lost_reason"))
DROP_REASON = TextField("A drop reason", _length(Lead, "drop_reason"))
STAGE_NAME = TextField("A stage name", _length(Stage, "name"))
RECORD_ID = TextField("An id", _length(Deal, "external_id"))  # a CRM's id, in imports
OWNER = TextField("An owner", _length(Deal, "owner"))  # a Slack user id
# A note is kept in its event's history (a text column); 3,000 characters is what one
# Slack section, and a modal's input, hold.
NOTE = TextField("A note", 3000, multiline=True)
TAG = TextField("A tag", 40)
TAGS = TextField("The tags together", _length(Deal, "tags"), counted="these have")


def checked_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """A record's tags, sorted and each once, refused when one is longer than a tag may be
    or all of them together longer than the column holds."""
    kept = sorted_tags(tags)
    for tag in kept:
        if len(tag) > TAG.limit:
            raise UsageError(f"`#{tag[:TAG.limit]}…` is too long for a tag: the most is "
                             f"{TAG.limit} characters.")
    TAGS.clean(tags_text(kept))
    return kept


def normalise_source(text: str | None) -> str | None:
    """A source (`webinar`, `linkedin ads`) as its canonical key, or None when empty: cleaned
    and lower-cased, so `Webinar`, `webinar` and ` WEBINAR ` are one source everywhere (on
    leads, on the deals they become, on marketing spend: CAC by source joins on it; reports
    group by the stored key)."""
    if text is None:
        return None
    return SOURCE.optional(text.lower())  # folds as SQL lower() does on both databases
