"""FakeSlack against the real slack-sdk clients: recording, answers, scripts and retries."""

from __future__ import annotations

import json

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.webhook import WebhookClient

from bot.slack_standin import FakeSlack
from tests.bot.slack_standin.samples import card, modal, web_client


def test_a_post_message_is_recorded_with_its_token_and_decoded_blocks(fake):
    answer = web_client(fake).chat_postMessage(channel="C1", text="fallback", blocks=card())
    [call] = fake.calls("chat.postMessage")
    assert call.token == "xoxb-test" and call.headers["authorization"] == "Bearer xoxb-test"
    assert call.body["channel"] == "C1" and call.body["blocks"] == card()
    assert answer["ts"] == "1700000000.000100" and answer["message"]["blocks"] == card()
    assert fake.calls("chat.update") == []


def test_form_and_get_calls_are_flattened_and_json_strings_decoded(fake):
    client = web_client(fake)
    client.api_call("chat.update", data={"channel": "C1", "ts": "1.2",
                                         "blocks": json.dumps(card())})
    info = client.users_info(user="U7")
    assert fake.calls("chat.update")[0].body == {"channel": "C1", "ts": "1.2", "blocks": card()}
    assert fake.calls("users.info")[0].body == {"user": "U7"}
    assert info["user"]["tz"] == "Europe/Oslo" and info["user"]["is_admin"] is False


def test_user_overrides_and_scripted_answers_come_before_the_defaults(fake):
    fake.users["U5"] = {"is_admin": True, "tz": "America/New_York", "tz_offset": -18000}
    fake.script("conversations.join", {"ok": False, "error": "is_archived"})
    client = web_client(fake)
    assert client.users_info(user="U5")["user"]["tz_offset"] == -18000
    assert client.users_info(user="U6")["user"]["is_admin"] is False
    with pytest.raises(SlackApiError, match="is_archived"):
        client.conversations_join(channel="G1")
    assert client.conversations_join(channel="C1")["ok"] is True


def test_an_api_call_without_a_token_is_refused_and_recorded(fake):
    with pytest.raises(SlackApiError, match="not_authed"):
        WebClient(base_url=fake.api_url).auth_test()
    assert fake.calls("auth.test")[0].token is None


def test_a_429_with_retry_after_is_retried_by_the_rate_limit_handler(fake):
    fake.script("chat.postMessage",
                FakeSlack.http(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"}))
    client = web_client(fake, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)])
    assert client.chat_postMessage(channel="C1", text="hi")["ok"] is True
    assert len(fake.calls("chat.postMessage")) == 2


def test_a_500_fails_the_call_unless_a_server_error_handler_retries_it(fake):
    fake.script("chat.update", FakeSlack.http(500), FakeSlack.http(503))
    with pytest.raises(SlackApiError) as failure:
        web_client(fake).chat_update(channel="C1", ts="1.2", text="x")
    assert failure.value.response.status_code == 500
    retrying = web_client(fake, retry_handlers=[ServerErrorRetryHandler(max_retry_count=1)])
    assert retrying.chat_update(channel="C1", ts="1.2", text="x")["ts"] == "1.2"
    assert len(fake.calls("chat.update")) == 3


def test_a_webhook_to_a_response_url_is_recorded_as_a_response_without_a_token(fake):
    status = WebhookClient(fake.response_url("r")).send(text="hi").status_code
    assert status == 200
    assert fake.last_response().body == {"text": "hi"} and fake.last_response().token is None
    assert fake.responses("r") == [fake.last_response()] and fake.calls() == []


def test_a_scripted_response_url_failure_reaches_the_sender(fake):
    fake.script_response("old", FakeSlack.http(404, {"ok": False, "error": "expired_url"}))
    assert WebhookClient(fake.response_url("old")).send(text="late").status_code == 404
    assert WebhookClient(fake.response_url("old")).send(text="again").status_code == 200


def test_files_upload_v2_succeeds_and_the_content_is_recorded(fake):
    answer = web_client(fake).files_upload_v2(channel="C1", filename="deals.csv",
                                           content="id,name\n1,Acme\n", title="Deals")
    assert answer["file"]["id"] == answer["files"][0]["id"]
    [upload] = fake.uploads()
    assert upload.body["filename"] == "deals.csv" and upload.body["content"] == b"id,name\n1,Acme\n"
    assert fake.calls("files.completeUploadExternal")[0].body["channel_id"] == "C1"


def test_an_image_alt_text_over_slacks_limit_is_refused_as_slack_refuses_it(fake):
    client = web_client(fake)
    client.files_upload_v2(channel="C1", filename="f.png", content=b"png", alt_txt="a" * 1000)
    with pytest.raises(SlackApiError) as refused:
        client.files_upload_v2(channel="C1", filename="f.png", content=b"png",
                               alt_txt="a" * 1001)
    assert refused.value.response["error"] == "alt_txt_too_large"
    assert len(fake.uploads()) == 1


def test_views_are_answered_with_an_id_and_wait_for_returns_the_match(fake):
    opened = web_client(fake).views_open(trigger_id="t", view=modal())
    assert opened["view"]["id"] == "V1" and opened["view"]["callback_id"] == "deal.convert"
    assert fake.wait_for(lambda: fake.calls("views.open"))[0].body["view"] == modal()
    fake.clear()
    with pytest.raises(AssertionError, match="did not arrive"):
        fake.wait_for(lambda: fake.calls("views.open"), timeout=0.1)




def test_a_workspace_of_its_own_answers_its_people_and_records_every_answer():
    people = {"U0ANN": {"name": "ann", "is_admin": True, "tz": "UTC", "tz_offset": 0}}
    with FakeSlack(team_id="T0LOCAL", person=lambda uid: people.get(uid, {})) as fake:
        slack = web_client(fake)
        assert slack.auth_test()["team_id"] == "T0LOCAL"
        mark = len(fake.received())
        ann = slack.users_info(user="U0ANN")["user"]
        posted = slack.chat_postMessage(channel="C1", text="hi")
        assert (ann["name"], ann["is_admin"], ann["team_id"]) == ("ann", True, "T0LOCAL")
        assert slack.users_info(user="U0BOB")["user"]["is_admin"] is False
        since = fake.received(mark)
        assert [r.name for r in since] == ["users.info", "chat.postMessage", "users.info"]
        assert since[1].answer is not None and since[1].answer["ts"] == posted["ts"]
