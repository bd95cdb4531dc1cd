"""**Add to deal** and **Add to lead**, the message shortcuts: any Slack message becomes a
note on a deal, or on a lead.

The shortcut opens the modal first (its trigger lasts 3 s), with the message's text as the
note and a type-ahead deal (or lead) picker (handlers/actions/pickers.py). Then it asks Slack
for the message's link and puts it into the modal, with a warning when there is none (a conversation
Dealbot is not in, a deleted message). Saving logs the note with the link and the message's
author, which makes the record's last activity (a deal's last contact) now, and shows the
person the card, ephemerally, where the message is.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import partial

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from handlers import ids, messages
from handlers.actions.card_click import field_error
from handlers.activity import after_change
from handlers.blocks.deal_card import card_text, deal_card
from handlers.blocks.deal_modals import capture_modal
from handlers.blocks.format import context, escape
from handlers.blocks.history import describe
from handlers.blocks.lead_card import lead_card, lead_card_text
from handlers.deps import Deps
from storage import text_fields, values
from storage.deals import operations as deals
from storage.deals.views import DealChange, MessageSource
from storage.errors import DealbotError, NotFound
from storage.leads import operations as leads

log = logging.getLogger(__name__)
PERSON = re.compile(r"[UW][A-Z0-9]+")
PERMALINK = re.compile(r"https://[^\s|<>]+")


def note_of(message: dict) -> tuple[str, int]:
    """The message as the note's text: what its author typed (Slack's markup unwrapped,
    control characters out), cut to a note's limit; and how long it was whole."""
    typed = values.without_controls(values.as_typed(message.get("text") or ""))
    whole = "\n".join(line.rstrip() for line in typed.replace("\r\n", "\n").split("\n")).strip()
    return whole[:text_fields.NOTE.limit].rstrip(), len(whole)


@dataclass(frozen=True)
class Target:
    """What a shortcut logs the message on: deals or leads, and the ids of its parts."""

    kind: str  # "deal" or "lead"
    shortcut: str
    modal: str
    picker: str


DEAL = Target("deal", ids.SHORTCUT_ADD_TO_DEAL, ids.CAPTURE_MODAL, ids.PICK_DEAL)
LEAD = Target("lead", ids.SHORTCUT_ADD_TO_LEAD, ids.LEAD_CAPTURE_MODAL, ids.PICK_LEAD)


def on_add_to(ack: Ack, shortcut: dict, client: WebClient, *, target: Target) -> None:
    ack()
    message = shortcut.get("message") or {}
    note, length = note_of(message)
    author = message.get("user") or ""
    origin = {"channel": (shortcut.get("channel") or {}).get("id"), "ts": message.get("ts"),
              "author": author if PERSON.fullmatch(author) else None,
              "response_url": shortcut.get("response_url")}
    opened = client.views_open(trigger_id=shortcut["trigger_id"], view=capture_modal(
        note, json.dumps(origin), length=length, kind=target.kind))
    link, problem = permalink(client, origin)
    view = opened.get("view") or {}
    try:
        client.views_update(view_id=view.get("id"), hash=view.get("hash"), view=capture_modal(
            note, json.dumps({**origin, "link": link, "problem": problem}), length=length,
            notice=problem, kind=target.kind))
    except SlackApiError as error:  # e.g. closed already: the submission asks for the link
        log.info("could not add the link to the Add to %s modal: %s", target.kind,
                 error.response.get("error"))


def permalink(client: WebClient, origin: dict) -> tuple[str | None, str | None]:
    """The message's link, or None and why there is none, in words."""
    try:
        answer = client.chat_getPermalink(channel=origin["channel"], message_ts=origin["ts"])
    except SlackApiError as error:
        code = str(error.response.get("error"))
        return None, messages.NO_LINK.get(code, messages.NO_LINK_OTHER.format(error=code))
    link = str(answer.get("permalink") or "")
    if not PERMALINK.fullmatch(link):
        return None, messages.NO_LINK_OTHER.format(error="no link")
    return link, None


def on_capture_submit(ack: Ack, body: dict, view: dict, client: WebClient, *,
                      deps: Deps, target: Target) -> None:
    origin = json.loads(view.get("private_metadata") or "{}")
    team, actor = body["team"]["id"], body["user"]["id"]
    state = view["state"]["values"]
    chosen = (state.get(target.picker, {}).get(target.picker) or {}).get("selected_option")
    number = str((chosen or {}).get("value", ""))
    if not number.isdigit():
        ack(response_action="errors",
            errors={target.picker: messages.CAPTURE_PICK.format(kind=target.kind)})
        return
    text = (state.get(ids.CAPTURE_NOTE_BLOCK, {}).get(ids.CAPTURE_NOTE_BLOCK) or {}).get("value")
    link, problem = ((origin.get("link"), origin.get("problem"))
                     if "link" in origin or not origin.get("ts") else permalink(client, origin))
    note = {"team": team, "number": int(number), "text": text or "", "actor": actor,
            "now": deps.clock(), "source": MessageSource(link, origin.get("author"))}
    try:
        with deps.db.transaction() as s:
            change = (deals.add_note(s, **note) if target is DEAL
                      else leads.add_lead_note(s, **note))
    except DealbotError as error:
        where = target.picker if isinstance(error, NotFound) else ids.CAPTURE_NOTE_BLOCK
        ack(response_action="errors", errors={where: field_error(error)})
        return
    ack()
    said = describe(change.event)
    if isinstance(change, DealChange):
        blocks, fallback = (deal_card(change.deal, note=said, undo=change.event.change_id),
                            card_text(change.deal))
    else:
        blocks, fallback = (lead_card(change.lead, note=said, undo=change.event.change_id),
                            lead_card_text(change.lead))
    confirm(client, origin, actor, blocks, fallback, messages.CAPTURE_SAVED.format(
        kind=target.kind, number=number), problem)
    if isinstance(change, DealChange):
        after_change(client, deps, team, actor, change.deal, change.event, change.followups)


def confirm(client: WebClient, origin: dict, actor: str, blocks: list[dict], text: str,
            saved: str, problem: str | None) -> None:
    """The card, only for the person who saved the note, where the message is: through the
    shortcut's response_url, else as an ephemeral message in its channel."""
    notes = [saved]
    if problem:
        notes.append(f":warning: {escape(messages.NO_LINK_SAVED.format(why=problem))}")
    blocks = [*blocks, context(*notes)]
    if origin.get("response_url"):
        sent = WebhookClient(origin["response_url"]).send(
            response_type="ephemeral", replace_original=False, blocks=blocks, text=text)
        if sent.status_code == 200:
            return
        log.warning("response_url answered %s; posting the card ephemerally", sent.status_code)
    try:
        client.chat_postEphemeral(channel=origin.get("channel") or actor, user=actor,
                                  blocks=blocks, text=text)
    except SlackApiError as error:
        log.warning("could not confirm the note: %s", error.response.get("error"))


def register(app: App, deps: Deps) -> None:
    for target in (DEAL, LEAD):
        app.shortcut(target.shortcut)(partial(on_add_to, target=target))
        app.view(target.modal)(partial(on_capture_submit, deps=deps, target=target))
