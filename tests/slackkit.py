"""A local stand-in for Slack, for tests.

- `FakeSlack`: the Web API, `response_url`s and file upload URLs on 127.0.0.1, recording every
  request and answering like Slack (scriptable, including HTTP errors such as 429).
- Signed request builders (`slash_command`, `block_actions`, `view_submission`,
  `event_callback`, and `click` / `submit_view` that work from what the app rendered): the exact
  bodies and headers Slack sends, for `app.dispatch(request.to_bolt())` or real HTTP.
- `validate_blocks` / `validate_view`: slack-sdk's Block Kit models plus the limits they leave
  unchecked; `text_of`: the visible text of blocks, for readable assertions.
"""

from __future__ import annotations

import copy
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlencode, urlsplit

from slack_bolt.request import BoltRequest
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View
from slack_sdk.signature import SignatureVerifier

T = TypeVar("T")

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
APP_ID = "A1"
TEAM_DOMAIN = "acme"
VERIFICATION_TOKEN = "legacy-verification-token"
DEFAULT_TRIGGER_ID = "13345224609.738474920.8088930838d88f008e0"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"


# --------------------------------------------------------------------------- the fake server


@dataclass(frozen=True)
class Recorded:
    """One request that reached `FakeSlack`.

    `kind` is "api" (a Web API call), "response" (a post to a response_url) or "upload" (the
    bytes sent to an upload_url given by files.getUploadURLExternal). `name` is the API method,
    the response_url's name, or the uploaded file's id. `headers` has lowercased names.
    `body`: a JSON body as sent; a form body and the query string flattened to one value per
    name, with `blocks`, `attachments` and `view` JSON strings decoded; for an upload
    `{"file_id", "filename", "content": bytes}`. `token` is the Authorization bearer token, or
    None when the request carried none.
    """

    kind: str
    name: str
    headers: dict[str, str]
    body: dict[str, Any]
    token: str | None


@dataclass(frozen=True)
class HttpAnswer:
    """A scripted HTTP answer: `body` None sends an empty body, a dict is sent as JSON."""

    status: int
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)


Answer = dict[str, Any] | HttpAnswer


def _parse_body(raw: bytes, content_type: str, query: str) -> dict[str, Any]:
    text = raw.decode("utf-8")
    if content_type.startswith(JSON):
        body: dict[str, Any] = json.loads(text) if text else {}
    else:
        body = {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}
    body.update({k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()})
    for key in ("blocks", "attachments", "view"):
        if isinstance(body.get(key), str):
            body[key] = json.loads(body[key])
    return body


