"""The issues' "done when" journeys, through real `dealbot` processes: `serve` over HTTP with
signed requests built from what the app rendered, and `scheduler` processes racing on one
PostgreSQL database for the same digest."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.slack_standin import click, event_callback, submit_view, text_of, validate_view
from handlers import ids
from storage.db import Database
from storage.models import DigestLedger
from tests.conftest import postgres_database
from tests.driver import SIGNING_SECRET
from tests.e2e.scheduler_ahead import ticks
from tests.e2e.serving import Server, ack_body, dealbot_env, reply, stop

ROOT = Path(__file__).parents[2]


@pytest.fixture
def server(db, slack, tmp_path) -> Iterator[Server]:
    running = Server({"DATABASE_URL": db.url, "SLACK_API_URL": slack.api_url}, tmp_path,
                     "--no-scheduler")
    yield running
    running.stop()


def press(server: Server, slack, blocks: list[dict], action_id: str, name: str,
          **picked: str) -> None:
    """A click on a message the app posted; its answers go to response_url `name`."""
    assert ack_body(server.send(click(signing_secret=SIGNING_SECRET, message_blocks=blocks,
                                      action_id=action_id, response_url=slack.response_url(name),
                                      **picked))) == {}


def option_value(blocks: list[dict], action_id: str, label: str) -> str:
    element = next(e for b in blocks if b["type"] == "actions" for e in b["elements"]
                   if e["action_id"] == action_id)
    return next(o["value"] for o in element["options"] if o["text"]["text"] == label)


def test_cards_buttons_lost_modal_stale_click_and_home_over_http(server, slack):
    first = server.ask(slack, "new Acme 50k", "new")
    assert first["response_type"] == "in_channel"

    press(server, slack, first["blocks"], ids.DEAL_ADVANCE, "advance")
    advanced = reply(slack, "advance")
    assert advanced["replace_original"] and "Qualification" in text_of(advanced["blocks"])

    negotiation = option_value(advanced["blocks"], ids.DEAL_PICK_STAGE, "Negotiation")
    press(server, slack, advanced["blocks"], ids.DEAL_PICK_STAGE, "pick",
          selected_option_value=negotiation)
    picked = reply(slack, "pick")
    assert picked["replace_original"] and "Negotiation" in text_of(picked["blocks"])

    press(server, slack, picked["blocks"], ids.DEAL_LOST, "lost")
    view = slack.wait_for(lambda: slack.calls("views.open"), timeout=10)[-1].body["view"]
    validate_view(view)
    block = ids.DEAL_LOST_REASON_BLOCK
    reason = {block: {block: {"value": "went with Globex"}}}
    submitted = submit_view(signing_secret=SIGNING_SECRET, view=view, values=reason)
    assert ack_body(server.send(submitted)) == {}  # the modal closes
    lost = reply(slack, "lost")
    assert lost["replace_original"] and "LOST — went with Globex" in str(lost["blocks"])

    press(server, slack, first["blocks"], ids.DEAL_ADVANCE, "stale")  # the first card
    redrawn, told = (r.body for r in slack.wait_for(
        lambda: slack.responses("stale") if len(slack.responses("stale")) >= 2 else None,
        timeout=10))
    assert redrawn["replace_original"] and "LOST — went with Globex" in str(redrawn["blocks"])
    assert told["response_type"] == "ephemeral" and "out of date" in text_of(told["blocks"])
    assert "LOST — went with Globex" in str(server.ask(slack, "show Acme", "show")["blocks"])

    opened = event_callback(signing_secret=SIGNING_SECRET, event_id="EvHome",
                            event={"type": "app_home_opened", "user": "U1", "channel": "DU1",
                                   "tab": "home", "event_ts": "1700000000.000001"})
    assert server.send(opened)[0] == 200
    home = slack.wait_for(lambda: [c for c in slack.calls("views.publish")
                                   if c.body.get("user_id") == "U1"], timeout=10)[-1]
    validate_view(home.body["view"])
    assert "Acme" in text_of(home.body["view"]["blocks"])


def test_lead_to_won_deal_over_http(server, slack):
    def lead(text: str, name: str) -> str:
        return text_of(server.ask(slack, text, name, command="/lead")["blocks"])

    assert "Jane Roe" in lead("add Jane Roe (Globex) source:webinar", "add")
    assert "Interest" in lead("move Jane interest", "move")
    converted = lead("convert Jane 20k", "convert")
    assert "$20,000" in converted and "From lead #1 Jane Roe" in converted
    assert "WON" in str(server.ask(slack, "won #1", "won")["blocks"]).upper()
    journey = lead("show Jane", "show")
    assert "Conversion" in journey
    for step in ("created it in Awareness", "moved it from Awareness to Interest",
                 "converted it into deal #1 Jane Roe", "moved it from Engagement to Conversion"):
        assert step in journey


@pytest.fixture
def postgres() -> Iterator[Database]:
    databases = postgres_database()
    database = Database(next(databases))
    database.upgrade()
    yield database
    database.dispose()
    databases.close()


def test_two_scheduler_processes_post_a_subscribed_digest_once(postgres, slack, tmp_path):
    """`/pipeline subscribe at HH:MM` for the coming minute; two `dealbot scheduler`
    processes on one PostgreSQL database, their clocks a minute ahead so the digest is due
    at their first runs, which race; the summary reaches the channel exactly once, and no
    later run of either process posts it again."""
    env = {"DATABASE_URL": postgres.url, "SLACK_API_URL": slack.api_url}
    server = Server(env, tmp_path, "--no-scheduler")
    schedulers: list[subprocess.Popen[str]] = []
    try:
        server.ask(slack, "new Acme 50k", "new")
        slack.users["U1"] = {"is_admin": True, "tz": "Europe/Oslo"}
        due = (datetime.now(UTC) + timedelta(minutes=1)).replace(second=0, microsecond=0)
        at = due.astimezone(ZoneInfo("Europe/Oslo")).strftime("%H:%M")
        told = text_of(server.ask(slack, f"subscribe <#CSALES|sales> daily at {at} "
                                  "tz:Europe/Oslo", "sub", command="/pipeline")["blocks"])
        assert "<#CSALES>" in told and at in told

        schedulers = [subprocess.Popen([sys.executable, "-m", "tests.e2e.scheduler_ahead",
                                        "--every", "1"],
                                       env={**dealbot_env(env), "PYTHONPATH": str(ROOT)},
                                       cwd=tmp_path, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, text=True)
                      for _ in range(2)]

        def in_sales() -> list:
            return [c for c in slack.calls("chat.postMessage") if c.body.get("channel") == "CSALES"]

        def runs() -> list[int]:
            return [ticks(tmp_path, process.pid) for process in schedulers]

        slack.wait_for(in_sales, timeout=60)
        after_post = runs()
        # both processes finished two more runs since: nothing else may arrive
        slack.wait_for(lambda: all(n >= seen + 2 for n, seen in zip(runs(), after_post,
                                                                      strict=True)),
                       timeout=60)
        posted = in_sales()
        assert len(posted) == 1
        blocks = posted[0].body["blocks"]
        assert "$50,000" in text_of(json.loads(blocks) if isinstance(blocks, str) else blocks)
        with postgres.transaction() as s:
            assert s.scalar(select(func.count()).select_from(DigestLedger)) == 1
        assert all(process.poll() is None for process in schedulers)
    finally:
        outputs = [stop(process) for process in schedulers]
        server.stop()
    assert all("scheduler running" in output for output in outputs), outputs


def test_report_json_from_the_cli_after_commands_over_http(server, slack, db, tmp_path):
    for name, text in (("a", "new Acme 50k"), ("b", "new Globex 20k"),
                       ("c", "move Globex proposal")):
        assert ":warning:" not in text_of(server.ask(slack, text, name)["blocks"])  # no error
    result = subprocess.run([sys.executable, "-m", "bot.cli", "report", "pipeline", "--team",
                             "T1", "--format", "json"], env=dealbot_env({"DATABASE_URL": db.url}),
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["team"] == "T1"
    assert report["totals"] == {"count": 2, "value": "70000.00", "weighted": "17000.00"}
    stages = {stage["name"]: stage for stage in report["stages"]}
    assert stages["Prospecting"]["count"] == 1 and stages["Proposal"]["value"] == "20000.00"
