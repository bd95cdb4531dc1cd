"""Installing into many workspaces by OAuth: install page, redirect, per-workspace tokens."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from urllib.parse import urlencode

import pytest

from bot.app import create_app
from bot.oauth import bot_token_for
from bot.slack_standin import event_callback, slash_command
from bot.web import wsgi_app
from storage.digests.subscriptions import active_subscriptions, subscribe
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


def _install(application, slack, *, token: str, team: str | None = "T9",
             enterprise: str | None = None, org_wide: bool = False) -> str:
    """Installs the app as Slack's OAuth flow does; returns the redirect's status."""
    _, headers, body = _get(application, "/slack/install")
    state = re.search(r"state=([\w-]+)", body).group(1)
    cookie = re.search(r"(slack-app-oauth-state=[^;]+)", headers["set-cookie"]).group(1)
    slack.script("oauth.v2.access", {
        "ok": True, "app_id": "A1", "authed_user": {"id": "U9"}, "scope": "commands,chat:write",
        "token_type": "bot", "access_token": token, "bot_user_id": "UBOT",
        "team": {"id": team, "name": "Nine"} if team else None,
        "enterprise": {"id": enterprise, "name": "Org"} if enterprise else None,
        "is_enterprise_install": org_wide})
    status, _, _ = _get(application, "/slack/oauth_redirect", {"code": "c0de", "state": state},
                        cookie=cookie)
    return status


def test_an_install_stores_the_workspaces_token_and_its_commands_use_it(db, oauth_settings, slack):
    app = create_app(oauth_settings, db, process_before_response=True)
    application = wsgi_app(app, db)

    status = _install(application, slack, token="xoxb-installed-t9")

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


def _event(app, event: dict, *, team: str | None, enterprise: str | None = None,
           event_id: str = "Ev1") -> None:
    request = event_callback(signing_secret=SIGNING_SECRET, team_id=team or "", event=event,
                             enterprise_id=enterprise, event_id=event_id,
                             org_wide=enterprise is not None)
    assert app.dispatch(request.to_bolt()).status == 200


def test_a_grid_workspaces_token_is_found_by_enterprise_and_team(db, oauth_settings, slack):
    app = create_app(oauth_settings, db)
    _install(wsgi_app(app, db), slack, token="xoxb-grid-t9", team="T9", enterprise="E1")
    assert bot_token_for(oauth_settings, db, "T9") == "xoxb-grid-t9"


def test_an_organisation_wide_install_serves_the_workspaces_its_requests_name(
        db, oauth_settings, slack):
    app = create_app(oauth_settings, db)
    _install(wsgi_app(app, db), slack, token="xoxb-org", team=None, enterprise="E1",
             org_wide=True)
    assert bot_token_for(oauth_settings, db, "T5") is None  # no request named its org yet
    _event(app, {"type": "app_home_opened", "user": "U1", "channel": "DU1", "tab": "messages"},
           team="T5", enterprise="E1")
    assert bot_token_for(oauth_settings, db, "T5") == "xoxb-org"


def test_uninstalling_deletes_the_tokens_pauses_the_digests_and_reinstalling_resumes_them(
        db, oauth_settings, slack, now):
    app = create_app(oauth_settings, db)
    application = wsgi_app(app, db)
    _install(application, slack, token="xoxb-first")
    with db.transaction() as s:
        subscribe(s, team="T9", channel="C1", kind="pipeline", days=("mon",), at_time="09:00",
                  timezone="UTC", actor="U9", now=now)

    _event(app, {"type": "app_uninstalled"}, team="T9")

    assert bot_token_for(oauth_settings, db, "T9") is None
    with db.transaction() as s:
        assert active_subscriptions(s) == []
    _install(application, slack, token="xoxb-again")
    assert bot_token_for(oauth_settings, db, "T9") == "xoxb-again"
    with db.transaction() as s:
        assert [sub.team for sub in active_subscriptions(s)] == ["T9"]
