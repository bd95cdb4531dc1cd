"""storage/values/money.py: money written as the people of its currency write it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from storage.values import format_money, parse_amount
from tests.storage.values import nbsp

SHOWN = [  # (currency, amount, as shown, with its spaces non-breaking)
    ("USD", "50000", "$50,000"), ("USD", "1250.50", "$1,250.50"), ("USD", "0", "$0"),
    ("USD", "1200000", "$1,200,000"), ("USD", "0.05", "$0.05"),
    ("CAD", "50000", "$50,000"), ("AUD", "1250.50", "$1,250.50"),
    ("GBP", "1250.50", "£1,250.50"), ("GBP", "0", "£0"),
    ("EUR", "50000", "50.000 €"), ("EUR", "50000.50", "50.000,50 €"), ("EUR", "0", "0 €"),
    ("NOK", "50000", "50 000 kr"), ("NOK", "1234.50", "1 234,50 kr"),
    ("NOK", "1250000", "1 250 000 kr"), ("SEK", "50000", "50 000 kr"),
    ("DKK", "50000", "50.000 kr."), ("ISK", "50000", "50.000 kr."),
    ("CHF", "50000", "CHF 50'000"), ("CHF", "1250.50", "CHF 1'250.50"),
    ("PLN", "50000", "50 000 zł"), ("CZK", "50000", "50 000 Kč"), ("HUF", "50000", "50 000 Ft"),
    ("BRL", "50000", "R$ 50.000"),
    # any other currency as English writes it; a code is kept apart from the digits
    ("JPY", "50000", "¥50,000"), ("MXN", "50000", "MX$50,000"), ("KWD", "50000", "KWD 50,000"),
    ("KWD", "1250.5", "KWD 1,250.50"), ("XAF", "50000", "FCFA 50,000"),
]


@pytest.mark.parametrize(("currency", "amount", "shown"), SHOWN)
def test_money_is_written_as_its_currencys_users_write_it(currency, amount, shown):
    assert format_money(Decimal(amount), currency) == nbsp(shown)


@pytest.mark.parametrize(("currency", "amount", "shown"), SHOWN)
def test_money_never_holds_a_space_a_line_could_break_at(currency, amount, shown):
    assert " " not in format_money(Decimal(amount), currency)


def test_whole_amounts_have_no_decimals_and_others_two():
    assert format_money(Decimal("50000.00"), "NOK") == nbsp("50 000 kr")
    assert format_money(Decimal("50000.10"), "NOK") == nbsp("50 000,10 kr")
    assert format_money(Decimal("50000.1"), "USD") == "$50,000.10"


def test_the_currency_code_may_come_in_any_case():
    assert format_money(Decimal("50000"), "nok") == nbsp("50 000 kr")


@pytest.mark.parametrize(("currency", "amount", "shown"), SHOWN)
def test_money_as_shown_reads_back_as_the_same_amount(currency, amount, shown):
    """What a team sees, copied into a command, is what it meant."""
    assert parse_amount(format_money(Decimal(amount), currency), currency=currency) == \
        Decimal(amount)
