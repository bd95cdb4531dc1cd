"""gunicorn's threaded worker, made safe against slow and idle clients.

gunicorn's `gthread` worker hands each new connection to a thread of its pool, which then
waits for the request: up to 5 s for a silent client, and without limit for one that sends
its headers a byte at a time. 16 such clients against `--workers 2 --threads 8` lock every
other request out (gunicorn's documentation asks for a buffering proxy in front).
`BufferingWorker` does what waitress does instead: its event loop reads each request whole
(head and body, non-blocking, as the bytes come) and only then hands it to a thread, which
never waits for the network. A connection whose request is not whole within READ_SECONDS of
its first byte being awaited is closed; a head over HEAD_LIMIT is answered 431, a body over
BODY_LIMIT 413, a body without a Content-Length (chunked) 411 (Slack sends none of these).
Each is counted (handlers.counters.SLOW_CUT, TOO_LARGE).
"""

from __future__ import annotations

import selectors
import time
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple

from gunicorn import http
from gunicorn.workers.gthread import ThreadWorker

from handlers import counters

READ_SECONDS = 10.0  # a whole request, from when the worker starts waiting for it
HEAD_LIMIT = 64 * 1024  # request line and headers
BODY_LIMIT = 1024 * 1024  # Slack's requests are a few kilobytes
RECV_BYTES = 64 * 1024


class Verdict(NamedTuple):
    """What to do with a connection after the bytes received so far: WHOLE (serve it), MORE
    (wait; `answer`, when set, is sent first: a 100 Continue) or REFUSE (send `answer`,
    close)."""

    state: str
    answer: bytes = b""


WHOLE, MORE, REFUSE = "whole", "more", "refuse"


def _refusal(status: str) -> Verdict:
    return Verdict(REFUSE, f"HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: 0"
                           "\r\n\r\n".encode())


HEAD_TOO_LARGE = _refusal("431 Request Header Fields Too Large")
BODY_TOO_LARGE = _refusal("413 Content Too Large")
LENGTH_REQUIRED = _refusal("411 Length Required")
CONTINUE = Verdict(MORE, b"HTTP/1.1 100 Continue\r\n\r\n")


@dataclass
class RequestBuffer:
    """The bytes of one HTTP/1.1 request as they arrive (and any pipelined after it).
    Only the framing is read here (where the head ends, Content-Length, Transfer-Encoding,
    Expect); anything malformed is left whole for gunicorn's parser to refuse."""

    data: bytearray = field(default_factory=bytearray)
    _body_starts: int = -1
    _length: int = 0
    _expects_continue: bool = False
    _continued: bool = False

    def add(self, chunk: bytes) -> Verdict:
        searched = max(0, len(self.data) - 3)
        self.data += chunk
        if self._body_starts < 0:
            end = self.data.find(b"\r\n\r\n", searched)
            if end < 0 or end > HEAD_LIMIT:
                return HEAD_TOO_LARGE if len(self.data) > HEAD_LIMIT else Verdict(MORE)
            self._body_starts = end + 4
            refused = self._read_head(bytes(self.data[:end]))
            if refused is not None:
                return refused
        if len(self.data) - self._body_starts >= self._length:
            return Verdict(WHOLE)
        if self._expects_continue and not self._continued:
            self._continued = True
            return CONTINUE
        return Verdict(MORE)

    def _read_head(self, head: bytes) -> Verdict | None:
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name, value = name.strip().lower(), value.strip()
            if name == b"transfer-encoding":
                return LENGTH_REQUIRED
            if name == b"content-length":
                if not value.isdigit():
                    return Verdict(WHOLE)  # gunicorn answers 400
                if int(value) > BODY_LIMIT:
                    return BODY_TOO_LARGE
                self._length = int(value)
            elif name == b"expect" and value.lower() == b"100-continue":
                self._expects_continue = True
        return None


@dataclass
class _Reading:
    buffer: RequestBuffer
    deadline: float


class BufferingWorker(ThreadWorker):
    """`gthread` with each request read whole by the event loop first (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reading: dict[Any, _Reading] = {}  # in the order of their deadlines
        self.whole: set[Any] = set()  # connections handed to a thread with a whole request
        # plain HTTP/1.1 only; TLS, uWSGI or HTTP/2 by prior knowledge are gthread's way
        self.buffering = (not self.cfg.is_ssl and getattr(self.cfg, "protocol", "http") == "http"
                          and getattr(self.cfg, "http2_cleartext", "off") in ("off", "upgrade"))

    def enqueue_req(self, conn: Any) -> None:
        """Every path to a thread (a new connection, a kept-alive one that became readable,
        one with a pipelined request) comes here: a connection is read first, and goes to a
        thread once its request is whole."""
        if conn in self.whole or not self.buffering:
            self.whole.discard(conn)
            super().enqueue_req(conn)
            return
        held = conn.parser.unreader.take_buffered() if conn.parser is not None else b""
        reading = _Reading(RequestBuffer(), time.monotonic() + READ_SECONDS)
        conn.sock.setblocking(False)
        if held and self._advance(conn, reading.buffer.add(held), reading):
            return
        self.reading[conn] = reading
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._readable, conn))

    def _readable(self, conn: Any, _sock: Any) -> None:
        reading = self.reading[conn]
        try:
            chunk = conn.sock.recv(RECV_BYTES)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        verdict = reading.buffer.add(chunk) if chunk else Verdict(REFUSE)  # the client left
        if verdict.state != MORE:
            self.poller.unregister(conn.sock)
            del self.reading[conn]
        self._advance(conn, verdict, reading)

    def _advance(self, conn: Any, verdict: Verdict, reading: _Reading) -> bool:
        """Acts on `verdict`; True when the connection is done with reading."""
        if verdict.state == MORE:
            if verdict.answer:
                _send(conn.sock, verdict.answer)
            return False
        if verdict.state == REFUSE:
            if verdict.answer:
                counters.count(counters.TOO_LARGE)
            self._close(conn, verdict.answer)
            return True
        conn.sock.setblocking(True)
        if conn.parser is None:
            conn.parser = http.get_parser(self.cfg, conn.sock, conn.client)
        conn.parser.unreader.unread(bytes(reading.buffer.data))
        conn.data_ready = True
        self.whole.add(conn)
        self.enqueue_req(conn)
        return True

    def murder_pending(self) -> None:
        """gunicorn's own pending connections, then those whose request is not whole by its
        deadline; once the worker is stopping, also those that have sent nothing."""
        super().murder_pending()
        now = time.monotonic()
        for conn, reading in list(self.reading.items()):
            late, idle = reading.deadline <= now, not reading.buffer.data
            if not late and self.alive:
                break  # the others' deadlines are later still
            if not late and not idle:
                continue  # stopping: a request on its way is still served
            self.poller.unregister(conn.sock)
            del self.reading[conn]
            if late:
                counters.count(counters.SLOW_CUT)
            self._close(conn)

    def _close(self, conn: Any, answer: bytes = b"") -> None:
        if answer:
            _send(conn.sock, answer)
        self.nr_conns -= 1
        conn.close()


def _send(sock: Any, data: bytes) -> None:
    """Sends what fits without waiting (a short status line always does)."""
    try:
        sock.send(data)
    except OSError:
        pass
