"""`FakeSlack`: Slack's Web API, `response_url`s and file upload URLs on 127.0.0.1.

Every request is recorded, in order, and answered like Slack (see `webapi.WebApi`), or with
answers scripted ahead (any HTTP status, e.g. 429 with Retry-After). Faults: `failing`
answers every Web API call and response_url post alike (a 500, a 429) or drops each one's
connection after acting on it (`DROP`); `drop` does the latter for the next few of a method.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

from bot.manifest import BOT_SCOPES
from bot.slack_standin.blockkit import require
from bot.slack_standin.webapi import Person, WebApi

T = TypeVar("T")

DECODED_FIELDS = ("blocks", "attachments", "view", "files")
# Acted on as usual (a message is posted), then the connection is closed without an answer:
# what a client sees when Slack, or the network, drops it after the request arrived
DROP = "drop"


@dataclass(frozen=True)
class Recorded:
    """One request that reached `FakeSlack`.

    `kind` is "api" (a Web API call), "response" (a post to a response_url), "upload" (the
    bytes sent to an upload_url given by files.getUploadURLExternal), or "ack" (an HTTP
    response body of the app itself, reported to `witness` by whoever dispatched the
    request). `name` is the API method, the response_url's name, or the uploaded file's id.
    `headers` has lowercased names. `body`: a JSON body as sent; a form body and the query
    string flattened to one value per name, with `blocks`, `attachments`, `view` and `files`
    JSON strings decoded; for an upload `{"file_id", "filename", "content": bytes}`. `token`
    is the Authorization bearer token, or None when the request carried none. `answer` is the
    JSON body answered, if any.
    """

    kind: str
    name: str
    headers: dict[str, str]
    body: dict[str, Any]
    token: str | None
    answer: dict[str, Any] | None = None


@dataclass(frozen=True)
class HttpAnswer:
    """A scripted HTTP answer: `body` None sends an empty body, a dict is sent as JSON;
    `delay` seconds pass before it is sent (a Slack that hangs past a client's timeout)."""

    status: int
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Hold:
    """Requests held on their way in (`FakeSlack.hold`): `arrived` is set by the first,
    and each waits until `release` is set (30 s at most), then is answered as usual."""

    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)


Answer = dict[str, Any] | HttpAnswer
Watcher = Callable[[Recorded], None]
_watchers: list[Watcher] = []
_watchers_lock = threading.Lock()


def watch(watcher: Watcher) -> Callable[[], None]:
    """Calls `watcher` with every request that any `FakeSlack` records from now on (in the
    thread that served it), and with every answer reported by `witness`; returns the function
    that stops it. `clear()` forgets records but not what watchers saw: a test suite can check
    all the app's output this way."""
    with _watchers_lock:
        _watchers.append(watcher)

    def stop() -> None:
        with _watchers_lock:
            _watchers.remove(watcher)
    return stop


def witness_answer(body: str, name: str) -> None:
    """Shows the watchers what the app answered in an HTTP response body (an ack), as a
    record of kind "ack": a JSON body as it is, any other non-empty body as its `text`."""
    if not body.strip():
        return
    try:
        answer = json.loads(body)
    except ValueError:
        answer = None
    witness(Recorded("ack", name, {}, answer if isinstance(answer, dict) else {"text": body},
                     None))


def witness(record: Recorded) -> None:
    """Shows `record` to the watchers: the stand-in does it for every request it serves; a
    driver does it for what the app answered in an HTTP response body (kind "ack")."""
    with _watchers_lock:
        watchers = list(_watchers)
    for watcher in watchers:
        watcher(record)


def _parse_body(raw: bytes, content_type: str, query: str) -> dict[str, Any]:
    text = raw.decode("utf-8")
    if content_type.startswith("application/json"):
        body: dict[str, Any] = json.loads(text) if text else {}
    else:
        body = {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}
    body.update({k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()})
    for key in DECODED_FIELDS:
        if isinstance(body.get(key), str):
            try:
                body[key] = json.loads(body[key])
            except ValueError:
                pass  # kept as sent: the app's own test will see what it sent
    return body


