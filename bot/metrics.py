"""`GET /metrics`: what a Dealbot process has done, in Prometheus's text format
(prometheus_client).

- `dealbot_requests_total{kind, status}` and `dealbot_request_duration_seconds{kind}`: HTTP
  requests by kind (`/deal`, `block_actions`, `event:app_home_opened`, `healthz`...: the
  fixed set of bot.slack_request.request_kind) and status, and how long they took;
- `dealbot_slow_work_pending`: reports and exports running or waiting;
- `dealbot_turned_away_total{reason}`: work refused under load or lost (handlers.counters:
  `slow_work_busy`, `late_requests_dropped`, `chart_upload_failed` and the others there);
- `dealbot_digests_total{outcome}`: digests `posted` and `failed`;
- `dealbot_database_errors_total`: errors the database driver raised;
- `dealbot_slack_retries_total{reason}`: Web API calls and response_url posts retried
  (`rate_limited`, `server_error`, `connection_error`: only when Slack cannot have acted on
  the first, bot.slack_calls).

Several processes (`dealbot serve --workers N`) add up through prometheus_client's
multiprocess mode: `serve --workers` points PROMETHEUS_MULTIPROC_DIR at a fresh directory
before anything imports prometheus_client (`prepare_multiprocess`), and every scrape, whichever
worker answers it, reads all the workers' and the master's (the scheduler's) files. Under your
own gunicorn command, set PROMETHEUS_MULTIPROC_DIR to an empty directory for the same.
"""

from __future__ import annotations

import os
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from sqlalchemy import event

from bot.slack_calls import UnsentConnectionErrors, WithinTheTimeLeft
from handlers import counters
from storage.db import Database

MULTIPROCESS = "PROMETHEUS_MULTIPROC_DIR"

REQUESTS = Counter("dealbot_requests", "HTTP requests answered, by kind and status",
                   ["kind", "status"])
LATENCY = Histogram("dealbot_request_duration_seconds",
                    "Time from a request's arrival to its answer, by kind", ["kind"],
                    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0))
SLOW_WORK = Gauge("dealbot_slow_work_pending", "Reports and exports running or waiting",
                  multiprocess_mode="livesum")
TURNED_AWAY = Counter("dealbot_turned_away", "Work refused under load, or lost, by reason",
                      ["reason"])
DIGESTS = Counter("dealbot_digests", "Digests posted or failed", ["outcome"])
DATABASE_ERRORS = Counter("dealbot_database_errors", "Errors raised by the database driver")
SLACK_RETRIES = Counter("dealbot_slack_retries", "Web API calls retried, by reason",
                        ["reason"])

counters.listen(lambda name: TURNED_AWAY.labels(name).inc())


def observe_request(kind: str, status: int, seconds: float) -> None:
    REQUESTS.labels(kind, str(status)).inc()
    LATENCY.labels(kind).observe(seconds)


def digest_outcome(posted: bool) -> None:
    DIGESTS.labels("posted" if posted else "failed").inc()


def watch_database(db: Database) -> None:
    """Counts every error the database driver raises through `db`'s engine."""
    event.listen(db.engine, "handle_error", lambda context: DATABASE_ERRORS.inc())


def exposition() -> tuple[bytes, str]:
    """The body and content type of GET /metrics: this process's metrics, or in
    multiprocess mode every process's, added up."""
    if os.environ.get(MULTIPROCESS):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


class _Counted(WithinTheTimeLeft):
    reason = ""

    def prepare_for_next_attempt(self, **kwargs: Any) -> None:
        SLACK_RETRIES.labels(self.reason).inc()
        super().prepare_for_next_attempt(**kwargs)


class CountedConnectionErrors(_Counted, UnsentConnectionErrors):
    reason = "connection_error"


class CountedRateLimits(_Counted, RateLimitErrorRetryHandler):
    reason = "rate_limited"


class CountedServerErrors(_Counted, ServerErrorRetryHandler):
    reason = "server_error"


def process_died(pid: int) -> None:
    """A gunicorn worker is gone: its live gauges stop counting (multiprocess mode)."""
    if os.environ.get(MULTIPROCESS):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)
