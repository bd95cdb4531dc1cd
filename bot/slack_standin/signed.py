"""The requests Slack sends to the app, signed: slash commands, block_actions,
view_submission, shortcuts (message and global), block_suggestion and Events API
envelopes, with every field Slack sends, signed over the exact bytes sent, for
`app.dispatch(request.to_bolt())` or real HTTP."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from bot.slack_request import SlackRequest
from bot.slack_standin.identity import (
    APP_ID,
    BOT_USER_ID,
    DEFAULT_TRIGGER_ID,
    TEAM_DOMAIN,
    VERIFICATION_TOKEN,
)

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@dataclass(frozen=True)
class SignedRequest:
    """A request as Slack sends it: the exact body, and headers signing exactly that body."""

    body: str
    headers: dict[str, str]

    def to_bolt(self) -> SlackRequest:
        """For `app.dispatch(...)`: parsed as `dealbot serve` parses what Slack sends."""
        return SlackRequest(body=self.body, headers=dict(self.headers))

    def post(self, url: str) -> tuple[int, str]:
        """Sends it to `url` (e.g. "http://127.0.0.1:3000/slack/events"); returns the status
        and body text, also for error statuses."""
        request = urllib.request.Request(url, data=self.body.encode(), headers=self.headers,
                                         method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def sign(body: str, *, signing_secret: str, content_type: str, timestamp: int | None = None,
         extra_headers: dict[str, str] | None = None) -> SignedRequest:
    """Signs `body` as Slack does, at `timestamp` (default: now)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(signing_secret).generate_signature(timestamp=ts, body=body)
    return SignedRequest(body, {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
                                "X-Slack-Signature": signature or "", **(extra_headers or {})})


def interactive(payload: dict[str, Any], *, signing_secret: str,
                timestamp: int | None = None) -> SignedRequest:
    """Any interactivity payload (shortcut, view_closed, ...), as the form field `payload`."""
    body = urlencode({"payload": json.dumps(payload, separators=(",", ":"))})
    return sign(body, signing_secret=signing_secret, content_type=FORM, timestamp=timestamp)


def _user(team_id: str, user_id: str, user_name: str) -> dict[str, str]:
    return {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id}


def slash_command(*, signing_secret: str, text: str, response_url: str,
                  command: str = "/deal", team_id: str = "T1", user_id: str = "U1",
                  user_name: str = "ann", channel_id: str = "C1", channel_name: str = "sales",
                  trigger_id: str = DEFAULT_TRIGGER_ID,
                  timestamp: int | None = None,
                  enterprise_id: str | None = None) -> SignedRequest:
    """A slash command with every field Slack sends, form-encoded, in Slack's order (with
    `enterprise_id` for a workspace of an Enterprise Grid organisation)."""
    fields = {"token": VERIFICATION_TOKEN, "team_id": team_id, "team_domain": TEAM_DOMAIN,
              **({"enterprise_id": enterprise_id} if enterprise_id else {}),
              "channel_id": channel_id, "channel_name": channel_name, "user_id": user_id,
              "user_name": user_name, "command": command, "text": text, "api_app_id": APP_ID,
              "is_enterprise_install": "false", "response_url": response_url,
              "trigger_id": trigger_id}
    return sign(urlencode(fields), signing_secret=signing_secret, content_type=FORM,
                timestamp=timestamp)


