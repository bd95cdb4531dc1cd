"""The request boundary, tested as attacks over HTTP: a request whose timestamp is malformed
or out of Slack's five-minute window (past or future) is refused with 401, never a 500, and
nothing in its body (a response_url, a channel) is used; a replayed slash command (the same
signed bytes again) is applied once; an error raised after the ack keeps the ack's answer."""

from __future__ import annotations

import json
import time

import pytest
from slack_sdk.signature import SignatureVerifier

from bot.slack_standin import SignedRequest, click, slash_command
from bot.web import wsgi_app
from tests.bot.test_wsgi import call
from tests.driver import SIGNING_SECRET

FORM = "application/x-www-form-urlencoded"


def forged(body: str, timestamp: str) -> SignedRequest:
    """`body` signed with the right secret over a timestamp header as given."""
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=timestamp,
                                                                    body=body)
    return SignedRequest(body, {"Content-Type": FORM, "X-Slack-Request-Timestamp": timestamp,
                                "X-Slack-Signature": signature or ""})


def post(driver, db, request: SignedRequest) -> tuple[str, bytes]:
    return call(wsgi_app(driver.app, db), "POST", "/slack/events", request.body.encode(),
                request.headers)


def command_body(slack, text: str = "new Acme 5k", name: str = "attack") -> str:
    return slash_command(signing_secret=SIGNING_SECRET, text=text,
                         response_url=slack.response_url(name)).body


@pytest.mark.parametrize("timestamp", [
    "", "abc", "1.5e9", f"{time.time():.3f}", hex(int(time.time())), " 1700000000",
    f"+{int(time.time())}", f"{int(time.time()):_}", "-1", "9" * 40, "١٧٠٠٠٠٠٠٠٠"],
    ids=["empty", "letters", "exponent", "now-with-fraction", "now-in-hex", "leading-space",
         "now-with-plus", "now-with-underscores", "negative", "40-digits", "arabic-digits"])
def test_a_malformed_timestamp_is_refused_with_401_and_its_response_url_is_never_called(
        driver, db, slack, timestamp):
    status, _ = post(driver, db, forged(command_body(slack), timestamp))
    assert status.startswith("401"), status
    assert slack.responses("attack") == []
    assert "Acme" not in json.dumps(driver.one("list").body)


@pytest.mark.parametrize("offset", [-301, -400, 301, 400, 3600])
def test_a_timestamp_outside_the_five_minute_window_is_refused(driver, db, slack, offset):
    status, _ = post(driver, db, forged(command_body(slack), str(int(time.time()) + offset)))
    assert status.startswith("401"), status
    assert slack.responses("attack") == []


def test_an_unsigned_click_never_reaches_its_response_url(driver, db, slack):
    request = click(signing_secret="not-the-secret", message_blocks=[
        {"type": "actions", "block_id": "b",
         "elements": [{"type": "button", "action_id": "deal_card:move",
                       "text": {"type": "plain_text", "text": "x"}, "value": "²:3"}]}],
        action_id="deal_card:move", response_url=slack.response_url("attack"))
    status, _ = post(driver, db, request)
    assert status.startswith("401")
    assert slack.responses("attack") == []


def test_a_replayed_slash_command_is_applied_once(driver, db, slack):
    request = slash_command(signing_secret=SIGNING_SECRET, text="new Acme 5k",
                            response_url=slack.response_url("first"))
    first = post(driver, db, request)
    again = [post(driver, db, request) for _ in range(3)]
    assert first[0].startswith("200") and "Acme" in first[1].decode()
    assert all(status.startswith("200") for status, _ in again)
    assert driver.one("list").text.count("Acme") == 1


def tampered(blocks: list[dict], value: str) -> list[dict]:
    """The card's blocks with every button's value replaced by `value`."""
    text = json.dumps(blocks)
    out = json.loads(text)
    for block in out:
        for element in block.get("elements") or []:
            if element.get("type") == "button" and "value" in element:
                element["value"] = value
    return out


@pytest.mark.parametrize("value", ["²:3", "\x00", "1:\x00:2", "9" * 400, "-1:-1:-1", ""])
def test_a_tampered_click_is_answered_200_and_changes_nothing(driver, db, slack, value):
    card = driver.one("new Acme 5k")
    buttons = [e["action_id"] for b in card.blocks for e in b.get("elements") or []
               if e.get("type") == "button" and "value" in e]
    assert buttons
    blocks = tampered(card.blocks, value)
    for action_id in buttons:
        request = click(signing_secret=SIGNING_SECRET, message_blocks=blocks,
                        action_id=action_id, response_url=slack.response_url(action_id))
        status, _ = post(driver, db, request)
        assert status.startswith("200"), (action_id, status)
        told = [r.body for r in slack.responses(action_id)]
        assert told and all(r.get("response_type") == "ephemeral" for r in told), told
        assert "nothing was changed" in told[-1]["text"].lower() or told[-1]["blocks"], told
    shown = driver.one("show Acme").text
    assert "Prospecting" in shown and "Unassigned" not in shown
