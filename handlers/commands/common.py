"""What every slash command listener shares: who is calling, and the reply helpers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from slack_bolt import BoltRequest
from slack_sdk import WebClient

from handlers import messages
from handlers.actions.undo import undo_latest
from handlers.activity import after_change
from handlers.blocks.deal_card import card_text, deal_card
from handlers.blocks.history import describe
from handlers.deps import Deps
from handlers.replies import Respond, answer_later, in_channel
from storage import values
from storage.deals.views import DealChange
from storage.errors import NotAllowed, UsageError
from storage.kinds import PipelineKind
from storage.lookup import split_reference
from storage.values import without_controls
from storage.workspaces import workspace_settings


@dataclass(frozen=True)
class Call:
    """One slash command invocation: the caller, where, when, and how to answer."""

    team: str
    user: str
    channel: str
    now: datetime
    deps: Deps
    respond: Respond
    client: WebClient
    trigger_id: str = ""
    response_url: str = ""

    @classmethod
    def of(cls, command: dict, deps: Deps, respond: Respond, client: WebClient) -> Call:
        return cls(team=command["team_id"], user=command["user_id"],
                   channel=command.get("channel_id", ""), now=deps.clock(), deps=deps,
                   respond=respond, client=client, trigger_id=command.get("trigger_id", ""),
                   response_url=command.get("response_url", ""))

    def later(self, work: Callable[[], None]) -> None:
        """Slow work (a report, an export) on the slow-work pool, answering through response_url;
        a full pool is answered at once that Dealbot is busy (`replies.answer_later`)."""
        answer_later(self.respond, self.deps.slow_work, work)

    def today(self, timezone: str) -> date:
        """The caller's workspace date: relative dates like `friday` count from it."""
        return self.now.astimezone(ZoneInfo(timezone)).date()

    def require_admin(self, what: str) -> None:
        """Workspace admins and owners, and anyone in DEALBOT_ADMINS, may pass."""
        if self.user in self.deps.admins:
            return
        info = self.client.users_info(user=self.user)["user"]
        if not (info.get("is_admin") or info.get("is_owner")):
            raise NotAllowed(messages.NOT_ADMIN.format(what=what))


def without_control_characters(request: BoltRequest) -> None:
    """The step (handlers.before_listeners) that takes control characters out of a command's
    text before any listener reads it: NUL and its kind are no words, and PostgreSQL refuses
    NUL even in a lookup. Modal inputs and imports are cleaned the same way by storage
    (storage.text_fields)."""
    body = request.body
    if body.get("command") and isinstance(body.get("text"), str):
        body["text"] = without_controls(body["text"])


def show_change(call: Call, change: DealChange) -> None:
    """Posts the changed deal's card in the channel, with a line saying what happened; then
    the activity channel hears of stage changes and the caller's Home tab is refreshed."""
    note = describe(change.event, currency=change.deal.currency)
    in_channel(call.respond, deal_card(change.deal, note=note, undo=change.event.change_id),
               card_text(change.deal))
    after_change(call.client, call.deps, call.team, call.user, change.deal, change.event,
                 change.followups)


def undo_latest_change(call: Call, rest: str, kind: PipelineKind) -> None:
    """`/deal undo`, `/lead undo`: nothing may follow the word."""
    if rest.strip():
        raise UsageError(f"`/{kind} undo` takes nothing after it: it undoes your latest "
                         f"change to a {kind}.", usage=f"`/{kind} undo`")
    undo_latest(call.respond, call.client, call.deps, team=call.team, user=call.user, kind=kind)


def require(value: str, usage: str, what: str = messages.MISSING) -> str:
    if not value.strip():
        raise UsageError(what, usage=usage)
    return value.strip()


def next_action_of(call: Call, s, rest: str, options: Mapping[str, str], *,
                   kind: PipelineKind, usage: str) -> tuple[int, str, date | None]:
    """`/deal next` and `/lead next`: the record `rest` starts with, the action written after
    it, and its `due:` day (read in the team's time zone), within the command's transaction."""
    today = call.today(workspace_settings(s, team=call.team).timezone)
    due = (values.parse_date(values.as_typed(options["due"]), today=today)
           if options.get("due") else None)
    number, text = split_reference(s, team=call.team, text=values.as_typed(rest), kind=kind)
    if not text:
        raise UsageError(f"What is the next action? Write it after the {kind}.", usage=usage)
    return number, text, due
