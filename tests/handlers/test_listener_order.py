"""Each request Slack sends is matched by one listener at most: the order in which
handlers.registry registers them (the busiest first, as Bolt tries them in turn) then decides
nothing but speed. A second listener for the same button, modal, menu, shortcut, command or
event would be one of them never running, depending on that order."""

from __future__ import annotations

import json

import pytest
from slack_bolt import BoltRequest, BoltResponse

from bot.manifest import COMMANDS
from handlers import ids

INTERACTION_IDS = sorted({value for name, value in vars(ids).items()
                          if name.isupper() and isinstance(value, str)})
EVENTS = ("app_home_opened", "app_uninstalled", "tokens_revoked")
WHO = {"team": {"id": "T1"}, "user": {"id": "U1"}}


def _bodies(callback: str) -> list[dict]:
    return [
        {"type": "block_actions", "actions": [{"action_id": callback, "block_id": "b"}], **WHO},
        {"type": "view_submission", "view": {"callback_id": callback, "type": "modal"}, **WHO},
        {"type": "view_closed", "view": {"callback_id": callback, "type": "modal"}, **WHO},
        {"type": "block_suggestion", "action_id": callback, "block_id": "b", "value": "",
         **WHO},
        {"type": "shortcut", "callback_id": callback, **WHO},
        {"type": "message_action", "callback_id": callback, **WHO},
    ]


def _matching(app, body: dict) -> list[str]:
    request = BoltRequest(body=json.dumps(body), headers={"content-type": ["application/json"]},
                          mode="socket_mode")
    return [getattr(listener.ack_function, "func", listener.ack_function).__qualname__
            for listener in app._listeners
            if listener.matches(req=request, resp=BoltResponse(status=200))]


# the ids as drawn, and as the Home tab draws them once per deal (`<id>~<number>`)
@pytest.mark.parametrize(("suffix", "at_least"), [("", 40), (f"{ids.PER_ITEM}12", 5)])
def test_no_two_listeners_answer_the_same_interaction(driver, suffix, at_least):
    assert len(INTERACTION_IDS) > 50
    matched = 0
    for callback in INTERACTION_IDS:
        for body in _bodies(callback + suffix):
            found = _matching(driver.app, body)
            assert len(found) <= 1, (callback + suffix, body["type"], found)
            matched += len(found)
    assert matched >= at_least  # the ids are the listeners' own: many are matched


def test_every_command_and_event_has_one_listener(driver):
    for command, _description, _hint in COMMANDS:
        body = {"command": command, "text": "", "team_id": "T1", "user_id": "U1"}
        assert len(_matching(driver.app, body)) == 1, command
    for event in EVENTS:
        body = {"type": "event_callback", "team_id": "T1", "event": {"type": event}}
        assert len(_matching(driver.app, body)) == 1, event
