"""GET /metrics: Prometheus's text format, counting what operators watch."""

from __future__ import annotations

import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from bot.app import web_client
from bot.config import Settings
from bot.digests import run_due_digests
from bot.metrics import watch_database
from bot.slack_standin import FakeSlack, slash_command
from bot.web import wsgi_app
from handlers import counters
from storage.db import Database
from tests.bot.test_digests import add, utc
from tests.bot.test_wsgi import call
from tests.driver import SIGNING_SECRET


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_metrics_answers_in_prometheus_text_format_and_counts_requests_by_kind(driver, db,
                                                                              slack):
    application = wsgi_app(driver.app, db)
    before = value("dealbot_requests_total", kind="/deal", status="200")
    timed = value("dealbot_request_duration_seconds_count", kind="/deal")
    request = slash_command(signing_secret=SIGNING_SECRET, text="new Acme 5k",
                            response_url=slack.response_url("m"))
    assert call(application, "POST", "/slack/events", request.body.encode(),
                request.headers)[0].startswith("200")
    forged = slash_command(signing_secret="wrong", text="new Acme 5k",
                           response_url=slack.response_url("f"))
    refused = value("dealbot_requests_total", kind="/deal", status="401")
    call(application, "POST", "/slack/events", forged.body.encode(), forged.headers)

    status, body = call(application, "GET", "/metrics")

    assert status.startswith("200")
    families = {f.name: f for f in text_string_to_metric_families(body.decode())}
    assert {"dealbot_requests", "dealbot_request_duration_seconds", "dealbot_slow_work_pending",
            "dealbot_digests", "dealbot_database_errors", "dealbot_slack_retries"} <= set(families)
    assert value("dealbot_requests_total", kind="/deal", status="200") == before + 1
    assert value("dealbot_requests_total", kind="/deal", status="401") == refused + 1
    assert value("dealbot_request_duration_seconds_count", kind="/deal") == timed + 2


def test_work_turned_away_is_counted_by_reason():
    before = value("dealbot_turned_away_total", reason=counters.BUSY)
    counters.count(counters.BUSY)
    assert value("dealbot_turned_away_total", reason=counters.BUSY) == before + 1


def test_database_errors_are_counted(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'x.db'}")
    watch_database(db)
    before = value("dealbot_database_errors_total")
    with pytest.raises(OperationalError), db.engine.connect() as conn:
        conn.execute(text("SELECT * FROM no_such_table"))
    assert value("dealbot_database_errors_total") == before + 1
    db.dispose()


def test_digests_posted_and_failed_and_slack_retries_are_counted(db, slack):
    settings = Settings(slack_api_url=slack.api_url, slack_bot_token="xoxb-test")
    add(db, channel="COK")
    add(db, channel="CGONE")
    rate_limited = FakeSlack.http(429, {"ok": False, "error": "ratelimited"},
                                  {"Retry-After": "0"})
    slack.script("chat.postMessage", rate_limited, {"ok": True, "ts": "1.2"},
                 {"ok": False, "error": "channel_not_found"})
    posted, failed = value("dealbot_digests_total", outcome="posted"), value(
        "dealbot_digests_total", outcome="failed")
    retried = value("dealbot_slack_retries_total", reason="rate_limited")
    run_due_digests(db, lambda team: web_client(settings), utc(8, 5))
    assert value("dealbot_digests_total", outcome="posted") == posted + 1
    assert value("dealbot_digests_total", outcome="failed") == failed + 1
    assert value("dealbot_slack_retries_total", reason="rate_limited") == retried + 1

