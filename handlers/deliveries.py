"""A Bolt middleware that drops deliveries already handled: Slack's retries of an event, and a
slash command received again.

Slack redelivers events (up to 3 retries, by `event_id`). It never resends a slash command,
but anyone who captured one can, within the five minutes its timestamp is accepted: the same
signed bytes carry the same `X-Slack-Signature`, which is the command's key here. A repeat
is acked with nothing (the first delivery already answered) and counted
(`counters.REPLAYED`). The signature was verified before this runs (bot.signature)."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App, BoltRequest, BoltResponse

from handlers import counters
from handlers.deps import Deps
from storage.deliveries import claim_delivery


def delivery_key(request: BoltRequest, body: dict) -> str | None:
    """What identifies this delivery among its repeats; None for what is not de-duplicated
    here (clicks and submissions carry versions and are refused when stale)."""
    if body.get("type") == "event_callback" and body.get("event_id"):
        return f"event:{body.get('team_id')}:{body['event_id']}"
    if body.get("command"):
        signature = (request.headers.get("x-slack-signature") or [""])[0]
        return f"command:{signature[:100]}" if signature else None
    return None


def register(app: App, deps: Deps) -> None:
    @app.middleware
    def skip_repeated_deliveries(request: BoltRequest, body: dict,
                                 next: Callable[[], BoltResponse]) -> BoltResponse | None:
        key = delivery_key(request, body)
        if key:
            with deps.db.transaction() as session:
                first = claim_delivery(session, key=key, now=deps.clock())
            if not first:
                if body.get("command"):
                    counters.count(counters.REPLAYED)
                return BoltResponse(status=200, body="")
        return next()
