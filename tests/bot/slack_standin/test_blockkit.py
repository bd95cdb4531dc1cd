"""Block Kit validation: what Slack accepts passes, what it refuses is named."""

from __future__ import annotations

import pytest

from bot.slack_standin import SlackWouldRefuse, text_of, validate_blocks, validate_view
from tests.bot.slack_standin.samples import card, modal, raw, table


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
    ([table([["Stage", ""]])], "at least 1 character"),
    ([table([["n"]] * 101)], "101 rows; a table takes 100"),
    ([table([["x"] * 21])], "1 to 20 cells"),
    ([table([["Stage", "Deals"], ["Lead"]])], "rows of different lengths"),
    ([{"type": "table", "rows": [[{"type": "raw_number", "value": 3, "text": "3"}]]}],
     "'raw_number' is not raw_text or rich_text"),
    ([{"type": "table", "rows": [[{"type": "rich_text", "elements": [
        {"type": "rich_text_hologram", "elements": []}]}]]}], "element of unknown type"),
    ([{"type": "table", "rows": [[raw("x")]], "column_settings": [{"align": "middle"}]}],
     "align must be one of left, center, right"),
    ([{"type": "table", "rows": [[raw("x")]], "column_settings": [{}] * 21}],
     "21 column settings"),
    ([{"type": "table"}], "rows"),
    ([table(), table()], "only_one_table_allowed"),
    ([table([["x" * 100] * 20] * 6)], "12000 characters in table cells; a message takes 10000"),
])
def test_blocks_slack_would_refuse_are_rejected(blocks, complaint):
    with pytest.raises(SlackWouldRefuse, match=complaint):
        validate_blocks(blocks)


def test_a_table_is_accepted_in_a_message_and_on_the_home_tab_and_reads_a_row_a_line():
    validate_blocks([card()[0], table()])
    validate_view({"type": "home", "blocks": [table()]})
    assert text_of([table()]) == "Stage | Deals | Value\nLead | 3 | $90,000\nProposal | 1 | $5,000"


def test_a_table_in_a_modal_is_rejected():
    with pytest.raises(SlackWouldRefuse, match="a modal takes no table block"):
        validate_view({**modal(), "blocks": [*modal()["blocks"], table()]})


def test_a_view_slack_would_refuse_is_rejected():
    with pytest.raises(SlackWouldRefuse, match="title"):
        validate_view({**modal(), "title": {"type": "plain_text", "text": "x" * 25}})
    without_submit = {key: value for key, value in modal().items() if key != "submit"}
    with pytest.raises(SlackWouldRefuse, match="submit"):
        validate_view(without_submit)
    validate_blocks([{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}] * 100,
                    surface="home")
