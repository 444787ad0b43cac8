"""Hybrid logical clock stamps for the event log.

A stamp is one integer, ``physical_ms << 16 | counter``, so it sorts correctly in SQLite.
Raspberry Pis have no RTC battery: a device may boot in 1970 or a peer may send stamps far
in the future. A remote stamp beyond the drift bound is not adopted (it would drag every
later local stamp forward); it is reported so the caller can flag the peer.
"""

from __future__ import annotations

import threading
import time
from typing import Callable

COUNTER_BITS = 16
COUNTER_MASK = (1 << COUNTER_BITS) - 1
DEFAULT_DRIFT_BOUND_MS = 5 * 60 * 1000


def pack(physical_ms: int, counter: int) -> int:
    return (physical_ms << COUNTER_BITS) | counter


def unpack(stamp: int) -> tuple[int, int]:
    return stamp >> COUNTER_BITS, stamp & COUNTER_MASK


class HybridLogicalClock:
    def __init__(
        self,
        last: int = 0,
        wall_ms: Callable[[], int] | None = None,
        drift_bound_ms: int = DEFAULT_DRIFT_BOUND_MS,
    ):
        self._last = last
        self._wall_ms = wall_ms or (lambda: int(time.time() * 1000))
        self.drift_bound_ms = drift_bound_ms
        self._lock = threading.Lock()

    @property
    def last(self) -> int:
        return self._last

    def tick(self) -> int:
        """A stamp for a local event, greater than every stamp seen so far."""
        with self._lock:
            last_pt, last_c = unpack(self._last)
            now = self._wall_ms()
            if now > last_pt:
                self._last = pack(now, 0)
            elif last_c < COUNTER_MASK:
                self._last = pack(last_pt, last_c + 1)
            else:
                self._last = pack(last_pt + 1, 0)
            return self._last

    def observe(self, remote: int) -> bool:
        """Merge a received stamp. Returns False (and ignores it) when beyond the drift bound."""
        remote_pt, _ = unpack(remote)
        if remote_pt > self._wall_ms() + self.drift_bound_ms:
            return False
        with self._lock:
            if remote > self._last:
                self._last = remote
        return True
