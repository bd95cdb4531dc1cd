"""A Bolt middleware that drops Events API deliveries already handled (Slack's retries)."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App, BoltResponse

from handlers.deps import Deps
from storage.deliveries import claim_delivery


def register(app: App, deps: Deps) -> None:
    @app.middleware
    def skip_repeated_events(body: dict, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            with deps.db.transaction() as session:
                first = claim_delivery(session, key=f"event:{body.get('team_id')}:{event_id}",
                                       now=deps.clock())
            if not first:
                return BoltResponse(status=200, body="")
        return next()
