"""Installing into many workspaces by OAuth: install page, redirect, per-workspace tokens."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from urllib.parse import urlencode

import pytest

from bot.app import create_app
from bot.oauth import bot_token_for
from bot.slack_standin import slash_command
from bot.web import wsgi_app
from tests.driver import SIGNING_SECRET


def _get(application, path: str, query: dict[str, str] | None = None,
         cookie: str = "") -> tuple[str, dict[str, str], str]:
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": urlencode(query or {}),
               "SERVER_NAME": "localhost", "SERVER_PORT": "3000", "SERVER_PROTOCOL": "HTTP/1.1",
               "wsgi.input": io.BytesIO(b""), "wsgi.url_scheme": "http", "CONTENT_LENGTH": "0",
               "HTTP_COOKIE": cookie}
    captured: dict[str, object] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        captured["status"], captured["headers"] = status, headers

    body = b"".join(application(environ, start_response)).decode()
    headers: dict[str, str] = {}
    for key, value in captured["headers"]:
        headers[key.lower()] = headers.get(key.lower(), "") + value + ";"
    return captured["status"], headers, body


@pytest.fixture
def oauth_settings(settings):
    return replace(settings, slack_bot_token=None, slack_client_id="111.222",
                   slack_client_secret="client-secret")


def test_the_install_page_links_to_slacks_authorize_url_with_our_scopes(db, oauth_settings):
    application = wsgi_app(create_app(oauth_settings, db), db)
    status, _, body = _get(application, "/slack/install")
    assert status.startswith("200")
    assert "oauth/v2/authorize" in body and "client_id=111.222" in body
    assert "commands" in body and "chat%3Awrite" in body.replace(":", "%3A")


def test_an_install_stores_the_workspaces_token_and_its_commands_use_it(db, oauth_settings, slack):
    app = create_app(oauth_settings, db, process_before_response=True)
    application = wsgi_app(app, db)
    _, headers, body = _get(application, "/slack/install")
    state = re.search(r"state=([\w-]+)", body).group(1)
    cookie = re.search(r"(slack-app-oauth-state=[^;]+)", headers["set-cookie"]).group(1)
    slack.script("oauth.v2.access", {
        "ok": True, "app_id": "A1", "authed_user": {"id": "U9"}, "scope": "commands,chat:write",
        "token_type": "bot", "access_token": "xoxb-installed-t9", "bot_user_id": "UBOT",
        "team": {"id": "T9", "name": "Nine"}, "enterprise": None, "is_enterprise_install": False})

    status, _, _ = _get(application, "/slack/oauth_redirect", {"code": "c0de", "state": state},
                        cookie=cookie)

    assert status.startswith("200")
    assert bot_token_for(oauth_settings, db, "T9") == "xoxb-installed-t9"
    request = slash_command(signing_secret=SIGNING_SECRET, text="stages rename meeting Discovery",
                            team_id="T9", user_id="U9", response_url=slack.response_url("t9"))
    slack.users["U9"] = {"is_admin": True}
    answer = app.dispatch(request.to_bolt())  # the command's answer is its ack's body
    assert answer.status == 200
    assert slack.calls("users.info")[-1].headers["authorization"] == "Bearer xoxb-installed-t9"
    assert "Discovery" in answer.body


def test_a_workspace_that_never_installed_gets_no_token(db, oauth_settings):
    create_app(oauth_settings, db)  # creates the installation tables
    assert bot_token_for(oauth_settings, db, "T404") is None
