"""handlers/grammar.py: which words of a command are what. Refusals first, each with what
the user reads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from handlers.grammar import (
    extract_options,
    extract_tags,
    move_args,
    parse_subscribe,
    parse_tag,
    report_week,
    split_amount,
    split_command,
    split_date,
    split_value,
)
from storage.errors import UsageError

SUNDAY = date(2026, 11, 22)  # the fixed "today" of relative dates: a Sunday
MONDAY = date(2026, 11, 23)
FRIDAY = date(2026, 11, 27)


def refusal(call: Callable[..., object], *args: object, **kwargs: object) -> str:
    """The message of the UsageError that `call` raises."""
    with pytest.raises(UsageError) as caught:
        call(*args, **kwargs)
    return caught.value.message



# --- Tags -------------------------------------------------------------------------------

def test_a_hash_alone_is_not_a_tag():
    assert refusal(parse_tag, "#") == "A tag needs a name right after the `#`, like `#q4`."


def test_a_hash_and_digits_names_a_deal_not_a_tag():
    assert refusal(parse_tag, "#12") == (
        "`#12` names a deal by its number, not a tag: a tag needs more than digits, like `#q4`.")


@pytest.mark.parametrize("token", ["#hot!", "#a.b", "#r&amp;d", "#q4/q1"])
def test_a_tag_with_other_characters_is_refused(token):
    assert refusal(parse_tag, token) == (
        f"`{token}` is not a tag: use only letters, digits, `-` and `_`, like `#q4-renewal`.")


def test_a_tag_longer_than_forty_characters_is_refused_and_forty_is_allowed():
    assert refusal(parse_tag, "#" + "a" * 41).endswith(
        "is too long for a tag: the most is 40 characters.")
    assert parse_tag("#" + "a" * 40) == "a" * 40


def test_a_word_without_a_hash_is_not_a_tag():
    assert refusal(parse_tag, "q4") == "`q4` is not a tag: a tag starts with `#`, like `#q4`."


@pytest.mark.parametrize(("token", "tag"), [
    ("#Q4", "q4"), ("#q4-renewal", "q4-renewal"), ("#big_deal", "big_deal"), ("#Møte", "møte"),
    ("#2026q4", "2026q4"),
])
def test_a_tag_is_lowercased(token, tag):
    assert parse_tag(token) == tag


def test_tags_are_taken_out_of_the_text_without_repeats_and_deal_numbers_stay():
    assert extract_tags("Acme #Q4 #12 #q4 #big") == ("Acme #12", ["q4", "big"])


def test_channel_mentions_are_not_tags():
    assert extract_tags("Acme <#C1|sales> #hot") == ("Acme <#C1|sales>", ["hot"])


def test_a_malformed_tag_in_the_text_is_refused():
    assert refusal(extract_tags, "Acme #hot!").startswith("`#hot!` is not a tag")


def test_text_without_tags_comes_back_as_it_was():
    assert extract_tags("  Acme   Corp ") == ("Acme   Corp", [])


# --- Options ----------------------------------------------------------------------------

def test_an_option_given_twice_is_refused():
    assert refusal(extract_options, "Acme stage:a stage:b", {"stage"}) == (
        "`stage:` is given twice; give it once.")


@pytest.mark.parametrize("text", ["Acme close:", "Acme close: stage:proposal", "close: #hot",
                                  'close:"" Acme'])
def test_an_option_without_a_value_is_refused(text):
    assert refusal(extract_options, text, {"close", "stage"}) == (
        "`close:` has nothing after it: write its value right after the colon.")


def test_an_option_value_runs_to_the_next_key_or_mention():
    rest, options = extract_options("Acme close:end of month owner:<@U1|a> stage:proposal",
                                    {"close", "owner", "stage"})
    assert rest == "Acme"
    assert options == {"close": "end of month", "owner": "<@U1|a>", "stage": "proposal"}


def test_an_option_value_stops_at_a_tag_which_stays_in_the_text():
    rest, options = extract_options("Acme 50k stage:proposal #hot close:friday",
                                    {"stage", "close"})
    assert (rest, options) == ("Acme 50k #hot", {"stage": "proposal", "close": "friday"})


def test_a_mention_right_after_the_colon_is_the_whole_value():
    rest, options = extract_options("owner:<@U1|ann smith> Acme Corp", {"owner"})
    assert (rest, options) == ("Acme Corp", {"owner": "<@U1|ann smith>"})


@pytest.mark.parametrize("text", ['Acme close:"end of month" 50k',
                                  "Acme close: “end of month” 50k"])
def test_a_quoted_value_ends_at_its_closing_quote(text):
    assert extract_options(text, {"close"}) == ("Acme 50k", {"close": "end of month"})


def test_a_reason_takes_the_rest_of_the_text_whatever_it_holds():
    rest, options = extract_options("Acme reason: chose <@U9|them>, #sad stage:x", {"reason",
                                                                                    "stage"})
    assert (rest, options) == ("Acme", {"reason": "chose <@U9|them>, #sad stage:x"})


def test_keys_match_in_any_case_and_values_keep_theirs():
    assert extract_options("Acme Stage:Proposal", {"stage"}) == ("Acme", {"stage": "Proposal"})


def test_unknown_keys_and_links_stay_in_the_text():
    text = "Jane note:x <https://a.example/b:c> contact:<mailto:j@a.example|j@a.example>"
    rest, options = extract_options(text, {"contact"})
    assert rest == "Jane note:x <https://a.example/b:c>"
    assert options == {"contact": "<mailto:j@a.example|j@a.example>"}


def test_the_text_around_options_keeps_its_line_breaks():
    rest, options = extract_options("Acme send the\nproposal due:friday", {"due"})
    assert (rest, options) == ("Acme send the\nproposal", {"due": "friday"})


def test_text_without_options_comes_back_stripped():
    assert extract_options("  Acme Corp 50k ", {"stage"}) == ("Acme Corp 50k", {})


# --- Commands and escaping --------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Move Acme  proposal", ("move", "Acme  proposal")), ("", ("", "")), ("   ", ("", "")),
    ("  help  ", ("help", "")), ("new\nAcme 50k ", ("new", "Acme 50k")),
])
def test_split_command_lowercases_the_subcommand_and_strips_the_rest(text, expected):
    assert split_command(text) == expected




# --- Values at the end of the words ---------------------------------------------------

@pytest.mark.parametrize(("text", "name", "amount"), [
    ("Acme Corp 50 000 NOK", "Acme Corp", Decimal("50000.00")),
    ("Acme Corp 50k", "Acme Corp", Decimal("50000.00")),
    ("Fjord kr 1 250 000", "Fjord", Decimal("1250000.00")),
    ("Fjord 1 250 000 NOK", "Fjord", Decimal("1250000.00")),
    ("Fjord 50.000,50 kr", "Fjord", Decimal("50000.50")),
    ("3M Company", "3M Company", None), ("Acme", "Acme", None)])
def test_an_amount_at_the_end_of_a_name_is_split_off(text, name, amount):
    assert split_amount(text, "NOK") == (name, amount)


def test_a_last_word_meant_as_an_amount_but_mistyped_is_refused():
    assert refusal(split_amount, "Acme 5o0", "USD").startswith("`5o0` is not an amount.")


def test_an_amount_in_another_currency_at_the_end_is_refused_not_read_as_part_of_the_name():
    assert "is in EUR" in refusal(split_amount, "Acme EUR 500", "USD")
    assert refusal(split_amount, "Fjord $500", "NOK").startswith(
        "This workspace counts in NOK; `$500` is in USD.")


def test_a_value_change_without_an_amount_says_which_word_is_not_one():
    assert refusal(split_value, "Acme lots", "USD", "usage") == "`lots` is not an amount."


def test_the_shortest_date_at_the_end_is_the_date():
    assert split_date("Acme North end of month".split(), SUNDAY, "usage") == (
        "Acme North", date(2026, 11, 30))


def test_a_date_tail_that_does_not_read_gives_the_first_refusal():
    assert refusal(split_date, ["Acme", "31.02"], SUNDAY, "u").startswith("`31.02` could be")


@pytest.mark.parametrize(("text", "expected"), [
    ("#12 to proposal", ("#12", "proposal")), ("Acme North proposal", ("Acme North", "proposal")),
    ("Acme to proposal", ("Acme", "proposal")), ("#12 closed won", ("#12", "closed won"))])
def test_a_move_names_the_record_then_the_stage(text, expected):
    assert move_args(text, what="deal", usage="u") == expected


def test_a_move_needs_a_record_and_a_stage():
    assert refusal(move_args, "Acme", what="lead", usage="u") == (
        "Tell me the lead and the stage to move it to.")


def test_a_subscription_reads_channel_days_time_and_zone_in_any_order():
    wanted = parse_subscribe("at 8am weekdays <#C2|sales> tz:europe/oslo", kind="pipeline",
                             channel="C1", usage="u")
    assert (wanted.channel, wanted.days, wanted.at_time, wanted.timezone) == (
        "C2", ("mon", "tue", "wed", "thu", "fri"), "08:00", "Europe/Oslo")


def test_a_report_week_is_this_last_or_a_named_one():
    this = date(2026, 11, 23)
    assert [report_week(w, this, "u") for w in ("", "last week", "2026-W40")] == [
        this, date(2026, 11, 16), date(2026, 9, 28)]
