"""Configuration: the variables of PRODUCT.md, one clear line for each mistake."""

from __future__ import annotations

import re

import pytest

from bot.config import ConfigError, load_settings
from storage.workspaces import WorkspaceDefaults


def _load(**env):
    return load_settings(env, env_file=None)


def test_defaults_are_sqlite_slack_and_port_3000():
    settings = _load()
    assert (settings.database_url, settings.slack_api_url, settings.port, settings.timezone) == (
        "sqlite:///dealbot.db", "https://slack.com/api/", 3000, "UTC")
    assert settings.currency == "USD"


def test_a_new_workspaces_currency_and_zone_are_read_in_any_case_and_kept_canonical():
    settings = _load(DEALBOT_CURRENCY="nok", DEALBOT_TIMEZONE="europe/oslo")
    assert settings.workspace_defaults == WorkspaceDefaults("NOK", "Europe/Oslo", 14)


@pytest.mark.parametrize(("value", "line"), [
    ("kroner", "DEALBOT_CURRENCY must be an ISO 4217 code like NOK, not 'kroner'."),
    ("XYZ", "DEALBOT_CURRENCY must be an ISO 4217 code like NOK, not 'XYZ'."),
    ("DEM", "DEALBOT_CURRENCY must be an ISO 4217 code like NOK, not 'DEM'."),
])
def test_a_currency_that_is_not_an_iso_code_in_use_stops_start_up_with_one_line(value, line):
    with pytest.raises(ConfigError) as caught:
        _load(DEALBOT_CURRENCY=value)
    assert str(caught.value) == line


@pytest.mark.parametrize(("name", "value", "words"), [
    ("PORT", "eighty", "PORT must be a number"),
    ("PORT", "70000", "PORT must be a number from 1 to 65535"),
    ("DEALBOT_TIMEZONE", "Mars/Olympus", "DEALBOT_TIMEZONE must be a time zone name"),
    ("LOG_LEVEL", "LOUD", "LOG_LEVEL must be"),
    ("LOG_FORMAT", "xml", "LOG_FORMAT must be text or json, not 'xml'."),
    ("SLACK_BOT_TOKEN", "xoxp-user-token", "SLACK_BOT_TOKEN must start with xoxb-"),
    ("SLACK_APP_TOKEN", "xoxb-1", "SLACK_APP_TOKEN must start with xapp-"),
    ("DATABASE_URL", "not a url", "DATABASE_URL is not a database URL"),
    ("DATABASE_URL", "mysql://db/x", "Dealbot runs on PostgreSQL or SQLite"),
    ("SLACK_API_URL", "ftp://x", "SLACK_API_URL must be an http(s) URL"),
])
def test_a_malformed_variable_stops_with_a_line_that_names_it(name, value, words):
    with pytest.raises(ConfigError, match=re.escape(words)):
        _load(**{name: value})


def test_serving_over_http_without_a_signing_secret_names_the_variable_to_set():
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET is not set"):
        _load(SLACK_BOT_TOKEN="xoxb-1").require_http()


def test_secrets_never_appear_in_the_settings_repr():
    settings = _load(SLACK_BOT_TOKEN="xoxb-secret-1", SLACK_SIGNING_SECRET="shh-secret",
                     SLACK_CLIENT_SECRET="client-secret")
    assert "secret" not in repr(settings)


def test_the_dotenv_file_fills_in_and_the_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("PORT=4000\nDEALBOT_TIMEZONE=Europe/Oslo\n")
    settings = load_settings({"PORT": "5000"}, env_file=env_file)
    assert (settings.port, settings.timezone) == (5000, "Europe/Oslo")


def test_a_plain_postgresql_url_uses_the_shipped_psycopg_driver():
    assert _load(DATABASE_URL="postgresql://u:p@h/db").database_url.startswith("postgresql+psycopg://")
