"""The background sync service (``kiosk sync --daemon``): a round with every peer, forever.

Peers are the district server, the manually configured addresses (multicast is often
blocked on Wi-Fi) and those found by zeroconf. A peer that fails is retried with
exponential back-off so a dead link costs nothing; a healthy one every ``interval``.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable, Iterable

from kiosk.core.library import Library
from sync.client import PeerClient, RoundResult

log = logging.getLogger(__name__)

MAX_BACKOFF = 30 * 60.0


def configured_peers(library: Library) -> list[str]:
    store = library.store
    peers = [line.strip() for line in (store.get_meta("peers") or "").splitlines() if line.strip()]
    district = store.get_meta("district_url")
    if district:
        peers.append(district)
    return list(dict.fromkeys(peers))


def sync_all(library: Library, peers: Iterable[str], **client_options) -> list[RoundResult]:
    return [PeerClient(library, url, **client_options).round() for url in dict.fromkeys(peers)]


class SyncDaemon:
    """Rounds with every peer: configured in the database, given on the command line
    (``peers``: ``kiosk sync --daemon --peer URL``) and discovered on the LAN."""

    def __init__(self, library: Library, interval: float = 60.0,
                 discovered: Callable[[], list[str]] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 peers: Iterable[str] = ()):
        self.lib = library
        self.interval = interval
        self.discovered = discovered or (lambda: [])
        self.peers = list(peers)
        self.clock = clock
        self.stopping = threading.Event()
        self._failures: dict[str, int] = {}
        self._next: dict[str, float] = {}

    def due_peers(self) -> list[str]:
        now = self.clock()
        peers = configured_peers(self.lib) + self.peers + self.discovered()
        return [p for p in dict.fromkeys(peers) if self._next.get(p, 0.0) <= now]

    def run_once(self) -> list[RoundResult]:
        results = []
        for peer in self.due_peers():
            result = PeerClient(self.lib, peer, retries=2).round()
            failures = 0 if result.ok else self._failures.get(peer, 0) + 1
            self._failures[peer] = failures
            delay = self.interval if result.ok else min(MAX_BACKOFF, self.interval * 2 ** failures)
            self._next[peer] = self.clock() + delay
            if not result.ok:
                log.warning("sync with %s failed (%d in a row): %s", peer, failures, result.errors)
            results.append(result)
        return results

    def run_forever(self) -> None:
        while not self.stopping.is_set():
            self.run_once()
            self.stopping.wait(min(self.interval, 5.0))