class _Server(ThreadingHTTPServer):
    def __init__(self, fake: FakeSlack) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: Any) -> None:
        """Keeps test output quiet."""

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k.lower(): v for k, v in self.headers.items()}
        url = urlsplit(self.path)
        kind, _, name = url.path.strip("/").partition("/")
        if kind not in ("api", "response", "upload") or not name:
            self._send(HttpAnswer(404, {"ok": False, "error": "unknown_path"}))
            return
        self._send(self.server.fake._handle(kind, name, headers, raw, url.query))

    def _send(self, answer: Answer) -> None:
        if isinstance(answer, dict):
            answer = HttpAnswer(200, answer)
        payload = b"" if answer.body is None else json.dumps(answer.body).encode()
        self.send_response(answer.status)
        for key, value in answer.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class FakeSlack:
    """Slack's Web API, response_urls and upload URLs on 127.0.0.1, on an ephemeral port.

    Records every request (see `Recorded`). API calls without `Authorization: Bearer ...` are
    recorded and answered `not_authed` (except oauth.v2.access, which authenticates the app
    with Basic auth). Answers come from `script()` queues first, then from
    defaults shaped like Slack's (`{"ok": true}` for methods without a specific default).
    `users` overrides fields of the users.info answer per user id. Thread-safe.
    """

    def __init__(self) -> None:
        self.users: dict[str, dict[str, Any]] = {}
        self._records: list[Recorded] = []
        self._scripts: dict[tuple[str, str], list[Answer]] = {}
        self._uploads: dict[str, str] = {}
        self._ts = itertools.count(100)
        self._view_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server = _Server(self)
        self._thread: threading.Thread | None = None
        self.port: int = self._server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.api_url = f"{self.base_url}/api/"

    # lifecycle

    def start(self) -> FakeSlack:
        """Serves in a daemon thread; returns self."""
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stops serving and frees the port."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # addresses and scripts

    def response_url(self, name: str = "r1") -> str:
        """A response_url whose posts are recorded under `name`."""
        return f"{self.base_url}/response/{name}"

    @staticmethod
    def http(status: int, body: dict[str, Any] | None = None,
             headers: dict[str, str] | None = None) -> HttpAnswer:
        """A scripted answer with any status, e.g. `http(429, headers={"Retry-After": "1"})`."""
        return HttpAnswer(status, body, headers or {})

    def script(self, method: str, *answers: Answer) -> None:
        """Queues answers for API `method`, each used once, in order, before the defaults.

        A dict is answered with HTTP 200 as JSON; use `FakeSlack.http(...)` for other statuses.
        """
        with self._lock:
            self._scripts.setdefault(("api", method), []).extend(answers)

    def script_response(self, name: str, *answers: Answer) -> None:
        """Queues answers for posts to `response_url(name)` (default: 200 `{"ok": true}`)."""
        with self._lock:
            self._scripts.setdefault(("response", name), []).extend(answers)

    # what was received

    def calls(self, method: str | None = None) -> list[Recorded]:
        """The API calls received so far, oldest first, optionally only those of `method`."""
        return self._select("api", method)

    def responses(self, name: str | None = None) -> list[Recorded]:
        """The posts to response_urls so far, oldest first, optionally only to `name`."""
        return self._select("response", name)

    def uploads(self) -> list[Recorded]:
        """The file contents uploaded so far (body: file_id, filename, content bytes)."""
        return self._select("upload", None)

    def last_response(self) -> Recorded:
        """The latest post to any response_url; fails if there was none."""
        responses = self.responses()
        assert responses, "nothing was posted to a response_url"
        return responses[-1]

    def clear(self) -> None:
        """Forgets the recorded requests (scripts and `users` stay)."""
        with self._lock:
            self._records.clear()

    def wait_for(self, predicate: Callable[[], T], timeout: float = 5) -> T:
        """Polls `predicate` until it returns something truthy, and returns that; fails after
        `timeout` seconds. Only for work the app does after acking, in another thread."""
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            if time.monotonic() >= deadline:
                received = [(r.kind, r.name) for r in self._select(None, None)]
                raise AssertionError(f"the expected Slack traffic did not arrive within "
                                     f"{timeout} s; received: {received}")
            time.sleep(0.02)

    # serving

    def _select(self, kind: str | None, name: str | None) -> list[Recorded]:
        with self._lock:
            return [r for r in self._records
                    if kind in (None, r.kind) and name in (None, r.name)]

    def _handle(self, kind: str, name: str, headers: dict[str, str], raw: bytes,
                query: str) -> Answer:
        authorization = headers.get("authorization", "")
        token = authorization[len("Bearer "):] if authorization.startswith("Bearer ") else None
        with self._lock:
            filename = self._uploads.get(name)
        if kind == "upload":
            body: dict[str, Any] = {"file_id": name, "filename": filename, "content": raw}
        else:
            body = _parse_body(raw, headers.get("content-type", ""), query)
        with self._lock:
            self._records.append(Recorded(kind, name, headers, body, token))
        if kind == "upload":
            return {"ok": True} if filename is not None else HttpAnswer(404)
        if kind == "api" and token is None and not (
                name == "oauth.v2.access" and authorization.startswith("Basic ")):
            return {"ok": False, "error": "not_authed"}
        with self._lock:
            queue = self._scripts.get((kind, name))
            scripted = queue.pop(0) if queue else None
        if scripted is not None:
            return scripted
        return self._default_api_answer(name, body) if kind == "api" else {"ok": True}

    def _default_api_answer(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = {
            "auth.test": self._auth_test,
            "users.info": self._users_info,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "views.open": self._view,
            "views.push": self._view,
            "views.publish": self._view,
            "views.update": self._view,
            "conversations.join": self._conversations_join,
            "conversations.open": self._conversations_open,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
        }.get(method)
        return answer(body) if answer else {"ok": True}

    def _auth_test(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": "https://acme.slack.com/", "team": "Test", "user": "dealbot",
                "team_id": "T1", "user_id": BOT_USER_ID, "bot_id": BOT_ID}

    def _users_info(self, body: dict[str, Any]) -> dict[str, Any]:
        user_id = str(body.get("user", ""))
        user = {"id": user_id, "team_id": "T1", "name": user_id.lower(), "deleted": False,
                "real_name": f"User {user_id}", "tz": "Europe/Oslo",
                "tz_label": "Central European Time", "tz_offset": 3600, "is_admin": False,
                "is_owner": False, "is_bot": False,
                "profile": {"real_name": f"User {user_id}", "display_name": user_id.lower()}}
        return {"ok": True, "user": {**user, **self.users.get(user_id, {})}}

    def _next_ts(self) -> str:
        with self._lock:
            return f"1700000000.{next(self._ts):06d}"

    def _message(self, body: dict[str, Any], ts: str) -> dict[str, Any]:
        message = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "app_id": APP_ID,
                   "text": body.get("text", ""), "ts": ts, "team": "T1"}
        if "blocks" in body:
            message["blocks"] = body["blocks"]
        return message

    def _chat_post_message(self, body: dict[str, Any]) -> dict[str, Any]:
        ts = self._next_ts()
        return {"ok": True, "channel": body.get("channel"), "ts": ts,
                "message": self._message(body, ts)}

    def _chat_post_ephemeral(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "message_ts": self._next_ts()}

    def _chat_update(self, body: dict[str, Any]) -> dict[str, Any]:
        ts = str(body.get("ts", ""))
        return {"ok": True, "channel": body.get("channel"), "ts": ts,
                "text": body.get("text", ""), "message": self._message(body, ts)}

    def _view(self, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            view_id = str(body.get("view_id") or f"V{next(self._view_ids)}")
        view = {"id": view_id, "team_id": "T1", "state": {"values": {}}, "hash": "h1",
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
        with self._lock:
            file_id = f"F{next(self._file_ids)}"
            self._uploads[file_id] = str(body.get("filename", ""))
        return {"ok": True, "upload_url": f"{self.base_url}/upload/{file_id}",
                "file_id": file_id}

    def _files_complete_upload(self, body: dict[str, Any]) -> dict[str, Any]:
        files = json.loads(body.get("files", "[]"))
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title", ""),
                                       "name": self._uploads.get(f["id"], "")} for f in files]}


