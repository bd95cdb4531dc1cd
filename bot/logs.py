"""What Dealbot writes to its log, and how: LOG_LEVEL, LOG_FORMAT (text or json) and quiet
defaults.

- One line per record on standard error; with LOG_FORMAT=json each line is one JSON object
  (`time`, `level`, `logger`, `message`, the access log's fields, `exception` with the
  traceback), for a log collector.
- One access log line per HTTP request (logger `dealbot.access`): method, path, status,
  milliseconds and the kind of Slack request. Never a body, a header or a query string (the
  OAuth redirect's query carries a code).
- Libraries stay quiet: APScheduler's per-minute job lines, Bolt's, slack-sdk's and urllib3's
  chatter are shown from WARNING up (from INFO up with LOG_LEVEL=DEBUG), and Alembic's
  migration lines only under `dealbot db` (`migrations=True`).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

ACCESS = logging.getLogger("dealbot.access")
ACCESS_FIELDS = ("method", "path", "status", "ms", "kind")
# Loggers of libraries whose INFO and DEBUG lines are noise in production.
CHATTY = ("apscheduler", "slack_bolt", "slack_sdk", "urllib3", "dealbot.bolt", "waitress.queue")
MIGRATIONS = "alembic"


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line (a traceback is escaped inside it)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        for name in ACCESS_FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str, log_format: str = "text", *,
                      migrations: bool = False) -> None:
    """Sets up the root logger (a second call replaces what the first set up). Like
    `logging.basicConfig`, it adds no handler where someone else's is in place already."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "dealbot", False)]:
        root.removeHandler(old)
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.dealbot = True  # type: ignore[attr-defined]
        handler.setFormatter(JsonFormatter() if log_format == "json" else
                             logging.Formatter(TEXT_FORMAT))
        root.addHandler(handler)
    root.setLevel(level)
    libraries = logging.INFO if level == "DEBUG" else logging.WARNING
    for name in CHATTY:
        logging.getLogger(name).setLevel(libraries)
    logging.getLogger(MIGRATIONS).setLevel(logging.INFO if migrations else logging.WARNING)
    logging.getLogger("alembic.runtime.migration").addFilter(_schema_check_chatter)


def _schema_check_chatter(record: logging.LogRecord) -> bool:
    """False for the two lines Alembic logs each time a command checks the schema (its
    dialect), which bury a command's own answer; its migrations are still logged."""
    return not record.getMessage().startswith(("Context impl ", "Will assume "))


def log_request(*, method: str, path: str, status: int, ms: float, kind: str) -> None:
    """The access log line of one answered request."""
    ACCESS.info("%s %s %s %.0f ms %s", method, path, status, ms, kind,
                extra={"method": method, "path": path, "status": status,
                       "ms": round(ms, 1), "kind": kind})


def gunicorn_logger(log_format: str) -> type:
    """gunicorn's own logger (its master's and workers' lines, like `Booting worker`),
    written as JSON too under LOG_FORMAT=json."""
    from gunicorn.glogging import Logger

    class Logs(Logger):
        def setup(self, cfg: Any) -> None:
            super().setup(cfg)
            if log_format == "json":
                for handler in self.error_log.handlers:
                    handler.setFormatter(JsonFormatter())

    return Logs
