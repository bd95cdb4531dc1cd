"""The suite-wide check for live markup (the autouse fixture in tests/conftest.py): what it
flags, where it looks, that clearing the stand-in does not hide anything, and that it fails a
test that asserts nothing itself."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from bot.slack_standin import FakeSlack, live_markup, mrkdwn_texts, no_live_markup, watch

ROOT = Path(__file__).parents[3]


@pytest.mark.parametrize("text", [
    "<!channel> heist", "hi <!here>", "<!everyone>", "<!subteam^S1|@sales> look",
    "call <@U123|bob>", "<#C1|sales>", "<https://evil.example/x|click>", "<http://acme.io>",
    "<mailto:jane@acme.test|jane@acme.test>", "call <@UEVIL>", "<#CEVIL>", "a <b>x</b>",
    "cut off <!chan",
])
def test_markup_that_user_text_brings_in_is_flagged(text):
    assert live_markup(text)


@pytest.mark.parametrize("text", [
    "owner <@U0ANN>, channel <#C0SALES>, at <!date^1700000000^{date_short_pretty}|2023-11-14>",
    "&lt;!channel&gt; heist &amp; &lt;https://evil.example/x|click&gt;", "@channel @here",
    "*bold* _italic_ `#12` → 50%",
])
def test_the_apps_own_markup_and_escaped_text_pass(text):
    assert live_markup(text) == []


def test_every_text_slack_reads_as_mrkdwn_is_inspected_and_plain_text_is_not():
    body = {
        "text": "fallback",
        "attachments": [{"pretext": "pre", "fields": [{"value": "field"}]}],
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": "section"},
             "fields": [{"type": "mrkdwn", "text": "a field"}],
             "accessory": {"type": "button", "text": {"type": "plain_text", "text": "<!here>"}}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "context"}]},
            {"type": "header", "text": {"type": "plain_text", "text": "<!channel> header"}},
        ],
        "view": {"type": "home", "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": "home"}}]},
    }
    texts = [text for _, text in mrkdwn_texts(body)]
    assert texts == ["fallback", "pre", "field", "section", "a field", "context", "home"]


def post(fake: FakeSlack, method: str, body: dict) -> None:
    request = urllib.request.Request(f"{fake.api_url}{method}", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json",
                                              "Authorization": "Bearer xoxb-test"})
    urllib.request.urlopen(request, timeout=5).read()


def test_watchers_see_every_request_even_when_the_records_are_cleared():
    seen: list[str] = []
    stop = watch(lambda record: seen.append(f"{record.kind} {record.name}"))
    try:
        with FakeSlack() as fake:
            post(fake, "chat.postMessage", {"channel": "C1", "text": "hello"})
            fake.clear()
            post(fake, "views.publish", {"user_id": "U1", "view": {"type": "home"}})
    finally:
        stop()
    assert seen == ["api chat.postMessage", "api views.publish"]


def test_escaped_text_and_plain_text_pass_the_check():
    with no_live_markup() as found, FakeSlack() as fake:
        post(fake, "chat.postMessage", {"channel": "C1", "text": "&lt;!channel&gt; <@U1>",
                                        "blocks": [{"type": "header", "text": {
                                            "type": "plain_text", "text": "<!channel>"}}]})
    assert found == []


LEAKING_TEST = """
import json, urllib.request
from bot.slack_standin import FakeSlack

def test_leaks():
    with FakeSlack() as fake:
        request = urllib.request.Request(
            f"{fake.api_url}chat.postMessage", headers={
                "Content-Type": "application/json", "Authorization": "Bearer x"},
            data=json.dumps({"channel": "C1", "text": "<!channel> heist"}).encode())
        urllib.request.urlopen(request, timeout=5).read()
        fake.clear()
"""


LEAKING_ACK_TEST = """
from slack_bolt import App
from slack_sdk import WebClient
from bot.slack_standin import FakeSlack, slash_command

def test_leaks_in_the_ack():
    with FakeSlack() as fake:
        app = App(signing_secret="s", client=WebClient(token="xoxb-x", base_url=fake.api_url))
        app.command("/x")(lambda ack: ack(text="hi <@U1|bob>"))
        request = slash_command(signing_secret="s", text="", command="/x",
                                response_url=fake.response_url())
        assert app.dispatch(request.to_bolt()).status == 200
"""


def test_a_test_whose_app_output_holds_live_markup_fails_although_it_asserts_nothing(tmp_path):
    (tmp_path / "test_leaking.py").write_text(LEAKING_TEST)
    (tmp_path / "test_leaking_ack.py").write_text(LEAKING_ACK_TEST)
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "tests.conftest",
                          "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(tmp_path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "2 passed, 2 errors" in run.stdout, run.stdout
    assert "api chat.postMessage text: <!channel>" in run.stdout
    assert "ack dispatch text: <@U1|bob>" in run.stdout
