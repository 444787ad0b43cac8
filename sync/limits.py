"""Per-client rate limits shared by every endpoint that guesses can reach.

A token bucket per key (a client address, a card number, an account): ``capacity``
attempts at once, refilled at ``per_second``. Keys are forgotten once their bucket is
full again, so memory stays bounded by the number of clients active in one refill
window, and ``max_keys`` caps even that (the oldest keys are dropped first).
Throttling never locks an account: it slows the client that guesses, not the owner.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Callable


class RateLimiter:
    def __init__(self, capacity: float, per_second: float, *, max_keys: int = 50_000,
                 clock: Callable[[], float] = time.monotonic):
        self.capacity = float(capacity)
        self.per_second = float(per_second)
        self.max_keys = max_keys
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def _level(self, key: str, now: float) -> float:
        tokens, at = self._buckets.get(key, (self.capacity, now))
        return min(self.capacity, tokens + (now - at) * self.per_second)

    def allow(self, key: str, cost: float = 1.0) -> bool:
        """Take ``cost`` tokens from ``key``'s bucket; False (and nothing taken) if empty."""
        with self._lock:
            now = self.clock()
            tokens = self._level(key, now)
            if tokens < cost:
                self._buckets[key] = (tokens, now)
                self._buckets.move_to_end(key)
                return False
            self._buckets[key] = (tokens - cost, now)
            self._buckets.move_to_end(key)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
            return True

    def retry_after(self, key: str, cost: float = 1.0) -> float:
        """Seconds until ``key`` may try again (0 when it may now)."""
        with self._lock:
            tokens = self._level(key, self.clock())
        return 0.0 if tokens >= cost else (cost - tokens) / self.per_second

    def reset(self, key: str) -> None:
        """Forget ``key`` (after a success, so an honest client is not slowed later)."""
        with self._lock:
            self._buckets.pop(key, None)
