"""`/deal settings`: shows the workspace's settings; admins choose the activity channel."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

from handlers import grammar, messages
from handlers.blocks.format import context, section
from handlers.commands.common import Call
from handlers.replies import ephemeral
from storage import values
from storage.errors import UsageError
from storage.workspaces import WorkspaceSettings, update_settings, workspace_settings

USAGE = messages.SETTINGS_USAGE
OFF = frozenset({"off", "none", "stop"})


def deal_settings(call: Call, rest: str) -> None:
    word, args = grammar.split_command(rest)
    if not word:
        with call.deps.db.transaction() as s:
            current = workspace_settings(s, team=call.team)
        ephemeral(call.respond, _settings_blocks(current), "The workspace's settings")
        return
    if word != "channel" or len(args.split()) != 1:
        raise UsageError(f"I could not read `/deal settings {values.as_typed(rest.strip())}`.",
                         usage=USAGE)
    channel = None if args.strip().lower() in OFF else values.parse_channel_mention(args)
    call.require_admin("the activity channel")
    with call.deps.db.transaction() as s:
        update_settings(s, team=call.team, now=call.now, activity_channel=channel)
    done = (messages.ACTIVITY_CHANNEL_SET.format(channel=channel) + _join(call, channel)
            if channel else messages.ACTIVITY_CHANNEL_OFF)
    ephemeral(call.respond, [section(f":white_check_mark: {done}")], done)


def _join(call: Call, channel: str) -> str:
    """Joins a public channel so that posting works; a private one needs an invitation."""
    try:
        call.client.conversations_join(channel=channel)
    except SlackApiError:
        return messages.ACTIVITY_CHANNEL_PRIVATE
    return ""


def _settings_blocks(current: WorkspaceSettings) -> list[dict]:
    channel = f"<#{current.activity_channel}>" if current.activity_channel else "none"
    return [section(f"*Workspace settings*\nCurrency: {current.currency}\n"
                    f"Time zone: {current.timezone}\n"
                    f"Deals go stale after {current.rotting_days} days without activity\n"
                    f"Activity channel: {channel}"),
            context(USAGE)]
