"""Block Kit shaped like the app's, for the stand-in's own tests."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.slack_standin import FakeSlack

SECRET = "kit-signing-secret"


def web_client(fake: FakeSlack, **options) -> WebClient:
    """A Web API client pointed at `fake`, with a bot token."""
    return WebClient(base_url=fake.api_url, token="xoxb-test", **options)


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




def raw(text: str) -> dict:
    return {"type": "raw_text", "text": text}


def table(rows: list[list[str]] | None = None, **settings: object) -> dict:
    """A stage table like the app's: a header row, then stages; names left, numbers right."""
    rows = rows or [["Stage", "Deals", "Value"], ["Lead", "3", "$90,000"],
                    ["Proposal", "1", "$5,000"]]
    return {"type": "table", "rows": [[raw(cell) for cell in row] for row in rows],
            "column_settings": [{"align": "left", "is_wrapped": True}, {"align": "right"},
                                {"align": "right", **settings}]}
