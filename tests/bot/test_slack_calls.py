"""Slack failing under a post: a post Slack acted on before the connection dropped is never
sent again (a card, a line, a digest appear once); what never left is sent again; a
response_url that hangs or refuses does not hold or fail the answer to a click."""

from __future__ import annotations

import socket
from http.client import RemoteDisconnected
from urllib.error import URLError

import pytest
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.state import RetryState

from bot.app import web_client
from bot.config import Settings
from bot.digests import run_due_digests
from bot.slack_calls import UnsentConnectionErrors
from bot.slack_standin import DROP, click
from handlers import ids
from tests.bot.test_digests import add, posts, utc
from tests.driver import SIGNING_SECRET


@pytest.fixture
def client(slack):
    return web_client(Settings(slack_api_url=slack.api_url, slack_bot_token="xoxb-test"))


def test_a_message_slack_took_before_the_connection_dropped_is_not_posted_again(client, slack):
    slack.drop("api", "chat.postMessage")
    with pytest.raises(RemoteDisconnected):
        client.chat_postMessage(channel="C1", text="Acme moved to Won")
    assert len(posts(slack)) == 1  # slack-sdk's own handler would have posted it twice


def test_a_read_whose_connection_dropped_is_asked_again(client, slack):
    client.chat_postMessage(channel="C1", text="hello")
    slack.drop("api", "conversations.history")
    history = client.conversations_history(channel="C1")
    assert [m["text"] for m in history["messages"]] == ["hello"]
    assert len(slack.calls("conversations.history")) == 2


def test_only_a_request_that_never_left_or_does_no_harm_twice_is_sent_again():
    handler = UnsentConnectionErrors(max_retry_count=1)

    def again(method, error):
        request = HttpRequest(method="POST", url=f"https://slack.com/api/{method}", headers={})
        return handler.can_retry(state=RetryState(), request=request, error=error)

    refused = URLError(ConnectionRefusedError())  # urllib: failed connecting or sending
    assert again("chat.postMessage", refused) and again("conversations.history", refused)
    for after_sending in (RemoteDisconnected("closed"), ConnectionResetError()):
        assert not again("chat.postMessage", after_sending)
        assert not again("chat.postEphemeral", after_sending)
        assert again("conversations.history", after_sending)
        assert again("views.publish", after_sending)
    assert not again("conversations.history", TimeoutError())


def test_a_digest_slack_took_before_the_connection_dropped_is_posted_once(db, slack, client):
    add(db)
    slack.drop("api", "chat.postMessage")
    clients = lambda team: client  # noqa: E731
    assert [s.outcome for s in run_due_digests(db, clients, utc(8, 0))] == ["connection_error"]
    assert [s.outcome for s in run_due_digests(db, clients, utc(8, 1))] == ["already_posted"]
    assert run_due_digests(db, clients, utc(8, 2)) == []
    assert len(posts(slack)) == 1


def test_a_card_redrawn_after_a_click_is_posted_once_when_the_connection_drops(driver, slack):
    card = driver.one("new Acme 50k")
    slack.failing = DROP
    redrawn = driver.click(card, ids.DEAL_ADVANCE)
    slack.failing = None
    assert len(redrawn) == 1 and "Qualification" in redrawn[0].text  # Bolt's would post twice


def _click(driver, card, response_url: str):
    request = click(signing_secret=SIGNING_SECRET, message_blocks=card.blocks,
                    action_id=ids.DEAL_ADVANCE, user_id="U1", response_url=response_url)
    return driver.app.dispatch(request.to_bolt())


def test_a_click_is_answered_while_its_response_url_hangs(driver, slack):
    card = driver.one("new Acme 50k")
    held = slack.hold("response", "hung")
    try:
        response = _click(driver, card, slack.response_url("hung"))
        assert response.status == 200
        assert held.arrived.is_set() and slack.responses("hung") == []  # still unanswered
    finally:
        held.release.set()
    assert "Qualification" in driver.one("show #1").text
    slack.wait_for(lambda: slack.responses("hung"))  # Slack got it in the end, once
    assert len(slack.responses("hung")) == 1


def test_a_click_is_answered_when_its_response_url_refuses_connections(driver, slack):
    card = driver.one("new Acme 50k")
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # bound, never listening: connections are refused
        assert _click(driver, card, f"http://127.0.0.1:{port}/response/x").status == 200
    assert "Qualification" in driver.one("show #1").text
