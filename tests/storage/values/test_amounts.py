"""storage/values/amounts.py: amounts as people of each currency type them, and percentages.
Tables of forms, refusals first, each with what the user reads."""

from __future__ import annotations

from decimal import Decimal

import pytest

from storage.values import looks_like_amount, parse_amount, parse_percent
from tests.storage.values import nbsp, refusal

# --- Refused ----------------------------------------------------------------------------

def test_a_word_is_not_an_amount_and_the_reply_shows_how_to_write_one():
    assert refusal(parse_amount, "50x") == (
        "`50x` is not an amount. Write it like `50000`, `50k`, `1.2m` or `$50,000`.")


def test_the_example_of_how_to_write_an_amount_is_in_the_workspaces_currency():
    assert refusal(parse_amount, "lots", currency="NOK") == (
        "`lots` is not an amount. Write it like `50000`, `50k`, `1.2m` or "
        f"`{nbsp('50 000 kr')}`.")


NOT_AMOUNTS = [  # (text, workspace currency)
    ("abc", "USD"), ("1.2.3", "USD"), ("50 00", "USD"), ("1e6", "USD"), ("$", "USD"),
    ("k", "USD"), ("50kk", "USD"), ("50 XYZ", "USD"), ("usd 50", "USD"), ("Top 50", "USD"),
    ("50k!", "USD"), ("--50", "USD"), ("1,2,3", "USD"), ("12,345,67", "USD"),
    ("1.234.56", "EUR"), ("1 234.567,50", "EUR"), ("1,23,456", "USD"), ("50.", "USD"),
    ("0,500,000", "USD"), ("1.234 567", "NOK"), ("50 000,00,00", "NOK"), ("1.234,5.0", "EUR"),
    ("kr", "NOK"), ("50 ft", "USD"), ("31.12.2026", "NOK"), ("31.12.", "NOK"),
]


@pytest.mark.parametrize(("text", "currency"), NOT_AMOUNTS)
def test_text_outside_the_amount_grammar_is_not_an_amount(text, currency):
    assert refusal(parse_amount, text, currency=currency).startswith(
        f"`{text}` is not an amount.")
    assert not looks_like_amount(text, currency=currency)


def test_an_empty_amount_is_refused_without_an_empty_code_span():
    assert refusal(parse_amount, "  ").startswith("Nothing is not an amount.")


@pytest.mark.parametrize("text", ["-50k", "-$50", "$-50", "−500", "- 50", "-50 000 kr"])
def test_a_negative_amount_is_refused(text):
    assert refusal(parse_amount, text, currency="NOK" if "kr" in text else "USD") == (
        f"`{text}` is negative: an amount is 0 or more.")


@pytest.mark.parametrize("text", ["1000000000000.01", "1001bn", "1,000,000,000,001", "2000b",
                                  "9" * 40])
def test_an_amount_over_a_trillion_is_refused_and_names_the_largest_value(text):
    assert refusal(parse_amount, text).endswith(
        "is too large: the largest value is $1,000,000,000,000.")


def test_the_largest_value_is_written_in_the_workspaces_currency():
    assert refusal(parse_amount, "1001bn", currency="NOK").endswith(
        f"the largest value is {nbsp('1 000 000 000 000 kr')}.")


OTHER_CURRENCY = [  # (text, workspace currency, what the text is in)
    ("$500", "NOK", "USD"), ("€50", "NOK", "EUR"), ("£50", "NOK", "GBP"),
    ("50k sek", "NOK", "SEK"), ("50 EUR", "USD", "EUR"), ("EUR 50", "NOK", "EUR"),
    ("CA$50", "USD", "CAD"), ("$50 EUR", "USD", "EUR"), ("¥5000", "EUR", "JPY"),
    ("50.000,50 €", "NOK", "EUR"), ("R$ 500", "EUR", "BRL"), ("50 000 NOK", "SEK", "NOK"),
    ("500 kr", "USD", "kroner (NOK, SEK, DKK or ISK)"),
    ("kr 50 000", "EUR", "kroner (NOK, SEK, DKK or ISK)"),
]


