"""Calls to Slack that fail on the way: which are sent again, and how long a person waits.

**Sent again only when Slack cannot have acted on it.** slack-sdk's ConnectionErrorRetryHandler
sends a request again after `URLError`, `ConnectionResetError` or `RemoteDisconnected`. Only
the first means the request never left: urllib wraps in `URLError` what fails while it connects
and sends (`AbstractHTTPHandler.do_open` around `HTTPConnection.request`); what fails while it
waits for the answer comes as it is (`RemoteDisconnected`: the connection closed with no
answer; `ConnectionResetError`), and by then Slack may have posted the message. Sending
`chat.postMessage` again then posts it twice. So `UnsentConnectionErrors` sends a request again
after a connection error only when nothing was sent, or when sending it twice does no more than
once (`REPEATABLE`: reads, and calls that set a state rather than add something). A timeout is
never sent again (slack-sdk's handler does not either): a digest whose post got no answer is
read back from the channel before it is posted again (bot.digests).

**A response_url post inside a request waits `IN_REQUEST_SECONDS` at most.** Slack shows a
command or click as failed unless the app answers within 3 s, and a listener's answer goes
back only when it ends (`process_before_response`): a post to the response_url (a card
redrawn after a click, a card posted after a form) that hangs would hold that answer. Posts
made later, from another thread (a report's answer from the slow-work pool), wait as long as
slack-sdk's clients do. A post that fails is logged and answered as HTTP status 0, never
raised: the change it follows is saved either way.
"""

from __future__ import annotations

import logging
import threading
from http.client import HTTPException
from typing import Any
from urllib.error import HTTPError, URLError

from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.webhook import WebhookClient, WebhookResponse

from storage.db import time_left

log = logging.getLogger(__name__)
IN_REQUEST_SECONDS = 1.5  # a response_url post made while Slack waits for the answer
RETRY_ROOM = 0.5  # seconds a call sent again needs, beyond the wait before it
LATER_SECONDS = 30  # one made after it (slack-sdk's own default)
# Web API methods that change nothing more when called twice: reads, and calls that set a
# state. Anything else (chat.postMessage, chat.postEphemeral, files.completeUploadExternal,
# views.open...) adds something each time.
REPEATABLE = frozenset({
    "auth.test", "users.info", "conversations.history", "conversations.info",
    "conversations.open", "conversations.join", "chat.getPermalink", "chat.update",
    "views.publish", "views.update", "files.getUploadURLExternal",
})


def sent_nothing(error: Exception | None) -> bool:
    """True when the request failed before it was sent in full (see the module's
    docstring): connecting, or sending. An HTTP error status is an answer, not this."""
    return isinstance(error, URLError) and not isinstance(error, HTTPError)


def method_of(request: HttpRequest) -> str:
    """The Web API method a request calls (the last part of its URL's path)."""
    return request.url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]


class WithinTheTimeLeft(RetryHandler):
    """Inside a request (its deadline set: handlers.deadline), a call is sent again only when
    the wait before it, and the call, fit in the time the person has left to wait: a
    `Retry-After` of 30 s is not waited out while Slack waits 3 s for the answer. Elsewhere
    (the outbox, digests) retries are as configured."""

    def can_retry(self, *, state: RetryState, request: HttpRequest,
                  response: HttpResponse | None = None,
                  error: Exception | None = None) -> bool:
        if not super().can_retry(state=state, request=request, response=response,
                                 error=error):
            return False
        left = time_left()
        return left is None or _wait_before_retry(self, state, response) + RETRY_ROOM < left


def _wait_before_retry(handler: RetryHandler, state: RetryState,
                       response: HttpResponse | None) -> float:
    """How long `handler` sleeps before it sends again (at most, for a rate limit: slack-sdk
    adds up to a second to Slack's Retry-After)."""
    if response is not None and response.status_code == 429:
        after = next((values[0] for name, values in response.headers.items()
                      if name.lower() == "retry-after" and values), "")
        return (int(after) if after.isdigit() else 1) + 1.0
    return handler.interval_calculator.calculate_sleep_duration(state.current_attempt)


class UnsentConnectionErrors(ConnectionErrorRetryHandler):
    """slack-sdk's ConnectionErrorRetryHandler, sending again only a request that Slack cannot
    have acted on, or one that does no harm twice."""

    def _can_retry(self, *, state: RetryState, request: HttpRequest,
                   response: HttpResponse | None = None,
                   error: Exception | None = None) -> bool:
        if not super()._can_retry(state=state, request=request, response=response,
                                  error=error):
            return False
        return sent_nothing(error) or method_of(request) in REPEATABLE


class ResponseUrl:
    """Bolt's `respond` for one request (bot.app puts it in each request's context): posts
    to the request's response_url, waits at most IN_REQUEST_SECONDS when called in the thread
    answering the request, sends again only what never left, and never raises."""

    def __init__(self, response_url: str, *, retry_handlers: list[RetryHandler]) -> None:
        self.response_url = response_url
        self.retry_handlers = retry_handlers  # UnsentConnectionErrors, counted (bot.metrics)
        self._request_thread = threading.get_ident()

    def __call__(self, text: str | dict = "", blocks: list[dict] | None = None,
                 **more: Any) -> WebhookResponse:
        message = dict(text) if isinstance(text, dict) else {
            "text": text, "blocks": blocks, **more}
        message = {key: value for key, value in message.items() if value is not None}
        in_request = threading.get_ident() == self._request_thread
        client = WebhookClient(self.response_url, timeout=LATER_SECONDS,
                               retry_handlers=self.retry_handlers)
        if in_request:  # typed int by slack-sdk, handed to urllib, which takes a float
            client.timeout = IN_REQUEST_SECONDS  # type: ignore[assignment]
        try:
            return client.send_dict(message)
        except (OSError, HTTPException) as error:  # URLError, timeouts, resets
            log.warning("could not post to the response_url: %s", type(error).__name__)
            return WebhookResponse(url=self.response_url, status_code=0,
                                   body=type(error).__name__, headers={})