def block_actions(*, signing_secret: str, actions: list[dict[str, Any]],
                  container: dict[str, Any], team_id: str = "T1", user_id: str = "U1",
                  user_name: str = "ann", channel_id: str | None = None,
                  channel_name: str = "sales", response_url: str | None = None,
                  message: dict[str, Any] | None = None, view: dict[str, Any] | None = None,
                  state_values: dict[str, Any] | None = None,
                  trigger_id: str = DEFAULT_TRIGGER_ID,
                  timestamp: int | None = None) -> SignedRequest:
    """A block_actions payload. `channel`, `message`, `view` and `response_url` are present
    only when given, as in Slack (no message for ephemeral ones, no channel in views)."""
    payload: dict[str, Any] = {
        "type": "block_actions", "user": _user(team_id, user_id, user_name),
        "api_app_id": APP_ID, "token": VERIFICATION_TOKEN, "container": container,
        "trigger_id": trigger_id, "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "enterprise": None, "is_enterprise_install": False}
    if channel_id is not None:
        payload["channel"] = {"id": channel_id, "name": channel_name}
    if message is not None:
        payload["message"] = message
    if view is not None:
        payload["view"] = view
    payload["state"] = {"values": state_values or {}}
    if response_url is not None:
        payload["response_url"] = response_url
    payload["actions"] = actions
    return interactive(payload, signing_secret=signing_secret, timestamp=timestamp)


def view_submission(*, signing_secret: str, view: dict[str, Any], team_id: str = "T1",
                    user_id: str = "U1", user_name: str = "ann",
                    trigger_id: str = DEFAULT_TRIGGER_ID,
                    timestamp: int | None = None) -> SignedRequest:
    """A view_submission payload carrying `view` as given (it should hold `state`)."""
    payload = {"type": "view_submission", "team": {"id": team_id, "domain": TEAM_DOMAIN},
               "user": _user(team_id, user_id, user_name), "api_app_id": APP_ID,
               "token": VERIFICATION_TOKEN, "trigger_id": trigger_id, "view": view,
               "response_urls": [], "is_enterprise_install": False, "enterprise": None}
    return interactive(payload, signing_secret=signing_secret, timestamp=timestamp)


def user_message(*, text: str, user: str = "U2", ts: str = "1700000000.000200",
                 team_id: str = "T1", thread_ts: str | None = None) -> dict[str, Any]:
    """A message a person wrote, as a message shortcut's payload carries it: its text (with
    Slack's markup: `<@U1>`, `<https://...|...>`, entities), rich_text blocks, and in a
    thread reply `thread_ts` and `parent_user_id`."""
    message: dict[str, Any] = {
        "type": "message", "client_msg_id": f"c-{ts}", "text": text, "user": user, "ts": ts,
        "team": team_id,
        "blocks": [{"type": "rich_text", "block_id": "rt1", "elements": [
            {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}]}]}
    if thread_ts is not None and thread_ts != ts:
        message.update(thread_ts=thread_ts, parent_user_id="U9")
    return message


def message_shortcut(*, signing_secret: str, callback_id: str, message: dict[str, Any],
                     response_url: str, team_id: str = "T1", user_id: str = "U1",
                     user_name: str = "ann", channel_id: str = "C1",
                     channel_name: str = "sales", trigger_id: str = DEFAULT_TRIGGER_ID,
                     timestamp: int | None = None) -> SignedRequest:
    """A message shortcut (`type: message_action`) used on `message` in `channel_id`: a
    channel `C…`, a private one `G…` or a direct message `D…` (then `channel_name` is
    "directmessage")."""
    payload = {"type": "message_action", "token": VERIFICATION_TOKEN,
               "action_ts": f"{time.time():.6f}",
               "team": {"id": team_id, "domain": TEAM_DOMAIN},
               "user": _user(team_id, user_id, user_name),
               "channel": {"id": channel_id, "name": channel_name},
               "is_enterprise_install": False, "enterprise": None,
               "callback_id": callback_id, "trigger_id": trigger_id,
               "response_url": response_url, "message_ts": message["ts"], "message": message}
    return interactive(payload, signing_secret=signing_secret, timestamp=timestamp)


def global_shortcut(*, signing_secret: str, callback_id: str, team_id: str = "T1",
                    user_id: str = "U1", user_name: str = "ann",
                    trigger_id: str = DEFAULT_TRIGGER_ID,
                    timestamp: int | None = None) -> SignedRequest:
    """A global shortcut (`type: shortcut`): no channel, no message, no response_url."""
    payload = {"type": "shortcut", "token": VERIFICATION_TOKEN,
               "action_ts": f"{time.time():.6f}",
               "team": {"id": team_id, "domain": TEAM_DOMAIN},
               "user": _user(team_id, user_id, user_name), "is_enterprise_install": False,
               "enterprise": None, "callback_id": callback_id, "trigger_id": trigger_id}
    return interactive(payload, signing_secret=signing_secret, timestamp=timestamp)


def block_suggestion(*, signing_secret: str, action_id: str, block_id: str, value: str,
                     view: dict[str, Any], team_id: str = "T1", user_id: str = "U1",
                     user_name: str = "ann", timestamp: int | None = None) -> SignedRequest:
    """What an `external_select` in the modal `view` (as Slack stores it, with its id and
    state) sends to the options load URL while the person types `value`."""
    payload = {"type": "block_suggestion", "user": _user(team_id, user_id, user_name),
               "container": {"type": "view", "view_id": view.get("id", "V1")},
               "api_app_id": APP_ID, "token": VERIFICATION_TOKEN, "action_id": action_id,
               "block_id": block_id, "value": value,
               "team": {"id": team_id, "domain": TEAM_DOMAIN}, "enterprise": None,
               "is_enterprise_install": False, "view": view}
    return interactive(payload, signing_secret=signing_secret, timestamp=timestamp)


def event_callback(*, signing_secret: str, event: dict[str, Any], team_id: str = "T1",
                   event_id: str = "Ev1", retry_num: int | None = None,
                   retry_reason: str = "http_timeout",
                   timestamp: int | None = None, enterprise_id: str | None = None,
                   org_wide: bool = False) -> SignedRequest:
    """An Events API envelope (JSON) with `authorizations[]`; with `retry_num`, a redelivery
    carrying X-Slack-Retry-Num and X-Slack-Retry-Reason; with `enterprise_id`, from a
    workspace of that Enterprise Grid organisation (`org_wide`: installed for all of it)."""
    envelope = {"token": VERIFICATION_TOKEN, "team_id": team_id, "context_team_id": team_id,
                **({"enterprise_id": enterprise_id} if enterprise_id else {}),
                "context_enterprise_id": enterprise_id, "api_app_id": APP_ID, "event": event,
                "type": "event_callback", "event_id": event_id,
                "event_time": int(time.time()),
                "authorizations": [{"enterprise_id": enterprise_id, "team_id": team_id,
                                    "user_id": BOT_USER_ID, "is_bot": True,
                                    "is_enterprise_install": org_wide}],
                "is_ext_shared_channel": False}
    retry = ({"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
             if retry_num is not None else None)
    return sign(json.dumps(envelope, separators=(",", ":")), signing_secret=signing_secret,
                content_type=JSON, timestamp=timestamp, extra_headers=retry)
