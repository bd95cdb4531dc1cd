from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.slack_standin import FakeSlack


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        yield slack
