"""Running library work off the GUI thread (after Anki's ``CollectionOp``/``QueryOp``).

All database work runs on one worker thread, in submission order, so the SQLite
connection is never used from two threads at once and the GUI never waits on a disk
flush. Results and errors come back on the GUI thread through a queued signal; an
operation that changes data announces what changed (``"circulation"``, ``"catalogue"``,
``"patrons"``...) so open views can refresh themselves.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")


class Ops(QObject):
    changed = Signal(str)
    _finished = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="library-db")
        self._network = ThreadPoolExecutor(max_workers=1, thread_name_prefix="network")
        self._pending = 0
        self._closed = False
        self._lock = threading.Lock()
        self._finished.connect(self._deliver)

    def run(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        changes: str | None = None,
    ) -> Future:
        """Run ``work()`` on the database thread; call back on the GUI thread."""
        return self._submit(self._executor, work, on_done, on_error, changes)

    def fetch(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> Future:
        """Run network-only ``work()`` (it must not touch the database) on its own thread, so
        a slow peer never holds up the database thread; call back on the GUI thread."""
        return self._submit(self._network, work, on_done, on_error, None)

    def _submit(self, executor: ThreadPoolExecutor, work: Callable[[], Any],
                on_done: Callable[[Any], None] | None,
                on_error: Callable[[Exception], None] | None, changes: str | None) -> Future:
        with self._lock:
            if self._closed:
                # The window is closing: a view refreshing from a result delivered meanwhile
                # asks for more work, which nothing would show.
                log.debug("work asked for after shutdown, not run")
                refused: Future = Future()
                refused.cancel()
                return refused
            self._pending += 1

        def task() -> None:
            try:
                result: Any = work()
                error: Exception | None = None
            except Exception as exc:  # delivered to on_error or logged, never lost
                result, error = None, exc
            self._finished.emit((result, error, on_done, on_error, changes))

        return executor.submit(task)

    @Slot(object)
    def _deliver(self, packet: tuple) -> None:
        result, error, on_done, on_error, changes = packet
        with self._lock:
            self._pending -= 1
        if error is not None:
            if on_error is not None:
                on_error(error)
            else:
                log.error("background operation failed", exc_info=error)
            return
        if on_done is not None:
            on_done(result)
        if changes:
            self.changed.emit(changes)

    @property
    def busy(self) -> bool:
        with self._lock:
            return self._pending > 0

    def shutdown(self) -> None:
        with self._lock:
            self._closed = True
        self._network.shutdown(wait=True, cancel_futures=True)
        self._executor.shutdown(wait=True)
