"""The console's local users: `ann` is `U0ANN`, shown as @ann, and is a workspace admin.

Typed command text is turned into what Slack sends with escaping on: `&`, `<`, `>` become
entities and `@ann` becomes `<@U0ANN|ann>`, so the handlers parse exactly what they would
parse in Slack.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.slack_standin.identity import LOCAL_TEAM

NAME = re.compile(r"^[a-z][a-z0-9]{0,20}$")
TYPED_MENTION = re.compile(r"(?<![\w<|@])@([a-z][a-z0-9]{0,20})\b", re.IGNORECASE)


class BadUserName(ValueError):
    """A name that cannot be a local user's; the message says what one looks like."""


class LocalUsers:
    """Known users by name and id. Anyone named with `:user` joins the workspace."""

    def __init__(self, names: list[str], *, timezone: str = "UTC") -> None:
        self.timezone = timezone
        self._names: dict[str, str] = {}
        for name in names:
            self.add(name)

    @staticmethod
    def id_of(name: str) -> str:
        return "U0" + name.upper()

    def add(self, name: str) -> str:
        """The user id of `name` (case-insensitive), adding the user when new."""
        clean = name.lstrip("@").lower()
        if not NAME.match(clean):
            raise BadUserName(f"{name!r} is not a user name: a user name is letters and "
                              "digits, starting with a letter, like `ann`.")
        self._names[self.id_of(clean)] = clean
        return self.id_of(clean)

    def find(self, text: str) -> str | None:
        """The id of the user named (`ann`, `@ann`, `U0ANN`), if known."""
        word = text.strip().lstrip("@")
        if word.upper() in self._names:
            return word.upper()
        uid = self.id_of(word.lower()) if NAME.match(word.lower()) else None
        return uid if uid in self._names else None

    def name(self, user_id: str) -> str:
        return self._names.get(user_id, user_id)

    @property
    def names(self) -> list[str]:
        return sorted(self._names.values())

    def info(self, user_id: str) -> dict[str, Any]:
        """What `users.info` answers: local users own their workspace, so they are admins."""
        name = self.name(user_id)
        offset = datetime.now(ZoneInfo(self.timezone)).utcoffset()
        return {"id": user_id, "team_id": LOCAL_TEAM, "name": name,
                "real_name": name.title(), "tz": self.timezone,
                "tz_offset": int(offset.total_seconds()) if offset else 0,
                "is_admin": True, "is_owner": False, "is_bot": False,
                "profile": {"real_name": name.title(), "display_name": name}}

    def as_slack_text(self, typed: str) -> str:
        """`typed` as Slack delivers it to a command with escaping on."""
        escaped = typed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

        def mention(match: re.Match[str]) -> str:
            uid = self.find(match.group(1))
            return f"<@{uid}|{self.name(uid)}>" if uid else match.group(0)

        return TYPED_MENTION.sub(mention, escaped)
