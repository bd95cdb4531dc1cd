"""The requests Slack would send, signed: slash commands, clicks, view submissions, events.

Shapes follow Slack's documentation (and SLACK.md); every body is signed with the session's
secret over the exact bytes sent, so the app's signature check runs as in production.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

FORM = "application/x-www-form-urlencoded"
APP_ID = "A0DEALBOT"


def signed(body: str, *, secret: str, content_type: str) -> BoltRequest:
    """A request with the signature and timestamp headers Slack adds."""
    ts = str(int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body) or ""
    headers: dict[str, str | Sequence[str]] = {"Content-Type": content_type,
                                           "X-Slack-Request-Timestamp": ts,
                                           "X-Slack-Signature": signature}
    return BoltRequest(body=body, headers=headers)


def slash_command(*, secret: str, command: str, text: str, team: str, user: str,
                  user_name: str, channel: str, channel_name: str, response_url: str,
                  trigger_id: str) -> BoltRequest:
    fields = {"token": "console", "team_id": team, "team_domain": "console",
              "channel_id": channel, "channel_name": channel_name, "user_id": user,
              "user_name": user_name, "command": command, "text": text, "api_app_id": APP_ID,
              "is_enterprise_install": "false", "response_url": response_url,
              "trigger_id": trigger_id}
    return signed(urlencode(fields), secret=secret, content_type=FORM)


def interactive(payload: dict[str, Any], *, secret: str) -> BoltRequest:
    return signed(urlencode({"payload": json.dumps(payload)}), secret=secret,
                  content_type=FORM)


def action(block: dict, element: dict, *, option: dict | None = None,
           user: str | None = None, date: str | None = None) -> dict[str, Any]:
    """One entry of `actions[]` for a click on `element` (with its choice, if a menu)."""
    found: dict[str, Any] = {"action_id": element.get("action_id", ""),
                             "block_id": block.get("block_id", ""), "type": element["type"],
                             "action_ts": f"{time.time():.6f}"}
    if element["type"] == "button":
        found["text"] = element.get("text")
        if "value" in element:
            found["value"] = element["value"]
    elif option is not None:
        found["selected_option"] = option
    elif user is not None:
        found["selected_user"] = user
    elif date is not None:
        found["selected_date"] = date
    return found


def block_actions(*, secret: str, team: str, user: str, user_name: str, trigger_id: str,
                  act: dict[str, Any], message: dict | None = None, channel: str = "",
                  channel_name: str = "", response_url: str | None = None,
                  ephemeral: bool = False, view: dict | None = None) -> BoltRequest:
    """A click on a message (with its response_url) or on a view (modal or Home)."""
    payload: dict[str, Any] = {
        "type": "block_actions", "team": {"id": team, "domain": "console"},
        "user": {"id": user, "username": user_name, "name": user_name, "team_id": team},
        "api_app_id": APP_ID, "token": "console", "trigger_id": trigger_id,
        "actions": [act], "state": {"values": {}}}
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view.get("id", "")}
        payload["view"] = view
    else:
        ts = (message or {}).get("ts", "")
        payload["container"] = {"type": "message", "message_ts": ts, "channel_id": channel,
                                 "is_ephemeral": ephemeral}
        payload["channel"] = {"id": channel, "name": channel_name}
        payload["response_url"] = response_url
        if not ephemeral:  # Slack leaves the message out when it was ephemeral
            payload["message"] = message
    return interactive(payload, secret=secret)


def view_submission(*, secret: str, team: str, user: str, user_name: str, trigger_id: str,
                    view: dict, values: dict[str, dict[str, dict]]) -> BoltRequest:
    payload = {"type": "view_submission", "team": {"id": team, "domain": "console"},
               "user": {"id": user, "username": user_name, "name": user_name, "team_id": team},
               "api_app_id": APP_ID, "token": "console", "trigger_id": trigger_id,
               "view": {**view, "team_id": team, "state": {"values": values},
                        "hash": f"{time.time():.6f}"}}
    return interactive(payload, secret=secret)


def app_home_opened(*, secret: str, team: str, user: str, event_id: str,
                    view: dict | None) -> BoltRequest:
    event: dict[str, Any] = {"type": "app_home_opened", "user": user, "channel": f"D{user}",
                             "tab": "home", "event_ts": f"{time.time():.6f}"}
    if view is not None:
        event["view"] = view
    envelope = {"token": "console", "team_id": team, "api_app_id": APP_ID, "event": event,
                "type": "event_callback", "event_id": event_id, "event_time": int(time.time()),
                "authorizations": [{"team_id": team, "user_id": "U0DEALBOT", "is_bot": True}]}
    return signed(json.dumps(envelope), secret=secret, content_type="application/json")
