"""Drives the real Bolt app the way Slack does: signed requests in, captured output out."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_bolt import App

from tests.slackkit import FakeSlack, click, slash_command, text_of, validate_blocks

SIGNING_SECRET = "test-signing-secret"


class Clock:
    """A clock the tests move by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass(frozen=True)
class Reply:
    """One message the app sent to a response_url."""

    body: dict

    @property
    def blocks(self) -> list[dict]:
        return self.body.get("blocks") or []

    @property
    def text(self) -> str:
        return text_of(self.blocks) or self.body.get("text", "")

    @property
    def ephemeral(self) -> bool:
        return self.body.get("response_type", "ephemeral") == "ephemeral"

    @property
    def replaces_original(self) -> bool:
        return bool(self.body.get("replace_original"))


class Driver:
    """Sends slash commands and clicks through `app.dispatch`, as Slack would."""

    def __init__(self, app: App, slack: FakeSlack) -> None:
        self.app = app
        self.slack = slack
        self._ids = itertools.count(1)

    def command(self, text: str, *, command: str = "/deal", user: str = "U1",
                team: str = "T1", channel: str = "C1") -> list[Reply]:
        """Every reply the command produced, each validated as Block Kit."""
        name = f"r{next(self._ids)}"
        request = slash_command(signing_secret=SIGNING_SECRET, text=text, command=command,
                                team_id=team, user_id=user, channel_id=channel,
                                response_url=self.slack.response_url(name))
        response = self.app.dispatch(request.to_bolt())
        assert response.status == 200, response.body
        return self._replies(name)

    def one(self, text: str, **kwargs: str) -> Reply:
        replies = self.command(text, **kwargs)
        assert len(replies) == 1, [r.body for r in replies]
        return replies[0]

    def click(self, reply: Reply, action_id: str, *, user: str = "U1", team: str = "T1",
              channel: str = "C1", selected_option_value: str | None = None) -> list[Reply]:
        """Clicks an element the app rendered in `reply`."""
        name = f"r{next(self._ids)}"
        request = click(signing_secret=SIGNING_SECRET, message_blocks=reply.blocks,
                        action_id=action_id, team_id=team, user_id=user, channel_id=channel,
                        response_url=self.slack.response_url(name),
                        selected_option_value=selected_option_value,
                        ephemeral=reply.ephemeral)
        response = self.app.dispatch(request.to_bolt())
        assert response.status == 200, response.body
        return self._replies(name)

    def _replies(self, name: str) -> list[Reply]:
        replies = [Reply(r.body) for r in self.slack.responses(name)]
        for reply in replies:
            if reply.blocks:
                validate_blocks(reply.blocks)
        return replies
