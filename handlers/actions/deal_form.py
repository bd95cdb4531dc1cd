"""Reading a submitted deal form (create, edit, lost, note): values by input, and every
problem keyed by the input it belongs to, for `response_action: errors`."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from handlers import grammar, ids
from handlers.actions.card_click import CardClick, field_error
from handlers.actions.deal_surface import Surface
from handlers.deps import Deps
from storage import text_fields, values
from storage.deals import operations as deals
from storage.errors import DealbotError

T = TypeVar("T")


def card_metadata(click: CardClick | None, body: dict) -> str:
    """What a modal remembers of where it was opened: a view submission has no
    response_url of its own, and the card must be redrawn."""
    channel = (body.get("channel") or {}).get("id") or body.get("channel_id")
    return json.dumps({"deal": click.number if click else None,
                       "version": click.version if click else None,
                       "response_url": body.get("response_url"), "channel": channel})


@dataclass(frozen=True)
class Form:
    """A submitted modal: who, which deal (if any), the values, and where to answer."""

    click: CardClick
    values: dict
    surface: Surface
    response_url: str | None

    def text(self, block_id: str) -> str:
        return ((self.values.get(block_id, {}).get(block_id) or {}).get("value") or "").strip()

    def picked(self, block_id: str, key: str) -> str | None:
        entry: dict[str, dict[str, Any]] = self.values.get(block_id, {})
        chosen = next(iter(entry.values()), {}).get(key) if entry else None
        return chosen.get("value") if isinstance(chosen, dict) else chosen


def read_form(body: dict, view: dict, client: WebClient, deps: Deps) -> Form:
    meta = json.loads(view.get("private_metadata") or "{}")
    team, user = body["team"]["id"], body["user"]["id"]
    number = meta.get("deal") or meta.get("lead")  # the card the form was opened from
    click = CardClick(team=team, user=user, number=int(number or 0),
                      version=int(meta.get("version") or 0))
    url = meta.get("response_url")
    surface = Surface(client=client, deps=deps, team=team, user=user,
                      respond=WebhookClient(url).send if url else None)
    return Form(click, view["state"]["values"], surface, url)


@dataclass(frozen=True)
class DealForm:
    """A valid create or edit form: the deal's fields, and the stage picked (create only)."""

    fields: deals.DealFields
    stage: str | None = None


def deal_fields(form: Form, currency: str, *,
                with_stage: bool = False) -> tuple[DealForm | None, dict[str, str]]:
    """The deal's fields from the create or edit form; or None and the errors by input."""
    errors: dict[str, str] = {}

    def read(block_id: str, reader: Callable[[], T]) -> T | None:
        try:
            return reader()
        except DealbotError as error:
            errors[block_id] = field_error(error)
            return None

    name = read(ids.DEAL_FORM_NAME, lambda: deals.check_name(form.text(ids.DEAL_FORM_NAME)))
    value = read(ids.DEAL_FORM_VALUE, lambda: _amount(form.text(ids.DEAL_FORM_VALUE), currency))
    close = read(ids.DEAL_FORM_CLOSE, lambda: _date(form, ids.DEAL_FORM_CLOSE))
    owner = read(ids.DEAL_FORM_OWNER, lambda: form.picked(ids.DEAL_FORM_OWNER, "selected_user"))
    next_action = read(ids.DEAL_FORM_NEXT,
                       lambda: text_fields.NEXT_ACTION.optional(form.text(ids.DEAL_FORM_NEXT)))
    due = read(ids.DEAL_FORM_DUE, lambda: _date(form, ids.DEAL_FORM_DUE))
    tags = read(ids.DEAL_FORM_TAGS, lambda: typed_tags(form.text(ids.DEAL_FORM_TAGS)))
    stage = (read(ids.DEAL_FORM_STAGE, lambda: form.picked(ids.DEAL_FORM_STAGE, "selected_option"))
             if with_stage else None)
    if errors or name is None or value is None:
        return None, errors
    fields = deals.DealFields(name=name, value=value, expected_close=close, owner=owner,
                              next_action=next_action, next_action_due=due,
                              tags=tuple(tags or ()))
    return DealForm(fields, stage), errors


def _amount(text: str, currency: str) -> Decimal:
    return values.parse_amount(text, currency=currency) if text else Decimal("0")


def _date(form: Form, block_id: str) -> date | None:
    chosen = form.picked(block_id, "selected_date")
    return date.fromisoformat(chosen) if chosen else None


def typed_tags(text: str) -> list[str]:
    """`#q4 #renewal`, also with commas or without the #."""
    words = text.replace(",", " ").split()
    tags = {grammar.parse_tag(w if w.startswith("#") else f"#{w}") for w in words}
    return list(text_fields.checked_tags(tags))
