"""storage/values/text.py: mentions, Slack's entities and text as people typed it."""

from __future__ import annotations

import pytest

from storage.values import (
    as_typed,
    escape,
    parse_channel_mention,
    parse_user_mention,
    unescape,
)
from tests.storage.values import refusal

# --- Mentions ---------------------------------------------------------------------------

@pytest.mark.parametrize(("token", "typed"), [
    ("@ann", "@ann"), ("<@ann>", "@ann"), ("<@U12", "<@U12"), ("ann", "ann"),
    ("<#C123|sales>", "#sales"), ("<@u123>", "@u123"), ("<!here>", "@here"),
])
def test_a_user_that_is_not_a_slack_mention_is_refused_with_how_to_pick_one(token, typed):
    assert refusal(parse_user_mention, token) == (
        f"`{typed}` is not a mention of a Slack user. Type `@` and pick the person from "
        "the list Slack suggests.")


@pytest.mark.parametrize(("token", "user"), [
    ("<@U123|ann>", "U123"), ("<@U123>", "U123"), ("<@W0ABC|ann smith>", "W0ABC"),
    (" <@U1> ", "U1"),
])
def test_a_user_mention_gives_the_user_id(token, user):
    assert parse_user_mention(token) == user


@pytest.mark.parametrize(("token", "typed"), [
    ("#sales", "#sales"), ("<#sales>", "#sales"), ("<@U1>", "@U1"), ("<#C12", "<#C12"),
    ("<#D123|dm>", "#dm"),
])
def test_a_channel_that_is_not_a_slack_mention_is_refused_with_how_to_pick_one(token, typed):
    assert refusal(parse_channel_mention, token) == (
        f"`{typed}` is not a mention of a Slack channel. Type `#` and pick the channel from "
        "the list Slack suggests.")


@pytest.mark.parametrize(("token", "channel"), [
    ("<#C123|sales>", "C123"), ("<#C123>", "C123"), ("<#G0AB|private>", "G0AB"),
])
def test_a_channel_mention_gives_the_channel_id(token, channel):
    assert parse_channel_mention(token) == channel


def test_unescape_decodes_exactly_the_three_entities_slack_encodes():
    assert unescape("R&amp;D &lt;3 &gt; &quot;x&quot; &nbsp;") == 'R&D <3 > &quot;x&quot; &nbsp;'


def test_unescape_decodes_once_so_an_escaped_entity_stays_literal():
    assert unescape("&amp;lt;") == "&lt;"


@pytest.mark.parametrize(("sent", "typed"), [
    ("<http://acme.io|acme.io>", "acme.io"),  # Slack auto-linked what was typed
    ("<http://www.acme.io/x|www.acme.io/x>", "www.acme.io/x"),
    ("<https://acme.io/a?b=1&amp;c=2>", "https://acme.io/a?b=1&c=2"),
    ("<mailto:jane@acme.test|jane@acme.test>", "jane@acme.test"),
    ("<tel:+4712345678|+47 12 34 56 78>", "+47 12 34 56 78"),
    ("<https://evil.example/x|click>", "click (https://evil.example/x)"),  # nothing hidden
    ("<mailto:jane@acme.test|Jane>", "Jane (jane@acme.test)"),
    ("call <@U123|bob>", "call @bob"), ("<@U123>", "@U123"), ("<#C1|sales>", "#sales"),
    ("<!channel> <!here> <!everyone>", "@channel @here @everyone"),
    ("<!subteam^S1|@sales> <!subteam^S2>", "@sales @S2"),
    ("<!date^1700000000^{date}|Nov 14>", "Nov 14"),
    ("A &amp; B &lt;b&gt; &amp;lt;", "A & B <b> &lt;"),  # typed literally: stays literal
    ("plain words, 50% off", "plain words, 50% off"),
])
def test_as_typed_unwraps_slacks_markup_into_what_the_person_typed(sent, typed):
    assert as_typed(sent) == typed


def test_escape_encodes_exactly_ampersand_and_angle_brackets():
    assert escape("R&D <b> \"*_'") == "R&amp;D &lt;b&gt; \"*_'"
    assert unescape(escape("a & <b> &amp;")) == "a & <b> &amp;"
