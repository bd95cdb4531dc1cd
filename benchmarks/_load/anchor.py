"""The anchor of the HTTP benchmark: a bare Bolt app that only acknowledges.

It is what `dealbot serve` is minus Dealbot: a sync `slack_bolt.App` with the same signing
secret and a Web API client at the same stand-in, listeners that only call `ack()` (in Bolt's
listener thread pool, as in production), behind the same WSGI server (waitress, 8 threads,
`SlackRequestHandler` at /slack/events). Dealbot's throughput is read as a ratio to this,
measured in the same run, which absorbs the machine and what else runs on it.

    python benchmarks/_load/anchor.py PORT   (SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN,
                                              SLACK_API_URL from the environment)
"""

from __future__ import annotations

import logging
import os
import re
import sys

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from waitress import serve


def bare_app() -> App:
    app = App(client=WebClient(token=os.environ["SLACK_BOT_TOKEN"],
                               base_url=os.environ["SLACK_API_URL"]),
              signing_secret=os.environ["SLACK_SIGNING_SECRET"],
              token_verification_enabled=False, logger=logging.getLogger("anchor"))

    def only_ack(ack: Ack) -> None:
        ack()

    everything = re.compile(".*")
    app.command(everything)(only_ack)
    app.action(everything)(only_ack)
    app.view(everything)(only_ack)
    app.shortcut(everything)(only_ack)
    return app


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    serve(SlackRequestHandler(bare_app(), path="/slack/events"), host="127.0.0.1",
          port=int(sys.argv[1]), threads=8, ident="anchor")
