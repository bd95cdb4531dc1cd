"""Text as Slack sends it and as we show it: entities, quoting what a user typed, mentions,
control characters. Pure functions; bad input raises `UsageError`."""

from __future__ import annotations

import re

from storage.errors import UsageError

_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}


def unescape(text: str) -> str:
    """Decodes exactly `&amp;`, `&lt;` and `&gt;`; call it after mentions were taken out."""
    return re.sub(r"&(?:amp|lt|gt);", lambda found: _ENTITIES[found.group()], text)


def escape(text: str) -> str:
    """Encodes exactly `&`, `<` and `>`, so text we send is shown and never interpreted.
    The one rule for user text in anything Slack reads as mrkdwn (and nothing else)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_MARKUP = re.compile(r"<([^<>]*)>")
_SCHEMES = ("https://", "http://", "mailto:", "tel:")


def as_typed(text: str) -> str:
    """Command text as Slack sends it (escaping on) turned into what the person typed and
    saw: every `<...>` Slack made is unwrapped, then the entities decoded.

    `<http://acme.io|acme.io>` -> `acme.io`; `<mailto:j@a.test|j@a.test>` -> `j@a.test`;
    a link whose text hides where it goes, `<https://evil.example/x|click>`, keeps both:
    `click (https://evil.example/x)`; `<@U1|bob>` -> `@bob`, `<#C1|sales>` -> `#sales`;
    `<!channel>`, `<!here>` -> `@channel`, `@here`; `<!subteam^S1|@sales>` -> `@sales`.
    Use it on free text (names, notes, references, stage words), not on a word the grammar
    reads as a mention (`owner:<@U1|bob>`, `<#C1>` in subscribe)."""
    return unescape(_MARKUP.sub(lambda found: _unwrapped(found.group(1)), text))


def _unwrapped(inner: str) -> str:
    target, _, label = inner.partition("|")
    if target[:1] in ("@", "#"):
        return target[0] + (label or target[1:])
    if target.startswith("!"):
        word, *ids = target[1:].split("^")
        if word == "date":
            return label
        return "@" + (label.lstrip("@") if label else (ids or [word])[0])
    address = target.removeprefix("mailto:").removeprefix("tel:")
    bare = next((target[len(s):] for s in _SCHEMES if target.startswith(s)), target)
    if not label or "".join(label.split()) in (target, bare):  # Slack's own auto-link
        return label or address
    return f"{label} ({address})"


# Every control character (Unicode category Cc) but tab, line feed and carriage return, and
# the lone surrogates a JSON payload can carry but no database can store.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def without_controls(text: str) -> str:
    """`text` without control characters (NUL, which PostgreSQL refuses in text, among
    them); tabs and line breaks stay: they are whitespace."""
    return _CONTROLS.sub("", text)


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """A count and its noun in the right number: `1 deal`, `2 deals`, `1,250 deals`, `0 deals`;
    `plural` where adding an s is wrong (`counted(n, "entry", "entries")`)."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def quoted(text: str) -> str:
    """The user's text as inline code in a message, shortened."""
    text = " ".join(text.split()).replace("`", "'")
    return f"`{text if len(text) <= 60 else text[:59] + '…'}`" if text else "Nothing"


_USER = re.compile(r"<@([UW][A-Z0-9]+)(\|[^>]*)?>")
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(\|[^>]*)?>")


def parse_user_mention(token: str) -> str:
    """`<@U123|ann>` or `<@U123>` -> `U123`."""
    if found := _USER.fullmatch(token.strip()):
        return found.group(1)
    raise UsageError(f"{quoted(as_typed(token))} is not a mention of a Slack user. Type `@` "
                     "and pick the person from the list Slack suggests.")


def parse_channel_mention(token: str) -> str:
    """`<#C123|sales>` or `<#C123>` -> `C123` (private channels' ids start with G)."""
    if found := _CHANNEL.fullmatch(token.strip()):
        return found.group(1)
    raise UsageError(f"{quoted(as_typed(token))} is not a mention of a Slack channel. Type `#` "
                     "and pick the channel from the list Slack suggests.")

