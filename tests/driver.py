"""Drives the real Bolt app the way Slack does: signed requests in, captured output out."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_bolt import App

from bot.slack_standin import (
    FakeSlack,
    click,
    event_callback,
    slash_command,
    submit_view,
    text_of,
    validate_blocks,
    validate_view,
)
from handlers.home_refresh import HomeRefresh

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
    """Sends slash commands and clicks through `app.dispatch`, as Slack would. Home tabs are
    refreshed in the background in production; here `home_refresh` runs them when a test
    looks at a Home tab (`open_home`, `home`, `refresh_homes`)."""

    def __init__(self, app: App, slack: FakeSlack, home_refresh: HomeRefresh, *,
                 name: str = "r") -> None:
        self.app = app
        self.slack = slack
        self.home_refresh = home_refresh
        self.name = name  # response_urls are named after it: two drivers share one stand-in
        self._ids = itertools.count(1)

    def command(self, text: str, *, command: str = "/deal", user: str = "U1",
                team: str = "T1", channel: str = "C1") -> list[Reply]:
        """Every reply the command produced, each validated as Block Kit."""
        name = f"{self.name}{next(self._ids)}"
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
              channel: str = "C1", selected_option_value: str | None = None,
              posted_in: str | None = None) -> list[Reply]:
        """Clicks an element the app rendered in `reply` (posted by `posted_in`'s install,
        by default the clicker's own)."""
        name = f"{self.name}{next(self._ids)}"
        request = click(signing_secret=SIGNING_SECRET, message_blocks=reply.blocks,
                        action_id=action_id, team_id=team, user_id=user, channel_id=channel,
                        response_url=self.slack.response_url(name),
                        selected_option_value=selected_option_value,
                        ephemeral=reply.ephemeral, posted_in=posted_in)
        response = self.app.dispatch(request.to_bolt())
        assert response.status == 200, response.body
        return self._replies(name)

    def click_view(self, view: dict, action_id: str, *, user: str = "U1", team: str = "T1",
                   value: str | None = None) -> None:
        """Clicks an element of a modal or Home tab the app published (no response_url)."""
        request = click(signing_secret=SIGNING_SECRET, view=view, action_id=action_id,
                        team_id=team, user_id=user, value=value)
        response = self.app.dispatch(request.to_bolt())
        assert response.status == 200, response.body

    def submit(self, view: dict, values: dict, *, user: str = "U1", team: str = "T1") -> dict:
        """Submits a modal the app opened; returns the ack body ({} when it closed). Inputs
        not in `values` keep what the app filled in, as in Slack."""
        request = submit_view(signing_secret=SIGNING_SECRET, view=view,
                              values=values,
                              team_id=team, user_id=user)
        response = self.app.dispatch(request.to_bolt())
        assert response.status == 200, response.body
        return json.loads(response.body) if response.body else {}

    def opened_view(self) -> dict:
        """The latest modal the app opened, validated."""
        view = self.slack.calls("views.open")[-1].body["view"]
        validate_view(view)
        return view

    def open_home(self, *, user: str = "U1", team: str = "T1") -> dict:
        """Opens the App Home tab; returns the view the app published, validated."""
        request = event_callback(signing_secret=SIGNING_SECRET, team_id=team,
                                 event_id=f"Ev{next(self._ids)}",
                                 event={"type": "app_home_opened", "user": user,
                                        "channel": f"D{user}", "tab": "home",
                                        "event_ts": "1700000000.000001"})
        response = self.app.dispatch(request.to_bolt())
        assert response.status == 200, response.body
        return self.home(user)

    def refresh_homes(self) -> int:
        """Runs the Home refreshes the app asked for (in production, background work after the
        answers); returns how many ran."""
        return self.home_refresh.flush()

    def home(self, user: str = "U1") -> dict:
        """The Home view last published for `user` once the refreshes asked for ran,
        validated."""
        self.refresh_homes()
        published = [c.body for c in self.slack.calls("views.publish")
                     if c.body.get("user_id") == user]
        assert published, f"no Home tab was published for {user}"
        view = published[-1]["view"]
        validate_view(view)
        return view

    def _replies(self, name: str) -> list[Reply]:
        replies = [Reply(r.body) for r in self.slack.responses(name)]
        for reply in replies:
            if reply.blocks:
                validate_blocks(reply.blocks)
        return replies

