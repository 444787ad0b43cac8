"""A loopback TCP proxy that behaves like a poor rural line: limited bandwidth, delay,
loss, reordering and connection resets (``tc netem`` is not available on these machines).

It relays a byte stream, so it models what TCP makes of a lossy line rather than the
packets themselves: the stream is cut into segments of :data:`SEGMENT` bytes, each one
leaves after the previous one at the link's rate (``rate`` bytes/s each way) and arrives
one-way delay later; a **lost** segment arrives one retransmission timeout later
(``rto``, default one RTT, as fast retransmit gives), and, TCP being in order, holds up
everything behind it; a **reordered** segment arrives a little late (a fraction of an
RTT), which is all the receiving application ever sees of reordering. A new connection
costs a round trip (the handshake). A **reset** closes both sides with RST after a random
number of bytes (``reset_every`` on average, or exactly ``reset_after`` for tests), in
the middle of whatever was being sent.

Used by the lossy-link tests (``tests/sync/test_lossy_link.py``) and by
``bench/bootstrap_bench.py``; ``python -m bench.lossy_proxy PORT`` runs one by hand.
"""

from __future__ import annotations

import heapq
import random
import socket
import struct
import sys
import threading
import time
from dataclasses import dataclass

SEGMENT = 1460


@dataclass
class LinkProfile:
    rate: float = 32_000.0       # bytes per second each way (256 kbit/s)
    rtt: float = 0.3             # seconds
    loss: float = 0.0            # probability a segment is lost (and retransmitted)
    reorder: float = 0.0         # probability a segment arrives late
    reset_every: float = 0.0     # mean bytes between resets (0: never)
    reset_after: tuple[int, ...] = ()  # exact byte counts, one per connection (tests)
    rto: float | None = None     # retransmission delay (default: one RTT)
    seed: int = 1


class LossyProxy:
    """``with LossyProxy(("127.0.0.1", port), profile) as proxy: ... proxy.url``"""

    def __init__(self, upstream: tuple[str, int], profile: LinkProfile | None = None,
                 host: str = "127.0.0.1"):
        self.upstream = upstream
        self.profile = profile or LinkProfile()
        self.listener = socket.create_server((host, 0))
        self.rng = random.Random(self.profile.seed)
        self.connections = self.resets = self.lost = 0
        self.up = self.down = 0
        self._lock = threading.Lock()
        self._resets = list(self.profile.reset_after)
        self._open: set[socket.socket] = set()
        self._stopped = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}"

    def __enter__(self) -> "LossyProxy":
        threading.Thread(target=self._accept, name="lossy-proxy", daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        self._stopped.set()
        self.listener.close()
        with self._lock:
            for sock in list(self._open):
                _close(sock, reset=False)

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream, timeout=10)
            except OSError:
                _close(client, reset=True)
                continue
            server.settimeout(None)
            with self._lock:
                self.connections += 1
                budget = self._next_reset()
                self._open |= {client, server}
            Connection(self, client, server, budget).start()

    def _next_reset(self) -> float:
        if self._resets:
            return float(self._resets.pop(0))
        if self.profile.reset_every > 0:
            return self.rng.expovariate(1 / self.profile.reset_every)
        return float("inf")

    def chance(self, p: float) -> bool:
        with self._lock:
            return p > 0 and self.rng.random() < p

    def count(self, direction: str, n: int, lost: int) -> None:
        """Bytes delivered ``up`` (to the server) or ``down`` (to the client); segments lost."""
        with self._lock:
            if direction in ("up", "down"):
                setattr(self, direction, getattr(self, direction) + n)
            self.lost += lost

    def forget(self, *socks: socket.socket) -> None:
        with self._lock:
            self._open -= set(socks)


