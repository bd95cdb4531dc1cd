"""The HTTP side of `dealbot serve`: Bolt's WSGI handler behind waitress, plus /healthz."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from wsgiref.types import StartResponse

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from storage.db import Database

log = logging.getLogger(__name__)


def wsgi_app(app: App, db: Database) -> Callable[[dict, StartResponse], Iterable[bytes]]:
    """POST /slack/events (and the OAuth paths) go to Bolt; GET /healthz asks the database."""
    slack = SlackRequestHandler(app, path="/slack/events")

    def application(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            healthy = db.ping()
            status = "200 OK" if healthy else "503 Service Unavailable"
            body = b'{"ok": true}' if healthy else b'{"ok": false, "error": "database unavailable"}'
            start_response(status, [("Content-Type", "application/json"),
                                    ("Content-Length", str(len(body)))])
            return [body]
        return slack(environ, start_response)

    return application


def serve_http(app: App, db: Database, *, port: int, threads: int = 8) -> None:
    """Serves until interrupted, on all interfaces (a reverse proxy or Slack reaches it)."""
    from waitress import serve

    log.info("Dealbot listening on port %s: POST /slack/events, GET /healthz", port)
    serve(wsgi_app(app, db), host="0.0.0.0", port=port, threads=threads, ident="dealbot")
