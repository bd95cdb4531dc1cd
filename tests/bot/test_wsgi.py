"""`bot.wsgi:application`, the entry point gunicorn and uWSGI import: built from the
environment on first use, serving Slack's requests and /healthz like `dealbot serve`."""

from __future__ import annotations

import importlib
import json
import sys
from io import BytesIO

from bot.slack_standin import slash_command, text_of
from tests.driver import SIGNING_SECRET


def call(application, method: str, path: str, body: bytes = b"",
         headers: dict[str, str] | None = None) -> tuple[str, bytes]:
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "",
               "CONTENT_LENGTH": str(len(body)), "wsgi.input": BytesIO(body),
               "SERVER_NAME": "localhost", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
               "wsgi.url_scheme": "http"}
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        environ[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
    answered: list[str] = []
    chunks = application(environ, lambda status, _headers: answered.append(status))
    return answered[0], b"".join(chunks)


def test_the_wsgi_application_is_built_from_the_environment_on_first_use(
        monkeypatch, tmp_path, slack):
    monkeypatch.chdir(tmp_path)
    for name, value in {"DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}",
                        "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_BOT_TOKEN": "xoxb-w",
                        "SLACK_API_URL": slack.api_url}.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("bot.wsgi", None)
    wsgi = importlib.import_module("bot.wsgi")
    assert wsgi._built == []  # importing builds nothing
    application = wsgi.application
    assert wsgi.application is application
    assert call(application, "GET", "/healthz")[0].startswith("200")
    request = slash_command(signing_secret=SIGNING_SECRET, text="new Acme 50k",
                            response_url=slack.response_url("w"))
    status, body = call(application, "POST", "/slack/events", request.body.encode(),
                        request.headers)
    assert status.startswith("200"), (status, body)
    card = json.loads(body)
    assert status.startswith("200") and card["response_type"] == "in_channel"
    assert "#1 Acme" in text_of(card["blocks"])
    sys.modules.pop("bot.wsgi", None)
