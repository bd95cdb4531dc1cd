"""Engine and transactions. Built by `bot/` from configuration, never at import time."""

from __future__ import annotations

import copy
import logging
import math
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as SATimeoutError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from storage.errors import CommitUnknown, DatabaseUnavailable, StaleVersion

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"
UNAVAILABLE = ("The database is not answering right now, so nothing was changed. Please try "
               "again in a minute.")
COMMIT_UNKNOWN = ("The database stopped answering while saving this, so it may or may not have "
                  "been saved. Look at it again in a minute before you try again.")
PING_TIMEOUT = 0.5  # seconds a pooled connection's check may take (with a timeout set)
_first_transaction: ContextVar[Callable[[Session], None] | None] = ContextVar(
    "dealbot_first_transaction", default=None)


def before_first_transaction(work: Callable[[Session], None]) -> None:
    """Runs `work` at the start of the next transaction opened in the current context (the
    request being answered: bot.app runs each in a context of its own), as part of it: a
    check that belongs to the interaction's one transaction and commits or rolls back with
    it (`storage.deliveries`)."""
    _first_transaction.set(work)


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
    """The store: an engine, its sessions, and its schema state.

    With `timeout` (seconds; the web and scheduler processes set it, the command line does
    not), nothing waits longer than that for PostgreSQL: a connection is given up after it
    (libpq's `connect_timeout`, at least 2 s), a statement is cancelled by the server after
    it (`statement_timeout`), a server that stops answering altogether (a network that drops
    packets) is given up by the client a moment later and its connection closed
    (`BoundedConnection`; a pooled connection's check before use, after PING_TIMEOUT), and a
    free pooled connection is waited for that long. Each becomes
    DatabaseUnavailable in `transaction`."""

    def __init__(self, url: str, *, echo: bool = False, timeout: float | None = None) -> None:
        self.url = url
        self.timeout = timeout
        kwargs: dict[str, object] = {"echo": echo, "future": True}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 10}
        else:
            kwargs.update(pool_pre_ping=True, pool_size=5, max_overflow=10)
            if timeout is not None:
                kwargs.update(pool_timeout=timeout, connect_args=_bounded_connect_args(timeout))
        self.engine = create_engine(url, **kwargs)
        if self.engine.dialect.name == "sqlite":
            _sqlite_transactions_begin_on_first_statement(self.engine)
        elif timeout is not None:
            _bounded_connections(self.engine, read_timeout=timeout + 0.25)
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
        one that stops answering after it was sent the COMMIT raises CommitUnknown (the
        server may still commit: the person is told so, not that nothing changed); a row
        changed by a concurrent transaction raises StaleVersion instead of being
        overwritten."""
        committing = False
        try:
            with self.sessions() as session:
                session.begin()
                try:
                    if (first := _first_transaction.get()) is not None:
                        _first_transaction.set(None)
                        first(session)
                    yield session
                    session.flush()
                except BaseException:
                    session.rollback()
                    raise
                committing = True
                session.commit()
        except StaleDataError as exc:
            raise StaleVersion("Someone else changed this at the same moment, so nothing was "
                               "changed. Look at it again and retry.") from exc
        except SATimeoutError as exc:  # no pooled connection came free within the timeout
            log.warning("database unavailable: no free connection")
            raise DatabaseUnavailable(UNAVAILABLE) from exc
        except OperationalError as exc:
            if exc.connection_invalidated or _is_connection_error(exc):
                log.warning("database unavailable%s: %s", " while committing" if committing
                            else "", type(exc.orig).__name__)
                if committing:
                    raise CommitUnknown(COMMIT_UNKNOWN) from exc
                raise DatabaseUnavailable(UNAVAILABLE) from exc
            raise

    def ping(self) -> bool:
        """True when the database answers a trivial query (within the timeouts, if set)."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except (DBAPIError, SATimeoutError):
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
    return any(w in words for w in ("connection", "connect", "server closed", "terminating",
                                    "statement timeout", "no answer"))


def _bounded_connect_args(timeout: float) -> dict[str, object]:
    """libpq parameters bounding how long PostgreSQL may keep us waiting (see Database)."""
    return {"connect_timeout": max(2, math.ceil(timeout)),  # psycopg, like libpq: 2 s at least
            "options": f"-c statement_timeout={int(timeout * 1000)}",
            "keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2,
            "keepalives_count": 2, "tcp_user_timeout": int((timeout + 1) * 1000)}


def _bounded_connections(engine: Engine, *, read_timeout: float) -> None:
    """Connections of `engine` are BoundedConnection: each wait for the server ends after
    `read_timeout` seconds."""
    import psycopg

    class BoundedConnection(psycopg.Connection):
        """A psycopg connection that waits at most `read_timeout` for any answer: statement
        timeouts are the server's, and a server cut off by the network never sends one.
        Giving up closes the connection (its state is unknown), so the pool drops it."""

        limit = read_timeout

        def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
            try:
                return super().wait(gen, interval=interval,
                                    timeout=self.limit if timeout is None else timeout)
            except psycopg.errors.OperationalError as error:
                if type(error).__name__ == "_WaitTimeout":
                    self.pgconn.finish()
                    raise psycopg.OperationalError(
                        f"no answer from the database server within {self.limit:g} s; "
                        "connection closed") from error
                raise

    @event.listens_for(engine, "do_connect")
    def _connect(dialect: Any, record: Any, cargs: Any, cparams: dict) -> Any:
        return BoundedConnection.connect(*cargs, **cparams)

    ping = engine.dialect.do_ping

    def do_ping(dbapi_connection: Any) -> Any:
        """The pool's check of a connection before lending it: a server that answers at all
        answers it in milliseconds, so it waits PING_TIMEOUT, leaving the request's time to
        a new connection when the old one is cut off."""
        checked = dbapi_connection if isinstance(dbapi_connection, BoundedConnection) else None
        if checked is not None:
            checked.limit = min(PING_TIMEOUT, read_timeout)
        try:
            return ping(dbapi_connection)
        finally:
            if checked is not None:
                checked.limit = read_timeout

    engine.dialect.do_ping = do_ping  # type: ignore[method-assign]


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


REPORT_SECONDS = 30.0  # a report's statements, run after the answer, may take this long


def allow_slow_statements(session: Session, seconds: float = REPORT_SECONDS) -> None:
    """The rest of this transaction's statements may each run up to `seconds` instead of the
    database timeout (`Database(timeout=...)`, 2 s by default for the web and scheduler
    processes): for reports, which run after the answer and would otherwise be told "the
    database is not answering" when a large history or a busy machine made them slower than
    an acknowledgement must be. PostgreSQL's statement_timeout (SET LOCAL, so it ends with the
    transaction) and the client's wait for an answer both grow; the connection goes back to
    the pool with its own limit."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(text(f"SET LOCAL statement_timeout = {int(seconds * 1000)}"))
    raw = session.connection().connection.dbapi_connection
    if raw is None or not hasattr(raw, "limit"):  # not a BoundedConnection: no client limit
        return
    usual = raw.limit
    raw.limit = max(usual, seconds + 0.25)

    @event.listens_for(session, "after_transaction_end", once=True)
    def _restore(_session: Session, _transaction: object) -> None:
        raw.limit = usual
