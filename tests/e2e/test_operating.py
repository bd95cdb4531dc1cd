"""Operating `dealbot` processes: stopping them as a deployment does (SIGTERM), what was
under way finishing first; what every request leaves in the log; the start-up token check."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.slack_standin import text_of
from handlers import messages
from storage.db import OUT_OF_TIME
from storage.workspaces import workspace_settings
from tests.driver import SIGNING_SECRET
from tests.e2e.serving import (
    BOT_TOKEN,
    Server,
    ack_body,
    dealbot_env,
    get_status,
    start,
    stop,
)


def _refused(url: str) -> bool:
    try:
        get_status(url)
    except OSError:
        return True
    return False


def _stop_during_work(running: Server, slack, tmp_path) -> tuple[dict, str, int]:
    """A report waits to post its answer and a command waits on Slack inside its request
    when SIGTERM comes; returns the command's answer, the output and the exit status."""
    slack.users["U1"] = {"is_admin": True}
    report = slack.hold("response", "report")
    asking = slack.hold("api", "users.info")
    assert ack_body(running.command(slack, "", "report", command="/pipeline")) == {}
    assert report.arrived.wait(10)
    with ThreadPoolExecutor(1) as pool:
        answer = pool.submit(running.command, slack, "settings timezone Europe/Oslo", "tz")
        assert asking.arrived.wait(10)
        running.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        while not _refused(running.base + "/healthz"):  # it stops listening at once
            assert time.monotonic() < deadline, "still accepting connections"
            time.sleep(0.1)
        assert running.process.poll() is None  # ... and works on
        asking.release.set()
        report.release.set()
        told = ack_body(answer.result(timeout=20))
    try:
        status = running.process.wait(timeout=30)
    finally:
        output = stop(running.process)
    return told, output, status


def _answered_as_saved(told: dict, db) -> None:
    """The command under way was answered, and as the database has it: with its change, or,
    when the held Slack call outlasted the time Slack waits for the answer, with nothing
    changed (the call given up by the request's deadline, handlers.deadline, or the database
    work after it, storage.db.answer_by)."""
    shown = text_of(told["blocks"]) if "blocks" in told else told["text"]
    with db.transaction() as s:
        zone = workspace_settings(s, team="T1").timezone
    if "Europe/Oslo" in shown:
        assert zone == "Europe/Oslo"
    else:
        assert OUT_OF_TIME in shown or shown == messages.SLACK_NOT_ANSWERING, shown
        assert zone != "Europe/Oslo"


def test_sigterm_lets_the_request_and_the_report_under_way_finish_then_exits_0(
        db, slack, tmp_path):
    running = Server({"DATABASE_URL": db.url, "SLACK_API_URL": slack.api_url}, tmp_path)
    told, output, status = _stop_during_work(running, slack, tmp_path)
    _answered_as_saved(told, db)
    [report] = slack.responses("report")
    assert "Pipeline" in text_of(report.body["blocks"])
    assert status == 0, output
    assert "SIGTERM received" in output and "digest scheduler stopped" in output, output
    assert BOT_TOKEN not in output and SIGNING_SECRET not in output


def test_sigterm_to_gunicorn_workers_lets_their_work_finish_then_exits_0(db, slack, tmp_path):
    running = Server({"DATABASE_URL": db.url, "SLACK_API_URL": slack.api_url}, tmp_path,
                     "--workers", "2", "--threads", "4")
    told, output, status = _stop_during_work(running, slack, tmp_path)
    _answered_as_saved(told, db)
    assert len(slack.responses("report")) == 1
    assert status == 0, output
    assert "digest scheduler stopped" in output, output


def test_the_scheduler_stops_on_sigterm_with_status_0(db, slack, tmp_path):
    process = start(["scheduler"], {"DATABASE_URL": db.url, "SLACK_API_URL": slack.api_url},
                    tmp_path)
    assert process.stdout is not None
    assert "scheduler running" in process.stdout.readline()
    process.send_signal(signal.SIGTERM)
    try:
        assert process.wait(timeout=20) == 0
    finally:
        output = stop(process)
    assert "digest scheduler stopped" in output, output


@pytest.mark.parametrize(("log_format", "workers"), [("text", []), ("json", []),
                                                    ("json", ["--workers", "2"])])
def test_one_access_line_per_request_without_bodies_or_secrets(db, slack, tmp_path,
                                                                log_format, workers):
    running = Server({"DATABASE_URL": db.url, "SLACK_API_URL": slack.api_url,
                      "LOG_FORMAT": log_format}, tmp_path, "--no-scheduler", *workers)
    try:
        running.ask(slack, "new Secretive Corp 50k", "new")
        assert get_status(running.base + "/healthz?token=hush") == 200
    finally:
        output = running.stop()
    lines = output.splitlines()
    if log_format == "json":
        entries = [json.loads(line) for line in lines]  # every line is one JSON object
        access = [e for e in entries if e["logger"] == "dealbot.access"]
        assert [(e["method"], e["path"], e["status"], e["kind"]) for e in access] == [
            ("GET", "/healthz", 200, "healthz"), ("POST", "/slack/events", 200, "/deal"),
            ("GET", "/healthz", 200, "healthz")]
        assert all(isinstance(e["ms"], float) for e in access)
    else:
        access = [line for line in lines if "dealbot.access" in line]
        assert len(access) == 3 and "POST /slack/events 200" in access[1], access
        assert access[1].endswith(" ms /deal"), access
    for secret in ("Secretive", "hush", BOT_TOKEN, SIGNING_SECRET):
        assert secret not in output
    assert "apscheduler" not in output and "Context impl" not in output


def test_alembic_speaks_under_db_upgrade_only(tmp_path):
    env = dealbot_env({"DATABASE_URL": f"sqlite:///{tmp_path / 'quiet.db'}"})

    def run(*args: str) -> str:
        return subprocess.run([sys.executable, "-m", "bot.cli", *args], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=60).stderr

    assert "Running upgrade" in run("db", "upgrade")
    assert run("report", "pipeline", "--team", "T1").splitlines() == [
        "dealbot: There is no workspace T1 in this database (there are: none yet)."]


def test_serve_warns_at_start_when_slack_refuses_the_bot_token(db, slack, tmp_path):
    slack.script("auth.test", {"ok": False, "error": "invalid_auth"})
    running = Server({"DATABASE_URL": db.url, "SLACK_API_URL": slack.api_url}, tmp_path,
                     "--no-scheduler")
    output = running.stop()
    assert "WARNING dealbot: Slack refused SLACK_BOT_TOKEN (invalid_auth)" in output, output
    assert "dealbot doctor" in output and BOT_TOKEN not in output


def test_metrics_add_up_over_gunicorn_workers(db, slack, tmp_path):
    running = Server({"DATABASE_URL": db.url, "SLACK_API_URL": slack.api_url}, tmp_path,
                     "--workers", "2", "--threads", "2", "--no-scheduler")
    try:
        for n in range(4):  # spread over both workers
            running.ask(slack, f"new Acme {n} 50k", f"new{n}")
        scrapes = []
        for _ in range(4):  # each scrape may reach either worker: all say the same
            with urllib.request.urlopen(running.base + "/metrics", timeout=5) as response:
                assert response.headers["Content-Type"].startswith("text/plain")
                scrapes.append(response.read().decode())
    finally:
        running.stop()
    for scrape in scrapes:
        samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
                   for family in text_string_to_metric_families(scrape)
                   for s in family.samples}
        assert samples[("dealbot_requests_total",
                        (("kind", "/deal"), ("status", "200")))] == 4
