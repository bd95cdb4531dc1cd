"""Opening the database for a command: reachable and at the schema this version needs."""

from __future__ import annotations

import logging

from bot.config import Settings
from storage.db import Database
from storage.workspaces import with_workspace_defaults

log = logging.getLogger("dealbot")


class SchemaError(Exception):
    """The database schema is not the one this version of Dealbot needs."""


def open_database(settings: Settings, *, migrate_fresh_sqlite: bool = True) -> Database:
    """The database, checked to be at the current schema. A fresh SQLite file is migrated on
    the spot; anything else out of date stops with the command that fixes it. New workspaces
    start with the configured currency and time zone."""
    from bot.metrics import watch_database

    db = with_workspace_defaults(Database(settings.database_url), settings.workspace_defaults)
    watch_database(db)  # database errors are counted for GET /metrics
    if not db.ping():
        raise SchemaError(f"The database at {_safe_url(settings)} does not answer. Check "
                          "DATABASE_URL and that the server is running.")
    current, head = db.schema_state()
    if current == head:
        return db
    if current is None and db.dialect == "sqlite" and migrate_fresh_sqlite:
        log.info("creating the database schema in %s", _safe_url(settings))
        db.upgrade()
        return db
    state = "is empty" if current is None else f"is at revision {current}"
    raise SchemaError(f"The database schema {state}, and this Dealbot needs {head}: "
                      "run `dealbot db upgrade` first.")


def _safe_url(settings: Settings) -> str:
    from sqlalchemy.engine import make_url
    return make_url(settings.database_url).render_as_string(hide_password=True)
