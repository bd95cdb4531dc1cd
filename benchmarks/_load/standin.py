"""A local stand-in for Slack while the benchmark runs: the Web API (`SLACK_API_URL` points
at `/api/`) and every `response_url` (`/respond/<request id>`).

Every Web API method answers `{"ok": true, ...}` with what its callers read; every
response_url post answers 200. Posts to a response_url are what the user sees, so each is
recorded: when the first one for a request arrived (monotonic clock, shared by the processes
of this machine), and how the app answered (`ok`, `refused` for a warning, `stale` for an
out-of-date card). Deal cards drawn in those posts are kept, the latest version of each deal,
so the load generator can click their buttons as a user would (`GET /cards`).
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

CARD_ACTIONS, ADVANCE = "deal.card.actions", "deal.advance"  # the deal card's block and button
BOT = {"user_id": "UBOT", "bot_id": "BBOT", "app_id": "A1"}


def first_text(post: dict[str, Any]) -> str:
    blocks = post.get("blocks") or []
    return str(blocks[0].get("text", {}).get("text", "")) if blocks else str(post.get("text", ""))


def outcome_of(post: dict[str, Any]) -> str:
    """How the app answered: `refused` (a warning), `stale` (an out-of-date card redrawn),
    `error` (its "something went wrong" answer), else `ok`."""
    first = first_text(post)
    if first.startswith(":warning:"):
        return "refused"
    if first.startswith(":information_source:"):
        return "stale"
    return "error" if first.startswith("Something went wrong") else "ok"


def card_of(blocks: list[dict[str, Any]]) -> tuple[int, int, bool] | None:
    """(number, version, has an advance button) of a deal card; None for other messages."""
    for block in blocks:
        if block.get("block_id") == CARD_ACTIONS:
            values = {e.get("action_id"): str(e["value"]) for e in block.get("elements", [])
                      if "value" in e}
            number, version = next(iter(values.values())).split(":")[:2]
            return int(number), int(version), ADVANCE in values
    return None


class StandIn:
    def __init__(self, team: str) -> None:
        self.team = team
        self.lock = threading.Lock()
        self.arrivals: dict[str, float] = {}
        self.outcomes: dict[str, str] = {}
        self.calls: Counter[str] = Counter()
        self.refusals: Counter[str] = Counter()  # the first words of each warning answered
        self.cards: dict[int, tuple[int, dict[str, Any]]] = {}  # number: (version, the post)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.request_queue_size = 256
        self.server.stand_in = self  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> StandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def reset(self) -> None:
        """Forgets answers and calls (not the cards) before a scenario."""
        with self.lock:
            self.arrivals.clear()
            self.outcomes.clear()
            self.calls.clear()
            self.refusals.clear()

    def answered(self, rids: set[str]) -> int:
        with self.lock:
            return sum(1 for rid in rids if rid in self.arrivals)

    def web_api(self, method: str, fields: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            self.calls[method] += 1
        if method == "auth.test":
            return {"ok": True, "team_id": self.team, "team": "bench", "user": "dealbot",
                    "url": "https://bench.slack.com/", **BOT}
        if method == "users.info":
            user = fields.get("user", "U000")
            return {"ok": True, "user": {"id": user, "name": user, "tz": "UTC", "tz_offset": 0,
                                         "is_admin": False, "is_owner": False}}
        if method in ("views.publish", "views.open", "views.update", "views.push"):
            return {"ok": True, "view": {"id": "V0BENCH", "hash": "h1", **BOT}}
        if method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            return {"ok": True, "channel": fields.get("channel", "C0"),
                    "ts": f"{time.time():.6f}", "message": {"text": ""}}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D0BENCH"}}
        return {"ok": True}

    def respond(self, rid: str, post: dict[str, Any], at: float) -> None:
        card = card_of(post.get("blocks") or [])
        outcome = outcome_of(post)
        with self.lock:
            self.calls["response_url"] += 1
            self.arrivals.setdefault(rid, at)
            if outcome != "ok" or rid not in self.outcomes:
                self.outcomes[rid] = outcome
            if outcome in ("refused", "error"):
                self.refusals[first_text(post)[:90]] += 1
            if card is not None:
                self._keep_card(*card, post)

    def record_acks(self, sent: list[Any], cards: list[dict[str, Any]]) -> None:
        """What the acks of a load run carried (the load generator saw them): each counts as
        that request's answer, at the time its HTTP answer arrived; cards join the pool."""
        with self.lock:
            for s in sent:
                if s.acked is not None:
                    self.calls["ack"] += 1
                    self.arrivals.setdefault(s.rid, s.start + s.seconds)
                    self.outcomes[s.rid] = s.acked
            for post in cards:
                card = card_of(post.get("blocks") or [])
                if card is not None:
                    self._keep_card(*card, post)

    def _keep_card(self, number: int, version: int, advance: bool,
                   post: dict[str, Any]) -> None:
        """Keeps the newest card of each deal that has an advance button; a newer card
        without one (the last open stage, or closed) takes its deal out."""
        if number in self.cards and self.cards[number][0] >= version:
            return
        if advance:
            self.cards[number] = (version, post)
        else:
            self.cards.pop(number, None)

    def card_list(self) -> list[dict[str, Any]]:
        with self.lock:
            return [{"number": n, "version": v, "blocks": post["blocks"],
                     "text": post.get("text", "")} for n, (v, post) in self.cards.items()]


class _Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _answer(self, status: int, body: bytes, kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        at = time.monotonic()
        stand_in: StandIn = self.server.stand_in  # type: ignore[attr-defined]
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.startswith("/respond/"):
            stand_in.respond(self.path.removeprefix("/respond/"), json.loads(raw or b"{}"), at)
            self._answer(200, b"ok", "text/plain")
        elif self.path.startswith("/api/"):
            if "json" in (self.headers.get("Content-Type") or ""):
                fields = json.loads(raw or b"{}")
            else:
                fields = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            answer = stand_in.web_api(self.path.removeprefix("/api/"), fields)
            self._answer(200, json.dumps(answer).encode())
        else:
            self._answer(404, b'{"ok": false, "error": "unknown_method"}')

    def do_GET(self) -> None:  # noqa: N802
        stand_in: StandIn = self.server.stand_in  # type: ignore[attr-defined]
        if self.path == "/cards":
            self._answer(200, json.dumps(stand_in.card_list()).encode())
        else:
            self._answer(404, b"{}")
