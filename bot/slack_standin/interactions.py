"""What a user does with what the app rendered, as the request Slack then sends: a click on
an element of a message, modal or Home tab (`click`), text typed into a modal's
`external_select` (`suggest`), and a modal submitted (`submit_view`). They refuse
(SlackWouldRefuse) what the user could not do in Slack: use an element or option that was
not rendered, type into a menu that is not a type-ahead one, or submit a modal with a
required input empty."""

from __future__ import annotations

import copy
import time
from typing import Any

from bot.slack_standin.blockkit import elements, options, require
from bot.slack_standin.identity import APP_ID, BOT_ID, BOT_USER_ID, DEFAULT_TRIGGER_ID
from bot.slack_standin.signed import (
    SignedRequest,
    block_actions,
    block_suggestion,
    view_submission,
)


def _with_block_ids(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A copy of the blocks as Slack stores them: those without a block_id get one."""
    stored = copy.deepcopy(blocks)
    for index, block in enumerate(stored):
        block.setdefault("block_id", f"auto{index}")
    return stored


def _pick_option(element: dict[str, Any], value: str | None) -> dict[str, Any]:
    offered = options(element)
    picked = [o for o in offered if o.get("value") == value]
    require(picked, f"{element.get('action_id')!r} offers no option with value {value!r}; "
                    f"it offers {[o.get('value') for o in offered]}")
    return {key: picked[0][key] for key in ("text", "value", "description") if key in picked[0]}


# what the user picks in each kind of element, in an action or in state.values
_PICKED_OPTION = ("static_select", "overflow", "radio_buttons")
_PICKED_OPTIONS = ("checkboxes", "multi_static_select")
_PICKED_VALUE = {"users_select": "selected_user", "conversations_select": "selected_conversation",
                 "channels_select": "selected_channel", "datepicker": "selected_date",
                 "timepicker": "selected_time", "plain_text_input": "value",
                 "number_input": "value", "email_text_input": "value", "url_text_input": "value"}


def _picked(element: dict[str, Any], value: str | None,
            selected_option_value: str | None) -> dict[str, Any]:
    """The fields of an action (or state entry) for what the user picked in `element`."""
    kind = element.get("type")
    if kind == "button":
        require(value is None and selected_option_value is None,
                "a button sends the value it was rendered with; do not pass value or an option")
        return {key: element[key] for key in ("text", "value", "style") if key in element}
    if kind in _PICKED_OPTION + _PICKED_OPTIONS:
        require(value is None, f"pick an option of the {kind} with selected_option_value")
        option = _pick_option(element, selected_option_value)
        return ({"selected_options": [option]} if kind in _PICKED_OPTIONS
                else {"selected_option": option})
    if kind in _PICKED_VALUE:
        require(selected_option_value is None and value is not None,
                f"pass what the user chose in the {kind} as value")
        return {_PICKED_VALUE[kind]: value}
    raise AssertionError(f"click() does not support {kind!r} elements")


def click(*, signing_secret: str, action_id: str,
          message_blocks: list[dict[str, Any]] | None = None,
          view: dict[str, Any] | None = None, team_id: str = "T1", user_id: str = "U1",
          user_name: str = "ann", channel_id: str = "C1", channel_name: str = "sales",
          response_url: str | None = None, value: str | None = None,
          selected_option_value: str | None = None,
          message_ts: str = "1700000000.000100", ephemeral: bool = False,
          posted_in: str | None = None, trigger_id: str = DEFAULT_TRIGGER_ID,
          timestamp: int | None = None) -> SignedRequest:
    """The block_actions Slack sends when the user uses the element `action_id` that the app
    rendered, in a message (`message_blocks`, `response_url` required) or in a modal or Home
    tab (`view`, as the app sent it). A button sends its rendered value; for selects, overflow,
    radio buttons and checkboxes pass `selected_option_value` (it must be one of the rendered
    options); for user/channel pickers, dates and text inputs pass `value`. Raises
    SlackWouldRefuse when the app did not render that element. `posted_in` is the team whose
    install posted the message (another one than the clicker's in a shared channel)."""
    require((message_blocks is None) != (view is None), "give message_blocks or view, not both")
    blocks = _with_block_ids(view["blocks"] if view is not None else message_blocks or [])
    found = [(b, e) for b in blocks for e in elements(b) if e.get("action_id") == action_id]
    rendered = [e.get("action_id") for b in blocks for e in elements(b)]
    require(found, f"no element with action_id {action_id!r} was rendered; there are {rendered}")
    block, element = found[0]
    picked = _picked(element, value, selected_option_value)
    action = {"action_id": action_id, "block_id": block["block_id"], "type": element["type"],
              **picked, "action_ts": f"{time.time():.6f}"}
    state = ({} if element["type"] == "button"
             else {block["block_id"]: {action_id: {"type": element["type"], **picked}}})
    who: dict[str, Any] = dict(signing_secret=signing_secret, actions=[action], team_id=team_id,
                               user_id=user_id, user_name=user_name, state_values=state,
                               trigger_id=trigger_id, timestamp=timestamp)
    if view is not None:
        stored = _stored_view(view, blocks, team_id, state)
        return block_actions(container={"type": "view", "view_id": stored["id"]}, view=stored,
                             **who)
    require(response_url is not None, "Slack sends a response_url with every message click")
    message = None if ephemeral else {
        "type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "app_id": APP_ID,
        "text": "", "ts": message_ts, "team": posted_in or team_id, "blocks": blocks}
    return block_actions(container={"type": "message", "message_ts": message_ts,
                                    "channel_id": channel_id, "is_ephemeral": ephemeral},
                         channel_id=channel_id, channel_name=channel_name,
                         response_url=response_url, message=message, **who)


def _stored_view(view: dict[str, Any], blocks: list[dict[str, Any]], team_id: str,
                 state_values: dict[str, Any]) -> dict[str, Any]:
    """The view as Slack includes it in payloads: with id, state, hash and the rest."""
    view_id = view.get("id", "V1")
    return {"id": view_id, "team_id": team_id, "type": view.get("type", "modal"),
            "private_metadata": "", "callback_id": "", "hash": "h1", "external_id": "",
            "root_view_id": view_id, "previous_view_id": None, "app_id": APP_ID,
            "bot_id": BOT_ID, "clear_on_close": False, "notify_on_close": False,
            **view, "blocks": blocks, "state": {"values": state_values}}


def suggest(*, signing_secret: str, view: dict[str, Any], action_id: str, typed: str,
            team_id: str = "T1", user_id: str = "U1", user_name: str = "ann",
            timestamp: int | None = None) -> SignedRequest:
    """The block_suggestion Slack sends while the user types `typed` into the
    `external_select` `action_id` of the modal `view` (as the app opened it). Refuses an
    element that is not an external_select, and text shorter than its `min_query_length`
    (default 3), which Slack does not send."""
    blocks = _with_block_ids(view.get("blocks", []))
    found = [(b, e) for b in blocks for e in elements(b) if e.get("action_id") == action_id]
    require(found, f"no element with action_id {action_id!r} was rendered")
    block, element = found[0]
    require(element.get("type") == "external_select",
            f"{action_id!r} is a {element.get('type')}, not an external_select")
    require(len(typed) >= element.get("min_query_length", 3),
            f"Slack sends nothing before {element.get('min_query_length', 3)} characters")
    return block_suggestion(signing_secret=signing_secret, action_id=action_id,
                            block_id=block["block_id"], value=typed,
                            view=_stored_view(view, blocks, team_id, {}), team_id=team_id,
                            user_id=user_id, user_name=user_name, timestamp=timestamp)


# what Slack sends in state.values for an input the user left empty
_EMPTY_STATE: dict[str, dict[str, Any]] = {
    "static_select": {"selected_option": None}, "radio_buttons": {"selected_option": None},
    "external_select": {"selected_option": None},
    "multi_static_select": {"selected_options": []}, "checkboxes": {"selected_options": []},
    "multi_users_select": {"selected_users": []},
    **{kind: {key: None} for kind, key in _PICKED_VALUE.items()}}

# what Slack sends for an input the user did not touch: what the app filled in
_INITIAL = {"initial_value": "value", "initial_date": "selected_date",
            "initial_time": "selected_time", "initial_user": "selected_user",
            "initial_users": "selected_users", "initial_option": "selected_option",
            "initial_options": "selected_options"}


def _untouched(element: dict[str, Any]) -> dict[str, Any]:
    given = {key: element[initial] for initial, key in _INITIAL.items() if initial in element}
    return given or _EMPTY_STATE.get(element.get("type", ""), {})


def _state_entry(block_id: str, element: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    kind = element.get("type")
    require(given.get("type", kind) == kind,
            f"{block_id} holds a {kind}, not a {given.get('type')}")
    entry = {"type": kind, **_EMPTY_STATE.get(str(kind), {}), **given}
    if isinstance(given.get("selected_option"), dict) and options(element):
        entry["selected_option"] = _pick_option(element, given["selected_option"].get("value"))
    return entry


def submit_view(*, signing_secret: str, view: dict[str, Any],
                values: dict[str, dict[str, dict[str, Any]]], team_id: str = "T1",
                user_id: str = "U1", user_name: str = "ann",
                trigger_id: str = DEFAULT_TRIGGER_ID,
                timestamp: int | None = None) -> SignedRequest:
    """The view_submission Slack sends when the user submits `view` (as the app opened it,
    e.g. `slack.calls("views.open")[-1].body["view"]`) after entering `values`:
    {block_id: {action_id: {"value": ...} | {"selected_option": {"value": ...}} | ...}}.

    Every block_id/action_id must be an input the view rendered; `type` is filled in, and a
    selected_option given by value is completed from the rendered options. Inputs left out
    are sent as the user left them: with what the app filled in (`initial_value`, ...), else
    empty; a required one left empty refuses, as Slack would not submit. To clear a filled-in
    input, pass it empty (`{"value": None}`).
    """
    blocks = _with_block_ids(view.get("blocks", []))
    inputs = {b["block_id"]: b for b in blocks if b.get("type") == "input"}
    for block_id, actions in values.items():
        require(block_id in inputs,
                f"no input block {block_id!r} in the view; it has {list(inputs)}")
        element = inputs[block_id]["element"]
        for action_id in actions:
            require(action_id == element.get("action_id"),
                    f"input {block_id!r} holds {element.get('action_id')!r}, not {action_id!r}")
    state: dict[str, dict[str, dict[str, Any]]] = {}
    for block_id, block in inputs.items():
        element = block["element"]
        given = values.get(block_id, {}).get(element.get("action_id", ""))
        if given is None:
            given = _untouched(element)
        filled = [v for k, v in given.items() if k != "type" and v not in (None, "", [])]
        require(filled or block.get("optional"),
                f"required input {block_id!r} is empty: Slack would not let the user submit")
        state[block_id] = {element.get("action_id", ""): _state_entry(block_id, element, given)}
    return view_submission(signing_secret=signing_secret,
                           view=_stored_view(view, blocks, team_id, state), team_id=team_id,
                           user_id=user_id, user_name=user_name, trigger_id=trigger_id,
                           timestamp=timestamp)
