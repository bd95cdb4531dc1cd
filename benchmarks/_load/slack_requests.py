"""Requests exactly as Slack sends them to `POST /slack/events`: form-encoded slash commands
with every field in Slack's order, and `block_actions` payloads (the form field `payload`)
for a click on a card the app drew, each signed over its exact body with a fresh timestamp
(SLACK.md, "Signing")."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode

from _load.standin import ADVANCE, BOT, CARD_ACTIONS

FORM = "application/x-www-form-urlencoded"
CHANNEL, CHANNEL_NAME, DOMAIN = "C0BENCH", "sales", "bench"


def signed_headers(body: str, secret: str) -> dict[str, str]:
    timestamp = str(int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256)
    return {"Content-Type": FORM, "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": f"v0={digest.hexdigest()}"}


def slash_command(*, command: str, text: str, team: str, user: str, response_url: str) -> str:
    return urlencode({
        "token": "bench-verification-token", "team_id": team, "team_domain": DOMAIN,
        "channel_id": CHANNEL, "channel_name": CHANNEL_NAME, "user_id": user,
        "user_name": user.lower(), "command": command, "text": text, "api_app_id": BOT["app_id"],
        "is_enterprise_install": "false", "response_url": response_url,
        "trigger_id": f"{int(time.time())}.1.bench"})


def advance_click(card: dict[str, Any], *, team: str, user: str, response_url: str) -> str:
    """The block_actions Slack sends when `user` clicks the advance button of `card` (as the
    stand-in kept it from the app's post) in a message in #sales."""
    blocks = [{"block_id": f"b{i}", **block} for i, block in enumerate(card["blocks"])]
    actions = next(b for b in blocks if b["block_id"] == CARD_ACTIONS)
    button = next(e for e in actions["elements"] if e.get("action_id") == ADVANCE)
    message_ts = f"1700{card['number']:06d}.000100"
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team},
        "api_app_id": BOT["app_id"], "token": "bench-verification-token",
        "container": {"type": "message", "message_ts": message_ts, "channel_id": CHANNEL,
                      "is_ephemeral": False},
        "trigger_id": f"{int(time.time())}.2.bench", "team": {"id": team, "domain": DOMAIN},
        "enterprise": None, "is_enterprise_install": False,
        "channel": {"id": CHANNEL, "name": CHANNEL_NAME},
        "message": {"type": "message", "user": BOT["user_id"], "bot_id": BOT["bot_id"],
                    "app_id": BOT["app_id"], "text": card.get("text", ""), "ts": message_ts,
                    "team": team, "blocks": blocks},
        "state": {"values": {}}, "response_url": response_url,
        "actions": [{"action_id": ADVANCE, "block_id": CARD_ACTIONS, "type": "button",
                     **{k: button[k] for k in ("text", "value", "style") if k in button},
                     "action_ts": f"{time.time():.6f}"}]}
    return urlencode({"payload": json.dumps(payload, separators=(",", ":"))})
