"""A modal as a sequence of prompts, submitted as a real `view_submission`.

Each input block is asked in turn (text, a menu by number, a date as YYYY-MM-DD, a user by
name; a menu that searches as you type, an `external_select`, asks for a search text, sends
it to the app as Slack would, and lists the options it answered to pick by number); what
Slack checks in the browser (required fields, lengths, dates) is checked here
before sending. `response_action: errors` from the app is shown under the field, and only
those fields are asked again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from bot.console.mrkdwn import Style
from bot.console.people import LocalUsers
from bot.console.render import text_of
from bot.slack_standin.blockkit import SlackWouldRefuse, options

TEXT_INPUTS = ("plain_text_input", "number_input", "email_text_input", "url_text_input")
Ask = Callable[[str], str | None]  # a prompt; None when the input has ended
Say = Callable[[str], None]
Search = Callable[[str, str], list[dict]]  # (action_id, typed) -> the options the app offers


class Cancelled(Exception):
    """The user typed :cancel, or the input ended, while a modal was open."""


def input_blocks(view: dict) -> list[dict]:
    return [b for b in view.get("blocks", []) if b.get("type") == "input" and b.get("element")]


def ask_inputs(blocks: list[dict], ask: Ask, say: Say, style: Style, users: LocalUsers,
               errors: dict[str, str], *,
               search: Search | None = None) -> dict[str, dict[str, dict]]:
    """The state values of `blocks`, asked one by one; `errors` are shown before asking.
    `search` asks the app for the options of a type-ahead menu."""
    values: dict[str, dict[str, dict]] = {}
    for block in blocks:
        element = block["element"]
        label = text_of(block.get("label"), style)
        if block.get("block_id") in errors:
            say(style.paint(f"  ⚠ {label}: {errors[block['block_id']]}", "danger"))
        hint = text_of(block.get("hint"), style)
        if hint:
            say(style.paint(f"  {hint}", "dim"))
        if element.get("type") == "external_select" and search is not None:
            state = _ask_search(element, label, ask, say, style, search)
        else:
            state = _ask_one(element, label, bool(block.get("optional")), ask, say, style,
                             users)
        values[block.get("block_id", "")] = {element.get("action_id", ""): state}
    return values


def _ask_one(element: dict, label: str, optional: bool, ask: Ask, say: Say, style: Style,
             users: LocalUsers) -> dict[str, Any]:
    kind = element.get("type", "")
    reader = READERS.get(kind)
    if reader is None:
        say(f"  ({label}: a {kind} cannot be filled in the console; left empty)")
        return {"type": kind}
    if kind in ("static_select", "radio_buttons", "multi_static_select", "checkboxes"):
        for number, option in enumerate(options(element), 1):
            say(f"    {style.paint(f'[{number}]', 'number')} {text_of(option.get('text'), style)}")
    prompt = f"  {label}{_default_note(element, users)}{' (optional)' if optional else ''}: "
    while True:
        typed = ask(prompt)
        if typed is None or typed.strip() in (":cancel", ":quit", ":q"):
            raise Cancelled
        try:
            value = reader(element, typed.strip(), users)
        except ValueError as error:
            say(style.paint(f"  ⚠ {error}", "danger"))
            continue
        if value is None and not optional:
            say(style.paint("  ⚠ Please fill out this field.", "danger"))
            continue
        return {"type": kind, **({} if value is None else value)}


def _ask_search(element: dict, label: str, ask: Ask, say: Say, style: Style,
                search: Search) -> dict[str, Any]:
    """A type-ahead menu: a search text, the options the app answered, one picked by its
    number (anything else searches again)."""
    typed = _answer(ask, f"  {label}, search (Enter lists the first ones): ")
    while True:
        try:
            offered = search(element.get("action_id", ""), typed)
        except SlackWouldRefuse as refused:
            say(style.paint(f"  ⚠ Slack would not show this: {refused}", "danger"))
            offered = []
        for number, option in enumerate(offered, 1):
            say(f"    {style.paint(f'[{number}]', 'number')} {text_of(option.get('text'), style)}")
        if not offered:
            say(style.paint("  No results.", "dim"))
        word = _answer(ask, f"  {label}: a number to pick, or search again: ")
        if word.isdigit() and 1 <= int(word) <= len(offered):
            return {"type": "external_select", "selected_option": offered[int(word) - 1]}
        typed = word


def _answer(ask: Ask, prompt: str) -> str:
    typed = ask(prompt)
    if typed is None or typed.strip() in (":cancel", ":quit", ":q"):
        raise Cancelled
    return typed.strip()


def _default_note(element: dict, users: LocalUsers) -> str:
    initial = (element.get("initial_value") or element.get("initial_date")
               or (element.get("initial_option") or {}).get("text", {}).get("text")
               or (users.name(element["initial_user"]) if element.get("initial_user") else None))
    kind = element.get("type")
    form = {"datepicker": " (YYYY-MM-DD)", "users_select": " (a name)",
            "multi_users_select": " (names)", "multi_static_select": " (numbers)",
            "checkboxes": " (numbers)", "static_select": " (number)",
            "radio_buttons": " (number)"}.get(kind or "", "")
    return form + (f" [{initial}]" if initial else "")


def _read_text(element: dict, typed: str, users: LocalUsers) -> dict | None:
    text = typed or element.get("initial_value") or ""
    if not text:
        return None
    if element.get("max_length") and len(text) > element["max_length"]:
        raise ValueError(f"Please use at most {element['max_length']} characters.")
    if element.get("min_length") and len(text) < element["min_length"]:
        raise ValueError(f"Please use at least {element['min_length']} characters.")
    return {"value": text}


def _pick(options: list[dict], word: str) -> dict:
    if word.isdigit() and 1 <= int(word) <= len(options):
        return options[int(word) - 1]
    matches = [o for o in options if o["text"]["text"].lower().startswith(word.lower())]
    if len(matches) != 1:
        raise ValueError(f"Type one of the numbers 1 to {len(options)}.")
    return matches[0]


def _read_select(element: dict, typed: str, users: LocalUsers) -> dict | None:
    if not typed:
        initial = element.get("initial_option")
        return {"selected_option": initial} if initial else None
    return {"selected_option": _pick(options(element), typed)}


def _read_multi(element: dict, typed: str, users: LocalUsers) -> dict | None:
    words = typed.replace(",", " ").split()
    if not words:
        initial = element.get("initial_options")
        return {"selected_options": initial} if initial else None
    return {"selected_options": [_pick(options(element), w) for w in words]}


def _read_date(element: dict, typed: str, users: LocalUsers) -> dict | None:
    text = typed or element.get("initial_date") or ""
    if not text:
        return None
    try:
        return {"selected_date": date.fromisoformat(text).isoformat()}
    except ValueError:
        raise ValueError("Type a date like 2026-12-31.") from None


def _read_user(element: dict, typed: str, users: LocalUsers) -> dict | None:
    if not typed:
        return {"selected_user": element["initial_user"]} if element.get("initial_user") else None
    return {"selected_user": _user(typed, users)}


def _read_users(element: dict, typed: str, users: LocalUsers) -> dict | None:
    words = typed.replace(",", " ").split()
    if not words:
        initial = element.get("initial_users")
        return {"selected_users": initial} if initial else None
    return {"selected_users": [_user(w, users) for w in words]}


def _user(word: str, users: LocalUsers) -> str:
    found = users.find(word)
    if found is None:
        raise ValueError(f"No user {word}; the users are {', '.join(users.names)}.")
    return found


READERS: dict[str, Callable[[dict, str, LocalUsers], dict | None]] = {
    **{kind: _read_text for kind in TEXT_INPUTS},
    "static_select": _read_select, "radio_buttons": _read_select,
    "multi_static_select": _read_multi, "checkboxes": _read_multi,
    "datepicker": _read_date, "users_select": _read_user, "multi_users_select": _read_users,
}
