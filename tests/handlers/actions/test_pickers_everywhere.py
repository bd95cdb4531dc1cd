"""Every modal the app opens asks for a person with Slack's own user picker (`users_select`,
which searches the workspace as you type) and for a deal with the type-ahead deal picker
(`external_select`, served from the database); none lists people or records as fixed
options."""

from __future__ import annotations

import re

import pytest

from bot.slack_standin import user_message
from handlers import ids

pytestmark = pytest.mark.usefixtures("db")
PERSON_LABELS = {"Owner"}
RECORD_LABELS = {"Deal"}
PERSON_OR_RECORD = re.compile(r"^(#\d+|[UW][A-Z0-9]{2,})$")


def every_modal(driver) -> list[dict]:
    """Each form a person can open: from the shortcuts, `/deal new`, a deal card and a lead
    card."""
    deal_card = driver.one("new Acme 50k")
    lead_card = driver.one("add Jane Roe (Globex)", command="/lead")
    driver.global_shortcut(ids.SHORTCUT_NEW_DEAL)
    driver.global_shortcut(ids.SHORTCUT_NEW_LEAD)
    driver.shortcut_on(user_message(text="They want 40 seats"), ids.SHORTCUT_ADD_TO_DEAL)
    for action_id in (ids.DEAL_LOST, ids.DEAL_ADD_NOTE, ids.DEAL_EDIT):
        driver.click(deal_card, action_id)
    for action_id in (ids.LEAD_CONVERT, ids.LEAD_DROP):
        driver.click(lead_card, action_id)
    return [call.body["view"] for call in driver.slack.calls("views.open")]


def test_people_and_deals_are_picked_by_typing_in_every_modal(driver):
    modals = every_modal(driver)
    assert {m["callback_id"] for m in modals} >= {
        ids.DEAL_CREATE_MODAL, ids.LEAD_CREATE_MODAL, ids.CAPTURE_MODAL, ids.DEAL_LOST_MODAL,
        ids.DEAL_NOTE_MODAL, ids.DEAL_EDIT_MODAL, ids.LEAD_CONVERT_MODAL, ids.LEAD_DROP_MODAL}
    asked = []
    for modal in modals:
        for block in modal["blocks"]:
            if block["type"] != "input":
                continue
            label, element = block["label"]["text"], block["element"]
            if label in PERSON_LABELS:
                assert element["type"] == "users_select", (modal["callback_id"], label)
            if label in RECORD_LABELS:
                assert element["type"] == "external_select", (modal["callback_id"], label)
                assert driver.suggest(modal, element["action_id"], "acm")
            fixed = [o["value"] for o in element.get("options", [])]
            assert not [v for v in fixed if PERSON_OR_RECORD.match(v)], (modal["callback_id"],
                                                                          label, fixed)
            asked.append(label)
    assert {"Owner", "Deal"} <= set(asked)
