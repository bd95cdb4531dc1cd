"""A local stand-in for Slack: the Web API and response_url on 127.0.0.1, signed request
builders that produce exactly what Slack sends, and Block Kit validation."""

from __future__ import annotations

import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlencode

from slack_bolt.request import BoltRequest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View
from slack_sdk.signature import SignatureVerifier


@dataclass(frozen=True)
class Recorded:
    kind: str  # "api" or "response"
    name: str  # the API method, or the response_url's name
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)


def _decode(raw: bytes, content_type: str) -> dict[str, Any]:
    text = raw.decode("utf-8") if raw else ""
    if "json" in content_type:
        body = json.loads(text) if text else {}
    else:
        body = {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}
    for key in ("blocks", "attachments", "view"):
        if isinstance(body.get(key), str):
            body[key] = json.loads(body[key])
    return body


class FakeSlack:
    """Records every Web API call and response_url post; answers like Slack would."""

    def __init__(self) -> None:
        self.records: list[Recorded] = []
        self.users: dict[str, dict[str, Any]] = {}
        self._scripts: dict[str, list[dict | HttpAnswer]] = {}
        self._ts = itertools.count(100)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.port = self._server.server_address[1]
        self.api_url = f"http://127.0.0.1:{self.port}/api/"

    @staticmethod
    def http(status: int, body: dict | None = None, headers: dict | None = None) -> HttpAnswer:
        return HttpAnswer(status, body, headers or {})

    def response_url(self, name: str = "r1") -> str:
        return f"http://127.0.0.1:{self.port}/response/{name}"

    def start(self) -> FakeSlack:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def script(self, method: str, *answers: dict | HttpAnswer) -> None:
        """Queues answers for `method`, used in order before the defaults."""
        self._scripts.setdefault(method, []).extend(answers)

    def calls(self, method: str | None = None) -> list[Recorded]:
        return [r for r in list(self.records) if r.kind == "api" and method in (None, r.name)]

    def responses(self, name: str | None = None) -> list[Recorded]:
        return [r for r in list(self.records) if r.kind == "response" and name in (None, r.name)]

    def last_response(self) -> Recorded:
        return self.responses()[-1]

    def clear(self) -> None:
        self.records.clear()

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 5) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = predicate()
            if result:
                return result
            time.sleep(0.02)
        raise AssertionError("the expected Slack traffic did not arrive in time")

    def _answer(self, method: str, body: dict[str, Any]) -> dict | HttpAnswer:
        with self._lock:
            queue = self._scripts.get(method)
            if queue:
                return queue.pop(0)
        if method == "auth.test":
            return {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "team": "Test"}
        if method == "users.info":
            user = body.get("user", "")
            return {"ok": True, "user": {"id": user, "tz": "Europe/Oslo", "tz_offset": 3600,
                                         "is_admin": False, "is_owner": False,
                                         "real_name": user, **self.users.get(user, {})}}
        if method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            ts = body.get("ts") or f"1700000000.{next(self._ts):06d}"
            return {"ok": True, "channel": body.get("channel"), "ts": ts,
                    "message": {"ts": ts, "text": body.get("text"), "blocks": body.get("blocks")}}
        if method.startswith("views."):
            return {"ok": True, "view": {"id": "V1", **(body.get("view") or {})}}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(body.get("users", "U"))}}
        if method == "files.getUploadURLExternal":
            return {"ok": True, "upload_url": f"http://127.0.0.1:{self.port}/upload/F1", "file_id": "F1"}
        if method == "files.completeUploadExternal":
            return {"ok": True, "files": [{"id": "F1", "title": "file"}]}
        return {"ok": True}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = dict(self.headers.items())
                kind, _, name = self.path.strip("/").partition("/")
                if kind == "upload":
                    return self._send(HttpAnswer(200, None))
                body = _decode(raw, headers.get("Content-Type", ""))
                if kind == "api":
                    body.update({k: v[0] for k, v in parse_qs(name.partition("?")[2]).items()})
                    name = name.partition("?")[0]
                    if not headers.get("Authorization", "").startswith("Bearer "):
                        return self._send(HttpAnswer(200, {"ok": False, "error": "not_authed"}))
                fake.records.append(Recorded("api" if kind == "api" else "response", name,
                                             headers, body))
                self._send(fake._answer(name, body) if kind == "api" else HttpAnswer(200, None))

            def _send(self, answer: dict | HttpAnswer) -> None:
                if isinstance(answer, dict):
                    answer = HttpAnswer(200, answer)
                payload = b"ok" if answer.body is None else json.dumps(answer.body).encode()
                self.send_response(answer.status)
                for key, value in answer.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "text/plain" if answer.body is None else "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        return Handler


