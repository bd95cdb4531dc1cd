"""What SIGTERM does to `dealbot serve` under load. Not a test: run it by hand,

    .venv/bin/python benchmarks/stop_under_load.py [--connections 8] [--seconds 4]
        [--workers N] [--database-url URL]

It starts `dealbot serve --no-scheduler` (waitress, or gunicorn with --workers) on a fresh
SQLite file (or an empty database at --database-url, which it upgrades) against the Slack
stand-in, sends signed `/deal new` commands from `--connections` threads, a new connection
each, and after `--seconds` sends SIGTERM while requests are under way. It prints how the
requests ended (answered 200 before and after the signal, refused once the server stopped
listening, reset, anything else), the exit status, and the deals in the database: every
answered command's deal, and no other, must be there.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from bot.slack_standin import FakeSlack, slash_command
from storage.db import Database
from storage.models import Deal

SECRET = "stop-under-load-secret"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--workers", type=int)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dealbot-stop-"))
    url = args.database_url or f"sqlite:///{work / 'stop.db'}"
    db = Database(url)
    db.upgrade()
    with FakeSlack() as slack:
        port = _free_port()
        env = {**os.environ, "DATABASE_URL": url, "SLACK_API_URL": slack.api_url,
               "SLACK_SIGNING_SECRET": SECRET, "SLACK_BOT_TOKEN": "xoxb-stop", "PORT": str(port)}
        argv = [sys.executable, "-m", "bot.cli", "serve", "--no-scheduler"]
        argv += ["--workers", str(args.workers)] if args.workers else []
        log = (work / "serve.log").open("wb")
        server = subprocess.Popen(argv, env=env, cwd=work, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        _wait_ready(base, server)
        outcomes: Counter[str] = Counter()
        lock = threading.Lock()
        signalled = threading.Event()
        numbers = iter(range(10**9))

        def send() -> None:
            while True:
                with lock:
                    n = next(numbers)
                request = slash_command(signing_secret=SECRET, text=f"new Load {n} 1k",
                                        response_url=slack.response_url(f"r{n}"))
                outcome = _post(request.body.encode(), request.headers, base)
                after = signalled.is_set()
                with lock:
                    outcomes[f"{outcome} {'after' if after else 'before'} SIGTERM"] += 1
                if outcome == "refused":
                    return

        threads = [threading.Thread(target=send, daemon=True) for _ in range(args.connections)]
        for thread in threads:
            thread.start()
        time.sleep(args.seconds)
        signalled.set()
        stopped_at = time.monotonic()
        server.send_signal(signal.SIGTERM)
        status = server.wait(timeout=120)
        took = time.monotonic() - stopped_at
        for thread in threads:
            thread.join(timeout=30)
    with db.transaction() as s:
        deals = s.scalar(select(func.count()).select_from(Deal))
    db.dispose()
    answered = sum(v for k, v in outcomes.items() if k.startswith("200"))
    print(f"{args.connections} connections, SIGTERM after {args.seconds:.0f} s, "
          f"{'gunicorn --workers ' + str(args.workers) if args.workers else 'waitress'}")
    for key in sorted(outcomes):
        print(f"  {key:<28} {outcomes[key]:>6}")
    print(f"exit status {status}, {took:.1f} s after SIGTERM")
    print(f"deals in the database {deals}, commands answered 200 {answered}")
    print(f"log: {work / 'serve.log'}")
    failed = sum(v for k, v in outcomes.items() if not k.startswith(("200", "refused", "reset")))
    return 0 if status == 0 and deals == answered and failed == 0 else 1


def _post(body: bytes, headers: dict[str, str], base: str) -> str:
    request = urllib.request.Request(base + "/slack/events", data=body, headers=headers,
                                     method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return str(response.status)
    except urllib.error.HTTPError as error:
        return str(error.code)
    except urllib.error.URLError as error:
        if isinstance(error.reason, ConnectionRefusedError):
            return "refused"
        return "reset" if isinstance(error.reason, ConnectionResetError) else "other error"
    except (ConnectionResetError, http.client.RemoteDisconnected):
        return "reset"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("dealbot serve stopped at start")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit("dealbot serve did not start within 60 s")


if __name__ == "__main__":
    sys.exit(main())
