"""What the listeners need from the running program, handed over by `bot.app`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from handlers.home_refresh import HomeRefresh
from storage.db import Database

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Deps:
    """The store, the clock (aware UTC), and the users named admins by configuration.
    `home_refresh` publishes Home tabs in the background, after the answers."""

    db: Database
    clock: Clock
    admins: frozenset[str] = frozenset()
    default_timezone: str = "UTC"
    home_refresh: HomeRefresh = field(default_factory=HomeRefresh)
