"""The signature check every request from Slack passes before anything reads its body.

It takes the place of Bolt's own check, which raises on a timestamp header that is not an
integer (empty, a float, hex): the error then reached the error handler with the unverified
body, whose `response_url` the handler posted to (a request to any URL the sender chose) and
HTTP 500 was answered. Here a request is refused with 401 `{"error": "invalid request"}`
unless its `X-Slack-Request-Timestamp` is whole seconds in ASCII digits within five minutes
of now, past or future (compared in whole seconds, so 300 s either way passes and 301 s never
does), and its `X-Slack-Signature` is the HMAC of exactly those bytes. A verified request is
marked in its context (`VERIFIED`): the error handler uses nothing from a body not marked.
Refusals are counted (`handlers.counters.UNSIGNED`).
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Callable

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_sdk.signature import SignatureVerifier

from handlers import counters
from handlers.replies import VERIFIED

log = logging.getLogger(__name__)
WINDOW = 300  # seconds either way, as Slack documents
TIMESTAMP = re.compile(r"[0-9]{1,12}")  # ASCII digits only: int() would also take "+1_7", "١"


def timestamp_in_window(header: str, now: float) -> bool:
    """True when `header` is a whole number of seconds within WINDOW of `now`."""
    if TIMESTAMP.fullmatch(header) is None:
        return False
    return abs(int(now) - int(header)) <= WINDOW


class SignedOnly(Middleware):
    """Refuses every request not signed by Slack within the window (see the module)."""

    def __init__(self, signing_secret: str, clock: Callable[[], float]) -> None:
        self._verifier = SignatureVerifier(signing_secret or "unset")
        self._clock = clock

    def process(self, *, req: BoltRequest, resp: BoltResponse,
                next: Callable[[], BoltResponse]) -> BoltResponse:
        if req.mode == "socket_mode":  # Slack's own websocket: nothing to sign
            req.context[VERIFIED] = True
            return next()
        timestamp = (req.headers.get("x-slack-request-timestamp") or [""])[0]
        signature = (req.headers.get("x-slack-signature") or [""])[0]
        if timestamp_in_window(timestamp, self._clock()):
            expected = self._verifier.generate_signature(timestamp=timestamp, body=req.raw_body)
            if expected and hmac.compare_digest(expected.encode(), signature.encode()):
                req.context[VERIFIED] = True
                return next()
        counters.count(counters.UNSIGNED)
        log.info("refused a request whose signature or timestamp did not verify")
        return BoltResponse(status=401, body={"error": "invalid request"})
