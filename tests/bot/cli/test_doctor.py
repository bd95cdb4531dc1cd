"""`dealbot doctor`: one line per check, naming what is wrong and what to do; exit status 1
when anything failed."""

from __future__ import annotations

import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

from bot.cli.main import main
from bot.web import wsgi_app
from storage.db import Database
from tests.driver import SIGNING_SECRET


@pytest.fixture
def env(db, slack, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env
    for name in ("SLACK_APP_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", db.url)
    monkeypatch.setenv("SLACK_API_URL", slack.api_url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-doctor")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    return monkeypatch


def doctor(capsys, *args: str) -> tuple[int, dict[str, str]]:
    status = main(["doctor", *args])
    lines = capsys.readouterr().out.splitlines()
    checks = {}
    for line in lines[:-1]:
        outcome, _, rest = line.partition(" ")
        name, _, detail = rest.strip().partition(": ")
        checks[name] = f"{outcome} {detail}"
    checks["summary"] = lines[-1]
    return status, checks


def test_a_working_set_up_passes_every_check(env, capsys, slack):
    status, checks = doctor(capsys)
    assert status == 0
    assert checks["configuration"] == ("ok one workspace's bot token, LOG_LEVEL INFO, "
                                       "LOG_FORMAT text")
    assert checks["database"].startswith("ok ") and "schema at" in checks["database"]
    assert checks["signing secret"] == "ok set"
    assert checks["bot token"] == "ok the bot of Test (T1)"
    assert checks["scopes"] == "ok every scope of the manifest is granted"
    assert checks["app token"].startswith("skipped SLACK_APP_TOKEN is not set")
    assert checks["summary"] == "Everything checked is fine."
    assert slack.calls("auth.test")[-1].token == "xoxb-doctor"


def test_a_wrong_bot_token_is_named_with_what_to_do(env, capsys, slack):
    slack.script("auth.test", {"ok": False, "error": "invalid_auth"})
    status, checks = doctor(capsys)
    assert status == 1
    assert checks["bot token"].startswith("FAILED Slack refused SLACK_BOT_TOKEN (invalid_auth)")
    assert "reinstall the app" in checks["bot token"]
    assert checks["scopes"] == "skipped needs a working bot token"
    assert checks["summary"] == "1 problem(s) found."


def test_a_missing_scope_is_named(env, capsys, slack):
    slack.granted_scopes = [s for s in slack.granted_scopes if s != "files:write"]
    status, checks = doctor(capsys)
    assert status == 1
    assert checks["scopes"].startswith("FAILED the token lacks files:write")


def test_slack_out_of_reach_and_a_missing_secret_are_each_a_line(env, capsys):
    from tests.e2e.serving import free_port

    env.setenv("SLACK_API_URL", f"http://127.0.0.1:{free_port()}/api/")
    env.delenv("SLACK_SIGNING_SECRET")
    status, checks = doctor(capsys)
    assert status == 1
    assert checks["bot token"].startswith("FAILED could not ask Slack")
    assert checks["signing secret"].startswith("FAILED SLACK_SIGNING_SECRET is not set")
    assert checks["configuration"].startswith("FAILED SLACK_SIGNING_SECRET is not set")


def test_an_outdated_database_says_to_upgrade(env, capsys, tmp_path):
    env.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    status, checks = doctor(capsys)
    assert status == 1
    assert "the schema is empty" in checks["database"]
    assert checks["database"].endswith("run `dealbot db upgrade`")


def test_an_app_token_is_checked_when_set(env, capsys, slack):
    env.setenv("SLACK_APP_TOKEN", "xapp-doctor")
    slack.script("apps.connections.open", {"ok": False, "error": "invalid_auth"})
    status, checks = doctor(capsys)
    assert checks["app token"].startswith("FAILED Slack refused SLACK_APP_TOKEN (invalid_auth)")


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_server(driver, db: Database):
    server = make_server("127.0.0.1", 0, wsgi_app(driver.app, db), handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_the_request_url_answers_slacks_url_verification(env, capsys, local_server):
    status, checks = doctor(capsys, "--url", local_server)
    assert status == 0
    assert checks["request URL"] == (f"ok {local_server}/slack/events answers Slack's URL "
                                     "verification")


def test_a_request_url_with_another_signing_secret_is_named(env, capsys, local_server):
    env.setenv("SLACK_SIGNING_SECRET", "another-secret")
    status, checks = doctor(capsys, "--url", local_server)
    assert status == 1
    assert "refused the signature" in checks["request URL"]


def test_a_request_url_that_is_not_https_is_refused_in_one_line(env, capsys):
    assert main(["doctor", "--url", "http://dealbot.example.com"]) == 2
    assert "is not an https:// URL" in capsys.readouterr().err
