"""A TCP proxy the fault tests put between Dealbot and PostgreSQL, and switch between modes:

- `PASS`: bytes flow both ways;
- `REFUSE`: every open connection is reset and every new one is reset at once (the server
  refusing connections: a restart, a full `max_connections`);
- `HANG`: connections are accepted and kept, and nothing flows either way (a network that
  silently drops packets: no error ever comes back). Bytes sent meanwhile flow once the mode
  is `PASS` again, as TCP's retransmissions would deliver them.
"""

from __future__ import annotations

import select
import socket
import struct
import threading

PASS, REFUSE, HANG = "pass", "refuse", "hang"


class Proxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.mode = PASS
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True, name="proxy-accept").start()

    def set(self, mode: str) -> None:
        with self._lock:
            self.mode = mode
            pairs = list(self._pairs) if mode == REFUSE else []
        for client, server in pairs:
            _reset(client)
            _close(server)

    def close(self) -> None:
        self._closed = True
        self._listener.close()
        self.set(REFUSE)

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.mode == REFUSE:
                _reset(client)
                continue
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                _reset(client)
                continue
            with self._lock:
                self._pairs.append((client, server))
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        peers = {client: server, server: client}
        try:
            while not self._closed:
                if self.mode == HANG:
                    threading.Event().wait(0.05)
                    continue
                readable, _, _ = select.select(list(peers), [], [], 0.05)
                if self.mode == HANG:
                    continue  # read nothing: it stays in the kernel until the network is back
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    peers[sock].sendall(data)
        except (OSError, ValueError):  # a socket closed by `set` meanwhile
            return
        finally:
            with self._lock:
                if (client, server) in self._pairs:
                    self._pairs.remove((client, server))
            _close(client)
            _close(server)


def _reset(sock: socket.socket) -> None:
    """Closes with a TCP reset (SO_LINGER 0), as a refused or dropped connection looks."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    _close(sock)


def _close(sock: socket.socket) -> None:
    try:
        sock.close()
    except OSError:
        pass
