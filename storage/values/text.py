"""Text as Slack sends it and as we show it: entities, quoting what a user typed, mentions,
and the checks on free text. Pure functions; bad input raises `UsageError`."""

from __future__ import annotations

import re

from storage.errors import UsageError

_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}


def unescape(text: str) -> str:
    """Decodes exactly `&amp;`, `&lt;` and `&gt;`; call it after mentions were taken out."""
    return re.sub(r"&(?:amp|lt|gt);", lambda found: _ENTITIES[found.group()], text)


def escape(text: str) -> str:
    """Encodes exactly `&`, `<` and `>`, so text we send is shown and never interpreted."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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
    raise UsageError(f"{quoted(token)} is not a mention of a Slack user. Type `@` and pick "
                     "the person from the list Slack suggests.")


def parse_channel_mention(token: str) -> str:
    """`<#C123|sales>` or `<#C123>` -> `C123` (private channels' ids start with G)."""
    if found := _CHANNEL.fullmatch(token.strip()):
        return found.group(1)
    raise UsageError(f"{quoted(token)} is not a mention of a Slack channel. Type `#` and pick "
                     "the channel from the list Slack suggests.")



def check_text(text: str, limit: int, what: str) -> str:
    """`text` without surrounding space; refused when empty or longer than `limit`."""
    clean = text.strip()
    if not clean:
        raise UsageError(f"{what} cannot be empty.")
    if len(clean) > limit:
        raise UsageError(f"{what} can be at most {limit:,} characters; this one has "
                         f"{len(clean):,}.")
    return clean
