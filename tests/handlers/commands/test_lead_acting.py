"""Acting on leads through the real Bolt app: last contact, next action, owner, stale leads
and a company's leads."""

from __future__ import annotations

import pytest

from bot.slack_standin import text_of
from handlers import ids

pytestmark = pytest.mark.usefixtures("db")


def lead(driver, text, **kwargs):
    return driver.one(text, command="/lead", **kwargs)


def test_a_note_is_the_last_contact_on_the_card_show_and_list(driver, clock):
    card = lead(driver, "add Jane Roe (Globex)")
    assert "*Last contact*\nnever" in card.text
    assert "no contact yet, added today" in lead(driver, "list").text
    noted = lead(driver, "note Jane asked for a demo")
    assert not noted.ephemeral and "<!date^" in noted.text.split("*Last contact*")[1]
    clock.advance(days=3)
    assert "(3 days ago)" in lead(driver, "show Jane").text
    assert "last contact 3 days ago" in lead(driver, "list").text


def test_next_action_with_a_due_date_shows_on_the_card_and_in_the_history(driver):
    lead(driver, "add Jane Roe")
    reply = lead(driver, "next Jane Roe send the case study due:2026-12-04")
    assert not reply.ephemeral
    assert "send the case study (due Fri 4 Dec 2026)" in reply.text
    assert "<@U1> set the next action: send the case study" in reply.text
    assert "Next: send the case study (due Fri 4 Dec 2026)" in lead(driver, "list").text
    assert "set the next action: send the case study" in lead(driver, "history #1").text


def test_assign_gives_the_lead_to_someone_else(driver):
    lead(driver, "add Jane Roe")
    reply = lead(driver, "assign Jane <@U2|bob>")
    assert not reply.ephemeral and "<@U1> assigned this to <@U2>" in reply.text
    assert "Jane Roe" in lead(driver, "list mine", user="U2").text
    assert "No leads match" in lead(driver, "list mine").text


def test_stale_lists_the_leads_nobody_contacted_within_the_limit(driver, clock):
    lead(driver, "add Jane Roe")
    lead(driver, "add Bob Smith")
    clock.advance(days=10)
    lead(driver, "note Bob called him")
    clock.advance(days=5)
    stale = lead(driver, "list stale")
    assert stale.ephemeral and "Jane Roe" in stale.text and "Bob" not in stale.text
    assert "added 15 days ago" in stale.text
    assert "No leads match" in lead(driver, "list STALE <@U2|bob>").text


def test_a_companys_leads_are_listed_together_whatever_the_case(driver):
    lead(driver, "add Jane Roe (Globex)")
    lead(driver, "add John Doe (globex)")
    lead(driver, "add Ann Lee (Initech)")
    listed = lead(driver, "list company:GLOBEX")
    assert "Jane Roe" in listed.text and "John Doe" in listed.text and "Ann" not in listed.text
    assert "2 leads" in listed.text


def test_add_note_on_the_card_logs_a_contact_and_redraws_it(driver, slack):
    card = lead(driver, "add Jane Roe")
    lead(driver, "move Jane interest")  # the card is out of date; a note overwrites nothing
    assert driver.click(card, ids.LEAD_ADD_NOTE) == []
    view = driver.opened_view()
    assert driver.submit(view, {ids.LEAD_NOTE_BLOCK: {ids.LEAD_NOTE_BLOCK: {
        "type": "plain_text_input", "value": "   "}}})["response_action"] == "errors"
    assert "logged a contact" not in lead(driver, "history #1").text
    assert driver.submit(view, {ids.LEAD_NOTE_BLOCK: {ids.LEAD_NOTE_BLOCK: {
        "type": "plain_text_input", "value": "called, wants a demo"}}}) == {}
    assert "logged a contact: “called, wants a demo”" in lead(driver, "history #1").text
    assert "(today)" in lead(driver, "show #1").text


