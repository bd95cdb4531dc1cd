"""The processes under test: `dealbot serve --no-scheduler` and the anchor, each on a free
port, started fresh and stopped by their own process id."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from _load import postgres as pg

ANCHOR = Path(__file__).with_name("anchor.py")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, name: str, argv: list[str], env: dict[str, str], work: Path,
                 ready_path: str | None) -> None:
        self.name, self.argv, self.env, self.work = name, argv, env, work
        self.ready_path = ready_path
        self.log = work / f"{name}-{argv[-1]}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(self.argv, env=self.env, cwd=self.work, stdout=log,
                                            stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"{self.name} stopped at start:\n{self.log.read_text()[-3000:]}")
            if self._ready():
                return self
            time.sleep(0.2)
        self.__exit__()
        sys.exit(f"{self.name} did not start within 60 s; see {self.log}")

    def _ready(self) -> bool:
        port = int(self.argv[-1])
        try:
            if self.ready_path is None:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return True
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{self.ready_path}",
                                        timeout=2) as answer:
                return answer.status == 200
        except OSError:
            return False

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    @property
    def port(self) -> int:
        return int(self.argv[-1])

    def errors_logged(self) -> int:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return sum(1 for line in text.splitlines() if " ERROR " in line or "Traceback" in line)


def slack_env(url: str, secret: str, api_url: str) -> dict[str, str]:
    """What a deployment sets: signing secret, bot token, database; the Web API is the
    stand-in. OAuth and Socket Mode variables are left out (pg.app_env drops SLACK_*)."""
    return pg.app_env(url, SLACK_SIGNING_SECRET=secret, SLACK_BOT_TOKEN="xoxb-0-bench",
                      SLACK_API_URL=api_url)


def dealbot(url: str, secret: str, api_url: str, work: Path, workers: int = 0) -> Server:
    """`dealbot serve --no-scheduler`: one process (waitress), or with `workers` that many
    gunicorn worker processes (`serve --workers N`)."""
    many = ["--workers", str(workers)] if workers else []
    return Server("dealbot", [pg.DEALBOT, "serve", "--no-scheduler", *many,
                              "--port", str(free_port())],
                  slack_env(url, secret, api_url), work, "/healthz")


def anchor(url: str, secret: str, api_url: str, work: Path) -> Server:
    return Server("anchor", [sys.executable, str(ANCHOR), str(free_port())],
                  slack_env(url, secret, api_url), work, None)