@dataclass(frozen=True)
class SignedRequest:
    body: str
    headers: dict[str, str]

    def to_bolt(self) -> BoltRequest:
        return BoltRequest(body=self.body, headers=self.headers)

    def post(self, url: str) -> tuple[int, str]:
        request = urllib.request.Request(url, data=self.body.encode(), headers=self.headers,
                                         method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def sign(body: str, *, signing_secret: str, content_type: str,
         timestamp: int | None = None) -> SignedRequest:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(signing_secret).generate_signature(timestamp=ts, body=body)
    return SignedRequest(body, {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
                                "X-Slack-Signature": signature})


FORM = "application/x-www-form-urlencoded"


def slash_command(*, signing_secret: str, text: str, response_url: str, command: str = "/deal",
                  team_id: str = "T1", user_id: str = "U1", user_name: str = "ann",
                  channel_id: str = "C1", channel_name: str = "sales",
                  trigger_id: str = "13345224609.738474920.8088930838d88f008e0",
                  timestamp: int | None = None) -> SignedRequest:
    fields = {"token": "legacy-verification-token", "team_id": team_id, "team_domain": "acme",
              "channel_id": channel_id, "channel_name": channel_name, "user_id": user_id,
              "user_name": user_name, "command": command, "text": text, "api_app_id": "A1",
              "is_enterprise_install": "false", "response_url": response_url,
              "trigger_id": trigger_id}
    return sign(urlencode(fields), signing_secret=signing_secret, content_type=FORM,
                timestamp=timestamp)


def interactive(payload: dict[str, Any], *, signing_secret: str) -> SignedRequest:
    return sign(urlencode({"payload": json.dumps(payload)}), signing_secret=signing_secret,
                content_type=FORM)


def _elements(blocks: list[dict]) -> list[tuple[dict, dict]]:
    found = []
    for block in blocks:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            found.append((block, element))
        if "accessory" in block:
            found.append((block, block["accessory"]))
        if block.get("type") == "input" and "element" in block:
            found.append((block, block["element"]))
    return found


def click(*, signing_secret: str, message_blocks: list[dict], action_id: str, team_id: str,
          user_id: str, channel_id: str, response_url: str | None,
          selected_option_value: str | None = None, message_ts: str = "1700000000.000100",
          ephemeral: bool = False, view: dict | None = None) -> SignedRequest:
    """A block_actions payload for the element with `action_id` among the rendered blocks."""
    matches = [(b, e) for b, e in _elements(message_blocks) if e.get("action_id") == action_id]
    assert matches, f"no element with action_id {action_id!r} in the rendered blocks"
    block, element = matches[0]
    action: dict[str, Any] = {"action_id": action_id, "block_id": block.get("block_id", "b"),
                              "type": element["type"], "action_ts": str(time.time())}
    if element["type"] == "button":
        action["value"] = element.get("value")
        action["text"] = element["text"]
    elif element["type"] == "static_select":
        options = [o for o in element["options"] if o["value"] == selected_option_value]
        assert options, f"no option {selected_option_value!r} in {action_id}"
        action["selected_option"] = options[0]
    payload: dict[str, Any] = {
        "type": "block_actions", "team": {"id": team_id, "domain": "acme"},
        "user": {"id": user_id, "username": "ann", "team_id": team_id}, "api_app_id": "A1",
        "token": "legacy-verification-token", "trigger_id": "1337.42.abcd",
        "actions": [action], "state": {"values": {}}}
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view.get("id", "V1")}
        payload["view"] = view
    else:
        payload["container"] = {"type": "message", "message_ts": message_ts,
                                "channel_id": channel_id, "is_ephemeral": ephemeral}
        payload["channel"] = {"id": channel_id, "name": "sales"}
        payload["response_url"] = response_url
        if not ephemeral:
            payload["message"] = {"type": "message", "ts": message_ts, "blocks": message_blocks,
                                  "text": "", "user": "UBOT"}
    return interactive(payload, signing_secret=signing_secret)


