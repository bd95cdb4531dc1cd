"""`/lead` through the real Bolt app: signed requests in, what reached Slack out."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("db")


def lead(driver, text, **kwargs):
    return driver.one(text, command="/lead", **kwargs)


def deal(driver, text, **kwargs):
    return driver.one(text, command="/deal", **kwargs)


def test_a_new_lead_is_shown_as_a_card_in_the_channel(driver):
    reply = lead(driver, "add Jane Roe (Globex) source:Webinar #q4")
    assert not reply.ephemeral
    text = reply.text
    assert "Lead #1 Jane Roe" in text and "Globex" in text and "Awareness" in text
    assert "webinar" in text and "#q4" in text and "<@U1>" in text
    for label in ("→ Interest", "Convert to deal", "Drop"):
        assert label in text


def test_the_done_when_journey_from_lead_to_won_deal(driver, clock):
    lead(driver, "add Jane Roe (Globex) source:webinar")
    clock.advance(days=1)
    assert "Interest" in lead(driver, "move Jane interest").text
    clock.advance(days=2)
    converted = lead(driver, "convert Jane 20k")
    assert not converted.ephemeral
    assert "#1 Jane Roe" in converted.text and "$20,000" in converted.text
    assert "From lead #1 Jane Roe" in converted.text
    assert "From lead #1 Jane Roe" in deal(driver, "show #1").text
    clock.advance(days=7)
    deal(driver, "won #1")
    shown = lead(driver, "show Jane")
    assert shown.ephemeral
    journey = shown.text
    assert "Conversion" in journey and "#1 Jane Roe" in journey
    for step in ("created it in Awareness", "moved it from Awareness to Interest",
                 "converted it into deal #1 Jane Roe", "moved it from Interest to Engagement",
                 "moved it from Engagement to Conversion"):
        assert step in journey
    assert journey.index("Awareness to Interest") < journey.index("Engagement to Conversion")


def test_reopening_the_won_deal_takes_the_lead_out_of_conversion(driver):
    lead(driver, "add Jane Roe")
    lead(driver, "convert Jane 10k")
    deal(driver, "won #1")
    deal(driver, "reopen #1")
    assert "Engagement" in lead(driver, "show #1").text.split("Journey")[0]


def test_add_takes_stage_owner_and_contact(driver):
    reply = lead(driver, "add Ola Nordmann (Equinor) stage:cons owner:<@U2|bob> "
                         "contact:<mailto:ola@equinor.com|ola@equinor.com>")
    assert "Consideration" in reply.text and "<@U2>" in reply.text
    assert "ola@equinor.com" in reply.text and "mailto" not in reply.text


def test_drop_note_list_and_history(driver):
    lead(driver, "add Jane Roe source:webinar")
    lead(driver, "add Bob Smith source:LinkedIn", user="U2")
    assert "met at the booth" in lead(driver, "note Jane met at the booth").text
    dropped = lead(driver, "drop Bob reason: no budget")
    assert "Dropped — no budget" in dropped.text
    listed = lead(driver, "list")
    assert listed.ephemeral and "Jane Roe" in listed.text and "Bob" not in listed.text
    assert "Bob Smith" in lead(driver, "list dropped").text
    assert "Jane Roe" in lead(driver, "list mine source:Webinar").text
    assert "No leads match" in lead(driver, "list mine", user="U2").text
    history = lead(driver, "history Jane")
    assert history.ephemeral and "met at the booth" in history.text


def test_help_is_ephemeral_and_shows_every_subcommand(driver):
    for text in ("help", ""):
        reply = lead(driver, text)
        assert reply.ephemeral
        for word in ("/lead add", "/lead move", "/lead convert", "/lead drop", "/lead list",
                     "/lead note", "/lead history", "/lead show", "/funnel spend",
                     "/lead next", "/lead assign", "company:", "stale"):
            assert word in reply.text


# Bad input: an ephemeral answer that names the problem, shows the form, and changes nothing.

BAD_INPUT = [
    ("frobnicate Jane", "is not something I know"),
    ("move", "Something is missing"),
    ("move Jane", "Tell me the lead and the stage"),
    ("move Nobody interest", "No lead matches `Nobody`"),
    ("move Jane nowhere", "There is no stage called `nowhere`"),
    ("move Jane awareness", "already in Awareness"),
    ("move Jane conversion", "when the deal it was converted into is won"),
    ("add", "A lead needs a name"),
    ("add Ann stage:conversion", "by hand"),
    ("add Ann contact:nonsense", "neither an email address nor a phone number"),
    ("add " + "x" * 201, "at most 200 characters"),
    ("convert", "Which lead should become a deal"),
    ("convert Jane -5k", "negative"),
    ("convert Jane stage:won", "open stage"),
    ("show #99", "There is no lead #99"),
    ("note Jane", "The note is empty"),
    ("drop", "Which lead should be dropped"),
    ("next", "Something is missing"),
    ("next Jane", "What is the next action? Write it after the lead"),
    ("next Nobody call her", "No lead matches `Nobody`"),
    ("next Jane call her due:someday", "someday"),
    ("next Jane call her due:31.02.2026", "there is no 31 February 2026"),
    ("next Jane " + "x" * 501, "at most 500 characters"),
    ("assign", "Tell me the lead and the person, as an @-mention"),
    ("assign Jane", "@-mention"),
    ("assign Jane bob", "bob"),
    ("assign Jane <@U1|ann>", "has that owner already"),
    ("assign #9 <@U2|bob>", "There is no lead #9"),
    ("list stale nowhere", "There is no stage called `nowhere`"),
    ("list company:", "has nothing after it"),
    ("tag", "Which lead, and which tags?"),
    ("tag Jane", "Which tags?"),
    ("tag #emea", "Which lead? Name it before the tags"),
    ("tag Jane #a+b", "is not a tag"),
    ("untag Jane #emea", "has no `#emea` to take away: it has no tags"),
    ("untag Nobody #emea", "No lead matches `Nobody`"),
]


@pytest.mark.parametrize(("text", "words"), BAD_INPUT)
def test_bad_input_gets_a_specific_ephemeral_answer_and_changes_nothing(driver, text, words):
    lead(driver, "add Jane Roe (Globex)")
    before = lead(driver, "history #1").text
    reply = lead(driver, text)
    assert reply.ephemeral, reply.body
    assert ":warning:" in reply.text and words in reply.text
    assert lead(driver, "history #1").text == before
    assert lead(driver, "list").text.count("Jane Roe") == 1
    assert "No deals match" in deal(driver, "list").text


@pytest.mark.parametrize(("prepare", "text", "words"), [
    ("drop Jane", "convert Jane", "is dropped"),
    ("convert Jane 10k", "convert Jane", "became deal #1"),
    ("convert Jane 10k", "convert Jane 5k", "became deal #1"),
    ("convert Jane 10k", "drop Jane", "follows the deal"),
    ("convert Jane 10k", "move Jane interest", "follows the deal"),
])
def test_rules_of_conversion_are_explained(driver, prepare, text, words):
    lead(driver, "add Jane Roe")
    lead(driver, prepare)
    before = lead(driver, "history #1").text
    reply = lead(driver, text)
    assert reply.ephemeral and words in reply.text
    assert lead(driver, "history #1").text == before


def test_several_matches_are_offered_to_pick_from(driver):
    lead(driver, "add Jane Roe")
    lead(driver, "add Jane Doe")
    reply = lead(driver, "move jane interest")
    assert reply.ephemeral and "#1" in reply.text and "#2" in reply.text
    assert "Jane Roe" in reply.text and "Jane Doe" in reply.text


def test_another_workspace_cannot_see_this_workspaces_leads(driver):
    lead(driver, "add Jane Roe", team="T1")
    reply = lead(driver, "convert #1", team="T2")
    assert reply.ephemeral and "There is no lead #1" in reply.text
