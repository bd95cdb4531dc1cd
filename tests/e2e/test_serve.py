"""`dealbot serve` as a deployment runs it: a real process, real HTTP, signed requests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.slack_standin import slash_command, text_of
from storage.db import Database
from tests.driver import SIGNING_SECRET
from tests.e2e.serving import BOT_TOKEN, Server, get_status


@pytest.fixture
def server(db, slack, tmp_path) -> Iterator[Server]:
    running = Server({"DATABASE_URL": db.url, "SLACK_API_URL": slack.api_url}, tmp_path)
    yield running
    output = running.stop()
    assert BOT_TOKEN not in output and SIGNING_SECRET not in output


def test_a_signed_deal_command_over_http_posts_the_card_then_moves_and_shows_it(server, slack):
    card = server.ask(slack, "new Acme 50k", "new")
    assert card["response_type"] == "in_channel" and "#1 Acme" in text_of(card["blocks"])
    assert "Proposal" in text_of(server.ask(slack, "move Acme proposal", "move")["blocks"])
    shown = text_of(server.ask(slack, "show #1", "show")["blocks"])
    assert "Proposal" in shown and "$50,000" in shown


def test_serve_with_worker_processes_answers_commands_and_reports_and_schedules_once(
        db, slack, tmp_path):
    running = Server({"DATABASE_URL": db.url, "SLACK_API_URL": slack.api_url}, tmp_path,
                     "--workers", "2", "--threads", "4")
    try:
        for n in range(4):  # spread over both workers
            card = running.ask(slack, f"new Acme {n} 50k", f"new{n}")
            assert card["response_type"] == "in_channel" and f"#{n + 1} Acme" in str(card)
        report = running.ask(slack, "", "report", command="/pipeline")
        assert report["response_type"] == "ephemeral" and "$200,000" in text_of(report["blocks"])
    finally:
        output = running.stop()
    assert output.count("digest scheduler started") == 1, output
    assert output.count("Booting worker") == 2, output


def test_a_forged_signature_is_refused_with_401(server, slack):
    request = slash_command(signing_secret="not-the-secret", text="new Acme 50k",
                            response_url=slack.response_url("forged"))
    status, _ = request.post(server.base + "/slack/events")
    assert status == 401
    time.sleep(0.3)
    assert slack.responses("forged") == []


def test_a_request_older_than_five_minutes_is_refused_with_401(server, slack):
    request = slash_command(signing_secret=SIGNING_SECRET, text="new Acme 50k",
                            response_url=slack.response_url("old"),
                            timestamp=int(time.time()) - 301)
    assert request.post(server.base + "/slack/events")[0] == 401


def test_healthz_answers_200_with_the_database_up(server):
    assert get_status(server.base + "/healthz") == 200


def test_a_fresh_sqlite_file_is_created_and_migrated_on_first_start(slack, tmp_path):
    running = Server({"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}",
                      "SLACK_API_URL": slack.api_url}, tmp_path)
    try:
        assert "#1 Acme" in text_of(running.ask(slack, "new Acme 50k", "fresh")["blocks"])
    finally:
        running.stop()


def test_with_the_database_down_healthz_says_503_users_hear_nothing_changed_and_it_recovers(
        slack, tmp_path):
    from sqlalchemy import create_engine, text

    from tests.conftest import POSTGRES_ADMIN_URL, postgres_database

    databases = postgres_database()
    url = next(databases)
    Database(url).upgrade()
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = url.rsplit("/", 1)[1]
    running = Server({"DATABASE_URL": url, "SLACK_API_URL": slack.api_url}, tmp_path)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false'))
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              f"WHERE datname = '{name}'"))
        assert get_status(running.base + "/healthz") == 503
        refused = running.ask(slack, "new Acme 50k", "down")
        assert refused["response_type"] == "ephemeral"
        assert "nothing was changed" in text_of(refused["blocks"])
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true'))
        assert get_status(running.base + "/healthz") == 200
        assert "#1 Acme" in text_of(running.ask(slack, "new Acme 50k", "back")["blocks"])
    finally:
        running.stop()
        admin.dispose()
        databases.close()


def test_serve_on_an_outdated_schema_stops_and_names_the_command(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'old.db'}",
           "SLACK_SIGNING_SECRET": "x", "SLACK_BOT_TOKEN": "xoxb-1"}
    subprocess.run([sys.executable, "-m", "bot.cli", "db", "upgrade"], env=env, check=True,
                   cwd=tmp_path, capture_output=True)
    import sqlite3
    with sqlite3.connect(tmp_path / "old.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0000'")
    result = subprocess.run([sys.executable, "-m", "bot.cli", "serve"], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "dealbot db upgrade" in result.stderr


def test_serve_without_a_signing_secret_stops_with_one_line_naming_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    result = subprocess.run([sys.executable, "-m", "bot.cli", "serve"], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "SLACK_SIGNING_SECRET" in result.stderr


def test_socket_mode_without_an_app_token_stops_with_one_line_naming_it(tmp_path):
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SLACK_")},
           "SLACK_BOT_TOKEN": BOT_TOKEN, "DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}"}
    result = subprocess.run([sys.executable, "-m", "bot.cli", "serve", "--socket"], env=env,
                            cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "SLACK_APP_TOKEN" in result.stderr
    assert BOT_TOKEN not in result.stderr


def test_the_manifest_command_prints_the_manifest_for_a_url(tmp_path):
    result = subprocess.run([sys.executable, "-m", "bot.cli", "manifest", "--url",
                             "https://deals.example.org"], capture_output=True, text=True,
                            cwd=tmp_path, check=True)
    manifest = json.loads(result.stdout)
    commands = {c["command"]: c for c in manifest["features"]["slash_commands"]}
    assert set(commands) == {"/deal", "/lead", "/pipeline", "/funnel"}
    assert all(c["should_escape"] and c["url"] == "https://deals.example.org/slack/events"
               for c in commands.values())
    interactivity = manifest["settings"]["interactivity"]
    assert interactivity["request_url"] == "https://deals.example.org/slack/events"
    # the type-ahead pickers load their options from the same URL
    assert interactivity["message_menu_options_url"] == interactivity["request_url"]
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == [
        "app_home_opened", "app_uninstalled", "tokens_revoked"]
    shortcuts = {s["callback_id"]: (s["type"], s["name"])
                 for s in manifest["features"]["shortcuts"]}
    assert shortcuts == {"add_to_deal": ("message", "Add to deal"),
                         "add_to_lead": ("message", "Add to lead"),
                         "new_deal": ("global", "New deal"), "new_lead": ("global", "New lead")}


def test_the_committed_manifest_is_the_one_the_command_prints():
    from bot.manifest import manifest_json

    assert (Path(__file__).parents[2] / "manifest.json").read_text() == manifest_json()
