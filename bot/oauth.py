"""Installs into many workspaces by OAuth, when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set.

The installations live in the same database as everything else, in slack-sdk's own tables
(`slack_installations`, `slack_bots`, `slack_oauth_states`), created by `dealbot db upgrade`
and on start: they belong to slack-sdk's schema, so Alembic does not manage them.
"""

from __future__ import annotations

from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.config import Settings
from bot.manifest import BOT_SCOPES
from storage.db import Database

STATE_EXPIRATION_SECONDS = 600


def installation_store(settings: Settings, db: Database) -> SQLAlchemyInstallationStore:
    return SQLAlchemyInstallationStore(client_id=settings.slack_client_id or "", engine=db.engine)


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
    bot = installation_store(settings, db).find_bot(enterprise_id=None, team_id=team)
    return bot.bot_token if bot is not None else None
