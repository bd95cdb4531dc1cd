"""Money as the people of its currency write it, from CLDR's data through Babel: `$50,000`,
`50 000 kr`, `50.000 €`, `£1,250.50`, `CHF 50'000`.

Each currency is written the way one locale writes it (`LOCALES`; any other currency as
English does: `CA$50,000` would be en_CA's `$50,000`, `KWD 50,000`). Whole amounts have no
decimals, others two. The spaces Babel puts in (U+00A0, and U+202F in some locales) are
non-breaking on purpose: Slack never wraps a line inside an amount, and a monospaced table
counts each as one column.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.numbers import format_currency, get_currency_symbol, get_decimal_symbol

# The locale whose writing of a currency its users would call their own. EUR follows German
# (the seeds' EUR readers are German); a workspace locale setting is not offered.
LOCALES = {
    "USD": "en_US", "CAD": "en_CA", "AUD": "en_AU", "NZD": "en_NZ", "GBP": "en_GB",
    "EUR": "de_DE", "CHF": "de_CH", "NOK": "nb_NO", "SEK": "sv_SE", "DKK": "da_DK",
    "ISK": "is_IS", "PLN": "pl_PL", "CZK": "cs_CZ", "HUF": "hu_HU", "BRL": "pt_BR",
}
FALLBACK_LOCALE = "en"

# Symbols that name one currency wherever they are typed; a workspace's own symbols win
# (`$` is CAD in a CAD workspace). `kr` and `kr.` are the kroner and krónur of four.
SYMBOLS = {
    "$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "￥": "JPY", "₹": "INR",
    "₩": "KRW", "₽": "RUB", "₺": "TRY", "₪": "ILS", "₴": "UAH", "₱": "PHP", "฿": "THB",
    "₫": "VND", "₦": "NGN", "CA$": "CAD", "A$": "AUD", "AU$": "AUD", "NZ$": "NZD",
    "HK$": "HKD", "S$": "SGD", "R$": "BRL", "MX$": "MXN", "CN¥": "CNY",
}
KRONER = ("NOK", "SEK", "DKK", "ISK")

_LETTER_BESIDE_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


def locale_of(currency: str) -> str:
    """The locale whose way of writing `currency` the app uses."""
    return LOCALES.get(currency.upper(), FALLBACK_LOCALE)


@cache
def _patterns(currency: str) -> tuple[Locale, str, str]:
    """The locale and its currency patterns without decimals and with two."""
    locale = Locale.parse(locale_of(currency))
    pattern = locale.currency_formats["standard"].pattern
    return locale, re.sub(r"\.0+", "", pattern), re.sub(r"\.0+", ".00", pattern)


def format_money(amount: Decimal, currency: str) -> str:
    """`$50,000`, `50 000 kr`, `50.000 €`, `£1,250.50`: the one formatter of money for people,
    in every message, report and terminal (exports and JSON keep plain decimals)."""
    locale, whole, cents = _patterns(currency.upper())
    pattern = whole if amount == amount.to_integral_value() else cents
    text = format_currency(amount, currency.upper(), format=pattern, locale=locale,
                           currency_digits=False)
    # CLDR's currency spacing, which Babel leaves out: `KWD 50,000`, not `KWD50,000`
    return _LETTER_BESIDE_DIGIT.sub("\u00a0", text)


@cache
def own_marks(currency: str) -> frozenset[str]:
    """What a workspace counting in `currency` may type beside an amount, folded to lower
    case: its code, its symbol in its locale and in English, `kr` for the kroner."""
    marks = {currency, get_currency_symbol(currency, locale_of(currency)),
             get_currency_symbol(currency, FALLBACK_LOCALE)}
    if currency in KRONER:
        marks |= {"kr", "kr."}
    return frozenset(mark.lower() for mark in marks)


@cache
def decimal_mark(currency: str) -> str:
    """`.` or `,`: the decimal separator of the locale `currency` is written in."""
    return get_decimal_symbol(locale_of(currency))
