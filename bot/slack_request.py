"""Slack's requests read as Slack writes them, for Bolt.

Bolt (`slack_bolt.request.internals.parse_body`) decides what a form body is by looking for
the substring "payload" anywhere in it: `/deal note #3 the payload arrived`, a channel named
`#payloads` or a user called `payload` turn a slash command into an empty body (`{}`), no
listener matches and Slack shows the user its generic failure. It also raises (a 500 instead
of a 401) on an unsigned body it cannot read as JSON. `SlackRequest` parses the body by its
shape instead: a form body is a slash command's (or `ssl_check`'s) flat fields unless it has a
field named `payload`, which is then an interactivity payload in JSON. The raw body is kept
as received for the signature check.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.context import BoltContext
from slack_bolt.request.internals import build_context

from handlers.deadline import RECEIVED_AT

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

Headers = dict[str, str | Sequence[str]]


def parse_slack_body(raw: str, content_type: str | None) -> dict[str, Any]:
    """The fields of a request Slack sent: a JSON body (the Events API; also a body starting
    with `{` not declared a form) as its object; a form body with a `payload` field as that
    JSON payload (buttons, modals, shortcuts); any other form body as its flat fields (slash
    commands, ssl_check). What cannot be read is `{}`, left to the signature check and to no
    listener matching."""
    if content_type == JSON or (content_type != FORM and raw.startswith("{")):
        return _json_object(raw)
    fields = dict(parse_qsl(raw, keep_blank_values=True))
    if "payload" in fields:
        return _json_object(fields["payload"])
    return fields


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


# The kinds of request the access log and the metrics tell apart: a fixed set, whatever an
# unsigned request claims to be (anything else is "other").
INTERACTIONS = ("block_actions", "view_submission", "view_closed", "shortcut",
                "message_action", "block_suggestion")
EVENTS = ("app_home_opened", "app_uninstalled", "tokens_revoked")
KIND_KEY = "dealbot.kind"  # where the WSGI environ carries it


def request_kind(body: dict[str, Any]) -> str:
    """`/deal` (a slash command of the manifest's), `block_actions` and the other
    interactions, `event:app_home_opened` (the events Dealbot listens to; `event` for
    others), `url_verification`, `ssl_check` or `other`."""
    from bot.manifest import COMMANDS

    command = body.get("command")
    if command is not None:
        return command if command in {name for name, _, _ in COMMANDS} else "other"
    kind = body.get("type")
    if kind == "event_callback":
        event = (body.get("event") or {}).get("type") if isinstance(body.get("event"),
                                                                    dict) else None
        return f"event:{event}" if event in EVENTS else "event"
    if kind in INTERACTIONS or kind == "url_verification":
        return str(kind)
    return "ssl_check" if body.get("ssl_check") else "other"


class SlackRequest(BoltRequest):
    """A `BoltRequest` (HTTP mode) whose `body` is `parse_slack_body` of the raw body."""

    def __init__(self, *, body: str, query: str | dict | None = None,
                 headers: Headers | None = None, context: dict[str, Any] | None = None) -> None:
        super().__init__(body="", query=query, headers=headers, context=context)
        self.raw_body = body
        self.body = parse_slack_body(body, self.content_type)
        self.context = build_context(BoltContext(context or {}), self.body)

    def to_copyable(self) -> SlackRequest:
        return SlackRequest(body=self.raw_body, query=self.query, headers=self.headers,
                            context=self.context.to_copyable())


def slack_request(request: WsgiHttpRequest) -> SlackRequest:
    """The request a WSGI server received. A body that is not UTF-8 is not from Slack: it is
    read with replacement characters, so that the signature check refuses it."""
    length = int(request.environ.get("CONTENT_LENGTH") or 0)
    stream = request.environ.get("wsgi.input")
    raw = stream.read(length) if stream is not None and length else b""
    return SlackRequest(body=raw.decode("utf-8", errors="replace"),
                        query=request.query_string, headers=request.get_headers())


class SlackWsgiHandler(SlackRequestHandler):
    """Bolt's WSGI handler, with every request built as a `SlackRequest` that knows when it
    was received (`RECEIVED_AT`, for handlers.deadline)."""

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        arrived = time.monotonic()
        received = slack_request(request)
        received.context[RECEIVED_AT] = arrived
        request.environ[KIND_KEY] = request_kind(received.body)
        return self.app.dispatch(received)

    def handle_installation(self, request: WsgiHttpRequest) -> BoltResponse:
        return self.app.oauth_flow.handle_installation(  # type: ignore[union-attr]
            slack_request(request))

    def handle_callback(self, request: WsgiHttpRequest) -> BoltResponse:
        return self.app.oauth_flow.handle_callback(  # type: ignore[union-attr]
            slack_request(request))