def test_tag_and_untag_change_the_tags_on_the_card_and_in_the_list(driver):
    lead(driver, "add Jane Roe #q4")
    tagged = lead(driver, "tag Jane #EMEA #webinar")
    assert not tagged.ephemeral and "`#emea` `#q4` `#webinar`" in tagged.text
    assert "changed the tags of this to emea q4 webinar" in tagged.text
    assert "Jane Roe" in lead(driver, "list #emea").text
    lead(driver, "untag #1 #q4")
    assert "No leads match" in lead(driver, "list #q4").text
    history = lead(driver, "history #1").text
    assert "tags of it to emea q4 webinar" in history and "tags of it to emea webinar" in history


def _edit_form(driver, card):
    assert driver.click(card, ids.LEAD_EDIT) == []
    return driver.opened_view()


def _typed(block_id, value):
    return {block_id: {block_id: {"type": "plain_text_input", "value": value}}}


def test_edit_corrects_every_field_and_each_change_is_history(driver, slack):
    card = lead(driver, "add Jane Rho (Globx) source:webinar #q4")
    view = _edit_form(driver, card)
    initial = {b["block_id"]: b["element"].get("initial_value") for b in view["blocks"]}
    assert initial[ids.LEAD_FORM_NAME] == "Jane Rho" and initial[ids.LEAD_FORM_TAGS] == "#q4"
    answer = driver.submit(view, {
        **_typed(ids.LEAD_FORM_NAME, "Jane Roe"), **_typed(ids.LEAD_FORM_COMPANY, "Globex"),
        **_typed(ids.LEAD_FORM_CONTACT, "jane@globex.com"),
        **_typed(ids.LEAD_FORM_TAGS, "#emea"), **_typed(ids.LEAD_FORM_NEXT, "book a demo"),
        ids.LEAD_FORM_DUE: {ids.LEAD_FORM_DUE: {"type": "datepicker",
                                                "selected_date": "2026-12-04"}},
        ids.LEAD_FORM_OWNER: {ids.LEAD_FORM_OWNER: {"type": "users_select",
                                                    "selected_user": "U2"}}})
    assert answer == {}
    redrawn = slack.responses()[-1].body
    assert redrawn["replace_original"] and "<@U1> edited this" in text_of(redrawn["blocks"])
    shown = lead(driver, "show #1").text
    assert "Jane Roe" in shown and "Globex" in shown and "jane@globex.com" in shown
    assert "book a demo (due Fri 4 Dec 2026)" in shown and "<@U2>" in shown
    assert "`#emea`" in shown and "#q4" not in shown
    history = lead(driver, "history #1").text
    for line in ("changed the name of it to Jane Roe", "changed the company of it to Globex",
                 "changed the contact of it to jane@globex.com", "assigned it to <@U2>",
                 "changed the tags of it to emea", "changed the next action of it to book a demo",
                 "changed the next action due date of it to Fri 4 Dec 2026"):
        assert line in history


@pytest.mark.parametrize(("block_id", "value", "words"), [
    (ids.LEAD_FORM_NAME, "  ", "A lead needs a name"),
    (ids.LEAD_FORM_CONTACT, "jane", "neither an email address nor a phone number"),
    (ids.LEAD_FORM_TAGS, "#a+b", "is not a tag"),
])
def test_a_wrong_field_in_the_edit_form_is_shown_beside_it_and_saves_nothing(
        driver, slack, block_id, value, words):
    card = lead(driver, "add Jane Roe (Globex)")
    before = lead(driver, "history #1").text
    answer = driver.submit(_edit_form(driver, card), _typed(block_id, value))
    assert answer["response_action"] == "errors" and words in answer["errors"][block_id]
    assert lead(driver, "history #1").text == before


