"""Requests that waited past Slack's deadline are dropped before any work is done.

Slack waits 3 s for an acknowledgement, then tells the person that the command or click
failed. A request that sat in the web server's queue that long must not run late: the person
was told it failed and may well try again, so running it anyway would apply the change twice.
`X-Slack-Request-Timestamp` says when Slack sent the request, to the second (the signature
check has already refused any that is not a number within five minutes of now). What the
person sees of a dropped request:

- Slack may still be waiting (the timestamp is 3-4 s old: it only counts whole seconds): a
  command's ack says that Dealbot is busy and nothing was changed.
- Slack has surely given up (older than 4 s): it showed its own failure, and a post to the
  command's response_url says that nothing was changed.
- A click on a message is told the same through its response_url; a modal submission is
  answered with the same under the modal's first field (Slack keeps the modal open).

Events are dropped silently: Slack delivers them again after a failure.

A request that is run gets until `Deps.answer_within` (2.5 s) after the web server received
it for its database work (storage.db.answer_by): a database that is slow or locked, or a
request that came in late, is then answered in time that nothing was changed, instead of
Slack's failure after a wait of DATABASE_TIMEOUT. Counted as `counters.OUT_OF_TIME`.
"""

from __future__ import annotations

import logging
import time

from slack_bolt import BoltRequest, BoltResponse
from slack_sdk import WebClient

from handlers import counters, messages
from handlers.before_listeners import Step
from handlers.deps import Deps
from handlers.replies import Busy, Respond, error_blocks
from storage.db import Deadline, answer_by, within_time_left

log = logging.getLogger(__name__)
SLACK_WAITS = 3.0  # seconds Slack waits for an acknowledgement
RECEIVED_AT = "dealbot_received_at"  # request context: time.monotonic() at its receipt
MIN_CALL_SECONDS = 0.1  # what a Web API call gets even when the request's time is up


def request_age(request: BoltRequest, now: float) -> float | None:
    """Seconds since Slack sent the request, by its timestamp header (None without one)."""
    sent = (request.headers.get("x-slack-request-timestamp") or [""])[0]
    return now - int(sent) if sent.isdigit() else None


def busy_answer(body: dict, respond: Respond | None, *, slack_waits: bool) -> BoltResponse:
    """Tells the person their request was not run (see the module's docstring)."""
    blocks = error_blocks(Busy())
    if slack_waits and body.get("command"):
        return BoltResponse(status=200, body={"response_type": "ephemeral",
                                              "text": messages.BUSY, "blocks": blocks})
    view = body.get("view") or {}
    inputs = [b["block_id"] for b in view.get("blocks") or [] if b.get("type") == "input"]
    if body.get("type") == "view_submission" and inputs:  # there is no response_url
        return BoltResponse(status=200, body={"response_action": "errors",
                                              "errors": {inputs[0]: messages.BUSY}})
    if respond is not None and body.get("response_url"):
        respond(response_type="ephemeral", replace_original=False, text=messages.BUSY,
                blocks=blocks)
    return BoltResponse(status=200, body="")


def drop_late_requests(deps: Deps) -> Step:
    """The step (handlers.before_listeners) that answers a request Slack gave up on, and
    gives every other one its deadline."""
    def step(request: BoltRequest) -> BoltResponse | None:
        age = request_age(request, deps.request_clock())
        if age is None or age <= SLACK_WAITS:
            within_the_time_left(request, deps)
            return None
        counters.count(counters.LATE)
        body = request.body
        log.warning("dropped a %s request %.1f s after Slack sent it", body.get("type")
                    or body.get("command") or "Slack", age)
        return busy_answer(body, request.context.respond, slack_waits=age <= SLACK_WAITS + 1)

    return step


def within_the_time_left(request: BoltRequest, deps: Deps) -> None:
    """Lets the request's database waits, and its listener's Web API calls, last until
    `deps.answer_within` after its receipt (by the web server, bot.slack_request; else now);
    the database's are counted once when they run out of time."""
    received = request.context.get(RECEIVED_AT)
    answer_by(Deadline((time.monotonic() if received is None else received)
                       + deps.answer_within,
                       on_miss=lambda: counters.count(counters.OUT_OF_TIME)))
    client = request.context.client
    if client is not None:
        request.context["client"] = WithinTheRequest(
            token=client.token, base_url=client.base_url, timeout=client.timeout,
            ssl=client.ssl, proxy=client.proxy, headers=client.headers,
            team_id=client.default_params.get("team_id"), logger=client.logger,
            retry_handlers=client.retry_handlers)


class WithinTheRequest(WebClient):
    """A request's Web API client (Bolt makes one per request): a call made while Slack waits
    for the answer (`views.open` of a form, `users.info` of an admin check) waits no longer
    than the request has left, so a Slack that hangs gets the person an answer in time and
    holds no server thread for the client's 30 s. The same client used later from another
    thread (the outbox, the Home refresh: no deadline there) keeps its own timeout. Retries
    that would not fit in the time left are not made (bot.slack_calls.WithinTheTimeLeft)."""

    @property  # type: ignore[override]
    def timeout(self) -> float:
        return within_time_left(self._own_timeout, at_least=MIN_CALL_SECONDS)

    @timeout.setter
    def timeout(self, value: float) -> None:
        self._own_timeout = value
