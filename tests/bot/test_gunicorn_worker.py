"""How the gunicorn worker decides that a request has arrived whole (bot.gunicorn_worker): a
thread is given a request only when nothing more is to be read from the network."""

from __future__ import annotations

import selectors
import socket
from collections import deque
from types import SimpleNamespace

import pytest
from gunicorn.workers.gthread import TConn, ThreadWorker

from bot import gunicorn_worker
from bot.gunicorn_worker import (
    BODY_LIMIT,
    HEAD_LIMIT,
    MORE,
    REFUSE,
    WHOLE,
    BufferingWorker,
    RequestBuffer,
)
from handlers import counters

BODY = b"token=x&command=%2Fdeal&text=show+%231"
REQUEST = (b"POST /slack/events HTTP/1.1\r\nHost: dealbot\r\nContent-Type: "
           b"application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n" % len(BODY) + BODY)


def test_a_request_sent_at_once_is_whole():
    assert RequestBuffer().add(REQUEST).state == WHOLE


def test_a_request_sent_a_byte_at_a_time_is_whole_only_with_its_last_byte():
    buffer = RequestBuffer()
    states = [buffer.add(REQUEST[i:i + 1]).state for i in range(len(REQUEST))]
    assert states == [MORE] * (len(REQUEST) - 1) + [WHOLE]


def test_a_request_without_a_body_is_whole_at_the_end_of_its_head():
    buffer = RequestBuffer()
    assert buffer.add(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").state == MORE
    assert buffer.add(b"\r\n").state == WHOLE


def test_a_head_over_the_limit_is_refused_431_without_waiting_for_its_end():
    verdict = RequestBuffer().add(b"GET / HTTP/1.1\r\nX-Big: " + b"a" * HEAD_LIMIT)
    assert verdict.state == REFUSE and verdict.answer.startswith(b"HTTP/1.1 431 ")


def test_a_body_over_the_limit_is_refused_413_before_it_is_sent():
    verdict = RequestBuffer().add(b"POST / HTTP/1.1\r\nContent-Length: %d\r\n\r\n"
                                  % (BODY_LIMIT + 1))
    assert verdict.state == REFUSE and verdict.answer.startswith(b"HTTP/1.1 413 ")


def test_a_chunked_body_is_refused_411():
    verdict = RequestBuffer().add(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n")
    assert verdict.state == REFUSE and verdict.answer.startswith(b"HTTP/1.1 411 ")


def test_a_client_that_expects_100_continue_is_told_to_go_on_once():
    buffer = RequestBuffer()
    first = buffer.add(b"POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
    assert first.state == MORE and first.answer == b"HTTP/1.1 100 Continue\r\n\r\n"
    assert buffer.add(b"ab") == (MORE, b"")
    assert buffer.add(b"cd").state == WHOLE


def test_a_malformed_length_is_left_to_gunicorn_to_refuse():
    assert RequestBuffer().add(b"POST / HTTP/1.1\r\nContent-Length: -4\r\n\r\n").state == WHOLE


class _Worker(BufferingWorker):
    """The worker's reading side alone, without a gunicorn arbiter: what `enqueue_req` hands
    to a thread is recorded instead."""

    def __init__(self) -> None:
        self.cfg = SimpleNamespace(is_ssl=False, keepalive=2)
        self.reading, self.whole, self.pending_conns = {}, set(), deque()
        self.poller = selectors.DefaultSelector()
        self.alive, self.nr_conns, self.served = True, 0, []
        self.buffering = True

    def accept_pair(self) -> tuple[TConn, socket.socket]:
        ours, theirs = socket.socketpair()
        theirs.settimeout(2)
        self.nr_conns += 1
        conn = TConn(self.cfg, ours, ("127.0.0.1", 1), ("127.0.0.1", 2))
        self.enqueue_req(conn)
        return conn, theirs

    def events(self) -> None:
        self.wait_for_and_dispatch_events(timeout=0.1)


@pytest.fixture
def worker(monkeypatch) -> _Worker:
    monkeypatch.setattr(ThreadWorker, "enqueue_req", lambda self, conn: self.served.append(conn))
    return _Worker()


def test_a_thread_gets_a_connection_only_once_its_request_is_whole(worker):
    conn, client = worker.accept_pair()
    client.sendall(REQUEST[:40])
    worker.events()
    assert worker.served == []
    client.sendall(REQUEST[40:])
    worker.events()
    assert worker.served == [conn] and conn.parser.unreader.take_buffered() == REQUEST


def test_a_request_not_whole_by_its_deadline_is_cut_and_counted(worker, monkeypatch):
    monkeypatch.setattr(gunicorn_worker, "READ_SECONDS", 0.0)
    before = counters.counts().get(counters.SLOW_CUT, 0)
    _, dribbling = worker.accept_pair()
    dribbling.sendall(b"POST /slack/events HTTP/1.1\r\n")
    worker.events()
    worker.murder_pending()
    assert dribbling.recv(100) == b""  # closed by the server
    assert worker.nr_conns == 0 and worker.served == []
    assert counters.counts()[counters.SLOW_CUT] == before + 1


def test_a_stopping_worker_closes_the_connections_that_sent_nothing_at_once(worker):
    _, silent = worker.accept_pair()
    _, sending = worker.accept_pair()
    sending.sendall(b"POST /slack/events HTTP/1.1\r\n")
    worker.events()
    worker.alive = False
    worker.murder_pending()
    assert silent.recv(100) == b""
    assert worker.nr_conns == 1  # the one on its way may still be served
