"""Hybrid logical clock stamps for the event log.

A stamp is one integer, ``physical_ms << 16 | counter``, so it sorts correctly in SQLite.
Raspberry Pis have no RTC battery: a device may boot in 1970 or a peer may send stamps far
in the future. A remote stamp beyond the drift bound is not adopted (it would drag every
later local stamp forward); it is reported so the caller can flag the peer. What the clock
has adopted is persisted by the event log (``meta.hlc_floor``), so the bound holds across
restarts: a new process starts from that floor, never from the newest stamp it holds.

Stamps whose physical part lies beyond :data:`MAX_PHYSICAL_MS` (the year 2100) are never
produced and never applied: every node refuses them alike, so no stamp can overflow
SQLite's integer or win a field forever.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Callable

COUNTER_BITS = 16
COUNTER_MASK = (1 << COUNTER_BITS) - 1
DEFAULT_DRIFT_BOUND_MS = 5 * 60 * 1000
MAX_PHYSICAL_MS = int(dt.datetime(2100, 1, 1, tzinfo=dt.timezone.utc).timestamp() * 1000)
MAX_STAMP = (MAX_PHYSICAL_MS << COUNTER_BITS) | COUNTER_MASK


def pack(physical_ms: int, counter: int) -> int:
    return (physical_ms << COUNTER_BITS) | counter


def unpack(stamp: int) -> tuple[int, int]:
    return stamp >> COUNTER_BITS, stamp & COUNTER_MASK


def physical_time(stamp: int) -> dt.datetime:
    """The wall time a stamp claims, in UTC (for messages to staff)."""
    ms = min(unpack(stamp)[0], MAX_PHYSICAL_MS)
    return dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc)


def beyond_limit(stamp: int) -> bool:
    """A stamp no node may apply: its time is past the year 2100."""
    return stamp > MAX_STAMP


class HybridLogicalClock:
    def __init__(
        self,
        last: int = 0,
        wall_ms: Callable[[], int] | None = None,
        drift_bound_ms: int = DEFAULT_DRIFT_BOUND_MS,
    ):
        self._last = min(last, MAX_STAMP)
        self._wall_ms = wall_ms or (lambda: int(time.time() * 1000))
        self.drift_bound_ms = drift_bound_ms
        self._lock = threading.Lock()

    @property
    def last(self) -> int:
        return self._last

    def tick(self) -> int:
        """A stamp for a local event, greater than every stamp adopted so far."""
        with self._lock:
            last_pt, last_c = unpack(self._last)
            now = min(self._wall_ms(), MAX_PHYSICAL_MS)
            if now > last_pt:
                stamp = pack(now, 0)
            elif last_c < COUNTER_MASK:
                stamp = pack(last_pt, last_c + 1)
            else:
                stamp = pack(last_pt + 1, 0)
            if stamp > MAX_STAMP:
                raise OverflowError("the clock reached the year 2100: set the device's time")
            self._last = stamp
            return stamp

    def within_bound(self, remote: int) -> bool:
        remote_pt, _ = unpack(remote)
        return not beyond_limit(remote) and remote_pt <= self._wall_ms() + self.drift_bound_ms

    def observe(self, remote: int) -> bool:
        """Merge a received stamp. Returns False (and ignores it) when beyond the drift bound."""
        if not self.within_bound(remote):
            return False
        with self._lock:
            if remote > self._last:
                self._last = remote
        return True
