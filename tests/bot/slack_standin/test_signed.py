"""Signed requests as Slack sends them, verified by slack-sdk and dispatched by Bolt."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from slack_bolt import App
from slack_sdk.signature import SignatureVerifier

from bot.slack_standin import SignedRequest, click, event_callback, slash_command
from tests.bot.slack_standin.samples import SECRET, card, web_client


def _verifies(request: SignedRequest) -> bool:
    return SignatureVerifier(SECRET).is_valid_request(request.body, request.headers)


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
    app = App(token="xoxb-test", signing_secret=SECRET, client=web_client(fake),
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


def test_an_event_redelivery_carries_the_retry_headers():
    request = event_callback(signing_secret=SECRET, event={"type": "app_home_opened"},
                             event_id="Ev9", retry_num=1)
    assert request.headers["X-Slack-Retry-Num"] == "1" and _verifies(request)
    assert json.loads(request.body)["authorizations"][0]["user_id"] == "UBOT"




def test_shortcuts_and_suggestions_reach_bolts_shortcut_and_options_listeners(fake):
    from bot.slack_standin import block_suggestion, global_shortcut, message_shortcut, user_message

    app = App(token="xoxb-test", signing_secret=SECRET, client=web_client(fake),
              token_verification_enabled=False, process_before_response=True)
    seen: dict[str, dict] = {}
    app.shortcut("add_to_deal")(lambda ack, shortcut: (ack(), seen.update(message=shortcut)))
    app.shortcut("new_deal")(lambda ack, shortcut: (ack(), seen.update(global_=shortcut)))
    app.options("deal.pick")(lambda ack, body: (ack(options=[]), seen.update(options=body)))
    message = user_message(text="hi <@U3>", ts="1700000000.000300",
                           thread_ts="1700000000.000100")
    on_message = message_shortcut(signing_secret=SECRET, callback_id="add_to_deal",
                                  message=message, response_url=fake.response_url(),
                                  channel_id="D1", channel_name="directmessage")
    shortcut = global_shortcut(signing_secret=SECRET, callback_id="new_deal")
    typed = block_suggestion(signing_secret=SECRET, action_id="deal.pick", block_id="deal.pick",
                             value="acm", view={"id": "V9", "type": "modal", "blocks": []})
    for request in (on_message, shortcut, typed):
        assert _verifies(request)
        assert app.dispatch(request.to_bolt()).status == 200
    got = seen["message"]
    assert got["type"] == "message_action" and got["channel"]["id"] == "D1"
    assert got["message"]["thread_ts"] == "1700000000.000100"
    assert got["message_ts"] == got["message"]["ts"] and got["response_url"]
    assert seen["global_"]["type"] == "shortcut"
    assert not {"channel", "message", "response_url"} & set(seen["global_"])
    assert seen["options"]["value"] == "acm" and seen["options"]["container"]["view_id"] == "V9"
