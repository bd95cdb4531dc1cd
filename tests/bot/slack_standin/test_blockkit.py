"""Block Kit validation: what Slack accepts passes, what it refuses is named."""

from __future__ import annotations

import pytest

from bot.slack_standin import SlackWouldRefuse, text_of, validate_blocks, validate_view
from tests.bot.slack_standin.samples import card, modal


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
    with pytest.raises(SlackWouldRefuse, match=complaint):
        validate_blocks(blocks)


def test_a_view_slack_would_refuse_is_rejected():
    with pytest.raises(SlackWouldRefuse, match="title"):
        validate_view({**modal(), "title": {"type": "plain_text", "text": "x" * 25}})
    without_submit = {key: value for key, value in modal().items() if key != "submit"}
    with pytest.raises(SlackWouldRefuse, match="submit"):
        validate_view(without_submit)
    validate_blocks([{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}] * 100,
                    surface="home")
