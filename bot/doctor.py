"""`dealbot doctor`: is this deployment set up right? One check per line, each with what to do
when it fails. Also the bot token check `dealbot serve` runs at start.

Checks: the settings (they load at all), the database (it answers, its schema is the one this
version needs), the signing secret (set), the bot token (Slack's `auth.test` at
SLACK_API_URL accepts it, and the scopes it was granted cover the manifest's), the app token
for Socket Mode (`apps.connections.open`), and with `--url` the public Request URL (it
answers Slack's URL verification challenge, signed with the signing secret).
"""

from __future__ import annotations

import json
import logging
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.config import Settings
from bot.manifest import BOT_SCOPES
from storage.db import Database

log = logging.getLogger("dealbot")
TIMEOUT = 10  # seconds for each call; doctor does not retry

OK, FAILED, SKIPPED = "ok", "FAILED", "skipped"


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # OK, FAILED or SKIPPED
    detail: str

    @property
    def line(self) -> str:
        return f"{self.status:<7} {self.name}: {self.detail}"


@dataclass(frozen=True)
class TokenCheck:
    check: Check
    team: str | None = None
    enterprise: str | None = None
    scopes: tuple[str, ...] | None = None  # None: Slack did not say


def _client(settings: Settings, token: str | None) -> WebClient:
    return WebClient(token=token, base_url=settings.slack_api_url, timeout=TIMEOUT)


def _failure(error: Exception, settings: Settings) -> str:
    if isinstance(error, SlackApiError):
        return str(error.response.get("error"))
    reason = getattr(error, "reason", None) or error
    return f"no answer from {settings.slack_api_url} ({reason})"


def check_bot_token(settings: Settings) -> TokenCheck:
    """Slack's `auth.test` with SLACK_BOT_TOKEN: whose bot it is, and its granted scopes."""
    name = "bot token"
    if settings.slack_bot_token is None:
        detail = ("OAuth installs: each workspace's token is checked when it installs"
                  if settings.oauth else "SLACK_BOT_TOKEN is not set")
        return TokenCheck(Check(name, SKIPPED if settings.oauth else FAILED, detail))
    try:
        answer = _client(settings, settings.slack_bot_token).auth_test()
    except (SlackApiError, OSError) as error:
        why = _failure(error, settings)
        return TokenCheck(Check(name, FAILED, f"Slack refused SLACK_BOT_TOKEN ({why}): copy "
                                "the Bot User OAuth Token (xoxb-...) from OAuth & Permissions "
                                "again, or reinstall the app"
                                if isinstance(error, SlackApiError) else
                                f"could not ask Slack: {why}; check SLACK_API_URL and the "
                                "network"))
    header = answer.headers.get("x-oauth-scopes") or answer.headers.get("X-OAuth-Scopes")
    scopes = tuple(s.strip() for s in header.split(",") if s.strip()) if header else None
    team, enterprise = answer.get("team_id"), answer.get("enterprise_id")
    return TokenCheck(Check(name, OK, f"the bot of {answer.get('team')} ({team})"),
                      team=team, enterprise=enterprise or None, scopes=scopes)


def check_scopes(token: TokenCheck) -> Check:
    """The scopes the bot token was granted, against the manifest's."""
    name = "scopes"
    if token.check.status != OK:
        return Check(name, SKIPPED, "needs a working bot token")
    if token.scopes is None:
        return Check(name, SKIPPED, "Slack did not say which scopes the token has")
    missing = [scope for scope in BOT_SCOPES if scope not in token.scopes]
    if missing:
        return Check(name, FAILED, f"the token lacks {', '.join(missing)}: add them under "
                     "OAuth & Permissions (or paste `dealbot manifest` again) and reinstall")
    return Check(name, OK, "every scope of the manifest is granted")


def check_app_token(settings: Settings) -> Check:
    name = "app token"
    if settings.slack_app_token is None:
        return Check(name, SKIPPED, "SLACK_APP_TOKEN is not set (only Socket Mode needs it)")
    try:
        _client(settings, None).apps_connections_open(app_token=settings.slack_app_token)
    except (SlackApiError, OSError) as error:
        return Check(name, FAILED, f"Slack refused SLACK_APP_TOKEN ({_failure(error, settings)})"
                     ": create an app-level token with connections:write under Basic "
                     "Information, and enable Socket Mode")
    return Check(name, OK, "Socket Mode connections can be opened")


