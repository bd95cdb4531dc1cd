"""`dealbot` processes as a deployment runs them, for the end-to-end tests: `serve` on a
free port with signed requests over real HTTP, and `scheduler`, both pointed at the Slack
stand-in."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bot.slack_standin import (
    FakeSlack,
    SignedRequest,
    slash_command,
    validate_blocks,
    witness_answer,
)
from tests.driver import SIGNING_SECRET

BOT_TOKEN = "xoxb-e2e-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def dealbot_env(env: dict[str, str]) -> dict[str, str]:
    """The environment a deployment gives every dealbot process."""
    return {**os.environ, **env, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_BOT_TOKEN": BOT_TOKEN}


def start(args: list[str], env: dict[str, str], cwd: Path,
          log: Path | None = None) -> subprocess.Popen[str]:
    """The process, its output piped (read when it stops), or written to `log`: a process
    that logs a lot for long (the fault suite) would fill the pipe and stall on a write."""
    with (log.open("w") if log else contextlib.nullcontext()) as out:
        return subprocess.Popen([sys.executable, "-m", "bot.cli", *args], env=dealbot_env(env),
                                cwd=cwd, stdout=out or subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)


def stop(process: subprocess.Popen[str], log: Path | None = None) -> str:
    """Stops the process as a deployment would (SIGTERM) and returns what it printed."""
    process.terminate()
    try:
        output, _ = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return log.read_text(errors="replace") if log else output


class Server:
    """`dealbot serve` on a free port, ready when /healthz says 200."""

    def __init__(self, env: dict[str, str], cwd: Path, *args: str,
                 log: Path | None = None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.process = start(["serve", *args], {**env, "PORT": str(self.port)}, cwd, log)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"serve exited: {self.stop()}")
            try:
                if get_status(self.base + "/healthz") == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("serve did not start within 20 s")

    def send(self, request: SignedRequest) -> tuple[int, str]:
        """Posts a signed request to /slack/events: the HTTP status and body (which the
        stand-in's watchers see, like every message the app sends)."""
        status, body = request.post(self.base + "/slack/events")
        witness_answer(body, "serve")
        return status, body

    def command(self, slack: FakeSlack, text: str, name: str, *, command: str = "/deal",
                user: str = "U1", channel: str = "C1") -> tuple[int, str]:
        return self.send(slash_command(signing_secret=SIGNING_SECRET, text=text,
                                       command=command, user_id=user, channel_id=channel,
                                       response_url=slack.response_url(name)))

    def ask(self, slack: FakeSlack, text: str, name: str, **options: str) -> dict:
        """Sends a command and returns what its user sees first: the message its ack carries,
        or, when the ack is empty (a report), the first post to response_url `name`."""
        acked = ack_body(self.command(slack, text, name, **options))
        if not acked:
            return reply(slack, name)
        validate_blocks(acked["blocks"])
        return acked

    def stop(self) -> str:
        return stop(self.process, self.log)


def reply(slack: FakeSlack, name: str, count: int = 1) -> dict:
    """The latest of the first `count` replies to response_url `name`, validated."""
    slack.wait_for(lambda: len(slack.responses(name)) >= count, timeout=10)
    body = slack.responses(name)[-1].body
    validate_blocks(body["blocks"])
    return body


def ack_body(answer: tuple[int, str]) -> dict:
    status, body = answer
    assert status == 200, (status, body)
    return json.loads(body) if body else {}
