"""Currency codes a workspace may use: ISO 4217 codes of money in use today, in any case."""

from __future__ import annotations

import pytest

from storage.currencies import parse_currency_code
from storage.errors import UsageError


@pytest.mark.parametrize(("text", "code"), [
    ("NOK", "NOK"), ("nok", "NOK"), (" Eur ", "EUR"), ("sek", "SEK"), ("USD", "USD"),
    ("JPY", "JPY"), ("CHF", "CHF"),
])
def test_a_code_in_use_is_read_in_any_case_and_given_upper(text, code):
    assert parse_currency_code(text) == code


@pytest.mark.parametrize("text", ["XYZ", "kroner", "kr", "€", "DEM", "XXX", "XTS", "XAU", "",
                                  "NOKK", "N0K"])
def test_anything_else_is_refused_with_an_example(text):
    with pytest.raises(UsageError) as caught:
        parse_currency_code(text)
    assert "is not a currency code I know. Use an ISO 4217 code like `NOK`" in \
        caught.value.message
