"""The console's engine: the real Bolt app, fed signed requests as Slack would send them.

Nothing is re-implemented here. A slash command, a click, a shortcut, text typed into a
type-ahead menu or a modal submission becomes the request Slack would send
(bot.slack_standin); `app.dispatch` runs the same listeners as production; what the app
answers (a command's ack body, then, once its slow work is done,
the response_url posts and Web API calls the Slack stand-in recorded) is turned into `Shown`
items: messages posted, updated or deleted, modals opened, Home tabs published, and a notice
for anything Slack would refuse.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.app import create_app, utc_now
from bot.config import Settings
from bot.console.files import SharedFiles
from bot.console.people import LocalUsers
from bot.slack_standin import (
    FakeSlack,
    Recorded,
    SignedRequest,
    SlackWouldRefuse,
    click,
    event_callback,
    global_shortcut,
    message_shortcut,
    slash_command,
    submit_view,
    suggest,
    user_message,
    validate_blocks,
    validate_options,
    validate_view,
)
from bot.slack_standin.identity import APP_ID, BOT_ID, BOT_USER_ID, LOCAL_TEAM
from handlers.deps import Clock
from handlers.digests import post_digest, preview_digest
from handlers.home_refresh import HomeRefresh
from handlers.nudges import current_nudge, nudge_zone, send_direct
from handlers.outbox import Outbox
from handlers.slow_work import SlowWork
from storage.db import Database
from storage.kinds import DigestKind

TEAM, CHANNEL, CHANNEL_NAME = LOCAL_TEAM, "C0CONSOLE", "sales"
MESSAGE_CALLS = ("chat.postMessage", "chat.postEphemeral", "chat.update")


@dataclass
class Message:
    """A message in the console's channel; `number` names it for `:replay` and `:shortcut`.
    `author` is the local user who wrote it (`:say`); None for Dealbot's messages."""

    number: int
    ts: str
    blocks: list[dict]
    text: str
    ephemeral: bool
    deleted: bool = False
    author: str | None = None


@dataclass(frozen=True)
class Shown:
    """One thing to draw. kind: message, updated, deleted, modal, home, notice."""

    kind: str
    message: Message | None = None
    view: dict | None = None
    text: str = ""


@dataclass
class Target:
    """A clickable element as drawn: where it is, and the menu option it stands for."""

    block: dict
    element: dict
    option: dict | None = None
    message: Message | None = None
    view: dict | None = None


