"""A local stand-in for Slack, for the console and the tests.

- `FakeSlack` (server.py, webapi.py): the Web API, `response_url`s and file upload URLs on
  127.0.0.1, recording every request and answering like Slack (scriptable, including HTTP
  errors such as 429, and connections dropped after the request was acted on).
- Signed requests (signed.py): `slash_command`, `block_actions`, `view_submission`,
  `message_shortcut` (on a `user_message`), `global_shortcut`, `block_suggestion`,
  `event_callback`: the exact bodies and headers Slack sends, for `app.dispatch` or HTTP.
- What a user does with what the app rendered (interactions.py): `click`, `suggest`,
  `submit_view`.
- Live markup (markup.py): `live_markup`, `mrkdwn_texts`: the `<...>` in what an app sends
  that Slack would turn into a ping or a link; `no_live_markup()` checks all of it while a
  block runs (`watch` sees every request any stand-in records; `witness_answer` adds an
  HTTP answer such as an ack body).
- Block Kit (blockkit.py): `validate_blocks` / `validate_view` / `validate_options` (the
  answer to a block_suggestion), slack-sdk's models plus the limits they leave unchecked;
  `text_of`, the visible text of blocks.

Anything Slack would not accept or let a user do raises `SlackWouldRefuse`.
"""

from bot.slack_standin.blockkit import (
    SlackWouldRefuse,
    text_of,
    validate_blocks,
    validate_options,
    validate_view,
)
from bot.slack_standin.interactions import click, submit_view, suggest
from bot.slack_standin.markup import live_markup, mrkdwn_texts, no_live_markup
from bot.slack_standin.server import (
    DROP,
    FakeSlack,
    HttpAnswer,
    Recorded,
    watch,
    witness,
    witness_answer,
)
from bot.slack_standin.signed import (
    SignedRequest,
    block_actions,
    block_suggestion,
    event_callback,
    global_shortcut,
    interactive,
    message_shortcut,
    sign,
    slash_command,
    user_message,
    view_submission,
)

__all__ = ["DROP", "FakeSlack", "HttpAnswer", "Recorded", "SignedRequest", "SlackWouldRefuse",
           "block_actions", "block_suggestion", "click", "event_callback", "global_shortcut",
           "interactive", "live_markup", "message_shortcut", "mrkdwn_texts", "no_live_markup",
           "sign", "slash_command", "submit_view", "suggest", "text_of", "user_message",
           "validate_blocks", "validate_options", "validate_view", "view_submission", "watch",
           "witness", "witness_answer"]
