"""Live markup in what an app sends: the `<...>` that Slack turns into a ping or a link.

Slack reads as mrkdwn a message's `text` (the notification fallback included), its
attachments' texts, every Block Kit text object of type mrkdwn (in messages, modals and the
Home tab) and a shared file's `initial_comment`. User text escaped as Slack asks (`&`, `<`,
`>` -> entities) holds no `<` at all there, so every `<...>` is markup the app wrote. Dealbot
writes only four kinds: a user `<@U123>`, a channel `<#C123>`, a date `<!date^...|...>`, and
a link to a Slack message that chat.getPermalink gave (`<https://acme.slack.com/archives/
C1/p1700000000000100|message>`). Anything else is user text gone live: `<!channel>`,
`<!here>`, `<!everyone>`, `<!subteam^...>`, a labelled mention `<@U1|bob>` as Slack sends it
in a command, any other link `<https://...|...>`, or any other `<...>`.

A user id or channel id with `EVIL` in it is a canary: tests type it only inside free text
(`call <@UEVIL|bob>`), so it never names a real owner or channel, and seeing it as markup means
a mention typed in a name became live.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bot.slack_standin.server import Recorded, watch

CANARY = "EVIL"
ANGLED = re.compile(r"<[^<>]*>?")
APP_MARKUP = re.compile(
    r"<@[UW][A-Z0-9]+>|<#[CGD][A-Z0-9]+>|<!date\^-?\d+\^[^|<>]*(\|[^<>]*)?>"
    r"|<https://[a-z0-9-]+(\.enterprise)?\.slack\.com/archives/[CGD][A-Z0-9]+/p\d+"
    r"(\?[^\s|<>]*)?\|[^<>|]*>")
MESSAGE_TEXTS = ("text", "initial_comment")
ATTACHMENT_TEXTS = ("text", "pretext", "fallback", "footer")


def live_markup(text: str) -> list[str]:
    """Every `<...>` in mrkdwn `text` that is not markup the app writes on purpose (or that
    names a canary id)."""
    return [found.group() for found in ANGLED.finditer(text)
            if not APP_MARKUP.fullmatch(found.group()) or CANARY in found.group()]


def mrkdwn_texts(body: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(where, text) for every string in a request body that Slack renders as mrkdwn: the
    message's own texts, attachments, and mrkdwn text objects at any depth (blocks, views)."""
    for key in MESSAGE_TEXTS:
        if isinstance(body.get(key), str):
            yield key, body[key]
    for i, attachment in enumerate(_dicts(body.get("attachments"))):
        for key in ATTACHMENT_TEXTS:
            if isinstance(attachment.get(key), str):
                yield f"attachments[{i}].{key}", attachment[key]
        for j, field in enumerate(_dicts(attachment.get("fields"))):
            if isinstance(field.get("value"), str):
                yield f"attachments[{i}].fields[{j}]", field["value"]
    for key in ("blocks", "view", "attachments"):
        yield from _text_objects(body.get(key), key)


def findings(body: dict[str, Any]) -> list[str]:
    """`where: markup` for every piece of live markup in a request body."""
    return [f"{where}: {markup}" for where, text in mrkdwn_texts(body)
            for markup in live_markup(text)]


@contextmanager
def no_live_markup() -> Iterator[list[str]]:
    """Watches everything any stand-in receives (and every answer a driver reports) while
    the block runs; raises AssertionError at the end if any of it held live markup. Yields
    the findings so far. Clearing a stand-in's records does not hide anything from it."""
    found: list[str] = []

    def inspect(record: Recorded) -> None:
        found.extend(f"{record.kind} {record.name} {where}" for where in findings(record.body))

    stop = watch(inspect)
    try:
        yield found
    finally:
        stop()
    if found:
        raise AssertionError("live markup reached Slack:\n" + "\n".join(found))


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _text_objects(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        if value.get("type") == "mrkdwn" and isinstance(value.get("text"), str):
            yield where, value["text"]
        for key, inner in value.items():
            yield from _text_objects(inner, f"{where}.{key}")
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _text_objects(inner, f"{where}[{i}]")
