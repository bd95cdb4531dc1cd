"""Installs into many workspaces by OAuth, when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set.

The installations live in the same database as everything else, in slack-sdk's own tables
(`slack_installations`, `slack_bots`, `slack_oauth_states`), created by `dealbot db upgrade`
and on start: they belong to slack-sdk's schema, so Alembic does not manage them.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.config import Settings
from bot.manifest import BOT_SCOPES
from storage.db import Database
from storage.leaving import enterprise_of, remember_enterprise, resume_after_reinstall, teams_of

log = logging.getLogger(__name__)
STATE_EXPIRATION_SECONDS = 600


class Installations(SQLAlchemyInstallationStore):
    """slack-sdk's installation store, which also resumes the digests a workspace had when
    it installs Dealbot again (storage.leaving), and notes its Grid organisation."""

    def __init__(self, settings: Settings, db: Database) -> None:
        super().__init__(client_id=settings.slack_client_id or "", engine=db.engine)
        self.db = db

    def save(self, installation: Installation) -> None:
        super().save(installation)
        team, enterprise = installation.team_id, installation.enterprise_id
        now = datetime.now(UTC)
        with self.db.transaction() as session:
            if team and enterprise:
                remember_enterprise(session, team=team, enterprise=enterprise, now=now)
            teams = [team] if team else teams_of(session, enterprise=enterprise or "")
            resumed = resume_after_reinstall(session, teams=teams, now=now)
        if resumed:
            log.info("installed again in %s: %s digest subscription(s) resumed",
                     team or enterprise, resumed)


def installation_store(settings: Settings, db: Database) -> Installations:
    return Installations(settings, db)


def ensure_oauth_tables(settings: Settings, db: Database) -> None:
    """Creates slack-sdk's installation and state tables if they are missing."""
    installation_store(settings, db).metadata.create_all(db.engine, checkfirst=True)
    SQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRATION_SECONDS,
                              engine=db.engine).metadata.create_all(db.engine, checkfirst=True)


def oauth_settings(settings: Settings, db: Database) -> OAuthSettings:
    """Bolt's OAuth flow at GET /slack/install and GET /slack/oauth_redirect."""
    return OAuthSettings(
        client_id=settings.slack_client_id, client_secret=settings.slack_client_secret,
        scopes=list(BOT_SCOPES), installation_store=installation_store(settings, db),
        state_store=SQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRATION_SECONDS,
                                              engine=db.engine),
        install_path="/slack/install", redirect_uri_path="/slack/oauth_redirect")


def bot_token_for(settings: Settings, db: Database, team: str) -> str | None:
    """The bot token a workspace installed us with (OAuth mode), or the single bot token."""
    if not settings.oauth:
        return settings.slack_bot_token
    bot = find_bot(installation_store(settings, db), db, team)
    return bot.bot_token if bot is not None else None


def find_bot(store: SQLAlchemyInstallationStore, db: Database, team: str) -> Bot | None:
    """As Bolt's authorize finds it for a request of `team`: by the workspace's Grid
    organisation (None outside a Grid) and team, then the organisation-wide install."""
    with db.transaction() as session:
        enterprise = enterprise_of(session, team=team)
    bot = store.find_bot(enterprise_id=enterprise, team_id=team)
    if bot is None and enterprise is not None:
        bot = store.find_bot(enterprise_id=enterprise, team_id=None, is_enterprise_install=True)
    return bot
