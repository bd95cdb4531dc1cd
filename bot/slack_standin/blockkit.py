"""Block Kit as Slack checks it: slack-sdk's models plus the limits they leave unchecked,
the interactive elements and options of a block, and the visible text of blocks."""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block, Option, OptionGroup
from slack_sdk.models.views import View

from bot.slack_standin.tables import rows_of, surface_problems, table_problems

BLOCK_LIMITS = {"message": 50, "modal": 100, "home": 100}
MESSAGE_TEXT_LIMIT = 12000


class SlackWouldRefuse(AssertionError):
    """What was asked could not happen in Slack: Block Kit it rejects, a click on an element
    that was not rendered, a modal submitted with a required input empty. An AssertionError,
    so a test that meets one fails with the reason."""


def require(condition: object, reason: str) -> None:
    """Raises SlackWouldRefuse(reason) unless `condition` holds."""
    if not condition:
        raise SlackWouldRefuse(reason)


def elements(block: dict[str, Any]) -> list[dict[str, Any]]:
    """The interactive elements of one block."""
    if block.get("type") == "actions":
        return list(block.get("elements", []))
    if block.get("type") == "section" and "accessory" in block:
        return [block["accessory"]]
    if block.get("type") == "input" and "element" in block:
        return [block["element"]]
    return []


def options(element: dict[str, Any]) -> list[dict[str, Any]]:
    """The options an element offers, including those inside option_groups."""
    offered = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        offered += group.get("options") or []
    return offered


def _texts(block: dict[str, Any]) -> list[str]:
    """The visible texts of one block, in reading order."""
    texts: list[str] = []
    text = block.get("text")
    if isinstance(text, dict):
        texts.append(str(text.get("text", "")))
    elif block.get("type") == "markdown" and isinstance(text, str):
        texts.append(text)
    texts += [str(f.get("text", "")) for f in block.get("fields", [])]
    if block.get("type") == "context":
        texts += [str(e["text"]) for e in block.get("elements", []) if "text" in e]
    if block.get("type") == "input" and isinstance(block.get("label"), dict):
        texts.append(str(block["label"].get("text", "")))
    if block.get("type") == "table":
        texts += [" | ".join(row) for row in rows_of(block)]
    for element in elements(block):
        if isinstance(element.get("text"), dict):
            texts.append(str(element["text"].get("text", "")))
        texts += [str(o.get("text", {}).get("text", "")) for o in options(element)]
    return texts


def text_of(blocks: list[dict[str, Any]]) -> str:
    """All visible text of the blocks, one text a line: section text and fields, headers,
    context texts, input labels, table rows (cells between ` | `), button texts and option
    texts."""
    return "\n".join(text for block in blocks for text in _texts(block))


def _has_none(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_none(v) for v in value.values())
    if isinstance(value, list):
        return any(v is None or _has_none(v) for v in value)
    return False


def _model_problems(block: dict[str, Any]) -> list[str]:
    """What slack-sdk's block model finds wrong, including element types it does not know."""
    try:
        model = Block.parse_all([block])[0]
    except TypeError as error:  # a required field is missing
        return [str(error)]
    if model is None:
        return ["unknown block type"]
    try:
        rendered = model.to_dict()
    except SlackObjectFormationError as error:
        return [str(error)]
    return ["an element of unknown type"] if _has_none(rendered) else []


def _limit_problems(block: dict[str, Any]) -> list[str]:
    """Limits slack-sdk's models do not check on plain dicts."""
    problems = table_problems(block, _model_problems) if block.get("type") == "table" else []
    if block.get("type") in ("section", "header") and "text" in block \
            and not isinstance(block["text"], dict):
        problems.append("text must be a text object, not a string")
    for index, item in enumerate(block.get("fields", [])):
        if len(str(item.get("text", ""))) > 2000:
            problems.append(f"field {index} text is over 2000 characters")
    if block.get("type") == "header" and isinstance(block.get("text"), dict) \
            and block["text"].get("type") != "plain_text":
        problems.append("header text must be plain_text")
    for element in elements(block):
        for option in options(element):
            if len(str(option.get("text", {}).get("text", ""))) > 75:
                problems.append(f"an option text of {element.get('action_id')!r} is over 75")
            if len(str(option.get("value", ""))) > 150:
                problems.append(f"an option value of {element.get('action_id')!r} is over 150")
    return problems


def _repeated(values: list[str]) -> list[str]:
    return sorted({v for v in values if values.count(v) > 1})