@dataclass
class Engine:
    """Sends what the local user does through the app; keeps the channel, modals and Home."""

    settings: Settings
    db: Database
    users: LocalUsers
    user: str
    clock: Clock = utc_now
    messages: list[Message] = field(default_factory=list)
    modals: list[dict] = field(default_factory=list)
    homes: dict[str, dict] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._secret = secrets.token_hex(16)  # a fresh signing secret for each session
        self._ids = itertools.count(1)
        self._sources: dict[str, Message | None] = {}
        # the local users own their workspace, so users.info says they are admins
        self.slack = FakeSlack(team_id=TEAM, person=self.users.info)
        self.files = SharedFiles(self.settings.database_url)

    def __enter__(self) -> Engine:
        self.slack.start()
        settings = dataclasses.replace(
            self.settings, slack_signing_secret=self._secret, slack_api_url=self.slack.api_url,
            slack_bot_token="xoxb-console", slack_client_id=None, slack_client_secret=None)
        client = WebClient(token="xoxb-console", base_url=self.slack.api_url)
        self.slow_work = SlowWork()
        # Home tabs are refreshed, and activity lines posted, after each thing the user does,
        # not by background threads, so that they are drawn in order with the rest
        self.home_refresh = HomeRefresh(background=False)
        self.app: App = create_app(settings, self.db, clock=self.clock, client=client,
                                   slow_work=self.slow_work, home_refresh=self.home_refresh,
                                   outbox=Outbox(background=False))
        return self

    def __exit__(self, *exc: object) -> None:
        self.slow_work.shutdown()
        self.slack.stop()

    # What the user does

    def command(self, line: str) -> list[Shown]:
        """Runs a typed `/command text` as a slash command from the acting user."""
        command, _, text = line.strip().partition(" ")
        request = slash_command(
            signing_secret=self._secret, command=command,
            text=self.users.as_slack_text(text.strip()), response_url=self._response_url(None),
            channel_id=CHANNEL, channel_name=CHANNEL_NAME, trigger_id=self._trigger(),
            **self._acting())
        return self._send(request, None, missing=f"{command} is not a valid command. The app "
                                                  "has /deal, /lead, /pipeline and /funnel.")

    def click(self, target: Target, *, user: str | None = None,
              date: str | None = None) -> list[Shown]:
        """Clicks a drawn element (a menu with the option it stands for, or a picked user or
        date), with the response_url of the message it is on."""
        message = target.message
        where: dict[str, Any] = (
            {"view": target.view} if target.view is not None or message is None else
            {"message_blocks": message.blocks, "message_ts": message.ts,
             "ephemeral": message.ephemeral, "response_url": self._response_url(message),
             "channel_id": CHANNEL, "channel_name": CHANNEL_NAME})
        try:
            request = click(
                signing_secret=self._secret, action_id=target.element.get("action_id", ""),
                selected_option_value=target.option.get("value") if target.option else None,
                value=user or date, trigger_id=self._trigger(), **where, **self._acting())
        except (SlackWouldRefuse, NotImplementedError) as refused:
            return [Shown("notice", text=f"Slack would not send that click: {refused}")]
        return self._send(request, message if target.view is None else None)

    def submit(self, view: dict, values: dict[str, dict[str, dict]]) -> tuple[dict, list[Shown]]:
        """Submits the modal; returns the app's answer (`response_action` ...) and what it sent."""
        try:
            request = submit_view(signing_secret=self._secret, view=view, values=values,
                                  trigger_id=self._trigger(), **self._acting())
        except SlackWouldRefuse as refused:
            return {}, [Shown("notice", text=f"Slack would not submit that: {refused}")]
        mark = len(self.slack.received())
        response = self.app.dispatch(request.to_bolt())
        self.home_refresh.flush()
        answer = json.loads(response.body) if response.body.strip().startswith("{") else {}
        return answer, self._collect(mark, None)

    def say(self, text: str) -> Message:
        """A message the acting user writes in #sales (the app hears nothing of it)."""
        message = self._new_message({"text": self.users.as_slack_text(text)}, False)
        message.author = self.user
        return message

    def message_shortcut(self, callback_id: str, message: Message) -> list[Shown]:
        """Uses the message shortcut `callback_id` on `message`, as from its menu in Slack
        (which offers none on a message only one person sees)."""
        if message.ephemeral:
            return [Shown("notice", text="Slack offers no shortcuts on a message only you "
                                         "can see.")]
        payload = (user_message(text=message.text, user=message.author, ts=message.ts,
                                team_id=TEAM) if message.author else
                   {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "app_id": APP_ID,
                    "text": message.text, "ts": message.ts, "team": TEAM,
                    "blocks": message.blocks})
        request = message_shortcut(
            signing_secret=self._secret, callback_id=callback_id, message=payload,
            response_url=self._response_url(None), channel_id=CHANNEL,
            channel_name=CHANNEL_NAME, trigger_id=self._trigger(), **self._acting())
        return self._send(request, None, missing="The app has no such shortcut.")

    def global_shortcut(self, callback_id: str) -> list[Shown]:
        """Uses the global shortcut `callback_id`, as from Slack's shortcuts menu."""
        request = global_shortcut(signing_secret=self._secret, callback_id=callback_id,
                                  trigger_id=self._trigger(), **self._acting())
        return self._send(request, None, missing="The app has no such shortcut.")

    def suggest(self, view: dict, action_id: str, typed: str) -> list[dict]:
        """The options the app offers for `typed` in the type-ahead menu `action_id` of the
        open modal `view`; raises SlackWouldRefuse when Slack would send or show nothing."""
        request = suggest(signing_secret=self._secret, view=view, action_id=action_id,
                          typed=typed, **self._acting())
        response = self.app.dispatch(request.to_bolt())
        body = response.body.strip()
        answer = json.loads(body) if response.status == 200 and body.startswith("{") else {}
        validate_options(answer)
        return list(answer.get("options") or [])

    def open_home(self) -> list[Shown]:
        """Opens the acting user's Home tab: the app gets `app_home_opened`, as in Slack."""
        event: dict[str, Any] = {"type": "app_home_opened", "user": self.user,
                                 "channel": f"D{self.user}", "tab": "home",
                                 "event_ts": f"{self.clock().timestamp():.6f}"}
        if self.user in self.homes:
            event["view"] = self.homes[self.user]
        request = event_callback(signing_secret=self._secret, event=event, team_id=TEAM,
                                 event_id=f"Ev{uuid.uuid4().hex[:12].upper()}")
        return self._send(request, None, missing="The app has no Home tab yet.")

    def post_digest(self, kind: DigestKind) -> list[Shown]:
        """Posts in #sales what a scheduled `kind` digest would post now (and the funnel's
        chart in its thread), through the code the scheduler uses."""
        mark = len(self.slack.received())
        post_digest(self.app.client, CHANNEL,
                    preview_digest(self.db, kind=kind, team=TEAM, now=self.clock()))
        return self._collect(mark, None)

    def post_nudge(self) -> list[Shown]:
        """Sends the acting user, by direct message, the nudge the scheduler would send them
        now (whatever their nudge time), through the code the scheduler uses."""
        mark = len(self.slack.received())
        zone = nudge_zone(self.db, team=TEAM, user=self.user)
        nudge = current_nudge(self.db, team=TEAM, user=self.user, now=self.clock(),
                              timezone=zone)
        if nudge is None:
            return [Shown("notice", text=f"Nothing needs {self.users.name(self.user)} now: "
                                         "the scheduler would send no message.")]
        send_direct(self.app.client, self.user, blocks=nudge.blocks, text=nudge.text)
        return self._collect(mark, None)

    def _acting(self) -> dict[str, Any]:
        return {"team_id": TEAM, "user_id": self.user, "user_name": self.users.name(self.user)}

    # What the app sends

    def _send(self, request: SignedRequest, source: Message | None,
              missing: str = "") -> list[Shown]:
        mark = len(self.slack.received())
        response = self.app.dispatch(request.to_bolt())
        acked = _acked_message(response.body) if response.status == 200 else None
        self.slow_work.wait_until_idle()
        self.home_refresh.flush()
        shown = ([] if acked is None else self._on_ack(acked)) + self._collect(mark, source)
        if response.status == 404 and not shown:
            shown.append(Shown("notice", text=missing or "Nothing in the app answers that."))
        elif response.status != 200:
            shown.append(Shown("notice",
                               text=f"The app answered {response.status}: {response.body}"))
        return shown

    def _collect(self, mark: int, source: Message | None) -> list[Shown]:
        shown: list[Shown] = []
        for record in self.slack.received(mark):
            shown += _refusal(record)
            if record.kind == "response":
                shown += self._on_response(record)
            elif record.kind == "api":
                shown += self._on_api(record)
            elif record.kind == "upload":
                self.files.keep(record)
        return shown

    def _on_response(self, record: Recorded) -> list[Shown]:
        body, source = record.body, self._sources.get(record.name)
        if source is not None and body.get("delete_original"):
            source.deleted = True
            return [Shown("deleted", source)]
        if source is not None and body.get("replace_original"):
            source.blocks, source.text = body.get("blocks") or [], body.get("text") or ""
            return [Shown("updated", source)]
        ephemeral = body.get("response_type", "ephemeral") != "in_channel"
        return [Shown("message", self._new_message(body, ephemeral))]

    def _on_ack(self, body: dict) -> list[Shown]:
        shown = _refusal(Recorded("response", "ack", {}, body, None))
        ephemeral = body.get("response_type", "ephemeral") != "in_channel"
        return shown + [Shown("message", self._new_message(body, ephemeral))]

    def _on_api(self, record: Recorded) -> list[Shown]:
        method, body = record.name, record.body
        if method in ("chat.postMessage", "chat.postEphemeral"):
            answer = record.answer or {}
            ts = answer.get("ts") or answer.get("message_ts") or ""
            shown = [Shown("message", self._new_message(body, method == "chat.postEphemeral",
                                                        ts))]
            to = str(body.get("channel", ""))
            if to.startswith("D") or to.startswith("U"):  # a direct message, or the app's
                person = self.users.name(to[1:] if to.startswith("D") else to)
                shown.insert(0, Shown("notice", text=f"Direct message to {person}:"))
            return shown
        if method in ("chat.update", "chat.delete"):
            return self._on_chat_change(method, body)
        if method.startswith("views.") and method != "views.publish":
            view = (record.answer or {}).get("view") or {}
            if method == "views.open":
                self.modals = [view]
            elif method == "views.push" or not self.modals:
                self.modals.append(view)
            else:
                self.modals[-1] = view
            return [Shown("modal", view=view)]
        if method == "views.publish":
            view = {**(body.get("view") or {}), "id": f"H{body.get('user_id', '')}"}
            self.homes[str(body.get("user_id", ""))] = view
            return [Shown("home", view=view, text=str(body.get("user_id", "")))]
        if method == "files.completeUploadExternal":
            return [Shown("notice", text=self.files.notice(body))]
        return []

    def _on_chat_change(self, method: str, body: dict) -> list[Shown]:
        for message in self.messages:
            if message.ts == body.get("ts") and not message.deleted:
                if method == "chat.delete":
                    message.deleted = True
                    return [Shown("deleted", message)]
                message.blocks, message.text = body.get("blocks") or [], body.get("text") or ""
                return [Shown("updated", message)]
        return []

    def _new_message(self, body: dict, ephemeral: bool, ts: str = "") -> Message:
        number = len(self.messages) + 1
        message = Message(number, ts or f"1800000000.{number:06d}", body.get("blocks") or [],
                          body.get("text") or "", ephemeral)
        self.messages.append(message)
        return message

    def _response_url(self, source: Message | None) -> str:
        name = f"r{next(self._ids)}"
        self._sources[name] = source
        return self.slack.response_url(name)

    def _trigger(self) -> str:
        return f"{next(self._ids)}.{secrets.randbelow(10**9)}.{secrets.token_hex(8)}"


def _acked_message(body: str) -> dict | None:
    """The message a slash command's ack carries (None when the ack is empty)."""
    if not body.strip():
        return None
    message = json.loads(body) if body.lstrip().startswith("{") else {"text": body}
    return message if message.get("text") or message.get("blocks") else None


def _refusal(record: Recorded) -> list[Shown]:
    """A notice when Slack would refuse the Block Kit the app sent (the console still draws
    it, so the developer sees what was wrong)."""
    body = record.body
    try:
        if record.kind == "api" and record.name.startswith("views.") and body.get("view"):
            validate_view(body["view"])
        elif (record.kind == "response" or record.name in MESSAGE_CALLS) and body.get("blocks"):
            validate_blocks(body["blocks"])
    except SlackWouldRefuse as refused:
        return [Shown("notice", text=f"Slack would refuse this: {refused}")]
    return []
