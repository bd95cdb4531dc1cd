"""The HTTP side of `dealbot serve`: Bolt's WSGI handler behind waitress, plus /healthz and
/metrics.

Slow or idle connections cannot block the others: waitress reads requests in its event loop,
not in the listener threads, accepts up to CONNECTION_LIMIT connections (its default, 100,
let 120 slow clients lock everyone out) and cuts a connection that sends nothing for
CHANNEL_TIMEOUT seconds (Slack sends a request at once and waits 3 s for the answer)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from wsgiref.types import StartResponse

from slack_bolt import App

from bot.slack_request import SlackWsgiHandler
from handlers import counters
from storage.db import Database

log = logging.getLogger(__name__)
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
                done = self._running = threading.Event()
                threading.Thread(target=self._ping, args=(done,), daemon=True,
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
    GET /metrics shows the process's counters (handlers.counters) in Prometheus' text form."""
    slack = SlackWsgiHandler(app, path="/slack/events")
    health = HealthCheck(db)

    def application(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            healthy = health.healthy()
            status = "200 OK" if healthy else "503 Service Unavailable"
            body = b'{"ok": true}' if healthy else b'{"ok": false, "error": "database unavailable"}'
            start_response(status, [("Content-Type", "application/json"),
                                    ("Content-Length", str(len(body)))])
            return [body]
        if environ.get("PATH_INFO") == "/metrics":
            text = "".join(f"dealbot_{name}_total {value}\n"
                           for name, value in sorted(counters.counts().items()))
            body = text.encode()
            start_response("200 OK", [("Content-Type", "text/plain; version=0.0.4"),
                                      ("Content-Length", str(len(body)))])
            return [body]
        return slack(environ, start_response)

    return application


def serve_http(app: App, db: Database, *, port: int, threads: int = 8) -> None:
    """Serves until interrupted, on all interfaces (a reverse proxy or Slack reaches it), in
    one process: `threads` threads, each running the listeners of the request it serves."""
    from waitress import serve

    log.info("Dealbot listening on port %s: POST /slack/events, GET /healthz", port)
    serve(wsgi_app(app, db), host="0.0.0.0", port=port, threads=threads, ident="dealbot",
          connection_limit=CONNECTION_LIMIT, channel_timeout=CHANNEL_TIMEOUT,
          cleanup_interval=CLEANUP_INTERVAL)


def serve_workers(build: Callable[[], WSGIApplication], *, port: int, workers: int,
                  threads: int, in_master: Callable[[], Callable[[], None]] | None = None) -> None:
    """Serves with gunicorn until stopped: `workers` processes of `threads` threads, each
    process with the application `build` makes (its own database and slow-work pools).
    `in_master` runs once in gunicorn's master before the workers start (the digest
    scheduler) and returns what each forked worker calls first (letting go of the master's
    database connections without closing them)."""
    from gunicorn.app.base import BaseApplication

    after_fork = in_master() if in_master else None
    options = {"bind": f"0.0.0.0:{port}", "workers": workers, "threads": threads,
               "worker_class": "gthread", "proc_name": "dealbot"}

    class Gunicorn(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)
            if after_fork is not None:
                self.cfg.set("post_fork", lambda server, worker: after_fork())

        def load(self) -> WSGIApplication:
            return build()

    log.info("Dealbot listening on port %s with %s worker processes of %s threads: "
             "POST /slack/events, GET /healthz", port, workers, threads)
    Gunicorn().run()
