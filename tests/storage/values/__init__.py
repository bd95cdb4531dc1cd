"""storage/values: amounts, money, dates, mentions and text as people write them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from storage.errors import UsageError


def refusal(call: Callable[..., object], *args: object, **kwargs: object) -> str:
    """The message of the UsageError that `call` raises."""
    with pytest.raises(UsageError) as caught:
        call(*args, **kwargs)
    return caught.value.message


def nbsp(text: str) -> str:
    """`50 000 kr` as money is written: its spaces non-breaking."""
    return text.replace(" ", "\u00a0")
