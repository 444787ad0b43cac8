"""What every input device looks like to the kiosk: a status, a start/stop pair and callbacks.

Devices get unplugged, browned out or replaced while the kiosk runs for months. Each driver is a
thread that opens its device, reads until the device fails, reports that, waits with back-off and
opens it again. `ReconnectingReader` holds that loop once so drivers only move bytes.
"""

from __future__ import annotations

import enum
import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

logger = logging.getLogger(__name__)


class ReaderState(enum.StrEnum):
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ReaderStatus:
    state: ReaderState
    detail: str = ""


ReadCallback = Callable[[str], None]
StatusCallback = Callable[[ReaderStatus], None]


class Reader(Protocol):
    """A scanner or card reader as the registry and the UI see it."""

    name: str
    kind: str

    def start(self) -> None: ...

    def stop(self, timeout: float = 2.0) -> None: ...

    def status(self) -> ReaderStatus: ...


def mask(value: str, visible: int = 4) -> str:
    """Hide all but the last characters of a card number or barcode before it reaches a log."""
    if len(value) <= visible:
        return "*" * len(value)
    return "*" * (len(value) - visible) + value[-visible:]


class Backoff:
    """Exponential delays between reconnection attempts, so a missing device costs little CPU."""

    def __init__(self, initial: float = 0.5, maximum: float = 30.0, factor: float = 2.0) -> None:
        if initial <= 0 or maximum < initial or factor < 1:
            raise ValueError("back-off needs 0 < initial <= maximum and factor >= 1")
        self.initial = initial
        self.maximum = maximum
        self.factor = factor
        self._next = initial

    def next(self) -> float:
        delay = self._next
        self._next = min(self._next * self.factor, self.maximum)
        return delay

    def reset(self) -> None:
        self._next = self.initial


Handle = TypeVar("Handle")


class ReconnectingReader(ABC, Generic[Handle]):
    """A reader thread that survives its device: open, read, report failure, back off, reopen.

    Subclasses implement `_open`, `_read_once` (which must return within about `poll_interval` so
    `stop` is prompt) and `_close`. Callbacks run on the reader thread; an exception in a callback
    is logged and the reader carries on.
    """

    kind = "reader"

    def __init__(
        self,
        name: str,
        on_status: StatusCallback | None = None,
        backoff: Backoff | None = None,
    ) -> None:
        self.name = name
        self._on_status = on_status
        self._backoff = backoff or Backoff()
        self._stop_event = threading.Event()
        self._wake_event = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._status = ReaderStatus(ReaderState.UNKNOWN, "not started")

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            raise RuntimeError(f"reader {self.name} is already running")
        self._stop_event.clear()
        self._wake_event.clear()
        self._thread = threading.Thread(target=self._run, name=f"reader-{self.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        thread = self._thread
        if thread is None:
            return
        self._stop_event.set()
        self._wake_event.set()
        thread.join(timeout)
        if thread.is_alive():
            logger.warning("reader %s did not stop within %.1f s", self.name, timeout)
            return
        self._thread = None
        self._set_status(ReaderState.UNKNOWN, "stopped")

    def status(self) -> ReaderStatus:
        with self._lock:
            return self._status

    def wake(self) -> None:
        """Retry now instead of waiting out the back-off, e.g. when udev reports a new device."""
        self._wake_event.set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @abstractmethod
    def _open(self) -> Handle: ...

    @abstractmethod
    def _read_once(self, handle: Handle) -> None: ...

    @abstractmethod
    def _close(self, handle: Handle) -> None: ...

    def _describe(self) -> str:
        return self.name

    def _deliver(self, callback: ReadCallback | None, value: str) -> None:
        if callback is None:
            return
        try:
            callback(value)
        except Exception:
            logger.exception("read callback of %s failed for %s", self.name, mask(value))

    def _set_status(self, state: ReaderState, detail: str) -> None:
        with self._lock:
            changed = self._status.state != state
            self._status = ReaderStatus(state, detail)
        if changed:
            logger.info("%s %s: %s", self.name, state.value, detail)
            if self._on_status is not None:
                try:
                    self._on_status(ReaderStatus(state, detail))
                except Exception:
                    logger.exception("status callback of %s failed", self.name)

    def _run(self) -> None:
        while not self._stop_event.is_set():
            try:
                handle = self._open()
            except Exception as exc:
                self._set_status(ReaderState.DISCONNECTED, f"cannot open {self._describe()}: {exc}")
                self._pause()
                continue
            self._backoff.reset()
            self._set_status(ReaderState.CONNECTED, self._describe())
            try:
                while not self._stop_event.is_set():
                    self._read_once(handle)
            except Exception as exc:
                if not isinstance(exc, OSError):
                    logger.exception("unexpected failure reading %s", self.name)
                self._set_status(ReaderState.DISCONNECTED, f"lost {self._describe()}: {exc}")
            finally:
                try:
                    self._close(handle)
                except Exception:
                    logger.debug("closing %s failed", self.name, exc_info=True)
            self._pause()

    def _pause(self) -> None:
        if self._stop_event.is_set():
            return
        self._wake_event.wait(self._backoff.next())
        self._wake_event.clear()

