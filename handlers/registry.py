"""Wires every listener to the Bolt app. The one place that knows them all."""

from __future__ import annotations

from slack_bolt import App

from handlers import before_listeners, deadline, deliveries, home, leaving, replies
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
    before_listeners.register(app, (
        deadline.drop_late_requests(deps),  # before any other step does work
        deliveries.skip_repeated_deliveries(deps),
        leaving.note_enterprise(deps),
        common.without_control_characters))
    # Bolt tries the listeners in this order and pays for every one it tries (it builds all
    # of a listener's arguments to ask whether it matches), so the requests Slack sends most
    # come first: commands and card clicks, then reports and the Home tab, then the rest.
    # No two listeners match the same request (tests/handlers/test_listener_order.py), so
    # the order changes nothing else.
    deal.register(app, deps)
    deal_card.register(app, deps)
    lead.register(app, deps)
    lead_card.register(app, deps)
    reports.register(app, deps)
    home.register(app, deps)
    list_pages.register(app, deps)
    undo.register(app, deps)
    nudges.register(app, deps)
    pickers.register(app, deps)
    deal_modals.register(app, deps)
    lead_modals.register(app, deps)
    deal_create.register(app, deps)
    lead_create.register(app, deps)
    capture.register(app, deps)
    leaving.register(app, deps)