def validate_blocks(blocks: list[dict[str, Any]], *, surface: str = "message") -> None:
    """Raises SlackWouldRefuse, listing every problem, unless Slack would accept `blocks` on
    `surface` ("message", "modal" or "home"): every block and element known to slack-sdk's
    models and accepted by their `to_dict()`; at most 50 blocks in a message, 100 in a view;
    section field text <= 2000; header text plain_text; option text <= 75 and value <= 150;
    table blocks as tables.py checks them (cells, limits, one a message, none in a modal);
    block_ids and action_ids unique in the payload; and, in a message, visible text <= 12000
    characters in all (Slack's undocumented msg_blocks_too_long)."""
    require(surface in BLOCK_LIMITS, f"unknown surface {surface!r}")
    require(isinstance(blocks, list) and all(isinstance(b, dict) for b in blocks),
            "blocks must be a list of dicts")
    problems = []
    if len(blocks) > BLOCK_LIMITS[surface]:
        problems.append(f"{len(blocks)} blocks; a {surface} takes {BLOCK_LIMITS[surface]}")
    for index, block in enumerate(blocks):
        where = f"block {index} ({block.get('type')!r}, block_id {block.get('block_id')!r})"
        problems += [f"{where}: {p}" for p in _model_problems(block) + _limit_problems(block)]
    problems += surface_problems(blocks, surface)
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    action_ids = [e["action_id"] for b in blocks for e in elements(b) if "action_id" in e]
    if _repeated(block_ids):
        problems.append(f"repeated block_ids {_repeated(block_ids)}")
    if _repeated(action_ids):
        problems.append(f"repeated action_ids {_repeated(action_ids)}")
    text_length = sum(len(text) for block in blocks for text in _texts(block))
    if surface == "message" and text_length > MESSAGE_TEXT_LIMIT:
        problems.append(f"{text_length} characters of text; Slack refuses more than about "
                        f"{MESSAGE_TEXT_LIMIT} in one message (msg_blocks_too_long)")
    require(not problems, f"invalid Block Kit for a {surface}:\n  " + "\n  ".join(problems))


def validate_view(view: dict[str, Any]) -> None:
    """Raises SlackWouldRefuse unless Slack would accept `view` for views.open/push/update
    (type "modal") or views.publish (type "home"): slack-sdk's View model accepts it (title,
    submit and close <= 24, callback_id <= 255, private_metadata <= 3000), a modal has a
    title, and a submit button when it has inputs, and its blocks pass `validate_blocks`."""
    kind = view.get("type")
    require(kind in ("modal", "home"), f"view type must be 'modal' or 'home', not {kind!r}")
    try:
        View(**view).to_dict()
    except SlackObjectFormationError as error:
        raise SlackWouldRefuse(f"invalid {kind} view: {error}") from None
    if kind == "modal":
        require("title" in view, "a modal needs a title")
        has_inputs = any(b.get("type") == "input" for b in view.get("blocks", []))
        require(not has_inputs or "submit" in view, "a modal with inputs needs a submit button")
    validate_blocks(view.get("blocks", []), surface=str(kind))


MAX_OPTIONS = 100


def validate_options(answer: dict[str, Any]) -> None:
    """Raises SlackWouldRefuse unless Slack would show `answer`, the body of an ack to a
    block_suggestion: `options` (at most 100) or `option_groups` (at most 100, each with at
    most 100 options), every option with plain_text text of at most 75 characters and a
    value of at most 150, as slack-sdk's Option and OptionGroup models check them."""
    require(("options" in answer) != ("option_groups" in answer),
            f"answer with options or option_groups, not {sorted(answer)}")
    problems = []
    offered: Any = answer.get("options", answer.get("option_groups"))
    require(isinstance(offered, list), "options must be a list")
    if len(offered) > MAX_OPTIONS:
        problems.append(f"{len(offered)} options; Slack shows at most {MAX_OPTIONS}")
    model: Any = Option if "options" in answer else OptionGroup
    for index, item in enumerate(offered):
        inner = [item] if model is Option else list(item.get("options") or [])
        if any((o.get("text") or {}).get("type") != "plain_text" for o in inner):
            problems.append(f"option {index}: an option's text must be plain_text")
        try:
            model(**item).to_dict()
        except (SlackObjectFormationError, TypeError) as error:
            problems.append(f"option {index}: {error}")
    require(not problems, "Slack would not show these options:\n  " + "\n  ".join(problems))
