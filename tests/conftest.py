"""Shared fixtures: a migrated database on SQLite and on PostgreSQL, a clock, Slack stand-ins.

PostgreSQL tests use the server at $DEALBOT_TEST_POSTGRES (default: the local one with trust
auth). Each run creates its own database and drops it at the end. When no server answers,
those tests are skipped with a reason, unless $DEALBOT_REQUIRE_POSTGRES is set (CI sets it),
in which case they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import Phase
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Integer, create_engine, text
from sqlalchemy.engine import make_url

from storage.db import Database
from storage.models import Base

# Property tests (tests/handlers/test_properties.py): 20 examples a test and backend in every
# run, 10,000 in the long profile (`pytest --hypothesis-profile=long`, or
# DEALBOT_HYPOTHESIS_PROFILE=long). No deadline: the suite has no timed assertions.
hypothesis_settings.register_profile(
    "dealbot", max_examples=20, deadline=None, print_blob=True,
    phases=[p for p in Phase if p != Phase.explain])  # explaining reruns a failure for minutes
hypothesis_settings.register_profile("long", parent=hypothesis_settings.get_profile("dealbot"),
                                     max_examples=10_000)
hypothesis_settings.load_profile(os.environ.get("DEALBOT_HYPOTHESIS_PROFILE", "dealbot"))

POSTGRES_ADMIN_URL = os.environ.get(
    "DEALBOT_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
BACKENDS = ["sqlite", "postgresql"]


def postgres_database() -> Iterator[str]:
    """Creates a PostgreSQL database of its own and yields its URL; drops it when closed.
    Skips (or, with $DEALBOT_REQUIRE_POSTGRES, fails) when no server answers."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"dealbot_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
            # A commit need not wait for the disk: a test database outlives no crash.
            conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    except Exception as exc:  # any failure to reach the server means: no PostgreSQL here
        admin.dispose()
        message = (f"PostgreSQL at {make_url(POSTGRES_ADMIN_URL).host} is not reachable "
                   f"({exc.__class__.__name__})")
        if os.environ.get("DEALBOT_REQUIRE_POSTGRES"):
            pytest.fail(message)
        pytest.skip(message + "; ran the SQLite half only")
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of an empty database of each backend, for the whole test session."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'dealbot.db'}"
    else:
        yield from postgres_database()


@pytest.fixture(scope="session")
def migrated_db(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    db.upgrade()
    yield db
    db.dispose()


# Emptying every table after each test: one DELETE a table, children first, in one round trip,
# then the tables' sequences start again at 1 (as after RESTART IDENTITY; the OAuth tables,
# not the models', keep theirs). On PostgreSQL, TRUNCATE of all tables costs a new file for
# each and a commit that waits for the disk: about 20 times as long, a thousand times a run.
EMPTY_TABLES = "; ".join(f"DELETE FROM {table.name}"
                         for table in reversed(Base.metadata.sorted_tables))
SERIAL_COLUMNS = ", ".join(f"('{table.name}', '{column.name}')"
                           for table in Base.metadata.sorted_tables
                           for column in table.primary_key.columns
                           if isinstance(column.type, Integer))
RESTART_SEQUENCES = ("SELECT setval(seq, 1, false) FROM (SELECT pg_get_serial_sequence(t, c) "
                     f"AS seq FROM (VALUES {SERIAL_COLUMNS}) AS pk (t, c)) AS s "
                     "WHERE seq IS NOT NULL")


@pytest.fixture
def db(migrated_db: Database) -> Iterator[Database]:
    """A migrated database, emptied after each test."""
    yield migrated_db
    with migrated_db.engine.begin() as conn:
        if migrated_db.dialect == "postgresql":
            cursor = conn.connection.cursor()  # psycopg runs several statements unbound
            cursor.execute(f"{EMPTY_TABLES}; {RESTART_SEQUENCES}")
            cursor.close()
        else:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def now() -> datetime:
    """A fixed 'now' for tests: Sunday 22 November 2026, 12:00 UTC."""
    return datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


SLACK_VARIABLES = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN",
                   "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")


@pytest.fixture(autouse=True)
def _no_slack_credentials_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bolt reads some SLACK_* variables by itself (OAuth mode); tests control them all."""
    for name in SLACK_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _no_live_markup_reaches_slack(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test checks everything the app sent to any Slack stand-in (Web API calls,
    response_url posts) and every answer it gave in an HTTP body (each `App.dispatch` in the
    tests, and `dealbot serve`'s answers to tests/e2e): no text Slack reads as mrkdwn may hold
    live markup that user text brought in (bot/slack_standin/markup.py). It watches as
    requests arrive, so clearing a stand-in's records does not hide them."""
    from slack_bolt import App, BoltRequest, BoltResponse

    from bot.slack_standin import no_live_markup, witness_answer

    dispatch = App.dispatch

    def dispatch_and_witness(app: App, request: BoltRequest) -> BoltResponse:
        response = dispatch(app, request)
        witness_answer(response.body, "dispatch")
        return response

    monkeypatch.setattr(App, "dispatch", dispatch_and_witness)
    with no_live_markup():
        yield


@pytest.fixture
def slack():
    from bot.slack_standin import FakeSlack

    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def clock(now: datetime):
    from tests.driver import Clock

    return Clock(now)


@pytest.fixture
def settings(db: Database, slack):
    from bot.config import Settings
    from tests.driver import SIGNING_SECRET

    return Settings(database_url=db.url, slack_api_url=slack.api_url,
                    slack_bot_token="xoxb-test-token", slack_signing_secret=SIGNING_SECRET,
                    admins=frozenset({"UADMIN"}))


@pytest.fixture
def request_clock():
    from tests.driver import RequestClock

    return RequestClock()


def _driver(db: Database, slack, clock, settings, request_clock, name: str = "r"):
    from bot.app import create_app
    from handlers.home_refresh import HomeRefresh
    from handlers.outbox import Outbox
    from handlers.slow_work import SlowWork
    from tests.driver import Driver

    slow_work, home_refresh = SlowWork(), HomeRefresh(background=False)
    app = create_app(settings, db, clock=clock, slow_work=slow_work, request_clock=request_clock,
                     home_refresh=home_refresh, outbox=Outbox(background=False))
    yield Driver(app, slack, slow_work, home_refresh, name=name)
    slow_work.shutdown()


@pytest.fixture
def driver(db: Database, slack, clock, settings, request_clock):
    """The real Bolt app on the test database, talking to the Slack stand-in."""
    yield from _driver(db, slack, clock, settings, request_clock)


@pytest.fixture
def other_driver(db: Database, slack, clock, settings, request_clock):
    """A second instance of the app (another process, in production) on the same database:
    it shares nothing with `driver` but the database and Slack."""
    yield from _driver(db, slack, clock, settings, request_clock, name="o")
