"""Clicks and modal submissions built from what the app rendered."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest

from bot.slack_standin import SignedRequest, SlackWouldRefuse, click, submit_view, text_of
from tests.bot.slack_standin.samples import SECRET, card, modal


def _payload(request: SignedRequest) -> dict:
    return json.loads(parse_qs(request.body)["payload"][0])


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
    with pytest.raises(SlackWouldRefuse, match="no element with action_id 'deal.delete'"):
        click(signing_secret=SECRET, message_blocks=card(), action_id="deal.delete",
              response_url="http://x/response/r")
    with pytest.raises(SlackWouldRefuse, match="no option with value 'lost'"):
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
    with pytest.raises(SlackWouldRefuse, match="no input block 'amount'"):
        submit_view(signing_secret=SECRET, view=modal(),
                    values={"amount": {"value.input": {"value": "1"}}})
    with pytest.raises(SlackWouldRefuse, match="required input 'stage' is empty"):
        submit_view(signing_secret=SECRET, view=modal(),
                    values={"value": {"value.input": {"value": "1"}}})




def test_inputs_left_untouched_submit_what_the_app_filled_in_unless_cleared():
    view = modal()
    view["blocks"][0]["element"]["initial_value"] = "35k"
    view["blocks"][1]["element"]["initial_option"] = view["blocks"][1]["element"]["options"][1]
    untouched = _payload(submit_view(signing_secret=SECRET, view=view, values={}))
    values = untouched["view"]["state"]["values"]
    assert values["value"]["value.input"]["value"] == "35k"
    assert values["stage"]["stage.select"]["selected_option"]["value"] == "proposal"
    with pytest.raises(SlackWouldRefuse, match="required input 'value' is empty"):
        submit_view(signing_secret=SECRET, view=view,
                    values={"value": {"value.input": {"value": None}}})


def test_ticking_a_checkbox_sends_the_options_now_selected():
    boxes = [{"type": "actions", "block_id": "b", "elements": [
        {"type": "checkboxes", "action_id": "deal.flags",
         "options": card()[2]["elements"][1]["options"]}]}]
    payload = _payload(click(signing_secret=SECRET, message_blocks=boxes, action_id="deal.flags",
                             selected_option_value="won", response_url="http://x/response/r"))
    assert [o["value"] for o in payload["actions"][0]["selected_options"]] == ["won"]


def test_typing_into_a_type_ahead_menu_sends_a_suggestion_only_where_slack_would():
    from bot.slack_standin import suggest

    view = {"type": "modal", "id": "V7", "callback_id": "c", "blocks": [
        {"type": "input", "block_id": "pick", "label": {"type": "plain_text", "text": "Deal"},
         "element": {"type": "external_select", "action_id": "deal.pick"}},
        *modal()["blocks"]]}
    payload = _payload(suggest(signing_secret=SECRET, view=view, action_id="deal.pick",
                               typed="acm"))
    assert (payload["type"], payload["block_id"], payload["value"]) == (
        "block_suggestion", "pick", "acm")
    assert payload["view"]["id"] == "V7" and payload["view"]["callback_id"] == "c"
    with pytest.raises(SlackWouldRefuse, match="3 characters"):
        suggest(signing_secret=SECRET, view=view, action_id="deal.pick", typed="ac")
    with pytest.raises(SlackWouldRefuse, match="not an external_select"):
        suggest(signing_secret=SECRET, view=view, action_id="stage.select", typed="acme")


@pytest.mark.parametrize(("answer", "complaint"), [
    ({"options": [{"text": {"type": "plain_text", "text": f"#{n}"}, "value": str(n)}
                  for n in range(101)]}, "at most 100"),
    ({"options": [{"text": {"type": "plain_text", "text": "x" * 76}, "value": "1"}]},
     "75"),
    ({"options": [{"text": {"type": "mrkdwn", "text": "*x*"}, "value": "1"}]}, "plain_text"),
    ({"text": "no options"}, "options or option_groups"),
])
def test_an_options_answer_slack_would_not_show_is_refused(answer, complaint):
    """(A hundred options of 75 characters pass: see tests/handlers/actions/test_capture.py.)"""
    from bot.slack_standin import validate_options

    with pytest.raises(SlackWouldRefuse, match=complaint):
        validate_options(answer)
