"""The Slack test kit against the real slack-sdk and slack-bolt."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import parse_qs

import pytest
from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from tests.slackkit import (
    FakeSlack,
    SignedRequest,
    click,
    event_callback,
    slash_command,
    submit_view,
    text_of,
    validate_blocks,
    validate_view,
)

SECRET = "kit-signing-secret"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        yield slack


def _client(fake: FakeSlack, retry_handlers: list[RetryHandler] | None = None) -> WebClient:
    return WebClient(base_url=fake.api_url, token="xoxb-test", retry_handlers=retry_handlers)


def _verifies(request: SignedRequest) -> bool:
    return SignatureVerifier(SECRET).is_valid_request(request.body, request.headers)


def _payload(request: SignedRequest) -> dict:
    return json.loads(parse_qs(request.body)["payload"][0])


def card(action_prefix: str = "deal") -> list[dict]:
    """A deal card like the app's: header, fields, a button and a stage select."""
    options = [{"text": {"type": "plain_text", "text": name.title()}, "value": name}
               for name in ("lead", "proposal", "won")]
    return [
        {"type": "header", "text": {"type": "plain_text", "text": "#1 Acme"}},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "*Value*\n$50,000"},
                                       {"type": "mrkdwn", "text": "*Stage*\nLead"}]},
        {"type": "actions", "block_id": "deal.actions", "elements": [
            {"type": "button", "action_id": f"{action_prefix}.advance", "value": "1",
             "text": {"type": "plain_text", "text": "Advance"}},
            {"type": "static_select", "action_id": f"{action_prefix}.pick_stage",
             "placeholder": {"type": "plain_text", "text": "Move to"}, "options": options}]},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Owner <@U1>"}]},
    ]


def modal() -> dict:
    return {"type": "modal", "callback_id": "deal.convert", "private_metadata": "7",
            "title": {"type": "plain_text", "text": "Convert lead"},
            "submit": {"type": "plain_text", "text": "Convert"},
            "blocks": [
                {"type": "input", "block_id": "value",
                 "label": {"type": "plain_text", "text": "Value"},
                 "element": {"type": "plain_text_input", "action_id": "value.input"}},
                {"type": "input", "block_id": "stage",
                 "label": {"type": "plain_text", "text": "Stage"},
                 "element": {"type": "static_select", "action_id": "stage.select",
                             "options": card()[2]["elements"][1]["options"]}},
                {"type": "input", "block_id": "note", "optional": True,
                 "label": {"type": "plain_text", "text": "Note"},
                 "element": {"type": "plain_text_input", "action_id": "note.input"}}]}


# --------------------------------------------------------------------------- FakeSlack


def test_a_post_message_is_recorded_with_its_token_and_decoded_blocks(fake):
    answer = _client(fake).chat_postMessage(channel="C1", text="fallback", blocks=card())
    [call] = fake.calls("chat.postMessage")
    assert call.token == "xoxb-test" and call.headers["authorization"] == "Bearer xoxb-test"
    assert call.body["channel"] == "C1" and call.body["blocks"] == card()
    assert answer["ts"] == "1700000000.000100" and answer["message"]["blocks"] == card()
    assert fake.calls("chat.update") == []


def test_form_and_get_calls_are_flattened_and_json_strings_decoded(fake):
    client = _client(fake)
    client.api_call("chat.update", data={"channel": "C1", "ts": "1.2",
                                         "blocks": json.dumps(card())})
    info = client.users_info(user="U7")
    assert fake.calls("chat.update")[0].body == {"channel": "C1", "ts": "1.2", "blocks": card()}
    assert fake.calls("users.info")[0].body == {"user": "U7"}
    assert info["user"]["tz"] == "Europe/Oslo" and info["user"]["is_admin"] is False


def test_user_overrides_and_scripted_answers_come_before_the_defaults(fake):
    fake.users["U5"] = {"is_admin": True, "tz": "America/New_York", "tz_offset": -18000}
    fake.script("conversations.join", {"ok": False, "error": "is_archived"})
    client = _client(fake)
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
    client = _client(fake, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)])
    assert client.chat_postMessage(channel="C1", text="hi")["ok"] is True
    assert len(fake.calls("chat.postMessage")) == 2


