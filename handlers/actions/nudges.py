"""The buttons of a nudge: Snooze (3 days or a week), Log activity (a note form), Open (the
card, only to the clicker), and See all.

A snooze or a note redraws the nudge in place as it is now (what was snoozed or dealt with
is gone from it) with a line saying what happened. Every element carries `deal:<number>` or
`lead:<number>`; a value the app did not draw is refused with a clear answer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from handlers import ids, messages
from handlers.actions.card_click import field_error
from handlers.blocks.deal_card import card_text, deal_card
from handlers.blocks.format import clip, escape
from handlers.blocks.lead_card import lead_card, lead_card_text
from handlers.blocks.nudges import (
    ALL_SHOWN,
    nothing_blocks,
    nudge_blocks,
    nudge_note_modal,
    snoozed_note,
    with_snooze,
)
from handlers.deps import Deps
from handlers.nudges import current_nudge, nudge_zone
from handlers.replies import Respond, answering_errors, ephemeral
from storage.deals import operations as deals
from storage.deals import queries as deal_queries
from storage.errors import DealbotError, UsageError
from storage.kinds import PipelineKind
from storage.leads import operations as leads
from storage.leads import queries as lead_queries
from storage.nudges.items import item_name, snooze, snoozed_until

_VALUE = re.compile(r"(deal|lead):(\d+)(?::(\d+))?")


@dataclass(frozen=True)
class Item:
    team: str
    user: str
    kind: PipelineKind
    number: int
    days: int | None = None  # a snooze's


def read_item(body: dict, value: str) -> Item:
    found = _VALUE.fullmatch(value or "")
    if found is None:
        raise UsageError(messages.NOT_A_NUDGE)
    return Item(body["team"]["id"], body["user"]["id"], PipelineKind(found.group(1)),
                int(found.group(2)), int(found.group(3)) if found.group(3) else None)


def _subject(item: Item, name: str) -> str:
    what = "" if item.kind == PipelineKind.DEAL else "lead "
    return f"*{what}#{item.number} {escape(clip(name, 80))}*"


def redraw(respond: Respond, deps: Deps, item: Item, note: str) -> None:
    """The nudge as it is now, in place of the one clicked, with `note` under it."""
    zone = nudge_zone(deps.db, team=item.team, user=item.user)
    nudge = current_nudge(deps.db, team=item.team, user=item.user, now=deps.clock(),
                          timezone=zone)
    blocks = (nudge_blocks(nudge.items, currency=nudge.currency, note=note) if nudge
              else nothing_blocks(note))
    respond(replace_original=True, blocks=blocks, text=nudge.text if nudge else note)


def on_snooze(ack: Ack, body: dict, action: dict, respond: Respond, *, deps: Deps) -> None:
    ack()
    with answering_errors(respond):
        item = read_item(body, (action.get("selected_option") or {}).get("value", ""))
        with deps.db.transaction() as s:
            until = snooze(s, team=item.team, kind=item.kind, number=item.number,
                           days=item.days or 0, actor=item.user, now=deps.clock())
            name = item_name(s, team=item.team, kind=item.kind, number=item.number)
        zone = nudge_zone(deps.db, team=item.team, user=item.user)
        redraw(respond, deps, item, snoozed_note(_subject(item, name), _local(until, zone)))


def on_log(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, *,
           deps: Deps) -> None:
    ack()
    with answering_errors(respond):
        item = read_item(body, action.get("value", ""))
        with deps.db.transaction() as s:
            name = item_name(s, team=item.team, kind=item.kind, number=item.number)
        metadata = json.dumps({"item": f"{item.kind}:{item.number}",
                               "response_url": body.get("response_url")})
        client.views_open(trigger_id=body["trigger_id"],
                          view=nudge_note_modal(_subject(item, name), metadata))


def on_note_submit(ack: Ack, body: dict, view: dict, *, deps: Deps) -> None:
    meta = json.loads(view.get("private_metadata") or "{}")
    item = read_item(body, meta.get("item", ""))
    text = ((view["state"]["values"].get(ids.NUDGE_NOTE_BLOCK, {})
             .get(ids.NUDGE_NOTE_BLOCK) or {}).get("value") or "")
    try:
        with deps.db.transaction() as s:
            note = deals.add_note if item.kind == PipelineKind.DEAL else leads.add_lead_note
            note(s, team=item.team, number=item.number, text=text, actor=item.user,
                 now=deps.clock())
            name = item_name(s, team=item.team, kind=item.kind, number=item.number)
    except DealbotError as error:
        ack(response_action="errors", errors={ids.NUDGE_NOTE_BLOCK: field_error(error)})
        return
    ack()
    if meta.get("response_url"):
        redraw(WebhookClient(meta["response_url"]).send, deps, item,
               messages.NUDGE_LOGGED.format(subject=_subject(item, name)))


def on_open(ack: Ack, body: dict, action: dict, respond: Respond, *, deps: Deps) -> None:
    ack()
    with answering_errors(respond):
        item = read_item(body, action.get("value", ""))
        with deps.db.transaction() as s:
            until = snoozed_until(s, team=item.team, kind=item.kind, number=item.number)
            if item.kind == PipelineKind.DEAL:
                deal = deal_queries.show_deal(s, team=item.team, number=item.number)
                blocks, text = deal_card(deal), card_text(deal)
            else:
                lead = lead_queries.show_lead(s, team=item.team, number=item.number)
                blocks, text = lead_card(lead), lead_card_text(lead)
        ephemeral(respond, with_snooze(blocks, until), text)


def on_all(ack: Ack, body: dict, respond: Respond, *, deps: Deps) -> None:
    ack()
    team, user = body["team"]["id"], body["user"]["id"]
    zone = nudge_zone(deps.db, team=team, user=user)
    nudge = current_nudge(deps.db, team=team, user=user, now=deps.clock(), timezone=zone)
    if nudge is None:
        ephemeral(respond, nothing_blocks(messages.NUDGE_ALL_DONE), messages.NUDGE_ALL_DONE)
        return
    ephemeral(respond, nudge_blocks(nudge.items, currency=nudge.currency, shown=ALL_SHOWN),
              nudge.text)


def _local(moment: datetime, zone: str) -> date:
    return moment.astimezone(ZoneInfo(zone)).date()


def _each(action_id: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(action_id)}({re.escape(ids.PER_ITEM)}[dl]\d+)?$")


def register(app: App, deps: Deps) -> None:
    app.action(_each(ids.NUDGE_SNOOZE))(partial(on_snooze, deps=deps))
    app.action(_each(ids.NUDGE_LOG))(partial(on_log, deps=deps))
    app.action(_each(ids.NUDGE_OPEN))(partial(on_open, deps=deps))
    app.action(ids.NUDGE_ALL)(partial(on_all, deps=deps))
    app.view(ids.NUDGE_NOTE_MODAL)(partial(on_note_submit, deps=deps))