def test_an_edit_form_that_changes_nothing_or_is_out_of_date_saves_nothing(driver, slack):
    card = lead(driver, "add Jane Roe (Globex)")
    view = _edit_form(driver, card)
    unchanged = driver.submit(view, {})
    assert "Nothing changed" in unchanged["errors"][ids.LEAD_FORM_NAME]
    assert driver.click(card, ids.LEAD_ADVANCE)[0].replaces_original
    stale = driver.submit(view, _typed(ids.LEAD_FORM_NAME, "Jane Doe"))
    assert "changed while the form was open" in stale["errors"][ids.LEAD_FORM_NAME]
    assert "Jane Doe" not in lead(driver, "history #1").text


def test_dropping_a_dropped_lead_with_a_reason_changes_its_reason(driver):
    lead(driver, "add Jane Roe")
    lead(driver, "drop Jane")
    again = lead(driver, "drop Jane")
    assert again.ephemeral and "add `reason:`" in again.text
    changed = lead(driver, "drop Jane reason: went with a competitor")
    assert not changed.ephemeral and "Dropped — went with a competitor" in changed.text
    assert "changed the drop reason of this to went with a competitor" in changed.text
    assert "changed the drop reason of it to went with a competitor" in lead(
        driver, "history #1").text


def _value(text):
    return {ids.LEAD_CONVERT_VALUE_BLOCK: {ids.LEAD_CONVERT_VALUE: {
        "type": "plain_text_input", "value": text}}}


def test_convert_without_an_amount_asks_for_the_value_before_any_deal_exists(driver, slack):
    lead(driver, "add Jane Roe (Globex)")
    assert driver.command("convert Jane stage:meeting", command="/lead") == []
    view = driver.opened_view()
    value_input = next(b for b in view["blocks"] if b.get("block_id") ==
                       ids.LEAD_CONVERT_VALUE_BLOCK)
    assert not value_input.get("optional") and "0 when it has no value yet" in str(value_input)
    assert "'initial_option': {'text': {'type': 'plain_text', 'text': 'Meeting'}" in str(view)
    assert "No deals match" in driver.one("list", command="/deal").text
    empty = driver.submit(view, _value("  "))
    assert "Write its value, or 0" in empty["errors"][ids.LEAD_CONVERT_VALUE_BLOCK]
    assert "No deals match" in driver.one("list", command="/deal").text
    assert driver.submit(view, _value("20k")) == {}
    posted = slack.responses()[-1].body
    assert posted["response_type"] == "in_channel" and not posted.get("replace_original")
    text = text_of(posted["blocks"])
    assert "$20,000" in text and "Meeting" in text
    assert "<@U1> converted lead #1 into this deal" in text


def test_convert_without_an_amount_refuses_at_once_what_it_could_not_convert(driver, slack):
    lead(driver, "add Jane Roe")
    lead(driver, "drop Jane")
    reply = lead(driver, "convert Jane")
    assert reply.ephemeral and "is dropped" in reply.text
    assert slack.calls("views.open") == []


def test_a_companys_deals_are_listed_together_whatever_the_case(driver):
    lead(driver, "add Jane Roe (Globex)")
    lead(driver, "convert Jane 20k")
    driver.one("new Initech renewal 5k", command="/deal")
    listed = driver.one("list company:globex", command="/deal")
    assert listed.ephemeral and "Jane Roe" in listed.text and "Initech" not in listed.text
    assert "No deals match" in driver.one("list company:Initech", command="/deal").text


def test_the_funnels_sources_for_one_tag_and_their_share_button(driver):
    lead(driver, "add Jane Roe source:webinar #enterprise")
    lead(driver, "add Bob Smith source:ads")
    report = driver.one("#enterprise", command="/funnel")
    assert "New leads tagged #enterprise" in report.text
    assert "webinar: 1" in report.text and "ads" not in report.text.split("tagged")[1][:80]
    [shared] = driver.click(report, "report.share")
    assert "New leads tagged #enterprise" in shared.text and not shared.ephemeral
    assert "New leads tagged" not in driver.one("", command="/funnel").text
    bad = driver.one("#a #b", command="/funnel")
    assert bad.ephemeral and "one tag at a time" in bad.text