@pytest.mark.parametrize(("text", "currency", "written_in"), OTHER_CURRENCY)
def test_an_amount_in_another_currency_is_refused_naming_both_and_not_converted(
        text, currency, written_in):
    assert refusal(parse_amount, text, currency=currency) == (
        f"This workspace counts in {currency}; `{text}` is in {written_in}. Amounts are not "
        f"converted: type it in {currency}, or an admin can change the currency with "
        "`/deal settings currency`.")


AMBIGUOUS = [  # (text, workspace currency, the mark, the whole number as the workspace shows it)
    ("1.200", "USD", "point", "$1,200"), ("$1.500", "USD", "point", "$1,500"),
    ("1,200", "EUR", "comma", "1.200 €"), ("1,200", "NOK", "comma", "1 200 kr"),
    ("kr 2,500", "NOK", "comma", "2 500 kr"), ("1.200", "CHF", "point", "CHF 1'200"),
]


@pytest.mark.parametrize(("text", "currency", "mark", "whole"), AMBIGUOUS)
def test_the_currencys_own_decimal_mark_before_three_digits_is_refused_as_ambiguous(
        text, currency, mark, whole):
    digits = "".join(c for c in text if c.isdigit())
    assert refusal(parse_amount, text, currency=currency) == (
        f"`{text}` is ambiguous: the {mark} could separate thousands or decimals. "
        f"Write `{digits}` for {nbsp(whole)}, or use at most two decimals.")


def test_a_very_long_amount_is_quoted_shortened_in_the_reply():
    message = refusal(parse_amount, "x" * 500)
    assert "x" * 59 + "…`" in message and "x" * 61 not in message


# --- Read -------------------------------------------------------------------------------

READ = [  # (text, workspace currency, value)
    # a bare number, suffixes, and US writing in a USD workspace
    ("50000", "USD", "50000.00"), ("50k", "USD", "50000.00"), ("50K", "USD", "50000.00"),
    ("1.2m", "USD", "1200000.00"), ("1.5bn", "USD", "1500000000.00"),
    ("1b", "USD", "1000000000.00"), ("1.200k", "USD", "1200.00"), ("0.5k", "USD", "500.00"),
    ("0", "USD", "0.00"), ("12.5", "USD", "12.50"), ("0.005", "USD", "0.01"),
    ("50000.505", "USD", "50000.51"), ("$50,000", "USD", "50000.00"),
    ("$ 50,000", "USD", "50000.00"), ("50,000.50", "USD", "50000.50"),
    ("1,200,000", "USD", "1200000.00"), ("1,200k", "USD", "1200000.00"),
    ("50 000", "USD", "50000.00"), ("50k USD", "USD", "50000.00"),
    ("USD 50k", "USD", "50000.00"), ("50 usd", "USD", "50.00"), ("$50 USD", "USD", "50.00"),
    ("US$50", "USD", "50.00"), ("0.500", "USD", "0.50"), ("1234.567", "USD", "1234.57"),
    # either decimal mark anywhere, when the number can be read only one way
    ("50,00", "USD", "50.00"), ("5,0000", "USD", "5.00"), ("1.200.000", "USD", "1200000.00"),
    ("1,234.50", "USD", "1234.50"), ("1.234,50", "USD", "1234.50"), ("50'000", "USD", "50000.00"),
    # Norwegian kroner
    ("50 000 NOK", "NOK", "50000.00"), ("50 000 nok", "NOK", "50000.00"),
    ("NOK 50 000", "NOK", "50000.00"), ("kr 50 000", "NOK", "50000.00"),
    ("50 000 kr", "NOK", "50000.00"), ("50000kr", "NOK", "50000.00"),
    ("Kr 500", "NOK", "500.00"), ("kr. 500", "NOK", "500.00"),
    ("NOK 50k", "NOK", "50000.00"), ("50k NOK", "NOK", "50000.00"), ("50k", "NOK", "50000.00"),
    ("1.2m", "NOK", "1200000.00"), ("50 000", "NOK", "50000.00"),
    ("1 234,50", "NOK", "1234.50"), ("1 234,50 kr", "NOK", "1234.50"),
    ("50.000", "NOK", "50000.00"), ("kr 50.000,-", "NOK", "50000.00"),
    ("kr 50 000,-", "NOK", "50000.00"), ("1,5k", "NOK", "1500.00"), ("99,5", "NOK", "99.50"),
    ("1 250 000 kr", "NOK", "1250000.00"), ("50\u00a0000 NOK", "NOK", "50000.00"),
    ("50\u202f000\u00a0kr", "NOK", "50000.00"), ("50 000 kr", "NOK", "50000.00"),
    # the other kroner
    ("1 500 kr", "SEK", "1500.00"), ("1 500 kr", "DKK", "1500.00"),
    ("50.000 kr.", "DKK", "50000.00"), ("50 000:-", "SEK", "50000.00"),
    ("50.000 kr.", "ISK", "50000.00"),
    # euros, written as in Germany or as in Ireland
    ("50.000,50 €", "EUR", "50000.50"), ("€50k", "EUR", "50000.00"), ("€75k", "eur", "75000.00"),
    ("75k", "EUR", "75000.00"), ("50.000", "EUR", "50000.00"),
    ("1.234.567,89", "EUR", "1234567.89"), ("50 EUR", "EUR", "50.00"),
    ("EUR 1.250,50", "EUR", "1250.50"), ("1,5k", "EUR", "1500.00"), ("1.2m", "EUR", "1200000.00"),
    ("€ 50.000", "EUR", "50000.00"), ("€1,250.50", "EUR", "1250.50"),
    # Swiss francs, zloty, and a currency whose symbol is another's
    ("CHF 50'000", "CHF", "50000.00"), ("CHF 50’000", "CHF", "50000.00"),
    ("50'000.50 CHF", "CHF", "50000.50"), ("1,200", "CHF", "1200.00"),
    ("50 000 zł", "PLN", "50000.00"), ("$50,000", "CAD", "50000.00"),
    ("CA$50k", "CAD", "50000.00"), ("R$ 1.250,50", "BRL", "1250.50"),
]