def test_a_500_fails_the_call_unless_a_server_error_handler_retries_it(fake):
    fake.script("chat.update", FakeSlack.http(500), FakeSlack.http(503))
    with pytest.raises(SlackApiError) as failure:
        _client(fake).chat_update(channel="C1", ts="1.2", text="x")
    assert failure.value.response.status_code == 500
    retrying = _client(fake, retry_handlers=[ServerErrorRetryHandler(max_retry_count=1)])
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
    answer = _client(fake).files_upload_v2(channel="C1", filename="deals.csv",
                                           content="id,name\n1,Acme\n", title="Deals")
    assert answer["file"]["id"] == answer["files"][0]["id"]
    [upload] = fake.uploads()
    assert upload.body["filename"] == "deals.csv" and upload.body["content"] == b"id,name\n1,Acme\n"
    assert fake.calls("files.completeUploadExternal")[0].body["channel_id"] == "C1"


def test_views_are_answered_with_an_id_and_wait_for_returns_the_match(fake):
    opened = _client(fake).views_open(trigger_id="t", view=modal())
    assert opened["view"]["id"] == "V1" and opened["view"]["callback_id"] == "deal.convert"
    assert fake.wait_for(lambda: fake.calls("views.open"))[0].body["view"] == modal()
    fake.clear()
    with pytest.raises(AssertionError, match="did not arrive"):
        fake.wait_for(lambda: fake.calls("views.open"), timeout=0.1)


# --------------------------------------------------------------------------- signed requests


def test_a_signed_slash_command_verifies_and_a_tampered_one_does_not():
    request = slash_command(signing_secret=SECRET, text="new Acme 50k",
                            response_url="http://127.0.0.1:1/response/r1")
    fields = parse_qs(request.body)
    assert set(fields) >= {"token", "team_id", "team_domain", "channel_id", "channel_name",
                           "user_id", "user_name", "command", "text", "api_app_id",
                           "is_enterprise_install", "response_url", "trigger_id"}
    assert _verifies(request)
    tampered = SignedRequest(request.body.replace("50k", "90k"), request.headers)
    assert not _verifies(tampered)
    assert not SignatureVerifier("other").is_valid_request(request.body, request.headers)


def test_signed_requests_reach_bolt_listeners_with_slacks_shapes(fake):
    app = App(token="xoxb-test", signing_secret=SECRET, client=_client(fake),
              token_verification_enabled=False, process_before_response=True)
    seen: dict[str, dict] = {}
    app.command("/deal")(lambda ack, command: (ack(), seen.update(command=command)))
    app.action("deal.pick_stage")(lambda ack, body: (ack(), seen.update(action=body)))
    app.event("app_home_opened")(lambda event: seen.update(event=event))
    command = slash_command(signing_secret=SECRET, text="", response_url=fake.response_url())
    chosen = click(signing_secret=SECRET, message_blocks=card(), action_id="deal.pick_stage",
                   selected_option_value="won", response_url=fake.response_url())
    event = event_callback(signing_secret=SECRET, event={"type": "app_home_opened",
                                                         "user": "U1", "tab": "home"})
    for request in (command, chosen, event):
        assert app.dispatch(request.to_bolt()).status == 200
    assert seen["command"]["text"] == "" and seen["command"]["is_enterprise_install"] == "false"
    assert seen["action"]["actions"][0]["selected_option"]["value"] == "won"
    assert seen["event"]["user"] == "U1"


def test_a_click_sends_the_rendered_button_with_its_block_and_message():
    payload = _payload(click(signing_secret=SECRET, message_blocks=card(),
                             action_id="deal.advance", response_url="http://x/response/r"))
    action = payload["actions"][0]
    assert (action["block_id"], action["value"], action["type"]) == ("deal.actions", "1", "button")
    assert payload["container"] == {"type": "message", "message_ts": "1700000000.000100",
                                    "channel_id": "C1", "is_ephemeral": False}
    assert text_of(payload["message"]["blocks"]) == text_of(card())
    assert all("block_id" in block for block in payload["message"]["blocks"])


