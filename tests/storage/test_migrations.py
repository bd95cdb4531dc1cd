"""Alembic migrations: up, down, up again, and nothing the models have that they lack."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from storage.db import Database
from storage.models import Base
from tests.conftest import postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path):
    """A database of its own, so going down to base disturbs no other test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
    else:
        yield from postgres_database()


def test_migrations_go_down_to_base_and_up_again_and_match_the_models(empty_database_url):
    db = Database(empty_database_url)
    try:
        db.upgrade()
        db.downgrade("base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                    Base.metadata)
        assert diff == []
        current, head = db.schema_state()
        assert current == head
    finally:
        db.dispose()
