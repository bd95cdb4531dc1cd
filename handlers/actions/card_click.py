"""A click on a deal or lead card: who, on which record, drawn at which version.

Every element of a card carries `<number>:<version>[:<stage id>]`; the version is what keeps
an old card from overwriting a newer change. A card posted by another workspace's install
(a shared channel), or a value we did not draw, is refused with a clear answer, never a
crash. Modals remember the same in their `private_metadata`.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers import messages
from handlers.blocks.format import clip
from storage.errors import DealbotError, NotFound, UsageError

FIELD_ERROR_LIMIT = 150  # Slack shows a short plain text under a modal's input


@dataclass(frozen=True)
class CardClick:
    team: str
    user: str
    number: int  # the team's deal or lead number
    version: int
    stage_id: int | None = None


def read_click(body: dict, action: dict, *, not_ours: str) -> CardClick:
    """The click as the card drew it; `not_ours` answers a value the app did not draw."""
    message = body.get("message") or {}
    if message.get("team") and message["team"] != body["team"]["id"]:
        raise NotFound(messages.FOREIGN_CARD)
    raw = (action.get("selected_option") or {}).get("value") or action.get("value") or ""
    parts = raw.split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
        raise UsageError(not_ours)
    return CardClick(team=body["team"]["id"], user=body["user"]["id"], number=int(parts[0]),
                     version=int(parts[1]), stage_id=int(parts[2]) if len(parts) == 3 else None)


def field_error(error: DealbotError) -> str:
    """A domain message as the plain text Slack shows under a modal's input."""
    return clip(messages.error_text(error).replace("`", "").replace("*", ""), FIELD_ERROR_LIMIT)
