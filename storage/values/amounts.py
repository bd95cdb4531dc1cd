"""Amounts of money and percentages as people write them.

An amount is a number with, before or after it, at most one currency mark, and maybe a
suffix: `50000`, `50k`, `1.2m`, `1.5bn`, `$50,000`, `50 000 NOK`, `kr 50 000`, `NOK 50k`,
`50.000,50 €`, `€50k`, `CHF 50'000`, `kr 50 000,-`. From 0 to 10^12 inclusive, rounded half
up to cents. The choices, each with a test:

- Marks: the workspace's own code, symbol or `kr` (money.py `own_marks`) is its currency;
  any other currency's code or symbol is refused, naming both (no conversion). A code before
  the number must be in capitals (`NOK 500`), so that `Top 50` stays a name; after it any case
  does (`500 nok`). A bare number is in the workspace's currency.
- Separators: a space (also a non-breaking one) or an apostrophe groups thousands; `.` and
  `,` group thousands or mark decimals. With both in a number, the last one is the decimal
  mark (`1.234,50`, `1,234.50`); a mark that repeats groups thousands (`1.200.000`); groups
  are exactly three digits. A single `.` or `,` not followed by exactly three digits is the
  decimal mark (`12,5`, `99.95`, `0,500`).
- Before exactly three digits, a single mark that is not the decimal separator of the
  workspace's currency groups thousands (`50,000` in USD, `50.000` in EUR or NOK); the
  currency's own decimal separator is ambiguous there and refused rather than guessed
  (`1.200` in USD, `1,200` in EUR or NOK), except before a suffix (`1.200k` in USD, `1,5k`).
- `,-`, `.-` or `:-` after a whole number say "no decimals", as prices do: `kr 50 000,-`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from storage.errors import UsageError
from storage.values.money import KRONER, SYMBOLS, decimal_mark, format_money, own_marks
from storage.values.text import quoted

_LIMIT = Decimal(10) ** 12
_SCALES = {"k": Decimal(10**3), "m": Decimal(10**6), "b": Decimal(10**9), "bn": Decimal(10**9)}
_ISO_CODES = frozenset("""
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP
    BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP
    GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR
    KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK
    MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR
    SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS
    UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG""".split())
_KRONER = f"kroner ({', '.join(KRONER[:-1])} or {KRONER[-1]})"  # what `kr` may mean


@cache
def _grammar(currency: str) -> re.Pattern[str]:
    """An amount as written in a workspace counting in `currency`, its marks still unchecked."""
    symbols = sorted({*SYMBOLS, *(m for m in own_marks(currency) if m.upper() not in _ISO_CODES)},
                     key=len, reverse=True)
    either = "|".join(re.escape(symbol) for symbol in symbols)
    pre = rf"[A-Z]{{3}}|(?i:kr\.?|{either})"
    post = rf"(?i:[a-z]{{3}}|kr\.?|{either})"
    return re.compile(
        rf"(?P<sign>[-−])? ?(?:(?P<pre>{pre}) ?(?P<sign2>[-−])? ?)?"
        rf"(?P<number>\d(?:[.,' ]?\d)*)(?:[.,:][-–])?(?P<scale>(?i:bn|[kmb]))?"
        rf"(?: ?(?P<post>{post}))?")


@dataclass(frozen=True)
class _Amount:
    """An amount as written, before the checks."""

    number: str                  # digits as written: `1,200.50`, `50 000`, `1.2`
    value: Decimal               # with the suffix applied, not yet rounded
    currencies: tuple[str, ...]  # what each mark means: `NOK`, or kroner for `kr`
    negative: bool
    ambiguous: str | None        # `.` or `,` when it could be thousands or the decimal mark


def _grouped(parts: list[str]) -> bool:
    """Whether digits split at separators are thousands groups: `50`, `000`, `000`."""
    head, *rest = parts
    return 1 <= len(head) <= 3 and head[0] != "0" and all(len(p) == 3 for p in rest)


def _read_number(number: str, *, scaled: bool, decimal: str) -> tuple[Decimal, str | None] | None:
    """The number's value, and the mark that makes it ambiguous; None when it is not one."""
    marks, parts = re.findall(r"[.,' ]", number), re.split(r"[.,' ]", number)
    if not marks:
        return Decimal(number), None
    last, before = marks[-1], set(marks[:-1])
    if last in ".," and len(before) == 1 and last not in before:  # `1.234,50`, `1 234.50`
        return (Decimal("".join(parts[:-1]) + "." + parts[-1]), None) \
            if _grouped(parts[:-1]) else None
    if before - {last}:
        return None
    if len(marks) > 1 or last in " '":  # `1.200.000`, `50 000`, `50'000`
        return (Decimal("".join(parts)), None) if _grouped(parts) else None
    as_decimal = Decimal(".".join(parts))
    if not _grouped(parts):  # `12,5`, `0.500`, `1234,567`: it can only be decimals
        return as_decimal, None
    if last == decimal:
        return as_decimal, (None if scaled else last)
    return Decimal("".join(parts)), None


