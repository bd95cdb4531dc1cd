"""Settings from the process environment and `.env`, checked once at start-up.

A missing or malformed variable stops the program with one line that names it and says what
to set. Secret values are never part of a message or a repr.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from storage.currencies import parse_currency_code
from storage.errors import UsageError
from storage.values import parse_timezone
from storage.workspaces import WorkspaceDefaults

DEFAULT_DATABASE_URL = "sqlite:///dealbot.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"


class ConfigError(Exception):
    """A configuration problem, worded for the person starting the program."""


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    slack_api_url: str = DEFAULT_SLACK_API_URL
    port: int = 3000
    timezone: str = "UTC"
    currency: str = "USD"
    log_level: str = "INFO"
    log_format: str = "text"
    admins: frozenset[str] = frozenset()
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_client_id: str | None = None
    slack_client_secret: str | None = field(default=None, repr=False)

    @property
    def workspace_defaults(self) -> WorkspaceDefaults:
        """What a new workspace starts with: DEALBOT_CURRENCY and DEALBOT_TIMEZONE."""
        return WorkspaceDefaults(currency=self.currency, timezone=self.timezone)

    @property
    def oauth(self) -> bool:
        """True when the app installs into many workspaces by OAuth."""
        return bool(self.slack_client_id and self.slack_client_secret)

    def require_http(self) -> None:
        """Checks what `dealbot serve` over HTTP needs."""
        _require("SLACK_SIGNING_SECRET", self.slack_signing_secret,
                 "the Signing Secret from your Slack app's Basic Information page")
        if not self.oauth:
            _require("SLACK_BOT_TOKEN", self.slack_bot_token,
                     "the Bot User OAuth Token (xoxb-...) from OAuth & Permissions, "
                     "or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth installs")

    def require_socket(self) -> None:
        """Checks what `dealbot serve --socket` needs."""
        _require("SLACK_APP_TOKEN", self.slack_app_token,
                 "an app-level token (xapp-...) with connections:write, from Basic Information")
        _require("SLACK_BOT_TOKEN", self.slack_bot_token,
                 "the Bot User OAuth Token (xoxb-...) from OAuth & Permissions")


def _require(name: str, value: str | None, what: str) -> None:
    if not value:
        raise ConfigError(f"{name} is not set: set it to {what} (in the environment or .env).")


def load_settings(environ: Mapping[str, str] | None = None,
                  env_file: Path | None = Path(".env")) -> Settings:
    """Settings from `environ` (default: the process environment) over the `.env` file."""
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)

    def get(name: str) -> str | None:
        value = values.get(name, "").strip()
        return value or None

    return Settings(
        database_url=_database_url(get("DATABASE_URL")),
        slack_api_url=_api_url(get("SLACK_API_URL")),
        port=_port(get("PORT")),
        timezone=_standard("DEALBOT_TIMEZONE", parse_timezone, get("DEALBOT_TIMEZONE"), "UTC",
                           "a time zone name like Europe/Oslo"),
        currency=_standard("DEALBOT_CURRENCY", parse_currency_code, get("DEALBOT_CURRENCY"),
                           "USD", "an ISO 4217 code like NOK"),
        log_level=_log_level(get("LOG_LEVEL")),
        log_format=_log_format(get("LOG_FORMAT")),
        admins=frozenset((get("DEALBOT_ADMINS") or "").replace(",", " ").split()),
        slack_bot_token=_token(get("SLACK_BOT_TOKEN"), "SLACK_BOT_TOKEN", "xoxb-"),
        slack_signing_secret=get("SLACK_SIGNING_SECRET"),
        slack_app_token=_token(get("SLACK_APP_TOKEN"), "SLACK_APP_TOKEN", "xapp-"),
        slack_client_id=get("SLACK_CLIENT_ID"),
        slack_client_secret=get("SLACK_CLIENT_SECRET"),
    )


def _database_url(value: str | None) -> str:
    url = value or DEFAULT_DATABASE_URL
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError("DATABASE_URL is not a database URL: set it like "
                          "postgresql+psycopg://user:password@host/dealbot or "
                          "sqlite:///dealbot.db.") from None
    if parsed.drivername == "postgresql":  # psycopg 3 is the driver we ship
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    elif parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError(f"DATABASE_URL uses {parsed.get_backend_name()}: Dealbot runs on "
                          "PostgreSQL or SQLite.")
    return url


def _api_url(value: str | None) -> str:
    url = value or DEFAULT_SLACK_API_URL
    if not url.startswith(("http://", "https://")):
        raise ConfigError("SLACK_API_URL must be an http(s) URL, like https://slack.com/api/.")
    return url if url.endswith("/") else url + "/"


def _port(value: str | None) -> int:
    if value is None:
        return 3000
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise ConfigError(f"PORT must be a number from 1 to 65535, not {value!r}.")
    return int(value)


def _standard(name: str, parse: Callable[[str], str], value: str | None, default: str,
              like: str) -> str:
    """`value` (or the default) in its standard spelling: `europe/oslo` -> `Europe/Oslo`."""
    try:
        return parse(value or default)
    except UsageError:
        raise ConfigError(f"{name} must be {like}, not {value!r}.") from None


def _log_level(value: str | None) -> str:
    level = (value or "INFO").upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, "
                          f"not {value!r}.")
    return level


def _log_format(value: str | None) -> str:
    log_format = (value or "text").lower()
    if log_format not in ("text", "json"):
        raise ConfigError(f"LOG_FORMAT must be text or json, not {value!r}.")
    return log_format


def _token(value: str | None, name: str, prefix: str) -> str | None:
    if value is not None and not value.startswith(prefix):
        raise ConfigError(f"{name} must start with {prefix}; check that you copied the "
                          f"right token.")
    return value


def configure_logging(settings: Settings, *, migrations: bool = False) -> None:
    """LOG_LEVEL and LOG_FORMAT for this process (see bot.logs); Alembic's lines about
    migrations only when `migrations` (under `dealbot db`)."""
    from bot.logs import configure_logging as configure

    configure(settings.log_level, settings.log_format, migrations=migrations)