@pytest.mark.parametrize(("text", "currency", "value"), READ)
def test_amounts_are_read_as_decimals_in_cents(text, currency, value):
    amount = parse_amount(text, currency=currency)
    assert isinstance(amount, Decimal) and str(amount) == value
    assert looks_like_amount(text, currency=currency)


@pytest.mark.parametrize("text", ["1,000,000,000,000", "1000bn", "1000000000000",
                                  "1.000.000.000.000"])
def test_exactly_a_trillion_is_allowed(text):
    assert parse_amount(text) == Decimal("1000000000000.00")


@pytest.mark.parametrize("text", ["50k", "50 000 NOK", "-50k", "50 EUR", "3M", "€1.200",
                                  "1001bn", "kr 50", "$500", "1,200"])
def test_anything_written_as_an_amount_looks_like_one_even_when_it_will_be_refused(text):
    assert looks_like_amount(text, currency="NOK")


@pytest.mark.parametrize("text", ["Acme", "3M Company", "Q4", "50x", "Top 50", "Bob 20k",
                                  "2026-12-01", "#12", "", "50 box", "Corp 50k", "Tower 50 ft"])
def test_names_do_not_look_like_amounts(text):
    assert not looks_like_amount(text)


# --- Percent ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "message"), [
    ("abc", "`abc` is not a percentage. Write a whole number from 0 to 100, like `35` or `35%`."),
    ("35 percent", "`35 percent` is not a percentage. Write a whole number from 0 to 100, "
                   "like `35` or `35%`."),
    ("35.5", "`35.5` is not a whole number: write a whole percentage, like `35`."),
    ("101", "`101` is out of range: a percentage lies between 0 and 100."),
    ("-1%", "`-1%` is out of range: a percentage lies between 0 and 100."),
])
def test_a_percentage_outside_whole_numbers_from_0_to_100_is_refused(text, message):
    assert refusal(parse_percent, text) == message


@pytest.mark.parametrize(("text", "percent"), [("35", 35), ("35%", 35), (" 35 % ", 35), ("0", 0),
                                               ("100%", 100), ("007", 7)])
def test_a_percentage_is_read_with_or_without_the_sign(text, percent):
    assert parse_percent(text) == percent
