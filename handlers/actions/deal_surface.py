"""Where a click on a deal (or a form opened from one) came from, and answering there.

A deal's buttons live on cards in channels and DMs (answered through the card's
`response_url`: the card is redrawn in place, notices are ephemeral) and in the App Home tab
(answered by publishing the Home again, notices on top). The clicks themselves are read by
handlers.actions.card_click.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from slack_sdk import WebClient

from handlers import messages
from handlers.actions.card_click import CardClick, read_click
from handlers.blocks.deal_card import card_text, deal_card
from handlers.blocks.format import escape, section
from handlers.blocks.history import describe
from handlers.deps import Deps
from handlers.home import refresh_home
from handlers.replies import Respond, ephemeral, error_blocks
from storage.deals import queries as deal_queries
from storage.deals.views import DealView
from storage.errors import DealbotError

log = logging.getLogger(__name__)


def deal_click(body: dict, action: dict) -> CardClick:
    """Reads a click on a deal card or a deal in the Home tab."""
    return read_click(body, action, not_ours=messages.NOT_A_DEAL_CARD)


@dataclass(frozen=True)
class Surface:
    """A card message (`respond` posts to its response_url) or the Home tab (`respond` None)."""

    client: WebClient
    deps: Deps
    team: str
    user: str
    respond: Respond | None

    def show(self, deal: DealView, note: str | None = None, undo: int | None = None) -> None:
        """Redraws the card in place (with an **Undo** for the change `undo`, when given), or
        republishes the Home tab the click came from."""
        if self.respond is None:  # what changed, with its Undo, on top
            refresh_home(self.client, self.deps, self.team, self.user, at_once=True,
                         notice=note if undo is not None else None,
                         undo=(undo, deal.number) if undo is not None else None)
            return
        response = self.respond(replace_original=True, blocks=deal_card(deal, note=note, undo=undo),
                                text=card_text(deal))
        if getattr(response, "status_code", 200) != 200:  # respond() never raises
            log.warning("could not redraw deal card: %s", getattr(response, "body", ""))

    def tell(self, text: str) -> None:
        """A line only the person acting sees."""
        if self.respond is None:
            refresh_home(self.client, self.deps, self.team, self.user, notice=text,
                         at_once=True)
        else:
            ephemeral(self.respond, [section(text)], text)

    @contextmanager
    def answering(self) -> Iterator[None]:
        """Turns a refused change into an answer for the person acting."""
        try:
            yield
        except DealbotError as error:
            if self.respond is None:
                self.tell(f":warning: {escape(messages.error_text(error))}")
            else:
                ephemeral(self.respond, error_blocks(error), escape(messages.error_text(error)))


def show_stale(surface: Surface, click: CardClick) -> None:
    """The click came from an out-of-date card: show the deal as it is now, and say what
    changed since, and who changed it."""
    with surface.deps.db.transaction() as s:
        current, events = deal_queries.deal_history(s, team=click.team, number=click.number,
                                                    limit=1)
    what = (describe(events[-1], subject=f"#{current.number}", currency=current.currency)
            if events else "it changed")
    surface.show(current)
    surface.tell(":information_source: " + messages.STALE_DEAL_CLICK.format(
        what=what, id=current.number))
