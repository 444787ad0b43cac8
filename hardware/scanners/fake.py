"""Fakes that produce what real scanners produce: serial frames and keystroke timings.

The serial fake writes into a `PtyLink`, so the real `SerialScanner` reads it through pyserial. The
keystroke fake yields the (key, timestamp) pairs a wedge scanner or a person would type, for the
detector and the Qt filter.
"""

from __future__ import annotations

from collections.abc import Iterator

from hardware.ptylink import PtyLink
from hardware.scanners.serial_scanner import terminator_bytes
from hardware.scanners.wedge import ENTER

SCANNER_INTERVAL = 0.0075
HUMAN_INTERVAL = 0.120


class FakeSerialScanner:
    """A CDC-mode scanner: the code in ASCII followed by the configured terminator."""

    def __init__(self, link: PtyLink, terminator: str = "CR") -> None:
        self.link = link
        self.terminator = terminator_bytes(terminator)

    @property
    def port(self) -> str:
        return self.link.port

    def scan(self, code: str) -> None:
        self.link.write(code.encode("ascii") + self.terminator)

    def write_raw(self, data: bytes) -> None:
        self.link.write(data)


def keystrokes(
    text: str,
    start: float = 0.0,
    interval: float = SCANNER_INTERVAL,
    suffix: str | None = ENTER,
    prefix: str = "",
) -> Iterator[tuple[str, float]]:
    """Keys of `text` (plus prefix and suffix key) spaced `interval` seconds apart."""
    keys: list[str] = list(prefix) + list(text)
    if suffix is not None:
        keys.append(suffix)
    for index, key in enumerate(keys):
        yield key, start + index * interval
