"""Backups restore to the same reports: a PostgreSQL `pg_dump` restored with `pg_restore` into
an empty database, and a SQLite file copied with SQLite's online backup (what the `sqlite3`
shell's `.backup` does), each compared report by report with the original."""

from __future__ import annotations

import io
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import make_url

from bot.demo import team as demo
from storage.db import Database
from tests.bot.imports.test_exporter import reports
from tests.conftest import postgres_database

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def libpq(url: str) -> str:
    """The URL PostgreSQL's own tools read: without SQLAlchemy's `+psycopg`."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def test_a_pg_dump_restored_into_an_empty_database_gives_the_same_reports(tmp_path):
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump and pg_restore are not installed here")
    originals, copies = postgres_database(), postgres_database()
    try:
        original = Database(next(originals))
        original.upgrade()
        assert demo.fill(original, seed=3, now=NOW, force=False, out=io.StringIO())
        dump = tmp_path / "dealbot.dump"
        subprocess.run(["pg_dump", "--format=custom", "--file", str(dump),
                        "--dbname", libpq(original.url)], check=True, timeout=120)
        restored = Database(next(copies))  # empty: no schema at all
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error",
                        "--dbname", libpq(restored.url), str(dump)], check=True, timeout=120)
        current, head = restored.schema_state()
        assert current == head
        expected = reports(original, demo.TEAM, NOW)
        assert expected[0]["totals"]["count"] > 20
        assert reports(restored, demo.TEAM, NOW) == expected
        original.dispose()
        restored.dispose()
    finally:
        originals.close()
        copies.close()


def test_a_sqlite_online_backup_gives_the_same_reports(tmp_path):
    original = Database(f"sqlite:///{tmp_path / 'dealbot.db'}")
    original.upgrade()
    assert demo.fill(original, seed=3, now=NOW, force=False, out=io.StringIO())
    source = sqlite3.connect(tmp_path / "dealbot.db")
    target = sqlite3.connect(tmp_path / "backup.db")
    with target:
        source.backup(target)  # what `sqlite3 dealbot.db ".backup backup.db"` does
    source.close()
    target.close()
    restored = Database(f"sqlite:///{tmp_path / 'backup.db'}")
    assert reports(restored, demo.TEAM, NOW) == reports(original, demo.TEAM, NOW)
    original.dispose()
    restored.dispose()