class _Server(ThreadingHTTPServer):
    def __init__(self, fake: FakeSlack) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: Any) -> None:
        """Keeps test output and the console's screen quiet."""

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
        answer = self.server.fake._handle(kind, name, headers, raw, url.query)
        if isinstance(answer, str):  # DROP
            self.close_connection = True  # closed unanswered: the client's RemoteDisconnected
            return
        if delay := self.server.fake.delays.get(name):  # received and answered, but late
            time.sleep(delay)
        self._send(answer)

    def _send(self, answer: Answer) -> None:
        if isinstance(answer, dict):
            answer = HttpAnswer(200, answer)
        if answer.delay:
            time.sleep(answer.delay)
        payload = b"" if answer.body is None else json.dumps(answer.body).encode()
        self.send_response(answer.status)
        for key, value in answer.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class FakeSlack:
    """Slack's Web API, response_urls and upload URLs on 127.0.0.1, on an ephemeral port, for
    the workspace `team_id`.

    Records every request (see `Recorded`). API calls without `Authorization: Bearer ...` are
    recorded and answered `not_authed` (except oauth.v2.access, which authenticates the app
    with Basic auth). Answers come from `script()` queues first, then from defaults shaped like
    Slack's. users.info answers `person(user_id)` over a plain member's fields, and `users`
    overrides fields per user id. Thread-safe.
    """

    def __init__(self, *, team_id: str = "T1", person: Person | None = None) -> None:
        self.users: dict[str, dict[str, Any]] = {}
        self._records: list[Recorded] = []
        self._scripts: dict[tuple[str, str, str], list[Answer]] = {}
        self._holds: dict[tuple[str, str], Hold] = {}
        # what auth.test says the token was granted (its X-OAuth-Scopes header)
        self.granted_scopes: list[str] = list(BOT_SCOPES)
        # seconds to wait before sending each answer to an API method (a slow Slack); the
        # request is recorded, and acted on, when it arrives
        self.delays: dict[str, float] = {}
        # while set, every Web API call and response_url post is answered with this instead
        # of being acted on, or acted on and dropped unanswered (DROP)
        self.failing: HttpAnswer | str | None = None
        self._drops: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()
        self._server = _Server(self)
        self._thread: threading.Thread | None = None
        self.port: int = self._server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.api_url = f"{self.base_url}/api/"
        self._web_api = WebApi(team_id=team_id, base_url=self.base_url, person=person,
                               users=self.users)

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
             headers: dict[str, str] | None = None, delay: float = 0.0) -> HttpAnswer:
        """A scripted answer with any status, e.g. `http(429, headers={"Retry-After": "1"})`,
        sent after `delay` seconds."""
        return HttpAnswer(status, body, headers or {}, delay)

    def script(self, method: str, *answers: Answer, channel: str | None = None) -> None:
        """Queues answers for API `method`, each used once, in order, before the defaults;
        with `channel`, only for calls naming that channel (before the unnamed queue).

        A dict is answered with HTTP 200 as JSON; use `FakeSlack.http(...)` for other statuses.
        """
        with self._lock:
            self._scripts.setdefault(("api", method, channel or ""), []).extend(answers)

    def hold(self, kind: str, name: str) -> Hold:
        """Holds the requests to `kind` ("api", "response") `name` until the returned
        hold's `release` is set: work that stays under way while a test stops the app. Once
        released, another `hold` holds them again."""
        with self._lock:
            held = self._holds.get((kind, name))
            if held is None or held.release.is_set():
                held = self._holds[(kind, name)] = Hold()
            return held

    def drop(self, kind: str, name: str, count: int = 1) -> None:
        """The next `count` requests to `kind` ("api", "response") `name` are acted on as
        usual, then their connection is closed without an answer (`DROP`)."""
        with self._lock:
            self._drops[(kind, name)] += count

    def script_response(self, name: str, *answers: Answer) -> None:
        """Queues answers for posts to `response_url(name)` (default: 200 `{"ok": true}`)."""
        with self._lock:
            self._scripts.setdefault(("response", name, ""), []).extend(answers)

    # what was received

    def received(self, since: int = 0) -> list[Recorded]:
        """Every request received, oldest first, from the `since`-th on (a count taken
        earlier with `len(received())`)."""
        with self._lock:
            return self._records[since:]

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
        require(responses, "nothing was posted to a response_url")
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
                received = [(r.kind, r.name) for r in self.received()]
                raise AssertionError(f"the expected Slack traffic did not arrive within "
                                     f"{timeout} s; received: {received}")
            time.sleep(0.02)

    # serving

    def _select(self, kind: str | None, name: str | None) -> list[Recorded]:
        with self._lock:
            return [r for r in self._records
                    if kind in (None, r.kind) and name in (None, r.name)]

    def _handle(self, kind: str, name: str, headers: dict[str, str], raw: bytes,
                query: str) -> Answer | str:
        with self._lock:
            hold = self._holds.get((kind, name))
        if hold is not None:
            hold.arrived.set()
            hold.release.wait(30)
        authorization = headers.get("authorization", "")
        token = authorization[len("Bearer "):] if authorization.startswith("Bearer ") else None
        if kind == "upload":
            filename = self._web_api.upload_name(name)
            body: dict[str, Any] = {"file_id": name, "filename": filename, "content": raw}
        else:
            body = _parse_body(raw, headers.get("content-type", ""), query)
        answer = self._answer(kind, name, body, token, authorization)
        json_answer = answer.body if isinstance(answer, HttpAnswer) else answer
        record = Recorded(kind, name, headers, body, token, json_answer)
        with self._lock:
            self._records.append(record)
            dropped = kind != "upload" and (self.failing == DROP or self._drops[(kind, name)] > 0)
            if self._drops[(kind, name)] > 0:
                self._drops[(kind, name)] -= 1
        witness(record)
        return DROP if dropped else answer

    def _answer(self, kind: str, name: str, body: dict[str, Any], token: str | None,
                authorization: str) -> Answer:
        if kind == "upload":
            return {"ok": True} if body["filename"] is not None else HttpAnswer(404)
        if kind == "api" and token is None and not (
                name == "oauth.v2.access" and authorization.startswith("Basic ")):
            return {"ok": False, "error": "not_authed"}
        if isinstance(self.failing, HttpAnswer):
            return self.failing
        channel = str(body.get("channel") or "")
        with self._lock:
            queue = (channel and self._scripts.get((kind, name, channel))) or \
                self._scripts.get((kind, name, ""))
            scripted = queue.pop(0) if queue else None
        if scripted is not None:
            return scripted
        if kind == "api" and name == "auth.test":
            return HttpAnswer(200, self._web_api.answer(name, body),
                              {"X-OAuth-Scopes": ",".join(self.granted_scopes)})
        return self._web_api.answer(name, body) if kind == "api" else {"ok": True}
