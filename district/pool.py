"""Read connections for the hub: one writer, a few concurrent WAL readers.

SQLite in WAL mode lets any number of connections read while one writes, each reader
seeing the last committed state as of its statement. The hub keeps its single writer
(``District.library``, behind ``District.lock``) for writes and hands each page, OAI
request, export and device pull a :class:`~kiosk.core.library.Library` over a
connection of its own from a small pool, so a push being applied never holds up a
search. Page connections are ``query_only``: a route that tried to write through one
would fail loudly instead of racing the writer.

The search vocabulary (Telex decoding, suggestions) lives in memory per connection and
is re-read when the database changes; at the hub the database changes with every push,
so readers re-read it at most every :data:`VOCABULARY_TTL` seconds.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kiosk.core.library import Library
from kiosk.core.spelling import Vocabulary
from kiosk.store.db import Store, connect
from kiosk.store.eventlog import WallClock

VOCABULARY_TTL = 30.0
WAIT_SECONDS = 30.0


class _SlowVocabulary(Vocabulary):
    """Notices other connections' writes at most every ``VOCABULARY_TTL`` seconds."""

    _checked = float("-inf")

    def refresh(self) -> None:
        now = time.monotonic()
        if now - self._checked >= VOCABULARY_TTL:
            self._checked = now
            super().refresh()


def read_library(path: str | Path, clock: WallClock, *, query_only: bool = True) -> Library:
    """A Library over a new connection to ``path``. ``query_only=False`` is for device
    pulls, which note when the device was last seen: those small writes are not worth an
    fsync each (``synchronous=NORMAL``; WAL keeps them consistent after a power cut)."""
    conn = connect(path)
    if query_only:
        conn.execute("PRAGMA query_only=ON")
    else:
        conn.execute("PRAGMA synchronous=NORMAL")
    library = Library(Store(conn, str(path)), clock)
    library.search.vocabulary = _SlowVocabulary(library.store)
    return library


class Pool:
    """At most ``size`` objects made by ``make``; :meth:`take` lends one to one thread."""

    def __init__(self, make: Callable[[], object], size: int):
        self._make = make
        self._free: queue.LifoQueue = queue.LifoQueue()
        self._made: list = []
        self._size = size
        self._lock = threading.Lock()

    @contextmanager
    def take(self) -> Iterator:
        item = self._get()
        try:
            yield item
        finally:
            self._free.put(item)

    def _get(self):
        try:
            return self._free.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if len(self._made) < self._size:
                item = self._make()
                self._made.append(item)
                return item
        try:
            return self._free.get(timeout=WAIT_SECONDS)
        except queue.Empty:
            raise TimeoutError("no free database connection within "
                               f"{WAIT_SECONDS:.0f} s") from None

    def close(self, closer: Callable[[object], None]) -> None:
        with self._lock:
            for item in self._made:
                closer(item)
            self._made.clear()
