"""The Slack app manifest for a deployment at a given URL (`dealbot manifest --url URL`)."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from handlers import ids

PLACEHOLDER_URL = "https://dealbot.example.com"

COMMANDS = (
    ("/deal", "Create, move and close deals", "new Acme 50k | move Acme proposal | help"),
    ("/lead", "Log leads and move them through the funnel",
     "add Jane Roe (Globex) source:webinar | help"),
    ("/pipeline", "The pipeline summary, and its daily digest",
     "[forecast | target | subscribe | unsubscribe | subscriptions | help]"),
    ("/funnel", "The funnel conversion report, and its weekly digest",
     "[this week | last week | subscribe | spend | help]"),
)

# (name, type, callback_id, description): the message shortcut shows in every message's
# "More actions" menu, the global ones in the shortcuts menu and in search
SHORTCUTS = (
    ("Add to deal", "message", ids.SHORTCUT_ADD_TO_DEAL, "Log this message as a note on a deal"),
    ("Add to lead", "message", ids.SHORTCUT_ADD_TO_LEAD, "Log this message as a note on a lead"),
    ("New deal", "global", ids.SHORTCUT_NEW_DEAL, "Create a deal in the pipeline"),
    ("New lead", "global", ids.SHORTCUT_NEW_LEAD, "Add a lead to the funnel"),
)

BOT_EVENTS = ("app_home_opened", "app_uninstalled", "tokens_revoked")
BOT_SCOPES = ("commands", "chat:write", "chat:write.public", "users:read", "files:write",
              "channels:join", "im:write")


def check_public_url(url: str) -> str:
    """`url` if Slack can send its requests there: https://, a host, no query or fragment.
    Raises ConfigError, in one line, otherwise."""
    from bot.config import ConfigError

    parts = urlsplit(url.strip())
    if parts.scheme != "https" or not parts.hostname:
        raise ConfigError(
            f"--url {url!r} is not an https:// URL: Slack sends requests only to HTTPS "
            "Request URLs. Give the public https:// address (on your own machine, a tunnel's).")
    if parts.query or parts.fragment:
        raise ConfigError(f"--url {url!r} has a query or fragment: give the base URL only, "
                          "like https://dealbot.example.com; /slack/events is added to it.")
    return url.strip()


def manifest(url: str = PLACEHOLDER_URL) -> dict:
    """The manifest with every Request URL at `url` + /slack/events."""
    base = url.rstrip("/")
    events = f"{base}/slack/events"
    return {
        "display_information": {
            "name": "Dealbot",
            "description": "Your deal pipeline and lead funnel, inside Slack.",
            "background_color": "#1d3557",
        },
        "features": {
            "app_home": {"home_tab_enabled": True, "messages_tab_enabled": True,
                         "messages_tab_read_only_enabled": True},
            "bot_user": {"display_name": "Dealbot", "always_online": True},
            "slash_commands": [
                {"command": command, "url": events, "description": description,
                 "usage_hint": hint, "should_escape": True}
                for command, description, hint in COMMANDS],
            "shortcuts": [
                {"name": name, "type": kind, "callback_id": callback_id,
                 "description": description}
                for name, kind, callback_id, description in SHORTCUTS],
        },
        "oauth_config": {
            "redirect_urls": [f"{base}/slack/oauth_redirect"],
            "scopes": {"bot": list(BOT_SCOPES)},
        },
        "settings": {
            # app_uninstalled and tokens_revoked need no scope: a workspace that leaves
            "event_subscriptions": {"request_url": events, "bot_events": list(BOT_EVENTS)},
            # type-ahead menus (external_select) load their options from the same URL
            "interactivity": {"is_enabled": True, "request_url": events,
                              "message_menu_options_url": events},
            "org_deploy_enabled": False,
            "socket_mode_enabled": False,
            "token_rotation_enabled": False,
        },
    }


def manifest_json(url: str = PLACEHOLDER_URL) -> str:
    return json.dumps(manifest(url), indent=2, ensure_ascii=False) + "\n"
