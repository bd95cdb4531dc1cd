"""Answering the user: the answer in the acknowledgement where Slack shows it, ephemeral
replies, slow work answered later, and domain errors turned into answers.

A slash command's listener runs inside `answering(ack, respond)`: its first answer is the
ack's body (Slack shows it at once, with no second HTTP request), later ones go to
response_url, and a DealbotError becomes an ephemeral answer that says what was wrong and
shows the right form. Slow work (reports, exports) goes through `answer_later`: the command is
acked with nothing, the work runs on the bounded slow-work pool and answers through
response_url, and a full pool is answered at once with "Dealbot is busy". Interactions ack
first and answer through response_url (`answering_errors(respond)`): Slack ignores the body
of a click's ack. Anything else reaches Bolt's error handler (registered in `register`),
which logs it and tells the user that nothing was changed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.client import HTTPException
from typing import Any
from urllib.error import URLError

from slack_bolt import Ack, App, BoltRequest, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from handlers import counters, messages
from handlers.blocks.format import context, escape, section
from handlers.slow_work import SlowWork
from storage.deliveries import AlreadyDelivered
from storage.errors import Ambiguous, DealbotError

log = logging.getLogger(__name__)
Respond = Callable[..., Any]
VERIFIED = "dealbot_signature_verified"  # set in the context by bot.signature.SignedOnly


class Busy(DealbotError):
    """The slow-work pool is full: nothing was started, the person may try again."""

    def __init__(self) -> None:
        super().__init__(messages.BUSY)


class Answer:
    """How a slash command answers the person who typed it, callable like Bolt's `respond`.

    The first message rides on the ack; later ones, and any that edit a message, are posted
    to response_url. Thread-safe: slow work may answer while the listener is finishing."""

    def __init__(self, ack: Ack, respond: Respond) -> None:
        self._ack, self._respond = ack, respond
        self._acked = False
        self._lock = threading.Lock()

    def __call__(self, *, text: str = "", blocks: list[dict] | None = None,
                 response_type: str = "ephemeral", **more: Any) -> Any:
        with self._lock:
            in_ack = not self._acked and not any(more.values())  # replace/delete_original
            self._acked = True
            if in_ack:
                self._ack(text=text, blocks=blocks, response_type=response_type)
                return None
        return self._respond(text=text, blocks=blocks, response_type=response_type, **more)

    def finish(self) -> None:
        """Acks with nothing when nothing was answered yet (Slack then shows nothing)."""
        with self._lock:
            if not self._acked:
                self._acked = True
                self._ack()


def ephemeral(respond: Respond, blocks: list[dict], text: str) -> None:
    _checked(respond(response_type="ephemeral", replace_original=False, blocks=blocks,
                     text=text))


def in_channel(respond: Respond, blocks: list[dict], text: str) -> None:
    _checked(respond(response_type="in_channel", replace_original=False, blocks=blocks,
                     text=text))


def slack_not_answering(error: Exception) -> bool:
    """A Web API call that got no answer in the request's time (a timeout, a connection
    that failed) or was rate-limited for longer than that (handlers.deadline)."""
    if isinstance(error, SlackApiError):
        return error.response.status_code == 429
    return isinstance(error, (TimeoutError, ConnectionError, URLError, HTTPException))


def post_to_author(client: WebClient, user: str, blocks: list[dict], text: str,
                   what: str) -> None:
    """Posts `what` (a new record's card) to `user`'s messages with the app, after the change
    that made it is saved and answered: a post Slack refuses, or whose connection fails
    (Slack may have posted it, so it is not sent again), is logged and never raised, so
    what follows the change (the new owner told, the Home tab) still happens."""
    try:
        client.chat_postMessage(channel=user, blocks=blocks, text=text)
    except SlackApiError as error:
        log.warning("could not post %s: %s", what, error.response.get("error"))
    except (SlackClientError, OSError, HTTPException) as error:
        log.warning("could not post %s: %s", what, type(error).__name__)


def redraw(respond: Respond, blocks: list[dict], text: str) -> None:
    """Replaces the message clicked (a click's response_url), ephemeral ones included."""
    _checked(respond(response_type="ephemeral", replace_original=True, blocks=blocks,
                     text=text))


def error_blocks(error: DealbotError) -> list[dict]:
    blocks = [section(f":warning: {escape(messages.error_text(error))}")]
    if isinstance(error, Ambiguous):
        lines = "\n".join(f"• `#{number}` {escape(name)}" for number, name in error.candidates)
        blocks.append(section(lines + "\nName it by its `#id` to pick one."))
    if error.usage:
        blocks.append(context(f"*Usage:* {escape(error.usage)}"))
    return blocks


@contextmanager
def answering_errors(respond: Respond) -> Iterator[None]:
    try:
        yield
    except DealbotError as error:
        ephemeral(respond, error_blocks(error), escape(messages.error_text(error)))


@contextmanager
def answering(ack: Ack, respond: Respond) -> Iterator[Answer]:
    """A slash command's answer (see the module's docstring); acks with nothing at the end
    when the listener answered nothing."""
    answer = Answer(ack, respond)
    with answering_errors(answer):
        yield answer
    answer.finish()


ACK_WAIT_SECONDS = 3.0  # Slack's own wait: the listener acks long before that


def answer_later(answer: Respond, slow_work: SlowWork, work: Callable[[], None]) -> None:
    """Runs `work`, which answers through `answer`, on the slow-work pool; raises Busy at once
    when the pool is full. A command is acked with nothing meanwhile, before `work` starts
    (else a quick report could race the listener to the ack and ride on it, which a busy
    server makes likely)."""
    acked = threading.Event()

    def after_the_ack() -> None:
        acked.wait(ACK_WAIT_SECONDS)
        _answering_later(answer, work)

    if not slow_work.submit(after_the_ack):
        raise Busy()
    if isinstance(answer, Answer):
        answer.finish()
    acked.set()


def _answering_later(answer: Respond, work: Callable[[], None]) -> None:
    """Bolt's error handler does not see the pool's threads: this is its stand-in there."""
    try:
        with answering_errors(answer):
            work()
    except Exception:
        log.exception("unexpected error in slow work")
        ephemeral(answer, [section(messages.INTERNAL_ERROR)], messages.INTERNAL_ERROR)


def _checked(response: Any) -> None:
    status = getattr(response, "status_code", 200)
    if status != 200:  # respond() never raises on an HTTP error: say it in the log
        log.warning("response_url answered %s: %s", status, getattr(response, "body", ""))


def register(app: App) -> None:
    @app.error
    def unexpected_error(error: Exception, body: dict, request: BoltRequest,
                         respond: Respond | None, logger: logging.Logger) -> BoltResponse | None:
        """Logs it and tells the user nothing was changed: in the ack of a command not acked
        yet, else through response_url. An error after the ack keeps the ack's answer. A
        request whose signature was not verified is refused, and nothing in its body (its
        response_url) is used. A domain error that escaped a listener (the database not
        answering in a middleware) is answered in its own words."""
        if not request.context.get(VERIFIED):
            logger.warning("refused an unverified request that raised %s", type(error).__name__)
            return BoltResponse(status=401, body={"error": "invalid request"})
        acked = request.context.ack.response
        if isinstance(error, AlreadyDelivered):  # a replay: the first delivery answered
            counters.count(counters.REPLAYED)
            logger.warning("dropped a slash command received again")
            return BoltResponse(status=200, body="") if acked is None else acked
        if isinstance(error, DealbotError):
            logger.warning("%s handling a Slack request", type(error).__name__)
            text = messages.error_text(error)
        elif slack_not_answering(error):
            logger.warning("Slack did not answer a call in time: %s", type(error).__name__)
            text = messages.SLACK_NOT_ANSWERING
        else:
            logger.exception("unexpected error handling a Slack request", exc_info=error)
            text = messages.INTERNAL_ERROR
        if acked is None and body.get("command"):
            return BoltResponse(status=200, body={"response_type": "ephemeral", "text": text})
        if respond is not None and body.get("response_url"):
            respond(response_type="ephemeral", replace_original=False, text=text)
        return None if acked is None else BoltResponse(status=acked.status, body=acked.body,
                                                       headers=acked.headers)
