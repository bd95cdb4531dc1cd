"""Wires every listener to the Bolt app. The one place that knows them all."""

from __future__ import annotations

from slack_bolt import App

from handlers import replies
from handlers.commands import deal
from handlers.deps import Deps


def register(app: App, deps: Deps) -> None:
    replies.register(app)
    deal.register(app, deps)
