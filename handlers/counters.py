"""How often Dealbot turned work away under load, or could not post a chart, counted per
process for a metrics endpoint.

`count(name)` is safe from any thread; `counts()` is a snapshot; `listen(f)` has `f(name)`
called on every count (bot.metrics). Names are the constants below.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

BUSY = "slow_work_busy"  # a report or export refused because the slow-work pool was full
LATE = "late_requests_dropped"  # a request that waited past Slack's deadline, not run
CHART_FAILED = "chart_upload_failed"  # a report's chart not drawn or not uploaded
UNSIGNED = "requests_refused_unsigned"  # a bad signature or a timestamp malformed or too far
REPLAYED = "replayed_commands_dropped"  # a slash command received again (same signed bytes)
OUT_OF_TIME = "requests_out_of_time"  # database work not done by Slack's deadline: nothing changed
SLOW_CUT = "slow_connections_cut"  # request not whole within its time, connection closed
TOO_LARGE = "requests_refused_too_large"  # a head or body over the limits, or chunked (gunicorn)

_lock = threading.Lock()
_counts: Counter[str] = Counter()
_listeners: list[Callable[[str], None]] = []


def count(name: str) -> None:
    with _lock:
        _counts[name] += 1
    for listener in _listeners:
        listener(name)


def listen(listener: Callable[[str], None]) -> None:
    _listeners.append(listener)


def counts() -> dict[str, int]:
    with _lock:
        return dict(_counts)