def check_configuration(settings: Settings) -> Check:
    """The settings loaded (a malformed one stops `dealbot` before any check, in one line);
    what they make of this deployment, and whether `serve` over HTTP has what it needs."""
    from bot.config import ConfigError

    mode = ("OAuth installs into many workspaces" if settings.oauth else
            "one workspace's bot token")
    try:
        settings.require_http()
    except ConfigError as error:
        return Check("configuration", FAILED, str(error))
    return Check("configuration", OK, f"{mode}, LOG_LEVEL {settings.log_level}, "
                 f"LOG_FORMAT {settings.log_format}")


def check_signing_secret(settings: Settings) -> Check:
    if settings.slack_signing_secret:
        return Check("signing secret", OK, "set")
    return Check("signing secret", FAILED, "SLACK_SIGNING_SECRET is not set: copy it from "
                 "Basic Information > App Credentials (HTTP mode refuses every request without)")


def check_database(settings: Settings) -> Check:
    from sqlalchemy.engine import make_url

    url = make_url(settings.database_url).render_as_string(hide_password=True)
    db = Database(settings.database_url)
    try:
        if not db.ping():
            return Check("database", FAILED, f"{url} does not answer: check DATABASE_URL and "
                         "that the server runs")
        current, head = db.schema_state()
    finally:
        db.dispose()
    if current != head:
        state = "is empty" if current is None else f"is at {current}"
        return Check("database", FAILED, f"{url}: the schema {state}, this version needs "
                     f"{head}: run `dealbot db upgrade`")
    return Check("database", OK, f"{url}, schema at {head} (the latest)")


def check_public_url(settings: Settings, url: str) -> Check:
    """Signs a URL verification request as Slack would and posts it to URL/slack/events."""
    from bot.slack_standin.signed import sign

    name = "request URL"
    if not settings.slack_signing_secret:
        return Check(name, SKIPPED, "needs SLACK_SIGNING_SECRET")
    target = url.rstrip("/") + "/slack/events"
    challenge = secrets.token_urlsafe(16)
    body = json.dumps({"token": "doctor", "challenge": challenge, "type": "url_verification"})
    request = sign(body, signing_secret=settings.slack_signing_secret,
                   content_type="application/json", timestamp=int(time.time()))
    try:
        status, answer = request.post(target)
    except (OSError, urllib.error.URLError) as error:
        return Check(name, FAILED, f"{target} did not answer ({getattr(error, 'reason', error)}):"
                     " is `dealbot serve` running behind that address?")
    if status == 401:
        return Check(name, FAILED, f"{target} refused the signature: its SLACK_SIGNING_SECRET "
                     "differs from this one")
    if status != 200 or challenge not in answer:
        return Check(name, FAILED, f"{target} answered {status} without the challenge: is it "
                     "Dealbot?")
    return Check(name, OK, f"{target} answers Slack's URL verification")


def url_to_check(url: str) -> str:
    """`--url`: a public https:// URL (bot.manifest.check_public_url), or this machine's
    own server over http (http://localhost:3000), to check it before exposing it."""
    from urllib.parse import urlsplit

    from bot.manifest import check_public_url

    parts = urlsplit(url.strip())
    if parts.scheme == "http" and parts.hostname in ("localhost", "127.0.0.1"):
        return url.strip()
    return check_public_url(url)


def run_checks(settings: Settings, url: str | None = None) -> list[Check]:
    token = check_bot_token(settings)
    checks = [check_configuration(settings), check_database(settings),
              check_signing_secret(settings), token.check,
              check_scopes(token), check_app_token(settings)]
    if url is not None:
        checks.append(check_public_url(settings, url))
    return checks


def token_check_at_start(settings: Settings, db: Database,
                         clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
    """`dealbot serve`'s check of a single bot token: a warning when Slack refuses it (users
    would only see "reinstall the app"); when it works, its workspace's digests and nudges
    paused by an uninstall resume (storage.leaving)."""
    from storage.leaving import remember_enterprise, resume_after_reinstall

    if settings.slack_bot_token is None:
        return
    token = check_bot_token(settings)
    if token.check.status != OK:
        log.warning("%s. Slack requests will fail until it is fixed; `dealbot doctor` checks "
                    "the whole set-up.", token.check.detail)
        return
    if token.team:
        with db.transaction() as session:
            if token.enterprise:
                remember_enterprise(session, team=token.team, enterprise=token.enterprise,
                                    now=clock())
            resumed = resume_after_reinstall(session, teams=[token.team], now=clock())
        if resumed:
            log.info("the bot token works again: %s digest subscription(s) resumed", resumed)


def report(checks: list[Check], echo: Callable[[str], Any] = print) -> int:
    """Prints one line per check; 0 when none failed, 1 otherwise."""
    for check in checks:
        echo(check.line)
    failed = [c for c in checks if c.status == FAILED]
    echo(f"{len(failed)} problem(s) found." if failed else "Everything checked is fine.")
    return 1 if failed else 0
