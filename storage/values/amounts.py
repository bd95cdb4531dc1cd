"""Amounts of money and percentages as people write them, and money as people read it.

- Amounts: `,` or a space groups thousands only before exactly three digits; `.` is the
  decimal point. `1.200` without a suffix is refused as ambiguous rather than guessed.
  `$` is USD, `€` EUR, `£` GBP, `kr` any of NOK, SEK or DKK. A currency code before the number
  must be in capitals (`NOK 500`), so that `Top 50` stays a name; after it any case does
  (`500 nok`). From 0 to 10^12 inclusive, rounded half up to cents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from storage.errors import UsageError
from storage.values.text import quoted

_LIMIT = Decimal(10) ** 12
_SCALES = {"k": Decimal(10**3), "m": Decimal(10**6), "b": Decimal(10**9), "bn": Decimal(10**9)}
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP"}
_KRONER = ("NOK", "SEK", "DKK")
_ISO_CODES = frozenset("""
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP
    BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP
    GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR
    KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK
    MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR
    SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS
    UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG""".split())
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?: \d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_AMOUNT = re.compile(
    rf"(?P<sign>[-−])? ?(?:(?P<pre>[$€£]|(?i:kr)|[A-Z]{{3}}) ?(?P<sign2>[-−])?)?"
    rf"(?P<number>{_NUMBER})(?P<scale>(?i:bn|[kmb]))?(?: ?(?P<post>[$€£]|(?i:kr|[a-z]{{3}})))?")


@dataclass(frozen=True)
class _Amount:
    """An amount as written, before the checks."""

    number: str                  # digits as written: `1,200.50`, `50 000`, `1.2`
    value: Decimal               # with the suffix applied, not yet rounded
    currencies: tuple[str, ...]  # as written: `$`, `kr`, `nok`
    negative: bool
    ambiguous: bool              # `1.200`: a decimal point, or thousands as in much of Europe?


def _read_amount(text: str) -> _Amount | None:
    found = _AMOUNT.fullmatch(" ".join(text.split()))
    if not found:
        return None
    marks = tuple(mark for mark in (found["pre"], found["post"]) if mark)
    if not all(mark in _SYMBOLS or mark.lower() == "kr" or mark.upper() in _ISO_CODES
               for mark in marks):
        return None
    number, scale = found["number"], found["scale"]
    digits = Decimal(re.sub("[, ]", "", number))
    ambiguous = not scale and re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", number) is not None
    return _Amount(number=number, value=digits * _SCALES[scale.lower()] if scale else digits,
                   currencies=marks, negative=bool(found["sign"] or found["sign2"]),
                   ambiguous=ambiguous)


def looks_like_amount(token: str) -> bool:
    """Whether the whole text (one or more words, like `50 000 NOK`) is written as an amount,
    even one `parse_amount` refuses (negative, too large, another currency): so a command
    can tell `Acme Corp 50k` apart from a name, and the refusal says what is wrong."""
    return _read_amount(token) is not None


def parse_amount(text: str, *, currency: str = "USD") -> Decimal:
    """An amount of money in the workspace's `currency`, rounded to cents. A bare number is in
    that currency: `50000`, `50k`, `1.2m`, `1.5bn`, `$50,000`, `50 000 NOK`, `50,000.50`."""
    amount = _read_amount(text)
    if amount is None:
        raise UsageError(f"{quoted(text)} is not an amount. "
                         "Write it like `50000`, `50k`, `1.2m` or `$50,000`.")
    for mark in amount.currencies:
        _check_currency(mark, currency.upper(), text)
    if amount.negative:
        raise UsageError(f"{quoted(text)} is negative: an amount is 0 or more.")
    if amount.ambiguous:
        whole = amount.number.replace(".", "")
        raise UsageError(f"{quoted(text)} is ambiguous: the point could separate thousands. "
                         f"Write `{whole}` for {int(whole):,}, or use at most two decimals.")
    if amount.value > _LIMIT:
        raise UsageError(f"{quoted(text)} is too large: the largest value is 1,000,000,000,000.")
    return amount.value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _check_currency(mark: str, currency: str, text: str) -> None:
    if mark.lower() == "kr":
        if currency not in _KRONER:
            raise UsageError(f"{quoted(text)} is in kroner (`kr` is NOK, SEK or DKK), but this "
                             f"workspace counts money in {currency}. Leave the currency out "
                             f"to mean {currency}, like `50k`.")
    elif (code := _SYMBOLS.get(mark, mark.upper())) != currency:
        raise UsageError(f"{quoted(text)} is in {code}, but this workspace counts money in "
                         f"{currency}. Leave the currency out to mean {currency}, like `50k`.")


# --- Percent, time of day, time zone ----------------------------------------------------

def parse_percent(text: str) -> int:
    """A whole percentage from 0 to 100: `35` or `35%`."""
    found = re.fullmatch(r"(-?\d+(?:\.\d+)?) ?%?", text.strip())
    if not found:
        raise UsageError(f"{quoted(text)} is not a percentage. "
                         "Write a whole number from 0 to 100, like `35` or `35%`.")
    if "." in found[1]:
        raise UsageError(f"{quoted(text)} is not a whole number: write a whole percentage, "
                         "like `35`.")
    if not 0 <= (value := int(found[1])) <= 100:
        raise UsageError(f"{quoted(text)} is out of range: a percentage lies between 0 and 100.")
    return value



SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


def format_money(amount: Decimal, currency: str) -> str:
    """`$50,000` or `$1,250.50`; currencies without a symbol get their code: `50,000 NOK`.
    The one formatter of money for people, in every message, report and terminal."""
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{text}" if symbol else f"{text} {currency}"
