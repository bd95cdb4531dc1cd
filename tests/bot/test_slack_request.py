"""Every request Slack sends is read as Slack wrote it, whatever words it holds: the form
body of a slash command is its fields even when they contain "payload", `{`, `ssl_check`,
`token` or another field's name; the raw body still goes to the signature check."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

import pytest
from slack_bolt.request import BoltRequest

from bot.slack_request import SlackRequest, parse_slack_body, request_kind
from bot.slack_standin import event_callback, interactive, slash_command
from bot.web import wsgi_app
from tests.bot.test_wsgi import call
from tests.driver import SIGNING_SECRET

URL = "http://127.0.0.1:1/response/r1"
FORM = "application/x-www-form-urlencoded"

# Words and shapes that Slack's own request formats use, typed into a command or carried in
# the names Slack sends with it (user, channel).
TRICKY = [
    {"text": "note #3 the payload arrived"},
    {"text": "payload"},
    {"text": "payload={\"type\":\"view_submission\"}"},
    {"text": "{\"type\": \"url_verification\", \"challenge\": \"x\"}"},
    {"text": "{curly} start"},
    {"text": "ssl_check=1&token=abc"},
    {"text": "token"},
    {"text": "new Acme &command=/lead&text=x 5k"},
    {"text": "type=block_actions"},
    {"text": "a%20b + c"},
    {"text": "x", "user_name": "payload"},
    {"text": "x", "channel_name": "payloads"},
]


@pytest.mark.parametrize("fields", TRICKY)
def test_a_slash_command_is_its_fields_whatever_words_it_holds(fields):
    request = slash_command(signing_secret=SIGNING_SECRET, response_url=URL, **fields)
    parsed = SlackRequest(body=request.body, headers=request.headers)
    assert parsed.body == dict(parse_qsl(request.body, keep_blank_values=True))
    assert {key: parsed.body[key] for key in fields} == fields
    assert parsed.body["command"] == "/deal"
    assert (parsed.context.team_id, parsed.context.user_id) == ("T1", "U1")
    assert parsed.raw_body == request.body  # what the signature is checked against
    assert parsed.to_copyable().body == parsed.body


def test_bolt_alone_reads_a_command_mentioning_payload_as_an_empty_body():
    """Why SlackRequest exists: Bolt 1.x decides a form body is an interactivity payload if
    the substring "payload" occurs anywhere in it, then finds no `payload` field."""
    request = slash_command(signing_secret=SIGNING_SECRET, response_url=URL,
                            text="note #3 the payload arrived")
    assert BoltRequest(body=request.body, headers=request.headers).body == {}


def test_interactivity_payloads_and_events_are_read_as_their_json():
    action = {"type": "block_actions", "actions": [{"value": "payload=x&token=y"}]}
    clicked = interactive(action, signing_secret=SIGNING_SECRET)
    assert SlackRequest(body=clicked.body, headers=clicked.headers).body == action
    event = event_callback(signing_secret=SIGNING_SECRET, event={"type": "app_home_opened"})
    read = SlackRequest(body=event.body, headers=event.headers)
    assert read.body == json.loads(event.body) and read.context.team_id == "T1"


@pytest.mark.parametrize(("raw", "content_type"), [
    ("{not json", "application/json"),
    ("[1, 2]", "application/json"),
    ("payload=%7Bnot+json", FORM),
    ("payload=%5B%5D", FORM),
    ("{broken", None),
])
def test_a_body_that_cannot_be_read_is_empty_instead_of_an_exception(raw, content_type):
    assert parse_slack_body(raw, content_type) == {}


def test_ssl_check_is_read_as_fields():
    assert parse_slack_body("ssl_check=1&token=t", FORM) == {"ssl_check": "1", "token": "t"}


def test_over_http_a_command_mentioning_payload_reaches_its_listener(driver, db, slack):
    application = wsgi_app(driver.app, db)
    driver.one("new Acme 5k")
    request = slash_command(signing_secret=SIGNING_SECRET, text="note Acme the payload arrived",
                            channel_name="payloads", user_name="payload",
                            response_url=slack.response_url("w"))
    status, body = call(application, "POST", "/slack/events", request.body.encode(),
                        request.headers)
    assert status.startswith("200"), (status, body)
    assert "the payload arrived" in driver.one("history Acme").text


@pytest.mark.parametrize(("body", "content_type"), [
    (b"{not json", "application/json"),
    (b"payload=%7Bnot+json", FORM),
    ("text=caf\u00e9".encode("latin-1"), FORM),
])
def test_over_http_an_unreadable_or_unsigned_body_is_refused_without_a_traceback(
        driver, db, body, content_type):
    status, _ = call(wsgi_app(driver.app, db), "POST", "/slack/events", body,
                     {"Content-Type": content_type})
    assert status.startswith("401")


def test_through_the_app_a_command_mentioning_payload_is_answered(driver):
    driver.one("new Acme 5k")
    noted = driver.one("note Acme the payload arrived, with ssl_check=1 and token=x")
    assert "the payload arrived, with ssl_check=1 and token=x" in noted.text


@pytest.mark.parametrize(("body", "kind"), [
    ({"command": "/deal", "text": "new Acme"}, "/deal"),
    ({"command": "/anything-an-attacker-likes"}, "other"),
    ({"type": "block_actions"}, "block_actions"),
    ({"type": "event_callback", "event": {"type": "app_home_opened"}}, "event:app_home_opened"),
    ({"type": "event_callback", "event": {"type": "reaction_added"}}, "event"),
    ({"type": "event_callback", "event": "junk"}, "event"),
    ({"type": "url_verification", "challenge": "x"}, "url_verification"),
    ({"ssl_check": "1"}, "ssl_check"),
    ({"type": "made_up"}, "other"),
])
def test_the_kind_of_a_request_for_logs_and_metrics_is_one_of_a_fixed_few(body, kind):
    assert request_kind(body) == kind
