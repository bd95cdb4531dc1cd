"""Engine and transactions. Built by `bot/` from configuration, never at import time."""

from __future__ import annotations

import copy
import logging
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from storage.errors import DatabaseUnavailable, StaleVersion

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_transactions_begin_on_first_statement(engine: Engine) -> None:
    """pysqlite's own transaction handling breaks SAVEPOINT and defers BEGIN; take it over
    (the recipe from SQLAlchemy's SQLite dialect documentation)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()
        # SQLite's own lower() folds ASCII only; names like "Ærlig" must match "ærlig".
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock at the start, so two writers queue up instead of
        # failing halfway through with "database is locked".
        conn.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """The store: an engine, its sessions, and its schema state."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        kwargs: dict[str, object] = {"echo": echo, "future": True}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 10}
        else:
            kwargs.update(pool_pre_ping=True, pool_size=5, max_overflow=10)
        self.engine = create_engine(url, **kwargs)
        if self.engine.dialect.name == "sqlite":
            _sqlite_transactions_begin_on_first_statement(self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def with_session_info(self, info: Mapping[str, object]) -> Database:
        """The same store (one engine, one pool) whose sessions start with `info` in their
        `Session.info`: the deployment's configuration that storage reads, such as the
        settings of new workspaces (`storage.workspaces.with_workspace_defaults`)."""
        configured = copy.copy(self)
        configured.sessions = sessionmaker(self.engine, expire_on_commit=False, info=dict(info))
        return configured

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits when the block ends, rolls back on any error. A database
        that cannot be reached raises DatabaseUnavailable, so the user hears nothing changed;
        a row changed by a concurrent transaction raises StaleVersion instead of being
        overwritten."""
        try:
            with self.sessions.begin() as session:
                yield session
        except StaleDataError as exc:
            raise StaleVersion("Someone else changed this at the same moment, so nothing was "
                               "changed. Look at it again and retry.") from exc
        except OperationalError as exc:
            if exc.connection_invalidated or _is_connection_error(exc):
                log.warning("database unavailable: %s", type(exc.orig).__name__)
                raise DatabaseUnavailable(
                    "The database is not answering right now, so nothing was changed. "
                    "Please try again in a minute.") from exc
            raise

    def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except DBAPIError:
            return False

    def alembic_config(self) -> Config:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        config.attributes["engine"] = self.engine
        return config

    def upgrade(self, revision: str = "head") -> None:
        command.upgrade(self.alembic_config(), revision)

    def downgrade(self, revision: str = "base") -> None:
        command.downgrade(self.alembic_config(), revision)

    def schema_state(self) -> tuple[str | None, str | None]:
        """(current revision, head revision)."""
        head = ScriptDirectory.from_config(self.alembic_config()).get_current_head()
        with self.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
        return current, head

    def dispose(self) -> None:
        self.engine.dispose()


def _lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


def _is_connection_error(exc: OperationalError) -> bool:
    words = str(exc.orig).lower()
    return any(w in words for w in ("connection", "connect", "server closed", "terminating"))


def insert_if_absent(session: Session, model: type, *, conflict: list[str] | None = None,
                     **values: object) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING on either database: True when this call inserted
    the row, False when it existed (also when another transaction inserted it first).
    RETURNING, not rowcount, tells which: drivers disagree on rowcount after DO NOTHING."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    key = next(iter(model.__table__.primary_key.columns))  # type: ignore[attr-defined]
    statement = insert(model).values(**values).on_conflict_do_nothing(index_elements=conflict)
    return session.scalar(statement.returning(key)) is not None


def upsert(session: Session, model: type, *, conflict: list[str], values: dict[str, object],
           changes: dict[str, object]) -> None:
    """INSERT ... ON CONFLICT (`conflict`) DO UPDATE SET `changes`, on either database."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(model).values(**values).on_conflict_do_update(
        index_elements=conflict, set_=changes))
