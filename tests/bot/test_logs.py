"""The log: LOG_FORMAT=json writes one JSON object a line; libraries stay quiet."""

from __future__ import annotations

import json
import logging

import pytest

from bot.logs import JsonFormatter, configure_logging, log_request


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_a_json_line_carries_the_access_fields_and_a_traceback_stays_on_one_line():
    formatter = JsonFormatter()
    record = logging.LogRecord("dealbot.access", logging.INFO, __file__, 1, "%s %s", ("GET", "/"),
                               None)
    record.status, record.ms = 200, 1.5
    entry = json.loads(formatter.format(record))
    assert entry["message"] == "GET /" and entry["status"] == 200 and entry["ms"] == 1.5
    assert entry["time"].endswith("Z") and entry["level"] == "INFO"
    try:
        raise ValueError("bad\nline")
    except ValueError:
        import sys
        failed = logging.LogRecord("dealbot", logging.ERROR, __file__, 1, "failed", (),
                                   sys.exc_info())
    line = formatter.format(failed)
    assert "\n" not in line and "ValueError" in json.loads(line)["exception"]


def test_libraries_log_from_warning_up_and_from_info_up_with_debug(restore_logging):
    logging.getLogger().handlers[:] = []
    configure_logging("INFO", "json")
    [handler] = logging.getLogger().handlers
    assert isinstance(handler.formatter, JsonFormatter)
    assert logging.getLogger("apscheduler.executors.default").getEffectiveLevel() == \
        logging.WARNING
    assert logging.getLogger("alembic.runtime.migration").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("dealbot.access").getEffectiveLevel() == logging.INFO
    configure_logging("DEBUG", "text", migrations=True)
    assert logging.getLogger("slack_bolt").getEffectiveLevel() == logging.INFO
    assert logging.getLogger("alembic.runtime.migration").getEffectiveLevel() == logging.INFO
    assert len(logging.getLogger().handlers) == 1  # configured again, not twice


def test_an_access_line_names_method_path_status_time_and_kind(caplog):
    with caplog.at_level(logging.INFO, logger="dealbot.access"):
        log_request(method="POST", path="/slack/events", status=200, ms=12.34, kind="/deal")
    [record] = caplog.records
    assert record.getMessage() == "POST /slack/events 200 12 ms /deal"
