"""The HTTP side of `dealbot serve`: Bolt's WSGI handler behind waitress (or gunicorn), plus
/healthz, an access log line per request, and a graceful stop on SIGTERM.

Slow or idle connections cannot block the others: waitress reads requests in its event loop,
not in the listener threads (under gunicorn, bot.gunicorn_worker does the same), accepts up
to CONNECTION_LIMIT connections (its default, 100, let 120 slow clients lock everyone out)
and cuts a connection that sends nothing for CHANNEL_TIMEOUT seconds (Slack sends a request
at once and waits 3 s for the answer).
/healthz answers within HEALTH_WAIT whatever the database does (HealthCheck)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.types import StartResponse

from slack_bolt import App

from bot.lifecycle import DRAIN_SECONDS, GRACEFUL_SECONDS, on_stop_signal
from bot.logs import gunicorn_logger, log_request
from bot.metrics import exposition, observe_request, process_died
from bot.slack_request import KIND_KEY, SlackWsgiHandler
from storage.db import Database

log = logging.getLogger(__name__)


LOOP_SECONDS = 0.5  # how soon the server notices SIGTERM
CONNECTION_LIMIT = 500
CHANNEL_TIMEOUT = 10  # seconds a connection may stay silent
CLEANUP_INTERVAL = 2  # how often waitress looks for silent connections
HEALTH_WAIT = 1.0  # seconds /healthz waits for the database before saying 503
WSGIApplication = Callable[[dict, StartResponse], Iterable[bytes]]


class HealthCheck:
    """`/healthz`'s answer within `wait` seconds whatever the database does: the ping runs in
    a thread of its own, and a database that has not answered by then is unhealthy. One ping
    at a time: while one is still waiting, others answer unhealthy at once instead of piling
    up threads (the ping itself ends within the database timeouts)."""

    def __init__(self, db: Database, *, wait: float = HEALTH_WAIT) -> None:
        self._db, self._wait = db, wait
        self._lock = threading.Lock()
        self._running: threading.Event | None = None
        self._result = False

    def healthy(self) -> bool:
        with self._lock:
            if self._running is None:
                self._running = threading.Event()
                threading.Thread(target=self._ping, args=(self._running,), daemon=True,
                                 name="dealbot-healthz").start()
            done = self._running
        return done.wait(self._wait) and self._result

    def _ping(self, done: threading.Event) -> None:
        result = self._db.ping()
        with self._lock:
            self._result, self._running = result, None
        done.set()


def wsgi_app(app: App, db: Database) -> WSGIApplication:
    """POST /slack/events (and the OAuth paths) go to Bolt; GET /healthz asks the database;
    GET /metrics tells the metrics (bot.metrics)."""
    slack = SlackWsgiHandler(app, path="/slack/events")
    health = HealthCheck(db)

    def application(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/metrics" and environ.get("REQUEST_METHOD") == "GET":
            environ[KIND_KEY] = "metrics"
            body, content_type = exposition()
            start_response("200 OK", [("Content-Type", content_type),
                                      ("Content-Length", str(len(body)))])
            return [body]
        if environ.get("PATH_INFO") == "/healthz":
            environ[KIND_KEY] = "healthz"
            healthy = health.healthy()
            status = "200 OK" if healthy else "503 Service Unavailable"
            body = b'{"ok": true}' if healthy else b'{"ok": false, "error": "database unavailable"}'
            start_response(status, [("Content-Type", "application/json"),
                                    ("Content-Length", str(len(body)))])
            return [body]
        if environ.get("PATH_INFO", "").startswith("/slack/"):
            environ.setdefault(KIND_KEY, "oauth")  # the Slack requests set their own
        return slack(environ, start_response)

    return observed(application)


def observed(application: WSGIApplication) -> WSGIApplication:
    """`application`, with one access log line for every request it answers (method, path,
    never the query string, status, milliseconds and the request's kind), counted in the
    metrics."""
    def answer(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        statuses: list[str] = []

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            statuses.append(status)
            if exc_info is None:
                return start_response(status, headers)
            return start_response(status, headers, exc_info)

        try:
            return application(environ, start)
        finally:
            status = int(statuses[-1].split()[0]) if statuses else 500
            seconds = time.perf_counter() - started
            kind = environ.get(KIND_KEY, "other")
            log_request(method=environ.get("REQUEST_METHOD", ""),
                        path=environ.get("PATH_INFO", ""), status=status, ms=seconds * 1000,
                        kind=kind)
            observe_request(kind, status, seconds)

    return answer


def serve_http(app: App, db: Database, *, port: int, threads: int = 8,
               on_stopped: Callable[[], None] = lambda: None) -> None:
    """Serves on all interfaces (a reverse proxy or Slack reaches it), in one process:
    `threads` threads, each running the listeners of the request it serves, until SIGTERM
    or Ctrl-C. Then it closes the listening socket, finishes the requests it has read (at
    most DRAIN_SECONDS), closes the connections and calls `on_stopped` (bot.lifecycle)."""
    from waitress.server import create_server

    server: Any = create_server(wsgi_app(app, db), host="0.0.0.0", port=port,
                                threads=threads, ident="dealbot",
                                connection_limit=CONNECTION_LIMIT,
                                channel_timeout=CHANNEL_TIMEOUT,
                                cleanup_interval=CLEANUP_INTERVAL)
    stopping = on_stop_signal(lambda: None)  # the loop sees it within LOOP_SECONDS
    log.info("Dealbot listening on port %s: POST /slack/events, GET /healthz", port)
    while not stopping.is_set():
        server.asyncore.loop(timeout=LOOP_SECONDS, map=server._map, count=1,
                             use_poll=server.adj.asyncore_use_poll)
    server.accepting = False  # new connections are refused from now on
    server.del_channel()
    server.socket.close()
    deadline = time.monotonic() + DRAIN_SECONDS
    while _busy_connections(server._map) and time.monotonic() < deadline:
        server.asyncore.loop(timeout=0.05, map=server._map, count=1,
                             use_poll=server.adj.asyncore_use_poll)
    left = _busy_connections(server._map)
    if left:
        log.warning("stopping with %s request(s) unfinished after %.0f s", left, DRAIN_SECONDS)
    server.task_dispatcher.shutdown(cancel_pending=True, timeout=1)
    _close_all(server._map)
    log.info("HTTP server stopped")
    on_stopped()


def _busy_connections(channels: dict) -> int:
    """How many connections still have a request being read, run or written; idle
    keep-alive connections are told to close."""
    from waitress.channel import HTTPChannel

    busy = 0
    for channel in list(channels.values()):
        if not isinstance(channel, HTTPChannel):
            continue
        if channel.requests or channel.request is not None or channel.total_outbufs_len:
            busy += 1
        else:
            channel.will_close = True
    return busy


def _close_all(channels: dict) -> None:
    from waitress import wasyncore

    wasyncore.close_all(channels)


def serve_workers(build: Callable[[], WSGIApplication], *, port: int, workers: int,
                  threads: int, in_master: Callable[[], Callable[[], None]] | None = None,
                  on_stopped: Callable[[], None] = lambda: None,
                  log_format: str = "text") -> None:
    """Serves with gunicorn until stopped: `workers` processes of `threads` threads, each
    process with the application `build` makes (its own database and slow-work pools),
    each request read whole before a thread serves it (bot.gunicorn_worker: slow or idle
    clients cannot hold the threads).
    `in_master` runs once in gunicorn's master before the workers start (the digest
    scheduler) and returns what each forked worker calls first (letting go of the master's
    database connections without closing them). On SIGTERM gunicorn stops accepting, each
    worker finishes its requests (and, at its exit, its background work: bot.wsgi), and
    then the master calls `on_stopped`."""
    import os

    from gunicorn.app.base import BaseApplication

    after_fork = in_master() if in_master else None
    master = os.getpid()
    options = {"bind": f"0.0.0.0:{port}", "workers": workers, "threads": threads,
               "worker_class": "bot.gunicorn_worker.BufferingWorker", "proc_name": "dealbot",
               "graceful_timeout": GRACEFUL_SECONDS,
               "logger_class": gunicorn_logger(log_format)}

    class Gunicorn(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)
            if after_fork is not None:
                self.cfg.set("post_fork", lambda server, worker: after_fork())
            self.cfg.set("child_exit", lambda server, worker: process_died(worker.pid))

        def load(self) -> WSGIApplication:
            return build()

    log.info("Dealbot listening on port %s with %s worker processes of %s threads: "
             "POST /slack/events, GET /healthz", port, workers, threads)
    try:
        Gunicorn().run()  # returns (or exits) in the master and in every worker
    finally:
        if os.getpid() == master:
            on_stopped()
