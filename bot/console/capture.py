"""A Slack stand-in for the console: the Web API and response_url on 127.0.0.1.

The real app talks HTTP to it exactly as it would to Slack; every call and every post to a
response_url is recorded, in order, for the console to draw. It answers the methods the app
uses the way Slack would (a posted message gets a `ts`, an opened view an id), and tells the
app that the console's users are workspace admins, since the person at the keyboard owns
this local workspace.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


@dataclass(frozen=True)
class Captured:
    """One thing the app sent: a Web API call (`api`, method) or a response_url post
    (`response`, the url's name)."""

    kind: str
    name: str
    body: dict[str, Any]
    answer: dict[str, Any] | None = None


def decode_body(raw: bytes, content_type: str) -> dict[str, Any]:
    """The request body as a dict, whether form-encoded or JSON, with JSON fields decoded."""
    text = raw.decode("utf-8") if raw else ""
    if "json" in content_type:
        body = json.loads(text) if text else {}
    else:
        body = {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}
    for key in ("blocks", "attachments", "view", "files"):
        if isinstance(body.get(key), str):
            try:
                body[key] = json.loads(body[key])
            except ValueError:
                pass
    return body


class Capture:
    """Records what the app sends and answers like Slack. Use as a context manager."""

    def __init__(self, user_info: Callable[[str], dict[str, Any]]) -> None:
        self.records: list[Captured] = []
        self._user_info = user_info
        self._ts = itertools.count(1)
        self._views = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.port = self._server.server_address[1]
        self.api_url = f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/response/{name}"

    def __enter__(self) -> Capture:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def since(self, mark: int) -> list[Captured]:
        """Everything recorded after `mark` (a length of `records` taken earlier)."""
        return self.records[mark:]

    def answer(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        """What Slack would answer to `method` called with `body`."""
        if method == "auth.test":
            return {"ok": True, "user_id": "U0DEALBOT", "bot_id": "B0DEALBOT",
                    "team_id": "T0CONSOLE", "team": "Console"}
        if method == "users.info":
            return {"ok": True, "user": self._user_info(str(body.get("user", "")))}
        if method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            ts = body.get("ts") or f"1700000000.{next(self._ts):06d}"
            return {"ok": True, "channel": body.get("channel"), "ts": ts,
                    "message": {"ts": ts, "text": body.get("text"), "blocks": body.get("blocks")}}
        if method.startswith("views."):
            view = dict(body.get("view") or {})
            view.setdefault("id", body.get("view_id") or f"V{next(self._views):06d}")
            return {"ok": True, "view": view}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(body.get("users", "U")).split(",")[0]}}
        if method == "conversations.join":
            return {"ok": True, "channel": {"id": body.get("channel")}}
        if method == "files.getUploadURLExternal":
            return {"ok": True, "upload_url": f"http://127.0.0.1:{self.port}/upload/F1",
                    "file_id": "F0FILE"}
        if method == "files.completeUploadExternal":
            return {"ok": True, "files": [{"id": "F0FILE", "title": "file"}]}
        return {"ok": True}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        capture = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # the console draws, not logs
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                kind, _, name = self.path.strip("/").partition("/")
                if kind == "upload":  # the file's bytes: recorded by completeUploadExternal
                    return self._send(None)
                body = decode_body(raw, self.headers.get("Content-Type", ""))
                method, _, query = name.partition("?")
                body.update({k: v[0] for k, v in parse_qs(query).items()})
                answer = capture.answer(method, body) if kind == "api" else None
                capture.records.append(
                    Captured("api" if kind == "api" else "response", method, body, answer))
                self._send(answer)

            def _send(self, answer: dict[str, Any] | None) -> None:
                payload = b"ok" if answer is None else json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type",
                                 "text/plain" if answer is None else "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        return Handler
