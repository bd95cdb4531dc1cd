"""Workspaces that leave: `app_uninstalled` and `tokens_revoked` (of the bot token) pause
the workspace's digests and nudges (storage.leaving); with OAuth installs, Bolt's own token
revocation listeners then delete the installation's tokens. A reinstall resumes them
(bot.oauth on a new installation, `dealbot serve` when its single bot token works again).

And a step before the listeners (handlers.before_listeners) that notes the Enterprise Grid
organisation each workspace's requests name, once per workspace and process, for finding bot
tokens by enterprise and team.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import partial

from slack_bolt import App, BoltContext, BoltRequest

from handlers.before_listeners import Step
from handlers.deps import Deps
from storage.leaving import (
    TOKENS_REVOKED,
    UNINSTALLED,
    pause_for_leaving,
    remember_enterprise,
    teams_of,
)

log = logging.getLogger(__name__)


def pause_digests(deps: Deps, context: BoltContext, reason: str) -> None:
    """Pauses the digests and nudges of the workspace that left (of every workspace of the
    organisation known to us when an organisation-wide install left)."""
    with deps.db.transaction() as session:
        if context.team_id:
            teams = [context.team_id]
        elif context.enterprise_id:
            teams = teams_of(session, enterprise=context.enterprise_id)
        else:
            teams = []
        paused = pause_for_leaving(session, teams=teams, reason=reason)
    log.info("%s for %s: nudges stopped, %s digest subscription(s) paused", reason,
             context.team_id or context.enterprise_id, paused)


def on_app_uninstalled(context: BoltContext, *, deps: Deps,
                       forget: Callable[..., object] | None) -> None:
    pause_digests(deps, context, UNINSTALLED)
    if forget is not None:
        forget(context=context)


def on_tokens_revoked(event: dict, context: BoltContext, *, deps: Deps,
                      forget: Callable[..., object] | None) -> None:
    """Only the bot token matters to Dealbot: user tokens revoked change nothing here."""
    if (event.get("tokens") or {}).get("bot"):
        pause_digests(deps, context, TOKENS_REVOKED)
    if forget is not None:
        forget(event=event, context=context)


def register(app: App, deps: Deps) -> None:
    oauth = app.installation_store is not None
    app.event("app_uninstalled")(partial(
        on_app_uninstalled, deps=deps,
        forget=app.default_app_uninstalled_event_listener() if oauth else None))
    app.event("tokens_revoked")(partial(
        on_tokens_revoked, deps=deps,
        forget=app.default_tokens_revoked_event_listener() if oauth else None))


def note_enterprise(deps: Deps) -> Step:
    """The step (handlers.before_listeners) that notes the enterprise of an Enterprise Grid
    workspace, once per process."""
    noted: set[tuple[str, str]] = set()
    lock = threading.Lock()

    def step(request: BoltRequest) -> None:
        context = request.context
        team, enterprise = context.team_id, context.enterprise_id
        if team and enterprise and (team, enterprise) not in noted:
            with deps.db.transaction() as session:
                remember_enterprise(session, team=team, enterprise=enterprise,
                                    now=deps.clock())
            with lock:
                noted.add((team, enterprise))

    return step