def submit_view(*, signing_secret: str, view: dict, values: dict[str, dict[str, dict]],
                team_id: str = "T1", user_id: str = "U1") -> SignedRequest:
    """A view_submission of the view the app opened, with `values` as its state."""
    inputs = {b.get("block_id"): b["element"].get("action_id") for b in view.get("blocks", [])
              if b.get("type") == "input"}
    for block_id, actions in values.items():
        assert block_id in inputs, f"no input block {block_id!r} in the view"
        for action_id in actions:
            assert inputs[block_id] == action_id, f"{block_id} has no {action_id!r}"
    payload = {"type": "view_submission", "team": {"id": team_id, "domain": "acme"},
               "user": {"id": user_id, "username": "ann", "team_id": team_id},
               "api_app_id": "A1", "token": "legacy-verification-token",
               "trigger_id": "1337.43.abcd",
               "view": {**view, "id": view.get("id", "V1"), "team_id": team_id,
                        "state": {"values": values}, "hash": "h1"}}
    return interactive(payload, signing_secret=signing_secret)


def event_callback(*, signing_secret: str, team_id: str, event: dict,
                   event_id: str = "Ev1") -> SignedRequest:
    envelope = {"token": "legacy-verification-token", "team_id": team_id, "api_app_id": "A1",
                "event": event, "type": "event_callback", "event_id": event_id,
                "event_time": int(time.time()),
                "authorizations": [{"team_id": team_id, "user_id": "UBOT", "is_bot": True}]}
    return sign(json.dumps(envelope), signing_secret=signing_secret,
                content_type="application/json")


LIMITS = {"message": 50, "modal": 100, "home": 100}


def _texts(blocks: list[dict]) -> list[str]:
    texts = []
    for block in blocks:
        for key in ("text",):
            if isinstance(block.get(key), dict):
                texts.append(block[key]["text"])
        texts += [f["text"] for f in block.get("fields", [])]
        texts += [e.get("text", "") for e in block.get("elements", []) if isinstance(e.get("text"), str)]
    return texts


def validate_blocks(blocks: list[dict], *, surface: str = "message") -> None:
    """Fails unless slack-sdk's block models accept every block and Slack's other limits,
    which the models do not check, hold too."""
    parsed = Block.parse_all(blocks)
    assert None not in parsed, f"unknown block type in {[b.get('type') for b in blocks]}"
    for block in parsed:
        block.to_dict()
    assert len(blocks) <= LIMITS[surface], f"{len(blocks)} blocks in a {surface}"
    action_ids = []
    for block in blocks:
        for f in block.get("fields", []):
            assert len(f["text"]) <= 2000, "a field text over 2000 characters"
        if block["type"] == "header":
            assert block["text"]["type"] == "plain_text" and len(block["text"]["text"]) <= 150
        if block["type"] == "section" and "text" in block:
            assert len(block["text"]["text"]) <= 3000
        for _, element in _elements([block]):
            if "action_id" in element:
                action_ids.append(element["action_id"])
            for option in element.get("options", []):
                assert len(option["text"]["text"]) <= 75 and len(option["value"]) <= 150
            assert len(element.get("value", "")) <= 2000
    assert len(action_ids) == len(set(action_ids)), f"repeated action_ids {action_ids}"
    if surface == "message":
        assert sum(len(t) for t in _texts(blocks)) <= 12000, "message blocks text too long"


def validate_view(view: dict) -> None:
    View(**view).to_dict()
    assert view["type"] in ("modal", "home")
    if view["type"] == "modal":
        assert len(view["title"]["text"]) <= 24
    assert len(view.get("callback_id", "")) <= 255
    assert len(view.get("private_metadata", "")) <= 3000
    validate_blocks(view["blocks"], surface=view["type"])


def text_of(blocks: list[dict]) -> str:
    """All visible text of the blocks, a line each, for readable assertions."""
    lines = []
    for block in blocks:
        lines += _texts([block])
        for _, element in _elements([block]):
            if isinstance(element.get("text"), dict):
                lines.append(element["text"]["text"])
            lines += [o["text"]["text"] for o in element.get("options", [])]
    return "\n".join(lines)
