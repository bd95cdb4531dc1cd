"""The Web API methods the app calls, answered the way Slack answers them: a posted message
gets a `ts`, an opened view an id, an upload an upload URL."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable
from typing import Any

from bot.slack_standin.identity import APP_ID, BOT_ID, BOT_USER_ID

Person = Callable[[str], dict[str, Any]]
ALT_TEXT_LIMIT = 1000  # characters of an uploaded image's alt_txt


class WebApi:
    """Default answers of the stand-in's Web API, for the workspace `team_id`.

    users.info answers a plain member of the workspace, overridden by `person(user_id)` when
    given, then by `users[user_id]`. File uploads started here are remembered, so that the
    upload URL accepts their bytes.
    """

    def __init__(self, *, team_id: str, base_url: str, person: Person | None,
                 users: dict[str, dict[str, Any]]) -> None:
        self.team_id, self.base_url = team_id, base_url
        self._person, self._users = person, users
        self._uploads: dict[str, str] = {}
        self._ts = itertools.count(100)
        self._view_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._lock = threading.Lock()
        self._history: dict[str, list[dict[str, Any]]] = {}  # channel -> messages, oldest first

    def upload_name(self, file_id: str) -> str | None:
        """The filename announced for the upload `file_id`; None for an unknown upload."""
        with self._lock:
            return self._uploads.get(file_id)

    def answer(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        """What Slack answers to `method` called with `body` (`{"ok": true}` by default)."""
        answer = {
            "auth.test": self._auth_test,
            "users.info": self._users_info,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.getPermalink": self._chat_get_permalink,
            "views.open": self._view,
            "views.push": self._view,
            "views.publish": self._view,
            "views.update": self._view,
            "conversations.join": self._conversations_join,
            "conversations.history": self._conversations_history,
            "conversations.open": self._conversations_open,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
        }.get(method)
        return answer(body) if answer else {"ok": True}

    def _auth_test(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": "https://acme.slack.com/", "team": "Test", "user": "dealbot",
                "team_id": self.team_id, "user_id": BOT_USER_ID, "bot_id": BOT_ID}

    def _users_info(self, body: dict[str, Any]) -> dict[str, Any]:
        user_id = str(body.get("user", ""))
        user = {"id": user_id, "team_id": self.team_id, "name": user_id.lower(),
                "deleted": False, "real_name": f"User {user_id}", "tz": "Europe/Oslo",
                "tz_label": "Central European Time", "tz_offset": 3600, "is_admin": False,
                "is_owner": False, "is_bot": False,
                "profile": {"real_name": f"User {user_id}", "display_name": user_id.lower()}}
        known = self._person(user_id) if self._person else {}
        return {"ok": True, "user": {**user, **known, **self._users.get(user_id, {})}}

    def _next_ts(self) -> str:
        with self._lock:
            return f"1700000000.{next(self._ts):06d}"

    def _message(self, body: dict[str, Any], ts: str) -> dict[str, Any]:
        message = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "app_id": APP_ID,
                   "text": body.get("text", ""), "ts": ts, "team": self.team_id}
        if "blocks" in body:
            message["blocks"] = body["blocks"]
        return message

    def _chat_post_message(self, body: dict[str, Any]) -> dict[str, Any]:
        ts = self._next_ts()
        message = self._message(body, ts)
        metadata = body.get("metadata")
        stored = {**message, "metadata": json.loads(metadata) if isinstance(metadata, str)
                  else metadata} if metadata else message
        with self._lock:
            self._history.setdefault(str(body.get("channel")), []).append(stored)
        return {"ok": True, "channel": body.get("channel"), "ts": ts, "message": message}

    def _conversations_history(self, body: dict[str, Any]) -> dict[str, Any]:
        """The channel's messages the app posted, newest first, `limit` at most; metadata
        only with `include_all_metadata`, as Slack does. (`oldest` is not applied: the
        stand-in's timestamps are not real times.)"""
        with self._lock:
            messages = list(reversed(self._history.get(str(body.get("channel")), [])))
        limit = int(body.get("limit") or 100)
        if str(body.get("include_all_metadata")).lower() not in ("true", "1"):
            messages = [{k: v for k, v in m.items() if k != "metadata"} for m in messages]
        return {"ok": True, "messages": messages[:limit], "has_more": len(messages) > limit,
                "response_metadata": {"next_cursor": ""}}

    def _chat_post_ephemeral(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "message_ts": self._next_ts()}

    def _chat_update(self, body: dict[str, Any]) -> dict[str, Any]:
        ts = str(body.get("ts", ""))
        return {"ok": True, "channel": body.get("channel"), "ts": ts,
                "text": body.get("text", ""), "message": self._message(body, ts)}

    def _chat_get_permalink(self, body: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(body.get("channel", "")), str(body.get("message_ts", ""))
        return {"ok": True, "channel": channel,
                "permalink": f"https://acme.slack.com/archives/{channel}/p{ts.replace('.', '')}"}

    def _view(self, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            view_id = str(body.get("view_id") or f"V{next(self._view_ids)}")
        view = {"id": view_id, "team_id": self.team_id, "state": {"values": {}}, "hash": "h1",
                "private_metadata": "", "callback_id": "", "external_id": "",
                "root_view_id": view_id, "previous_view_id": None, "app_id": APP_ID,
                "bot_id": BOT_ID, **(body.get("view") or {})}
        return {"ok": True, "view": view}

    def _conversations_join(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": {"id": body.get("channel"), "is_channel": True,
                                        "is_member": True}}

    def _conversations_open(self, body: dict[str, Any]) -> dict[str, Any]:
        users = str(body.get("users", "U")).replace(",", "")
        return {"ok": True, "channel": {"id": f"D{users}"}}

    def _files_get_upload_url(self, body: dict[str, Any]) -> dict[str, Any]:
        if len(str(body.get("alt_txt") or "")) > ALT_TEXT_LIMIT:
            return {"ok": False, "error": "alt_txt_too_large"}
        with self._lock:
            file_id = f"F{next(self._file_ids)}"
            self._uploads[file_id] = str(body.get("filename", ""))
        return {"ok": True, "upload_url": f"{self.base_url}/upload/{file_id}",
                "file_id": file_id}

    def _files_complete_upload(self, body: dict[str, Any]) -> dict[str, Any]:
        files = body.get("files") or []
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title", ""),
                                       "name": self.upload_name(f["id"]) or ""} for f in files]}
