"""A slow rural link between two network namespaces, for the sync bench.

Preferred: netem on both ends of a veth pair (rate, delay and loss in the kernel). Where
the kernel lacks netem (this CI's does), the link is tbf-shaped to the same rate on both
ends, and a relay in the server's namespace holds every chunk for the one-way delay in each
direction and charges one round trip per new connection (the TCP handshake); loss is then
not emulated. The relay also counts the bytes it carries (HTTP headers and bodies).

The node side runs as ``ip netns exec NS python -m bench.throttled_link serve|pull|snapshot``
and prints one JSON line.
"""

from __future__ import annotations

import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Self

SERVER_ADDRESS, CLIENT_ADDRESS = "10.200.1.1", "10.200.1.2"


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


def _tc(namespace: str, *args: str) -> bool:
    return subprocess.run(["ip", "netns", "exec", namespace, "tc", *args],
                          check=False, capture_output=True).returncode == 0


class Link:
    """Two namespaces ``server`` and ``client`` joined by a shaped veth pair."""

    def __init__(self, rate: str = "256kbit", delay_ms: int = 150, loss: str = "2%"):
        tag = os.getpid() % 100000
        self.server, self.client = f"tvbench-s-{tag}", f"tvbench-c-{tag}"
        self.devices = {self.server: f"tvbs{tag}", self.client: f"tvbc{tag}"}
        self.rate, self.delay_ms, self.loss = rate, delay_ms, loss
        self.mode = ""

    def __enter__(self) -> Self:
        try:
            for namespace in self.devices:
                _ip("netns", "add", namespace)
            _ip("link", "add", self.devices[self.server], "type", "veth", "peer", "name",
                self.devices[self.client])
            for namespace, address in ((self.server, SERVER_ADDRESS), (self.client, CLIENT_ADDRESS)):
                device = self.devices[namespace]
                _ip("link", "set", device, "netns", namespace)
                _ip("-n", namespace, "addr", "add", f"{address}/24", "dev", device)
                _ip("-n", namespace, "link", "set", "lo", "up")
                _ip("-n", namespace, "link", "set", device, "up")
            self._shape()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _shape(self) -> None:
        netem = ("root", "netem", "rate", self.rate, "delay", f"{self.delay_ms}ms", "loss", self.loss)
        if all(_tc(ns, "qdisc", "add", "dev", dev, *netem) for ns, dev in self.devices.items()):
            self.mode = f"netem rate {self.rate} delay {self.delay_ms} ms loss {self.loss} each end"
            self.relay_delay = 0.0
            return
        for namespace, device in self.devices.items():
            _tc(namespace, "qdisc", "del", "dev", device, "root")
            if not _tc(namespace, "qdisc", "add", "dev", device, "root", "tbf", "rate", self.rate,
                       "burst", "4kb", "latency", "400ms"):
                raise RuntimeError("neither netem nor tbf is available to shape the link")
        self.relay_delay = self.delay_ms / 1000
        self.mode = (f"netem unavailable in this kernel: tbf {self.rate} each end + relay delay "
                     f"{self.delay_ms} ms each way (RTT {2 * self.delay_ms} ms), loss NOT emulated")

    def __exit__(self, *exc) -> None:
        for namespace in self.devices:
            subprocess.run(["ip", "netns", "del", namespace], check=False, capture_output=True)

    def run(self, namespace: str, *args: str, stdin=subprocess.DEVNULL) -> subprocess.Popen:
        return subprocess.Popen(["ip", "netns", "exec", namespace, sys.executable, "-m",
                                 "bench.throttled_link", *args], stdin=stdin,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=Path(__file__).parents[1])


class DelayRelay:
    """Forwards TCP connections to ``upstream``, each chunk held back ``delay`` seconds."""

    def __init__(self, host: str, upstream: tuple[str, int], delay: float):
        self.upstream, self.delay = upstream, delay
        self.listener = socket.create_server((host, 0))
        self.up = self.down = self.connections = 0
        self._count = threading.Lock()

    @property
    def port(self) -> int:
        return self.listener.getsockname()[1]

    def start(self) -> None:
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            server = socket.create_connection(self.upstream)
            handshake = time.monotonic() + 2 * self.delay
            self._pipe(client, server, "up", handshake)
            self._pipe(server, client, "down", 0.0)

    def _pipe(self, source: socket.socket, target: socket.socket, direction: str,
              not_before: float) -> None:
        held: queue.Queue = queue.Queue()

        def read() -> None:
            while True:
                try:
                    data = source.recv(65536)
                except OSError:
                    data = b""
                held.put((max(not_before, time.monotonic() + self.delay), data))
                if not data:
                    return
                with self._count:
                    setattr(self, direction, getattr(self, direction) + len(data))

        def write() -> None:
            while True:
                due, data = held.get()
                time.sleep(max(0.0, due - time.monotonic()))
                try:
                    if not data:
                        target.shutdown(socket.SHUT_WR)
                        return
                    target.sendall(data)
                except OSError:
                    return

        threading.Thread(target=read, daemon=True).start()
        threading.Thread(target=write, daemon=True).start()

    def stop(self) -> None:
        self.listener.close()


def serve(db: str, delay: str) -> None:
    from kiosk.app import open_library
    from sync.server import SyncServer
    from sync.service import SyncService

    server = SyncServer(SyncService(open_library(db)), "127.0.0.1", 0)
    server.start()
    relay = DelayRelay("0.0.0.0", ("127.0.0.1", server.port), float(delay))
    relay.start()
    print(json.dumps({"port": relay.port}), flush=True)
    sys.stdin.read()
    relay.stop()
    server.stop()
    print(json.dumps({"up": relay.up, "down": relay.down, "connections": relay.connections}),
          flush=True)


def pull(db: str, url: str) -> None:
    from kiosk.app import open_library
    from sync.client import PeerClient

    lib = open_library(db)
    start = time.perf_counter()
    result = PeerClient(lib, url, timeout=(10.0, 120.0)).round()
    print(json.dumps({"seconds": time.perf_counter() - start, "pulled": result.pulled,
                      "pushed": result.pushed, "errors": result.errors}), flush=True)


def snapshot(db: str, url: str) -> None:
    from kiosk.app import open_library
    from sync import protocol
    from sync.client import PeerClient

    client = PeerClient(open_library(db), url, timeout=(10.0, 600.0))
    start = time.perf_counter()
    client.hello()
    body = client.request("GET", protocol.SNAPSHOT, raw=True).content
    print(json.dumps({"seconds": time.perf_counter() - start, "bytes": len(body)}), flush=True)


if __name__ == "__main__":
    {"serve": serve, "pull": pull, "snapshot": snapshot}[sys.argv[1]](*sys.argv[2:])
