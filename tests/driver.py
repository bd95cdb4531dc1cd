"""Drives the real Bolt app the way Slack does: signed requests in, captured output out."""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_bolt import App, BoltResponse

from bot.slack_standin import (
    FakeSlack,
    SignedRequest,
    click,
    event_callback,
    global_shortcut,
    message_shortcut,
    slash_command,
    submit_view,
    suggest,
    text_of,
    validate_blocks,
    validate_options,
    validate_view,
)
from handlers.home_refresh import HomeRefresh
from handlers.slow_work import SlowWork

SIGNING_SECRET = "test-signing-secret"


class Clock:
    """A clock the tests move by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class RequestClock:
    """The real time in seconds, which Slack's request timestamps are signed with, moved by
    hand: `advance(5)` makes every request look as if it waited 5 s in the server's queue;
    `stop_at(t)` makes it `t` until moved again."""

    def __init__(self) -> None:
        self.offset = 0.0
        self.stopped: float | None = None

    def __call__(self) -> float:
        return (time.time() if self.stopped is None else self.stopped) + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds

    def stop_at(self, now: float | None) -> None:
        self.stopped, self.offset = now, 0.0


@dataclass(frozen=True)
class Reply:
    """One message the app answered with: the body of its ack, or a post to a response_url."""

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


def ack_reply(body: str) -> Reply | None:
    """The message a slash command's ack carries, as Slack shows it (None: an empty ack)."""
    if not body.strip():
        return None
    return Reply(json.loads(body) if body.lstrip().startswith("{") else {"text": body})


class Driver:
    """Sends slash commands and clicks through `app.dispatch`, as Slack would, and reads the
    answers where Slack shows them: a command's ack body first, then what reached its
    response_url once the slow work it started (reports, exports) has finished. Home tabs
    are refreshed in the background in production; here `home_refresh` runs them when a test
    looks at a Home tab (`open_home`, `home`, `refresh_homes`)."""

    def __init__(self, app: App, slack: FakeSlack, slow_work: SlowWork,
                 home_refresh: HomeRefresh, *, name: str = "r") -> None:
        self.app = app
        self.slack = slack
        self.slow_work = slow_work
        self.home_refresh = home_refresh
        self.name = name  # response_urls are named after it: two drivers share one stand-in
        self._ids = itertools.count(1)

    def command(self, text: str, *, command: str = "/deal", user: str = "U1",
                team: str = "T1", channel: str = "C1") -> list[Reply]:
        """Every reply the command produced, each validated as Block Kit."""
        acked, name = self.ack(text, command=command, user=user, team=team, channel=channel)
        return ([acked] if acked else []) + self.replies(name)

    def ack(self, text: str, *, command: str = "/deal", user: str = "U1", team: str = "T1",
            channel: str = "C1", sent_at: int | None = None) -> tuple[Reply | None, str]:
        """Sends the command (signed at `sent_at`, default now); returns only what its ack
        carried (validated), without waiting for slow work, and the name of its response_url
        for `replies`."""
        name = f"{self.name}{next(self._ids)}"
        request = slash_command(signing_secret=SIGNING_SECRET, text=text, command=command,
                                team_id=team, user_id=user, channel_id=channel,
                                response_url=self.slack.response_url(name), timestamp=sent_at)
        acked = ack_reply(self._dispatch(request).body)
        return (self._validated([acked])[0] if acked else None), name

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
        self._dispatch(request)
        return self.replies(name)

    def click_view(self, view: dict, action_id: str, *, user: str = "U1", team: str = "T1",
                   value: str | None = None) -> None:
        """Clicks an element of a modal or Home tab the app published (no response_url)."""
        request = click(signing_secret=SIGNING_SECRET, view=view, action_id=action_id,
                        team_id=team, user_id=user, value=value)
        self._dispatch(request)

    def submit(self, view: dict, values: dict, *, user: str = "U1", team: str = "T1") -> dict:
        """Submits a modal the app opened; returns the ack body ({} when it closed). Inputs
        not in `values` keep what the app filled in, as in Slack."""
        request = submit_view(signing_secret=SIGNING_SECRET, view=view,
                              values=values,
                              team_id=team, user_id=user)
        response = self._dispatch(request)
        return json.loads(response.body) if response.body else {}

    def shortcut_on(self, message: dict, callback_id: str, *, user: str = "U1",
                    team: str = "T1", channel: str = "C1",
                    channel_name: str = "sales") -> str:
        """Uses the message shortcut `callback_id` on `message` (see `user_message`) in
        `channel`; returns the name of the shortcut's response_url, for `replies`."""
        name = f"{self.name}{next(self._ids)}"
        self._dispatch(message_shortcut(
            signing_secret=SIGNING_SECRET, callback_id=callback_id, message=message,
            response_url=self.slack.response_url(name), team_id=team, user_id=user,
            channel_id=channel, channel_name=channel_name))
        return name

    def global_shortcut(self, callback_id: str, *, user: str = "U1", team: str = "T1") -> None:
        """Uses the global shortcut `callback_id` (from the shortcuts menu or search)."""
        self._dispatch(global_shortcut(signing_secret=SIGNING_SECRET, callback_id=callback_id,
                                       team_id=team, user_id=user))

    def suggest(self, view: dict, action_id: str, typed: str, *, user: str = "U1",
                team: str = "T1") -> list[dict]:
        """Types `typed` into the modal's external_select `action_id`: the options the app
        answered in the ack, checked against what Slack would show."""
        response = self._dispatch(suggest(signing_secret=SIGNING_SECRET, view=view,
                                          action_id=action_id, typed=typed, team_id=team,
                                          user_id=user))
        answer = json.loads(response.body)
        validate_options(answer)
        return answer["options"]

    def updated_view(self) -> dict:
        """The latest modal the app updated (views.update), validated."""
        view = self.slack.calls("views.update")[-1].body["view"]
        validate_view(view)
        return view

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
        self._dispatch(request)
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

    def _dispatch(self, request: SignedRequest) -> BoltResponse:
        """Runs `request` through the app (whose answer in the HTTP body the suite's markup
        check sees, as it sees every `App.dispatch`); fails unless it answered 200."""
        response = self.app.dispatch(request.to_bolt())
        assert response.status == 200, response.body
        return response

    def replies(self, name: str) -> list[Reply]:
        """What reached response_url `name`, once the slow work running has finished."""
        assert self.slow_work.wait_until_idle(), "slow work did not finish within 10 s"
        return self._validated([Reply(r.body) for r in self.slack.responses(name)])

    @staticmethod
    def _validated(replies: list[Reply]) -> list[Reply]:
        for reply in replies:
            if reply.blocks:
                validate_blocks(reply.blocks)
        return replies

