"""A team the app has never seen: its first reads answer with the defaults and write
nothing; its first change creates its workspace."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event, func, select

from storage.models import Workspace

WRITES = ("INSERT", "UPDATE", "DELETE")
# A command's delivery key, written so that a replay of the same signed request applies once
# (and old keys pruned now and then).
DELIVERY_KEYS = "PROCESSED_DELIVERIES"


@contextmanager
def statements() -> Iterator[list[str]]:
    """Every SQL statement any engine sends while the block runs."""
    sent: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        sent.append(statement.lstrip().upper())

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def workspaces(db) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(Workspace)) or 0


def test_deal_list_and_pipeline_for_a_new_team_answer_and_write_nothing(driver, db):
    with statements() as sent:
        listed = driver.one("list", team="TNEW")
        by_stage = driver.one("list proposal", team="TNEW")
        pipeline = driver.one("", command="/pipeline", team="TNEW")
    assert listed.ephemeral and "No deals match" in listed.text
    assert "No deals match" in by_stage.text
    assert pipeline.ephemeral and "Pipeline — Sales" in pipeline.text and "$0" in pipeline.text
    for stage in ("Prospecting", "Qualification", "Meeting", "Proposal", "Negotiation"):
        assert stage in pipeline.text
    assert any(s.startswith("SELECT") for s in sent)  # the answers came from the database
    assert [s for s in sent if s.startswith(WRITES) and DELIVERY_KEYS not in s] == []
    assert workspaces(db) == 0


def test_every_read_of_a_new_team_shows_what_a_new_workspace_holds(driver, db):
    reads = [("list", "/deal"), ("stages", "/deal"), ("settings", "/deal"), ("", "/pipeline"),
             ("", "/funnel"), ("", "/lead")]
    with statements() as sent:
        unseen = [driver.one(text, command=command, team="TNEW").blocks
                  for text, command in reads]
    assert [s for s in sent if s.startswith(WRITES) and DELIVERY_KEYS not in s] == []
    home = driver.open_home(team="TNEW")  # writes only the event's delivery id (retries)
    assert workspaces(db) == 0
    driver.one("settings channel off", team="TOLD", user="UADMIN")  # creates TOLD's workspace
    assert workspaces(db) == 1
    assert [driver.one(text, command=command, team="TOLD").blocks
            for text, command in reads] == unseen
    assert driver.open_home(team="TOLD") == home


def test_the_first_change_of_a_new_team_creates_its_workspace(driver, db):
    driver.one("list", team="TNEW")
    created = driver.one("new Acme 50k", team="TNEW")
    assert "#1 Acme" in created.text and "Prospecting" in created.text
    assert workspaces(db) == 1