def test_a_click_in_an_ephemeral_message_carries_no_message():
    payload = _payload(click(signing_secret=SECRET, message_blocks=card(), ephemeral=True,
                             action_id="deal.advance", response_url="http://x/response/r"))
    assert "message" not in payload and payload["container"]["is_ephemeral"] is True


def test_clicking_what_was_not_rendered_fails_clearly():
    with pytest.raises(AssertionError, match="no element with action_id 'deal.delete'"):
        click(signing_secret=SECRET, message_blocks=card(), action_id="deal.delete",
              response_url="http://x/response/r")
    with pytest.raises(AssertionError, match="no option with value 'lost'"):
        click(signing_secret=SECRET, message_blocks=card(), action_id="deal.pick_stage",
              selected_option_value="lost", response_url="http://x/response/r")


def test_submitting_a_view_fills_state_from_what_the_view_rendered():
    view = {**modal(), "id": "V9"}
    request = submit_view(signing_secret=SECRET, view=view, values={
        "value": {"value.input": {"value": "50k"}},
        "stage": {"stage.select": {"selected_option": {"value": "won"}}}})
    submitted = _payload(request)["view"]
    assert submitted["id"] == "V9" and submitted["callback_id"] == "deal.convert"
    assert submitted["state"]["values"] == {
        "value": {"value.input": {"type": "plain_text_input", "value": "50k"}},
        "stage": {"stage.select": {"type": "static_select", "selected_option": {
            "text": {"type": "plain_text", "text": "Won"}, "value": "won"}}},
        "note": {"note.input": {"type": "plain_text_input", "value": None}}}


def test_submitting_a_view_refuses_unknown_inputs_and_missing_required_ones():
    with pytest.raises(AssertionError, match="no input block 'amount'"):
        submit_view(signing_secret=SECRET, view=modal(),
                    values={"amount": {"value.input": {"value": "1"}}})
    with pytest.raises(AssertionError, match="required input 'stage' is empty"):
        submit_view(signing_secret=SECRET, view=modal(),
                    values={"value": {"value.input": {"value": "1"}}})


def test_an_event_redelivery_carries_the_retry_headers():
    request = event_callback(signing_secret=SECRET, event={"type": "app_home_opened"},
                             event_id="Ev9", retry_num=1)
    assert request.headers["X-Slack-Retry-Num"] == "1" and _verifies(request)
    assert json.loads(request.body)["authorizations"][0]["user_id"] == "UBOT"


# --------------------------------------------------------------------------- Block Kit


def test_a_reasonable_card_and_modal_are_accepted():
    validate_blocks(card())
    validate_view(modal())
    assert text_of(card()) == ("#1 Acme\n*Value*\n$50,000\n*Stage*\nLead\n"
                               "Advance\nLead\nProposal\nWon\nOwner <@U1>")


@pytest.mark.parametrize(("blocks", "complaint"), [
    ([{"type": "hologram"}], "unknown block type"),
    ([{"type": "section", "text": "a bare string"}], "text object"),
    ([{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}] * 51, "51 blocks"),
    ([{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}], "3000"),
    ([{"type": "section", "fields": [{"type": "mrkdwn", "text": "x" * 2001}]}], "2000"),
    ([{"type": "header", "text": {"type": "mrkdwn", "text": "*Acme*"}}], "plain_text"),
    ([{"type": "actions", "elements": [{"type": "static_select", "action_id": "a", "options": [
        {"text": {"type": "plain_text", "text": "x" * 76}, "value": "v"}]}]}], "over 75"),
    ([{"type": "actions", "elements": [{"type": "teleporter", "action_id": "a"}]}],
     "element of unknown type"),
    (card() + card(), "repeated action_ids"),
    ([{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 2500}}] * 5, "too_long"),
])
def test_blocks_slack_would_refuse_are_rejected(blocks, complaint):
    with pytest.raises(AssertionError, match=complaint):
        validate_blocks(blocks)


def test_a_view_slack_would_refuse_is_rejected():
    with pytest.raises(AssertionError, match="title"):
        validate_view({**modal(), "title": {"type": "plain_text", "text": "x" * 25}})
    without_submit = {key: value for key, value in modal().items() if key != "submit"}
    with pytest.raises(AssertionError, match="submit"):
        validate_view(without_submit)
    validate_blocks([{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}] * 100,
                    surface="home")