# --------------------------------------------------------------------------- signed requests


@dataclass(frozen=True)
class SignedRequest:
    """A request as Slack sends it: the exact body, and headers signing exactly that body."""

    body: str
    headers: dict[str, str]

    def to_bolt(self) -> BoltRequest:
        """For `app.dispatch(...)`."""
        return BoltRequest(body=self.body, headers=self.headers)

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
                                "X-Slack-Signature": signature, **(extra_headers or {})})


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
                  timestamp: int | None = None) -> SignedRequest:
    """A slash command with every field Slack sends, form-encoded, in Slack's order."""
    fields = {"token": VERIFICATION_TOKEN, "team_id": team_id, "team_domain": TEAM_DOMAIN,
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


def event_callback(*, signing_secret: str, event: dict[str, Any], team_id: str = "T1",
                   event_id: str = "Ev1", retry_num: int | None = None,
                   retry_reason: str = "http_timeout",
                   timestamp: int | None = None) -> SignedRequest:
    """An Events API envelope (JSON) with `authorizations[]`; with `retry_num`, a redelivery
    carrying X-Slack-Retry-Num and X-Slack-Retry-Reason."""
    envelope = {"token": VERIFICATION_TOKEN, "team_id": team_id, "context_team_id": team_id,
                "context_enterprise_id": None, "api_app_id": APP_ID, "event": event,
                "type": "event_callback", "event_id": event_id,
                "event_time": int(time.time()),
                "authorizations": [{"enterprise_id": None, "team_id": team_id,
                                    "user_id": BOT_USER_ID, "is_bot": True,
                                    "is_enterprise_install": False}],
                "is_ext_shared_channel": False}
    retry = ({"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
             if retry_num is not None else None)
    return sign(json.dumps(envelope, separators=(",", ":")), signing_secret=signing_secret,
                content_type=JSON, timestamp=timestamp, extra_headers=retry)


# --------------------------------------------------------------------------- clicks and forms


def _with_block_ids(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A copy of the blocks as Slack stores them: those without a block_id get one."""
    stored = copy.deepcopy(blocks)
    for index, block in enumerate(stored):
        block.setdefault("block_id", f"auto{index}")
    return stored


def _elements(block: dict[str, Any]) -> list[dict[str, Any]]:
    """The interactive elements of one block."""
    if block.get("type") == "actions":
        return list(block.get("elements", []))
    if block.get("type") == "section" and "accessory" in block:
        return [block["accessory"]]
    if block.get("type") == "input" and "element" in block:
        return [block["element"]]
    return []


def _options(element: dict[str, Any]) -> list[dict[str, Any]]:
    """The options an element offers, including those inside option_groups."""
    options = list(element.get("options", []))
    for group in element.get("option_groups", []):
        options += group.get("options", [])
    return options


def _pick_option(element: dict[str, Any], value: str | None) -> dict[str, Any]:
    offered = _options(element)
    picked = [o for o in offered if o.get("value") == value]
    assert picked, (f"{element.get('action_id')!r} offers no option with value {value!r}; "
                    f"it offers {[o.get('value') for o in offered]}")
    return {key: picked[0][key] for key in ("text", "value", "description") if key in picked[0]}


# what the user picks in each kind of element, in an action or in state.values
_PICKED_OPTION = ("static_select", "overflow", "radio_buttons")
_PICKED_VALUE = {"users_select": "selected_user", "conversations_select": "selected_conversation",
                 "channels_select": "selected_channel", "datepicker": "selected_date",
                 "timepicker": "selected_time", "plain_text_input": "value",
                 "number_input": "value", "email_text_input": "value", "url_text_input": "value"}


def _picked(element: dict[str, Any], value: str | None,
            selected_option_value: str | None) -> dict[str, Any]:
    """The fields of an action (or state entry) for what the user picked in `element`."""
    kind = element.get("type")
    if kind == "button":
        assert value is None and selected_option_value is None, \
            "a button sends the value it was rendered with; do not pass value or an option"
        return {key: element[key] for key in ("text", "value", "style") if key in element}
    if kind in _PICKED_OPTION:
        assert value is None, f"pick an option of the {kind} with selected_option_value"
        return {"selected_option": _pick_option(element, selected_option_value)}
    if kind in _PICKED_VALUE:
        assert selected_option_value is None and value is not None, \
            f"pass what the user chose in the {kind} as value"
        return {_PICKED_VALUE[kind]: value}
    raise AssertionError(f"click() does not support {kind!r} elements")


def click(*, signing_secret: str, action_id: str,
          message_blocks: list[dict[str, Any]] | None = None,
          view: dict[str, Any] | None = None, team_id: str = "T1", user_id: str = "U1",
          channel_id: str = "C1", response_url: str | None = None, value: str | None = None,
          selected_option_value: str | None = None,
          message_ts: str = "1700000000.000100", ephemeral: bool = False,
          posted_in: str | None = None, timestamp: int | None = None) -> SignedRequest:
    """The block_actions Slack sends when the user uses the element `action_id` that the app
    rendered, in a message (`message_blocks`, `response_url` required) or in a modal or Home
    tab (`view`, as the app sent it). A button sends its rendered value; for selects, overflow
    and radio buttons pass `selected_option_value` (it must be one of the rendered options);
    for user/channel pickers, dates and text inputs pass `value`. Fails with AssertionError
    when the app did not render that element. `posted_in` is the team whose install posted
    the message (another one than the clicker's in a shared channel)."""
    assert (message_blocks is None) != (view is None), "give message_blocks or view, not both"
    blocks = _with_block_ids(view["blocks"] if view is not None else message_blocks or [])
    found = [(b, e) for b in blocks for e in _elements(b) if e.get("action_id") == action_id]
    rendered = [e.get("action_id") for b in blocks for e in _elements(b)]
    assert found, f"no element with action_id {action_id!r} was rendered; there are {rendered}"
    block, element = found[0]
    picked = _picked(element, value, selected_option_value)
    action = {"action_id": action_id, "block_id": block["block_id"], "type": element["type"],
              **picked, "action_ts": f"{time.time():.6f}"}
    state = ({} if element["type"] == "button"
             else {block["block_id"]: {action_id: {"type": element["type"], **picked}}})
    if view is not None:
        stored = _stored_view(view, blocks, team_id, state)
        return block_actions(signing_secret=signing_secret, actions=[action],
                             container={"type": "view", "view_id": stored["id"]},
                             team_id=team_id, user_id=user_id, view=stored, state_values=state,
                             timestamp=timestamp)
    assert response_url is not None, "Slack sends a response_url with every message click"
    message = None if ephemeral else {
        "type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "app_id": APP_ID,
        "text": "", "ts": message_ts, "team": posted_in or team_id, "blocks": blocks}
    return block_actions(signing_secret=signing_secret, actions=[action],
                         container={"type": "message", "message_ts": message_ts,
                                    "channel_id": channel_id, "is_ephemeral": ephemeral},
                         team_id=team_id, user_id=user_id, channel_id=channel_id,
                         response_url=response_url, message=message, state_values=state,
                         timestamp=timestamp)


def _stored_view(view: dict[str, Any], blocks: list[dict[str, Any]], team_id: str,
                 state_values: dict[str, Any]) -> dict[str, Any]:
    """The view as Slack includes it in payloads: with id, state, hash and the rest."""
    view_id = view.get("id", "V1")
    return {"id": view_id, "team_id": team_id, "type": view.get("type", "modal"),
            "private_metadata": "", "callback_id": "", "hash": "h1", "external_id": "",
            "root_view_id": view_id, "previous_view_id": None, "app_id": APP_ID,
            "bot_id": BOT_ID, "clear_on_close": False, "notify_on_close": False,
            **view, "blocks": blocks, "state": {"values": state_values}}


# what Slack sends in state.values for an input the user left empty
_EMPTY_STATE: dict[str, dict[str, Any]] = {
    "static_select": {"selected_option": None}, "radio_buttons": {"selected_option": None},
    "multi_static_select": {"selected_options": []}, "checkboxes": {"selected_options": []},
    "multi_users_select": {"selected_users": []},
    **{kind: {key: None} for kind, key in _PICKED_VALUE.items()}}


def _state_entry(block_id: str, element: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    kind = element.get("type")
    assert given.get("type", kind) == kind, f"{block_id} holds a {kind}, not a {given['type']}"
    entry = {"type": kind, **given}
    if isinstance(given.get("selected_option"), dict) and _options(element):
        entry["selected_option"] = _pick_option(element, given["selected_option"].get("value"))
    return entry


def submit_view(*, signing_secret: str, view: dict[str, Any],
                values: dict[str, dict[str, dict[str, Any]]], team_id: str = "T1",
                user_id: str = "U1", timestamp: int | None = None) -> SignedRequest:
    """The view_submission Slack sends when the user submits `view` (as the app opened it,
    e.g. `slack.calls("views.open")[-1].body["view"]`) filled with `values`:
    {block_id: {action_id: {"value": ...} | {"selected_option": {"value": ...}} | ...}}.

    Every block_id/action_id must be an input the view rendered; `type` is filled in, and a
    selected_option given by value is completed from the rendered options. Inputs left out
    are sent empty, as Slack does, and a required one left out fails: Slack would not submit.
    """
    blocks = _with_block_ids(view.get("blocks", []))
    inputs = {b["block_id"]: b for b in blocks if b.get("type") == "input"}
    for block_id, actions in values.items():
        assert block_id in inputs, f"no input block {block_id!r} in the view; it has {list(inputs)}"
        element = inputs[block_id]["element"]
        for action_id in actions:
            assert action_id == element.get("action_id"), \
                f"input {block_id!r} holds {element.get('action_id')!r}, not {action_id!r}"
    state: dict[str, dict[str, dict[str, Any]]] = {}
    for block_id, block in inputs.items():
        element = block["element"]
        given = values.get(block_id, {}).get(element.get("action_id", ""))
        if given is None:
            given = _EMPTY_STATE.get(element.get("type", ""), {})
        filled = [v for k, v in given.items() if k != "type" and v not in (None, "", [])]
        assert filled or block.get("optional"), \
            f"required input {block_id!r} is empty: Slack would not let the user submit"
        state[block_id] = {element.get("action_id", ""): _state_entry(block_id, element, given)}
    return view_submission(signing_secret=signing_secret,
                           view=_stored_view(view, blocks, team_id, state), team_id=team_id,
                           user_id=user_id, timestamp=timestamp)


# --------------------------------------------------------------------------- Block Kit


BLOCK_LIMITS = {"message": 50, "modal": 100, "home": 100}
MESSAGE_TEXT_LIMIT = 12000


def _texts(block: dict[str, Any]) -> list[str]:
    """The visible texts of one block, in reading order."""
    texts: list[str] = []
    text = block.get("text")
    if isinstance(text, dict):
        texts.append(str(text.get("text", "")))
    elif block.get("type") == "markdown" and isinstance(text, str):
        texts.append(text)
    texts += [str(f.get("text", "")) for f in block.get("fields", [])]
    if block.get("type") == "context":
        texts += [str(e["text"]) for e in block.get("elements", []) if "text" in e]
    if block.get("type") == "input" and isinstance(block.get("label"), dict):
        texts.append(str(block["label"].get("text", "")))
    for element in _elements(block):
        if isinstance(element.get("text"), dict):
            texts.append(str(element["text"].get("text", "")))
        texts += [str(o.get("text", {}).get("text", "")) for o in _options(element)]
    return texts


def text_of(blocks: list[dict[str, Any]]) -> str:
    """All visible text of the blocks, one text a line: section text and fields, headers,
    context texts, input labels, button texts and option texts."""
    return "\n".join(text for block in blocks for text in _texts(block))


def _has_none(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_none(v) for v in value.values())
    if isinstance(value, list):
        return any(v is None or _has_none(v) for v in value)
    return False


def _model_problems(block: dict[str, Any]) -> list[str]:
    """What slack-sdk's block model finds wrong, including element types it does not know."""
    try:
        model = Block.parse_all([block])[0]
    except TypeError as error:  # a required field is missing
        return [str(error)]
    if model is None:
        return ["unknown block type"]
    try:
        rendered = model.to_dict()
    except SlackObjectFormationError as error:
        return [str(error)]
    return ["an element of unknown type"] if _has_none(rendered) else []


def _limit_problems(block: dict[str, Any]) -> list[str]:
    """Limits slack-sdk's models do not check on plain dicts."""
    problems = []
    if block.get("type") in ("section", "header") and "text" in block \
            and not isinstance(block["text"], dict):
        problems.append("text must be a text object, not a string")
    for index, item in enumerate(block.get("fields", [])):
        if len(str(item.get("text", ""))) > 2000:
            problems.append(f"field {index} text is over 2000 characters")
    if block.get("type") == "header" and isinstance(block.get("text"), dict) \
            and block["text"].get("type") != "plain_text":
        problems.append("header text must be plain_text")
    for element in _elements(block):
        for option in _options(element):
            if len(str(option.get("text", {}).get("text", ""))) > 75:
                problems.append(f"an option text of {element.get('action_id')!r} is over 75")
            if len(str(option.get("value", ""))) > 150:
                problems.append(f"an option value of {element.get('action_id')!r} is over 150")
    return problems


def _repeated(values: list[str]) -> list[str]:
    return sorted({v for v in values if values.count(v) > 1})


def validate_blocks(blocks: list[dict[str, Any]], *, surface: str = "message") -> None:
    """Fails with AssertionError, listing every problem, unless Slack would accept `blocks` on
    `surface` ("message", "modal" or "home"): every block and element known to slack-sdk's
    models and accepted by their `to_dict()`; at most 50 blocks in a message, 100 in a view;
    section field text <= 2000; header text plain_text; option text <= 75 and value <= 150;
    block_ids and action_ids unique in the payload; and, in a message, visible text <= 12000
    characters in all (Slack's undocumented msg_blocks_too_long)."""
    assert surface in BLOCK_LIMITS, f"unknown surface {surface!r}"
    assert isinstance(blocks, list) and all(isinstance(b, dict) for b in blocks), \
        "blocks must be a list of dicts"
    problems = []
    if len(blocks) > BLOCK_LIMITS[surface]:
        problems.append(f"{len(blocks)} blocks; a {surface} takes {BLOCK_LIMITS[surface]}")
    for index, block in enumerate(blocks):
        where = f"block {index} ({block.get('type')!r}, block_id {block.get('block_id')!r})"
        problems += [f"{where}: {p}" for p in _model_problems(block) + _limit_problems(block)]
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    action_ids = [e["action_id"] for b in blocks for e in _elements(b) if "action_id" in e]
    if _repeated(block_ids):
        problems.append(f"repeated block_ids {_repeated(block_ids)}")
    if _repeated(action_ids):
        problems.append(f"repeated action_ids {_repeated(action_ids)}")
    text_length = sum(len(text) for block in blocks for text in _texts(block))
    if surface == "message" and text_length > MESSAGE_TEXT_LIMIT:
        problems.append(f"{text_length} characters of text; Slack refuses more than about "
                        f"{MESSAGE_TEXT_LIMIT} in one message (msg_blocks_too_long)")
    assert not problems, f"invalid Block Kit for a {surface}:\n  " + "\n  ".join(problems)


def validate_view(view: dict[str, Any]) -> None:
    """Fails with AssertionError unless Slack would accept `view` for views.open/push/update
    (type "modal") or views.publish (type "home"): slack-sdk's View model accepts it (title,
    submit and close <= 24, callback_id <= 255, private_metadata <= 3000), a modal has a
    title, and a submit button when it has inputs, and its blocks pass `validate_blocks`."""
    kind = view.get("type")
    assert kind in ("modal", "home"), f"view type must be 'modal' or 'home', not {kind!r}"
    try:
        View(**view).to_dict()
    except SlackObjectFormationError as error:
        raise AssertionError(f"invalid {kind} view: {error}") from None
    if kind == "modal":
        assert "title" in view, "a modal needs a title"
        has_inputs = any(b.get("type") == "input" for b in view.get("blocks", []))
        assert not has_inputs or "submit" in view, "a modal with inputs needs a submit button"
    validate_blocks(view.get("blocks", []), surface=kind)
