"""The currencies a workspace may keep its amounts in: ISO 4217 codes of money in use today.

Babel carries CLDR's table of which currency each territory uses as legal tender and since
when; the codes in use today are those. Historic codes (`DEM`), funds, metals and test codes
(`XAU`, `XTS`, `XXX`) are not money a team sells in, so they are refused.
"""

from __future__ import annotations

from functools import cache

from babel.core import get_global
from babel.numbers import get_territory_currencies

from storage.errors import UsageError
from storage.values import quoted


@cache
def currencies_in_use() -> frozenset[str]:
    """Every ISO 4217 code that some territory uses as legal tender today (the day the
    process first asked)."""
    return frozenset(code for territory in get_global("territory_currencies")
                     for code in get_territory_currencies(territory, tender=True))


def parse_currency_code(text: str) -> str:
    """An ISO 4217 code in any case (`nok` -> `NOK`); anything else raises UsageError."""
    code = text.strip().upper()
    if code in currencies_in_use():
        return code
    raise UsageError(f"{quoted(text.strip())} is not a currency code I know. Use an ISO 4217 "
                     "code like `NOK`, `EUR`, `SEK` or `USD`.")
