"""Barcode scanners in serial (USB-CDC) mode.

A scanner in CDC mode sends the code followed by a terminator and bypasses the keyboard path, so
the Vietnamese input method cannot rewrite it. USB serial still delivers bytes in arbitrary chunks,
and cheap scanners emit stray control bytes on power-up: frames are reassembled across reads and
everything outside printable ASCII is dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import serial

from hardware.readers import Backoff, ReadCallback, ReconnectingReader, StatusCallback, mask

logger = logging.getLogger(__name__)

TERMINATORS: dict[str, bytes] = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n"}


def terminator_bytes(name: str) -> bytes:
    try:
        return TERMINATORS[name.upper()]
    except KeyError:
        raise ValueError(f"unknown terminator {name!r}; use one of {', '.join(TERMINATORS)}") from None


@dataclass
class FramerStats:
    frames: int = 0
    empty: int = 0
    overlong: int = 0
    noise_bytes: int = 0


class LineFramer:
    """Incremental splitter: feed chunks as they arrive, get complete, cleaned codes back."""

    def __init__(self, terminator: bytes = b"\r", max_length: int = 256) -> None:
        if not terminator:
            raise ValueError("terminator must not be empty")
        self.terminator = terminator
        self.max_length = max_length
        self.stats = FramerStats()
        self._buffer = bytearray()

    def feed(self, chunk: bytes) -> list[str]:
        self._buffer += chunk
        codes: list[str] = []
        while True:
            end = self._buffer.find(self.terminator)
            if end < 0:
                break
            raw = bytes(self._buffer[:end])
            del self._buffer[: end + len(self.terminator)]
            code = self._clean(raw)
            if code:
                self.stats.frames += 1
                codes.append(code)
            else:
                self.stats.empty += 1
        if len(self._buffer) > self.max_length:
            self.stats.overlong += 1
            keep = len(self.terminator) - 1
            self._buffer = self._buffer[len(self._buffer) - keep :] if keep else bytearray()
        return codes

    def _clean(self, raw: bytes) -> str:
        printable = bytes(b for b in raw if 0x20 <= b < 0x7F)
        self.stats.noise_bytes += len(raw) - len(printable)
        return printable.decode("ascii").strip()


class SerialScanner(ReconnectingReader[serial.Serial]):
    """One serial scanner on one port; each complete code goes to `on_read` on the reader thread."""

    kind = "scanner"

    def __init__(
        self,
        port: str,
        on_read: ReadCallback | None = None,
        *,
        terminator: str = "CR",
        baudrate: int = 9600,
        name: str | None = None,
        on_status: StatusCallback | None = None,
        backoff: Backoff | None = None,
        poll_interval: float = 0.1,
    ) -> None:
        super().__init__(name or f"serial-scanner:{port}", on_status, backoff)
        self.port = port
        self.baudrate = baudrate
        self.framer = LineFramer(terminator_bytes(terminator))
        self._on_read = on_read
        self._poll_interval = poll_interval

    def _describe(self) -> str:
        return self.port

    def _open(self) -> serial.Serial:
        return serial.Serial(
            self.port, self.baudrate, timeout=self._poll_interval, exclusive=True
        )

    def _read_once(self, handle: serial.Serial) -> None:
        chunk = handle.read(max(1, handle.in_waiting))
        if not chunk:
            return
        for code in self.framer.feed(chunk):
            logger.debug("%s read %s", self.name, mask(code))
            self._deliver(self._on_read, code)

    def _close(self, handle: serial.Serial) -> None:
        handle.close()
