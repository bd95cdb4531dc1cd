"""Posting a chart in Slack: drawn, then uploaded with files_upload_v2 (files.getUploadURLExternal,
the upload, files.completeUploadExternal) into a channel or a thread, with its alt text.

A chart is an extra: whoever shares one has already posted (or will post) the figures as a
message, so a chart that cannot be drawn or uploaded is logged and counted
(`counters.CHART_FAILED`), never raised.
"""

from __future__ import annotations

import logging
from typing import Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers import counters

log = logging.getLogger(__name__)


class Chart(Protocol):
    @property
    def filename(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def alt_text(self) -> str: ...
    def png(self, *, scale: float = 2.0) -> bytes: ...


def share_chart(client: WebClient, *, channel: str, chart: Chart, thread_ts: str | None = None,
                comment: str | None = None) -> str | None:
    """Uploads the chart's PNG to `channel` (in the thread of `thread_ts` when given). Returns
    None when it was shared, else what went wrong: Slack's error code or the kind of error."""
    try:
        client.files_upload_v2(channel=channel, thread_ts=thread_ts, content=chart.png(),
                               filename=chart.filename, title=chart.title,
                               alt_txt=chart.alt_text, initial_comment=comment)
        return None
    except SlackApiError as error:
        problem = str(error.response.get("error") or f"HTTP {error.response.status_code}")
        log.warning("chart %s for %s was not shared: %s", chart.filename, channel, problem)
    except Exception as error:  # drawing or the upload itself; the figures went out as text
        problem = type(error).__name__
        log.exception("chart %s for %s was not shared", chart.filename, channel)
    counters.count(counters.CHART_FAILED)
    return problem
