"""Answering the user: ephemeral replies, and turning domain errors into them.

Every listener runs its work inside `answering_errors(respond)`: a DealbotError becomes an
ephemeral reply that says what was wrong and shows the right form; anything else reaches
Bolt's error handler (registered in `register`), which logs it and tells the user that
nothing was changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from slack_bolt import App

from handlers import messages
from handlers.blocks.format import context, escape, section
from storage.errors import Ambiguous, DealbotError

log = logging.getLogger(__name__)
Respond = Callable[..., Any]


def ephemeral(respond: Respond, blocks: list[dict], text: str) -> None:
    _checked(respond(response_type="ephemeral", replace_original=False, blocks=blocks,
                     text=text))


def in_channel(respond: Respond, blocks: list[dict], text: str) -> None:
    _checked(respond(response_type="in_channel", replace_original=False, blocks=blocks,
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


def _checked(response: Any) -> None:
    status = getattr(response, "status_code", 200)
    if status != 200:  # respond() never raises on an HTTP error: say it in the log
        log.warning("response_url answered %s: %s", status, getattr(response, "body", ""))


def register(app: App) -> None:
    @app.error
    def unexpected_error(error: Exception, body: dict, respond: Respond | None,
                         logger: logging.Logger) -> None:
        logger.exception("unexpected error handling a Slack request", exc_info=error)
        if respond is not None and body.get("response_url"):
            respond(response_type="ephemeral", replace_original=False,
                    text=messages.INTERNAL_ERROR)
