"""Slow and idle connections against a real `dealbot serve`, under waitress and under gunicorn
(`--workers 2`): 120 clients that connect and send nothing, or send their headers a byte at a
time, never keep a signed `/deal show` from being answered within Slack's 3 s."""

from __future__ import annotations

import http.client
import socket
import threading
import time

import pytest

from bot.slack_standin import slash_command, text_of
from tests.driver import SIGNING_SECRET
from tests.e2e.serving import Server

SLOW_CLIENTS = 120
SLACK_WAITS = 3.0
HEADERS = (b"POST /slack/events HTTP/1.1\r\nHost: dealbot\r\nContent-Type: "
           b"application/x-www-form-urlencoded\r\nContent-Length: 100\r\n")


class SlowClients:
    """Half of them connect and stay silent; the other half send HEADERS one byte at a time,
    a byte to each of them every 0.2 s, and never finish."""

    def __init__(self, port: int, count: int) -> None:
        self.sockets = [socket.create_connection(("127.0.0.1", port), timeout=5)
                        for _ in range(count)]
        self.stopping = threading.Event()
        self.bytes_sent = 0
        self.cut = 0  # connections the server closed
        self.dribbler = threading.Thread(target=self._dribble, daemon=True)
        self.dribbler.start()

    def _dribble(self) -> None:
        slow = self.sockets[len(self.sockets) // 2:]
        position = 0
        while not self.stopping.wait(0.2) and position < len(HEADERS):
            for sock in slow:
                try:
                    sock.send(HEADERS[position:position + 1])
                    self.bytes_sent += 1
                except OSError:
                    pass
            position += 1

    def close(self) -> None:
        self.stopping.set()
        self.dribbler.join(5)
        for sock in self.sockets:
            sock.close()


def _kept_alive(port: int, paths: list[str]) -> list[int]:
    """The statuses of GET `paths`, one after the other on one kept-alive connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    statuses = []
    try:
        for path in paths:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
            assert not response.will_close, path
    finally:
        connection.close()
    return statuses


@pytest.mark.parametrize("mode", [[], ["--workers", "2"]], ids=["waitress", "gunicorn"])
def test_slow_and_idle_connections_leave_commands_answered_in_time(mode, tmp_path, slack):
    server = Server({"DATABASE_URL": f"sqlite:///{tmp_path / 'dealbot.db'}",
                     "SLACK_API_URL": slack.api_url, "LOG_LEVEL": "ERROR"}, tmp_path,
                    "--no-scheduler", *mode)
    slow = None
    timings: list[float] = []
    try:
        assert "#1 Acme" in text_of(server.ask(slack, "new Acme 50k", "new")["blocks"])
        slow = SlowClients(server.port, SLOW_CLIENTS)
        time.sleep(1)  # every slow client connected and dribbling
        for n in range(4):
            request = slash_command(signing_secret=SIGNING_SECRET, text="show #1",
                                    response_url=slack.response_url(f"show{n}"))
            started = time.monotonic()
            status, body = request.post(server.base + "/slack/events")
            timings.append(time.monotonic() - started)
            assert status == 200 and "Acme" in body, (status, body)
        dribbled = slow.bytes_sent
        assert _kept_alive(server.port, ["/healthz", "/metrics", "/healthz"]) == [200, 200, 200]
    finally:
        if slow is not None:
            slow.close()
        server.stop()
    name = "gunicorn --workers 2" if mode else "waitress"
    print(f"\n{name}: {SLOW_CLIENTS} slow or idle connections ({dribbled} bytes dribbled); "
          f"/deal show answered in {', '.join(f'{t:.2f}' for t in timings)} s")
    assert max(timings) < SLACK_WAITS, timings
