"""A step before the listeners (handlers.before_listeners) that drops deliveries already
handled: Slack's retries of an event, and a slash command received again.

Slack redelivers events (up to 3 retries, by `event_id`). It never resends a slash command,
but anyone who captured one could, within the five minutes its timestamp is accepted: the
same signed bytes carry the same `X-Slack-Signature`, which is the command's key here. The
command's own (first) transaction claims the key, so it is applied at most once; a repeat
raises AlreadyDelivered, which the error handler (handlers.replies) acks with nothing and
counts (`counters.REPLAYED`). The signature was verified before this runs (bot.signature).
"""

from __future__ import annotations

from slack_bolt import BoltRequest, BoltResponse

from handlers.before_listeners import Step
from handlers.deps import Deps
from storage.deliveries import claim_delivery, claim_with_next_transaction


def skip_repeated_deliveries(deps: Deps) -> Step:
    """The step (handlers.before_listeners) that acks a repeated delivery with nothing."""
    def step(request: BoltRequest) -> BoltResponse | None:
        body = request.body
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            with deps.db.transaction() as session:
                first = claim_delivery(session, key=f"event:{body.get('team_id')}:{event_id}",
                                       now=deps.clock())
            if not first:
                return BoltResponse(status=200, body="")
        signature = (request.headers.get("x-slack-signature") or [""])[0]
        if body.get("command") and signature:
            claim_with_next_transaction(key=f"command:{signature[:100]}", now=deps.clock())
        return None

    return step
