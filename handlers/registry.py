"""Wires every listener to the Bolt app. The one place that knows them all."""

from __future__ import annotations

from slack_bolt import App

from handlers import deadline, deliveries, home, leaving, replies
from handlers.actions import (
    capture,
    deal_card,
    deal_create,
    deal_modals,
    lead_card,
    lead_create,
    lead_modals,
    list_pages,
    nudges,
    pickers,
    undo,
)
from handlers.commands import common, deal, lead, reports
from handlers.deps import Deps


def register(app: App, deps: Deps) -> None:
    replies.register(app)
    deadline.register(app, deps)  # before any other middleware does work
    deliveries.register(app, deps)
    leaving.register(app, deps)
    common.register(app)
    deal.register(app, deps)
    lead.register(app, deps)
    lead_card.register(app, deps)
    lead_modals.register(app, deps)
    deal_card.register(app, deps)
    deal_modals.register(app, deps)
    deal_create.register(app, deps)
    lead_create.register(app, deps)
    capture.register(app, deps)
    pickers.register(app, deps)
    list_pages.register(app, deps)
    nudges.register(app, deps)
    undo.register(app, deps)
    home.register(app, deps)
    reports.register(app, deps)
