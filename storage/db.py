"""Engine and transactions. Built by `bot/` from configuration, never at import time."""

from __future__ import annotations

import copy
import logging
import math
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
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
from sqlalchemy.pool import QueuePool

from storage.errors import CommitUnknown, DatabaseUnavailable, OutOfTime, StaleVersion

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"
UNAVAILABLE = ("The database is not answering right now, so nothing was changed. Please try "
               "again in a minute.")
COMMIT_UNKNOWN = ("The database stopped answering while saving this, so it may or may not have "
                  "been saved. Look at it again in a minute before you try again.")
OUT_OF_TIME = ("This could not be done in the time Slack gives an answer, so nothing was "
               "changed. Please try again in a moment.")
PING_TIMEOUT = 0.5  # seconds a pooled connection's check may take (with a timeout set)
CLIENT_MARGIN = 0.25  # the client waits this much longer than the server's statement_timeout
MIN_WAIT = 0.05  # seconds left below which a transaction is not even begun
SQLITE_BUSY_MS = 10_000  # how long SQLite waits for another writer, without a deadline


@dataclass
class Deadline:
    """When the database waits of one request must be over (`at`, by `clock`, in seconds):
    the time Slack waits for its answer, less what rendering and sending it takes. `missed`
    counts the transactions that gave up (or never began) because the time ran out; the
    first calls `on_miss`."""

    at: float
    clock: Callable[[], float] = time.monotonic
    on_miss: Callable[[], None] = lambda: None
    missed: int = 0

    def left(self) -> float:
        return self.at - self.clock()

    def miss(self, what: str) -> OutOfTime:
        self.missed += 1
        if self.missed == 1:
            self.on_miss()
        log.warning("out of time for the database: %s", what)
        return OutOfTime(OUT_OF_TIME)


_deadline: ContextVar[Deadline | None] = ContextVar("dealbot_deadline", default=None)


def answer_by(deadline: Deadline | None) -> None:
    """Every database wait of the transactions opened from now on in the current context (the
    request being answered: bot.app runs each in a context of its own) ends by `deadline`,
    however long the database timeouts would allow: the transaction is not begun when
    less than MIN_WAIT is left; the wait for a free pooled connection, the lock waits
    (PostgreSQL's statement_timeout, SQLite's busy timeout) and, with a timeout set, the
    client's wait for any answer shrink to the time left. Giving up raises OutOfTime."""
    _deadline.set(deadline)


def time_left() -> float | None:
    """Seconds left before the current request's deadline; None without one."""
    deadline = _deadline.get()
    return None if deadline is None else deadline.left()


def within_time_left(seconds: float, *, at_least: float = 0.0) -> float:
    """`seconds` of waiting, cut to the current request's time left (never below
    `at_least`); `seconds` outside a request."""
    left = time_left()
    return seconds if left is None else max(at_least, min(seconds, left))


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
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.close()
        # SQLite's own lower() folds ASCII only; names like "Ærlig" must match "ærlig".
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock at the start, so two writers queue up instead of
        # failing halfway through with "database is locked"; the wait ends by the deadline.
        busy = _milliseconds(within_time_left(SQLITE_BUSY_MS / 1000))
        if conn.info.get("busy_timeout") != busy:  # straight to the driver: a tenth the work
            conn.connection.dbapi_connection.execute(  # type: ignore[union-attr]
                f"PRAGMA busy_timeout={busy}")
            conn.info["busy_timeout"] = busy
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
    DatabaseUnavailable in `transaction`. Within a request, every one of these waits also ends
    by the request's deadline (`answer_by`), and then raises OutOfTime."""

    def __init__(self, url: str, *, echo: bool = False, timeout: float | None = None) -> None:
        self.url = url
        self.timeout = timeout
        kwargs: dict[str, object] = {"echo": echo, "future": True}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 10}
        else:
            kwargs.update(pool_pre_ping=True, pool_size=5, max_overflow=10,
                          poolclass=DeadlinePool)
            if timeout is not None:
                kwargs.update(pool_timeout=timeout, connect_args=_bounded_connect_args(timeout))
        self.engine = create_engine(url, **kwargs)
        if self.engine.dialect.name == "sqlite":
            _sqlite_transactions_begin_on_first_statement(self.engine)
        elif timeout is not None:
            _bounded_connections(self.engine, read_timeout=timeout + CLIENT_MARGIN)
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
        deadline = _deadline.get()
        if deadline is not None and deadline.left() < MIN_WAIT:
            raise deadline.miss("not asked")
        committing = False
        try:
            with self.sessions() as session:
                session.begin()
                try:
                    self._limit_statements(session, deadline)
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
            _out_of_time(deadline, "no free connection", exc)
            log.warning("database unavailable: no free connection")
            raise DatabaseUnavailable(UNAVAILABLE) from exc
        except OperationalError as exc:
            if not committing:  # a lock wait or an answer cut short by the deadline
                _out_of_time(deadline, type(exc.orig).__name__, exc)
            if exc.connection_invalidated or _is_connection_error(exc):
                log.warning("database unavailable%s: %s", " while committing" if committing
                            else "", type(exc.orig).__name__)
                if committing:
                    raise CommitUnknown(COMMIT_UNKNOWN) from exc
                raise DatabaseUnavailable(UNAVAILABLE) from exc
            raise

    def _limit_statements(self, session: Session, deadline: Deadline | None) -> None:
        """On PostgreSQL, a statement of this transaction (a lock wait included) is
        cancelled by the server when the deadline comes, if that is before its
        statement_timeout would (SQLite's lock wait is bounded as the transaction begins)."""
        if deadline is None or self.dialect != "postgresql":
            return
        left = deadline.left()
        if self.timeout is None or left < self.timeout:
            session.execute(text(f"SET LOCAL statement_timeout = {_milliseconds(left)}"))

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


def _milliseconds(seconds: float) -> int:
    return max(1, int(seconds * 1000))  # 0 would mean no limit


def _out_of_time(deadline: Deadline | None, what: str, exc: Exception) -> None:
    """Raises OutOfTime when `deadline` has come: the wait that failed was cut short by it."""
    if deadline is not None and deadline.left() < MIN_WAIT:
        raise deadline.miss(what) from exc


class DeadlinePool(QueuePool):
    """A QueuePool whose wait for a free connection also ends by the current request's
    deadline (`answer_by`)."""

    @property
    def _timeout(self) -> float:
        return within_time_left(self._configured_timeout)

    @_timeout.setter
    def _timeout(self, value: float) -> None:
        self._configured_timeout = value

    def recreate(self) -> QueuePool:
        pool = super().recreate()
        pool._timeout = self._configured_timeout  # not the time left of whoever recreated it
        return pool


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
            limit = self.limit if timeout is None else timeout
            left = time_left()
            if left is not None:  # the server's statement_timeout ends first, if it can
                limit = min(limit, max(0.0, left) + CLIENT_MARGIN)
            try:
                return super().wait(gen, interval=interval, timeout=limit)
            except psycopg.errors.OperationalError as error:
                if type(error).__name__ == "_WaitTimeout":
                    self.pgconn.finish()
                    raise psycopg.OperationalError(
                        f"no answer from the database server within {limit:g} s; "
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
