"""The app factory: a Bolt app wired to the handlers, the store and a Web API client."""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk import WebClient

from bot.config import Settings
from bot.signature import SignedOnly
from bot.slack_calls import ResponseUrl
from handlers.deps import ANSWER_WITHIN, Clock, Deps
from handlers.home_refresh import HomeRefresh
from handlers.outbox import Outbox
from handlers.registry import register
from handlers.slow_work import SlowWork
from storage.db import Database
from storage.workspaces import with_workspace_defaults

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


def web_client(settings: Settings, token: str | None = None) -> WebClient:
    """A Web API client at SLACK_API_URL that retries rate limits and server errors, and
    connection errors when Slack cannot have acted on the call (bot.slack_calls)."""
    from bot.metrics import CountedConnectionErrors, CountedRateLimits, CountedServerErrors

    return WebClient(  # each retry is counted (bot.metrics)
        token=token or settings.slack_bot_token, base_url=settings.slack_api_url,
        retry_handlers=[CountedConnectionErrors(max_retry_count=2),
                        CountedRateLimits(max_retry_count=3),
                        CountedServerErrors(max_retry_count=2)])


class DealbotApp(App):
    """Bolt's App, answering each request in a context (`contextvars`) of its own: what a
    middleware sets there for the request's listener (the claim of a slash command's
    delivery, handlers.deliveries) ends with the request. Its `respond` is a `ResponseUrl`:
    bounded while the request waits for it, never sent twice (bot.slack_calls)."""

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        if req.context.response_url:
            from bot.metrics import CountedConnectionErrors

            req.context["respond"] = ResponseUrl(
                req.context.response_url,
                retry_handlers=[CountedConnectionErrors(max_retry_count=1)])
        return contextvars.copy_context().run(super().dispatch, req)


def create_app(settings: Settings, db: Database, *, clock: Clock = utc_now,
               process_before_response: bool = True, client: WebClient | None = None,
               slow_work: SlowWork | None = None,
               request_clock: Callable[[], float] = time.time,
               home_refresh: HomeRefresh | None = None,
               outbox: Outbox | None = None, answer_within: float = ANSWER_WITHIN) -> App:
    """The Bolt app. Listeners run in the thread of the request they answer
    (`process_before_response`), so the web server's threads are the listener pool and no
    smaller pool can starve acks: a command's answer is the ack's body, returned when its
    listener ends. Slow work (reports, exports) runs on `slow_work`, a bounded pool of its
    own; a full pool is answered at once that Dealbot is busy. Home tabs are refreshed by
    `home_refresh` (by default a few background threads), after the answers, and the activity
    channel's lines are posted by `outbox` (by default one background thread, in order).
    A request's database waits end `answer_within` seconds after it was received."""
    oauth = None
    if settings.oauth:  # decided by our settings, never by Bolt reading the environment
        from bot.oauth import ensure_oauth_tables, oauth_settings

        ensure_oauth_tables(settings, db)
        oauth = oauth_settings(settings, db)
    app = DealbotApp(
        client=client or web_client(settings),
        signing_secret=settings.slack_signing_secret or "",
        token_verification_enabled=False,
        request_verification_enabled=False,  # SignedOnly instead, before anything else reads
        before_authorize=SignedOnly(settings.slack_signing_secret or "", request_clock),
        process_before_response=process_before_response,
        oauth_settings=oauth,
        logger=logging.getLogger("dealbot.bolt"),
    )
    db = with_workspace_defaults(db, settings.workspace_defaults)
    deps = Deps(db=db, clock=clock, admins=settings.admins, slow_work=slow_work or SlowWork(),
                request_clock=request_clock, home_refresh=home_refresh or HomeRefresh(),
                outbox=outbox or Outbox(), answer_within=answer_within)
    register(app, deps)
    return app
