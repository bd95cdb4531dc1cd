"""The WSGI entry point for gunicorn or uWSGI: `gunicorn --threads 8 bot.wsgi:application`.

`application` is built on first use from the environment, as `dealbot serve` builds it: the
settings, the database (checked to be at the current schema), the Bolt app with /healthz.
Each worker process that uses it builds its own, with its own database pool and slow-work
pool. The digest scheduler is not part of it: run one `dealbot scheduler` beside the
workers, or use `dealbot serve --workers N`, which runs it once, in gunicorn's master. For
GET /metrics to add up the workers, export PROMETHEUS_MULTIPROC_DIR (an empty directory)
before gunicorn starts (bot.metrics).
"""

from __future__ import annotations

import threading
from typing import Any

from bot.web import WSGIApplication

_built: list[WSGIApplication] = []
_lock = threading.Lock()


def build() -> WSGIApplication:
    """A new application from the environment (what `application` is, once per process).
    When the process exits (a gunicorn worker after SIGTERM, once its requests are done),
    the reports, exports and Home tab refreshes it started finish first (bot.lifecycle)."""
    import atexit

    from bot.app import create_app
    from bot.config import configure_logging, load_settings
    from bot.database import open_database
    from bot.lifecycle import Background
    from bot.web import wsgi_app

    settings = load_settings()
    configure_logging(settings)
    settings.require_http()
    db = open_database(settings)
    background = Background()
    atexit.register(background.stop)
    return wsgi_app(create_app(settings, db, **background.pools()), db)


def __getattr__(name: str) -> Any:
    """`application`, built when a server first asks for it, not when the module is imported."""
    if name != "application":
        raise AttributeError(name)
    with _lock:
        if not _built:
            _built.append(build())
    return _built[0]
