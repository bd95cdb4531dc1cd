"""`/deal export` and `/lead export`: the caller gets the CSV (the columns `dealbot import`
reads) as a file in a direct message from the app; the channel sees nothing."""

from __future__ import annotations

import io

from handlers import messages
from handlers.blocks.format import counted, day, section
from handlers.commands.common import Call
from handlers.replies import ephemeral
from storage.imports import exports
from storage.workspaces import workspace_settings


def deal_export(call: Call, rest: str) -> None:
    _send_export(call, "deals")


def lead_export(call: Call, rest: str) -> None:
    _send_export(call, "leads")


def _send_export(call: Call, kind: str) -> None:
    call.later(lambda: _export(call, kind))


def _export(call: Call, kind: str) -> None:
    out = io.StringIO()
    with call.deps.db.transaction() as s:
        today = call.today(workspace_settings(s, team=call.team).timezone)
        count = exports.write_csv(out, exports.columns_of(s, team=call.team, kind=kind),
                                  exports.rows_of(s, team=call.team, kind=kind))
    channel = call.client.conversations_open(users=call.user)["channel"]["id"]
    call.client.files_upload_v2(channel=channel, content=out.getvalue(),
                                filename=f"dealbot-{kind}-{today.isoformat()}.csv",
                                title=f"Dealbot {kind}, {day(today)}",
                                initial_comment=messages.EXPORT_COMMENT.format(
                                    records=counted(count, kind.removesuffix("s")), kind=kind))
    text = messages.EXPORT_SENT.format(records=counted(count, kind.removesuffix("s")))
    ephemeral(call.respond, [section(text)], text)
