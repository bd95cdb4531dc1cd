"""`dealbot console`: the real app in a terminal, with no Slack workspace.

`run_console` wires the pieces: the engine (the Bolt app fed signed requests, with a local
stand-in for Slack), the renderer, and the prompt. With `demo=True` an empty database is
first filled with a demo team's history (bot.demo).
"""

from __future__ import annotations

import os
import sys
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.app import utc_now
from bot.config import Settings
from bot.console.engine import Engine, Shown
from bot.console.mrkdwn import Style
from bot.console.people import LocalUsers
from bot.console.session import Console
from handlers.deps import Clock
from storage.db import Database
from storage.kinds import DigestKind

DEFAULT_USERS = ["ann", "bob"]


def scheduled_digest(engine: Engine, kind: DigestKind) -> list[Shown]:
    """What a scheduled digest of `kind` would post in #sales now."""
    return engine.post_digest(kind)


def run_console(settings: Settings, db: Database, *, stdin: TextIO | None = None,
                out: TextIO | None = None, demo: bool = False, seed: int = 1,
                user: str | None = None, force: bool = False, clock: Clock = utc_now,
                color: bool | None = None) -> int:
    """Runs a console session to the end of the input; returns the exit status.
    BadUserName (bot.console.people) when `user` cannot be a user's name."""
    stdin, out = stdin or sys.stdin, out or sys.stdout
    from bot.demo import team as demo_data

    names = list(demo_data.USERS if demo else DEFAULT_USERS)
    users = LocalUsers(names, timezone=settings.timezone)
    acting = users.add(user or names[0])  # BadUserName before anything is written
    if demo and not demo_data.fill(db, seed=seed, now=clock(), force=force, out=out):
        return 1
    interactive = _is_tty(stdin) and stdin is sys.stdin
    if interactive:
        _enable_line_editing()
    style = Style(color=_wants_color(out) if color is None else color, width=80,
                  zone=ZoneInfo(settings.timezone) if os.environ.get("DEALBOT_TIMEZONE") else None,
                  name_of=users.name, now=clock)
    with Engine(settings, db, users, acting, clock=clock) as engine:
        return Console(engine, stdin=stdin, out=out, style=style, interactive=interactive,
                       digest=scheduled_digest).run()


def _is_tty(stream: TextIO) -> bool:
    return bool(getattr(stream, "isatty", lambda: False)())


def _wants_color(out: TextIO) -> bool:
    return _is_tty(out) and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _enable_line_editing() -> None:
    """Arrow keys and history at the prompt, where the platform has readline."""
    try:
        import readline  # noqa: F401  (importing it is what turns it on for input())
    except ImportError:
        pass