def _close(sock: socket.socket, reset: bool) -> None:
    try:
        if reset:  # SO_LINGER 0: the peer gets an RST, not an orderly end
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RDWR)  # wakes a pump blocked in recv, so close() takes effect
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class Connection:
    """One relayed connection: a pump each way and a shared byte budget before a reset."""

    def __init__(self, proxy: LossyProxy, client: socket.socket, server: socket.socket,
                 budget: float):
        self.proxy, self.client, self.server = proxy, client, server
        self.budget = budget
        self.lock = threading.Lock()
        self.dead = threading.Event()
        self.opened = time.monotonic()

    def start(self) -> None:
        profile = self.proxy.profile
        for source, target, direction, not_before in (
                (self.client, self.server, "up", self.opened + profile.rtt),
                (self.server, self.client, "down", 0.0)):
            queue: list = []
            ready = threading.Condition()
            threading.Thread(target=self._read, daemon=True,
                             args=(source, queue, ready, direction, not_before)).start()
            threading.Thread(target=self._write, daemon=True,
                             args=(target, queue, ready, direction)).start()

    def _spend(self, n: int) -> bool:
        """Charge ``n`` bytes against the budget; False once the connection must reset."""
        with self.lock:
            self.budget -= n
            return self.budget > 0

    def _reset(self) -> None:
        if not self.dead.is_set():
            self.dead.set()
            with self.proxy._lock:
                self.proxy.resets += 1
            for sock in (self.client, self.server):
                _close(sock, reset=True)
            self.proxy.forget(self.client, self.server)

    def _ended(self) -> None:
        with self.lock:
            self.ends = getattr(self, "ends", 0) + 1
            both = self.ends == 2
        if both:
            for sock in (self.client, self.server):
                _close(sock, reset=False)
            self.proxy.forget(self.client, self.server)

    def _read(self, source, queue, ready, direction: str, not_before: float) -> None:
        profile = self.proxy.profile
        busy_until = 0.0
        last_arrival = 0.0
        sequence = 0
        rto = profile.rto if profile.rto is not None else profile.rtt
        while not self.dead.is_set():
            try:
                data = source.recv(65536)
            except OSError:
                data = b""
            now = time.monotonic()
            if not data:
                with ready:
                    heapq.heappush(queue, (max(last_arrival, now), sequence, b""))
                    ready.notify()
                return
            lost = 0
            for start in range(0, len(data), SEGMENT):
                segment = data[start:start + SEGMENT]
                leave = max(now, busy_until, not_before) + len(segment) / profile.rate
                busy_until = leave
                arrival = leave + profile.rtt / 2
                if self.proxy.chance(profile.loss):
                    lost += 1
                    busy_until += len(segment) / profile.rate  # sent again
                    arrival += rto
                elif self.proxy.chance(profile.reorder):
                    arrival += profile.rtt / 4
                arrival = max(arrival, last_arrival)  # TCP delivers in order
                last_arrival = arrival
                sequence += 1
                with ready:
                    heapq.heappush(queue, (arrival, sequence, segment))
                    ready.notify()
            self.proxy.count("lost", 0, lost)

    def _write(self, target, queue, ready, direction: str) -> None:
        while not self.dead.is_set():
            with ready:
                while not queue and not self.dead.is_set():
                    ready.wait(0.5)
                if self.dead.is_set():
                    return
                due, _, segment = queue[0]
                wait = due - time.monotonic()
                if wait > 0:
                    ready.wait(min(wait, 0.5))
                    continue
                heapq.heappop(queue)
            if not segment:
                try:
                    target.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                self._ended()
                return
            if not self._spend(len(segment)):
                self._reset()
                return
            try:
                target.sendall(segment)
            except OSError:
                self._reset()
                return
            self.proxy.count(direction, len(segment), 0)


def main(argv: list[str]) -> None:
    """``python -m bench.lossy_proxy UPSTREAM_PORT [LOSS]``: 256 kbit/s, 300 ms RTT."""
    profile = LinkProfile(loss=float(argv[1]) if len(argv) > 1 else 0.02)
    with LossyProxy(("127.0.0.1", int(argv[0])), profile) as proxy:
        print(f"{proxy.url} -> 127.0.0.1:{argv[0]} ({profile})", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main(sys.argv[1:])
