"""`dealbot report` and `dealbot digest send` on a database with a small history."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from bot.cli.main import main
from handlers.charts import canvas
from storage.deals import operations as deals
from storage.leads import operations as leads
from storage.reports import forecast
from tests.handlers.charts.pixels import bars, decoded, drawn_share

NOW = datetime.now(UTC)


@pytest.fixture
def team(db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db.url)
    monkeypatch.delenv("SLACK_API_URL", raising=False)
    with db.transaction() as s:
        deals.create_deal(s, team="T1", name="Acme", actor="U1", now=NOW - timedelta(days=2),
                          value=Decimal("1200.50"), stage="proposal")
        leads.add_lead(s, team="T1", name="Jane", actor="U1", now=NOW - timedelta(hours=1),
                       source="webinar")
    return "T1"


def run_json(capsys, *argv: str) -> dict:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_report_pipeline_prints_the_json_contract(team, capsys):
    data = run_json(capsys, "report", "pipeline", "--format", "json")
    assert data["team"] == "T1" and data["totals"]["value"] == "1200.50"
    past = run_json(capsys, "report", "pipeline", "--format", "json", "--as-of",
                    (NOW - timedelta(days=3)).isoformat())
    assert past["totals"] == {"count": 0, "value": "0.00", "weighted": "0.00"}


def test_report_pipeline_lists_a_few_deals_per_attention_list_with_the_totals(team, db, capsys):
    with db.transaction() as s:
        for name, idle in (("Cargo", 40), ("Beta", 50)):
            deals.create_deal(s, team="T1", name=name, actor="U1",
                              now=NOW - timedelta(days=idle), stage="proposal")
    data = run_json(capsys, "report", "pipeline", "--format", "json", "--attention-limit", "1")
    assert [d["name"] for d in data["attention"]["stale"]] == ["Beta"]  # idle longest, first
    assert data["attention"]["stale_total"] == 2
    assert main(["report", "pipeline", "--attention-limit", "1"]) == 0
    assert "... and 1 more" in capsys.readouterr().out


def test_help_loads_no_database_or_slack_code():
    """`dealbot --help` starts fast because the commands import what they use when they run."""
    code = ("import sys; from bot.cli.main import build_parser; build_parser(); "
            "print(sorted(m for m in ('sqlalchemy', 'slack_bolt', 'alembic', 'storage.db', "
            "'matplotlib', 'numpy') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_the_app_and_the_scheduler_load_the_plotting_library_only_to_draw():
    """Serving requests and running digests import the chart code but not matplotlib (about
    0.6 s and 60 MiB) until a chart is drawn."""
    code = ("import sys, bot.app, bot.digests, bot.console, bot.cli.reports, handlers.registry; "
            "print(sorted(m for m in ('matplotlib', 'numpy', 'PIL') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_the_text_report_writes_money_as_slack_messages_do(team, capsys):
    assert main(["report", "pipeline"]) == 0
    out = capsys.readouterr().out
    assert "$1,200.50" in out and "1,200.50 USD" not in out


def test_report_funnel_for_a_week_in_a_zone(team, capsys):
    data = run_json(capsys, "report", "funnel", "--format", "json", "--week", "2026-W47",
                    "--tz", "Europe/Oslo")
    assert (data["week"], data["timezone"], data["start"]) == (
        "2026-W47", "Europe/Oslo", "2026-11-15T23:00:00Z")
    assert data["cac"] is None and data["cac_by_source"] == {}  # no spend recorded
    assert main(["report", "funnel"]) == 0
    out = capsys.readouterr().out
    assert "Awareness" in out and "Spend -, CAC - (no spend recorded)" in out


def test_report_funnel_and_pipeline_write_pictures_of_a_past_week_and_day(team, tmp_path,
                                                                          capsys):
    funnel, pipeline = tmp_path / "f.png", tmp_path / "p.png"
    assert main(["report", "funnel", "--format", "png", "--output", str(funnel), "--week",
                 "2026-W47", "--tz", "Europe/Oslo"]) == 0
    assert main(["report", "pipeline", "--format", "png", "-o", str(pipeline), "--as-of",
                 (NOW - timedelta(days=1)).isoformat()]) == 0
    assert capsys.readouterr().err == f"Wrote {funnel}.\nWrote {pipeline}.\n"
    for path in (funnel, pipeline):
        pixels = decoded(path.read_bytes())
        assert pixels.shape == (800, 1200, 3) and drawn_share(pixels) > 0.02  # text at least
    assert bars(decoded(pipeline.read_bytes()), canvas.SKY)  # Acme's $1,200.50 in Proposal


def test_a_picture_needs_a_file_and_a_file_that_cannot_be_written_is_one_line(team, tmp_path,
                                                                               capsys):
    assert main(["report", "funnel", "--format", "png"]) == 2
    assert capsys.readouterr().err == ("dealbot: --format png needs --output FILE (a picture "
                                       "is not written to the terminal).\n")
    assert main(["report", "funnel", "--format", "png", "-o", str(tmp_path / "no" / "f.png")]) == 2
    assert "f.png cannot be written: No such file or directory" in capsys.readouterr().err
    assert main(["report", "funnel", "--format", "json", "-o", str(tmp_path / "f.json")]) == 0
    assert json.loads((tmp_path / "f.json").read_text())["kind"] == "funnel"


def test_report_funnel_for_one_tag_counts_only_that_tags_new_leads(team, db, capsys):
    with db.transaction() as s:
        leads.add_lead(s, team="T1", name="Bob", actor="U1", now=NOW - timedelta(hours=1),
                       source="ads", tags=("enterprise",))
    data = run_json(capsys, "report", "funnel", "--format", "json", "--tag", "enterprise")
    assert data["sources_tag"] == "enterprise"
    assert [(s["source"], s["new_leads"]) for s in data["sources"]] == [("ads", 1)]
    assert main(["report", "funnel", "--tag", "#Enterprise"]) == 0  # as /funnel #Enterprise
    out = capsys.readouterr().out
    assert "New leads tagged #enterprise by source:\n  ads: 1 new" in out
    assert "webinar" not in out
    assert run_json(capsys, "report", "funnel", "--format", "json")["sources_tag"] is None


@pytest.mark.parametrize(("argv", "words"), [
    (["funnel", "--tag", "a+b"], "`#a+b` is not a tag"),
    (["funnel", "--tag", "12"], "names a deal by its number"),
    (["pipeline", "--tag", "q4"], "--tag goes with the funnel report")])
def test_a_report_tag_that_cannot_be_used_says_why(team, capsys, argv, words):
    assert main(["report", *argv]) == 2
    assert words in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--week", "2026-W60"], ["--tz", "Mars/Base"],
                                  ["--team", "T404"]])
def test_bad_report_arguments_say_what_is_wrong(team, capsys, argv):
    assert main(["report", "funnel", *argv]) == 2
    assert "dealbot:" in capsys.readouterr().err


def test_digest_send_posts_through_the_same_code_and_dry_run_prints(team, capsys, slack,
                                                                    monkeypatch):
    assert main(["digest", "send", "pipeline", "--channel", "C1", "--dry-run"]) == 0
    assert json.loads(capsys.readouterr().out)["channel"] == "C1"
    assert slack.calls("chat.postMessage") == []
    monkeypatch.setenv("SLACK_API_URL", slack.api_url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    assert main(["digest", "send", "funnel", "--channel", "C1"]) == 0
    assert [c.body["channel"] for c in slack.calls("chat.postMessage")] == ["C1"]


def test_digest_send_with_slack_unreachable_says_so_in_one_line(team, capsys, monkeypatch):
    from tests.e2e.serving import free_port

    monkeypatch.setenv("SLACK_API_URL", f"http://127.0.0.1:{free_port()}/api/")  # nobody there
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    assert main(["digest", "send", "pipeline", "--channel", "C1"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "dealbot: the digest for C1 was not posted: connection_error"


def test_report_forecast_prints_the_json_contract_by_month_and_quarter(team, capsys):
    data = run_json(capsys, "report", "forecast", "--format", "json")
    assert data["kind"] == "forecast" and data["period"] == "month"
    assert len(data["periods"]) == 3 and data["no_close_date"]["value"] == "1200.50"
    assert set(data["from_leads"]) >= {"window_weeks", "stages", "expected_customers",
                                       "expected_value"}
    quarter = run_json(capsys, "report", "forecast", "--format", "json", "--period", "quarter",
                       "--as-of", (NOW - timedelta(days=3)).isoformat())
    assert quarter["period"] == "quarter" and quarter["no_close_date"]["count"] == 0


def test_report_forecast_as_text_has_a_line_per_period(team, capsys):
    assert main(["report", "forecast"]) == 0
    out = capsys.readouterr().out
    assert "Forecast by month for the team (T1)" in out and "No date" in out
    assert "$1,200.50" in out


def test_the_text_forecast_counts_one_open_deal_and_one_week(team, capsys, monkeypatch):
    monkeypatch.setattr(forecast, "WINDOW_WEEKS", 1)
    assert main(["report", "forecast"]) == 0
    out = capsys.readouterr().out
    assert "From leads (rates to customer over the last 1 week):" in out
    assert "Velocity: 1 open deal x win rate" in out


@pytest.mark.parametrize("argv", [["--format", "png", "-o", "f.png"], ["--as-of", "yesterday"]])
def test_bad_forecast_arguments_say_what_is_wrong(team, capsys, argv):
    assert main(["report", "forecast", *argv]) == 2
    assert capsys.readouterr().err.startswith("dealbot: ")


def test_a_forecast_period_that_is_not_one_names_the_periods(team, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["report", "forecast", "--period", "week"])
    assert exit_.value.code == 2
    assert "invalid choice: 'week'" in capsys.readouterr().err