def _meaning(mark: str, currency: str) -> str | None:
    """The currency a mark names (`$` -> USD), kroner for `kr`; None when it is not one."""
    if mark.lower() in own_marks(currency):
        return currency
    if symbol := SYMBOLS.get(mark) or SYMBOLS.get(mark.upper()):
        return symbol
    if mark.lower() in ("kr", "kr."):
        return _KRONER
    return mark.upper() if mark.upper() in _ISO_CODES else None


def _read_amount(text: str, currency: str) -> _Amount | None:
    typed = " ".join(text.split()).replace("’", "'")
    found = _grammar(currency).fullmatch(typed)
    if not found:
        return None
    meant = tuple(_meaning(mark, currency) for mark in (found["pre"], found["post"]) if mark)
    number, scale = found["number"], found["scale"]
    read = _read_number(number, scaled=bool(scale), decimal=decimal_mark(currency))
    if read is None or None in meant:
        return None
    value, ambiguous = read
    return _Amount(number=number, value=value * _SCALES[scale.lower()] if scale else value,
                   currencies=tuple(m for m in meant if m), ambiguous=ambiguous,
                   negative=bool(found["sign"] or found["sign2"]))


def looks_like_amount(token: str, *, currency: str = "USD") -> bool:
    """Whether the whole text (one or more words, like `50 000 NOK`) is written as an amount,
    even one `parse_amount` refuses (negative, too large, another currency): so a command
    can tell `Acme Corp 50k` apart from a name, and the refusal says what is wrong."""
    return _read_amount(token, currency.upper()) is not None


def parse_amount(text: str, *, currency: str = "USD") -> Decimal:
    """An amount of money in the workspace's `currency`, rounded to cents; see the module
    docstring for the forms. A bare number is in that currency."""
    currency = currency.upper()
    amount = _read_amount(text, currency)
    if amount is None:
        raise UsageError(f"{quoted(text)} is not an amount. Write it like `50000`, `50k`, "
                         f"`1.2m` or `{format_money(Decimal(50000), currency)}`.")
    for meant in amount.currencies:
        if meant != currency:
            raise UsageError(f"This workspace counts in {currency}; {quoted(text)} is in "
                             f"{meant}. Amounts are not converted: type it in {currency}, "
                             "or an admin can change the currency with "
                             "`/deal settings currency`.")
    if amount.negative:
        raise UsageError(f"{quoted(text)} is negative: an amount is 0 or more.")
    if amount.ambiguous:
        whole = re.sub(r"\D", "", amount.number)
        name = "point" if amount.ambiguous == "." else "comma"
        raise UsageError(f"{quoted(text)} is ambiguous: the {name} could separate thousands or "
                         f"decimals. Write `{whole}` for "
                         f"{format_money(Decimal(whole), currency)}, or use at most two "
                         "decimals.")
    if amount.value > _LIMIT:
        raise UsageError(f"{quoted(text)} is too large: the largest value is "
                         f"{format_money(_LIMIT, currency)}.")
    return amount.value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- Percent ----------------------------------------------------------------------------

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
