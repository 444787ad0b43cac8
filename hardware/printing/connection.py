"""The byte-moving protocol every printer connection implements.

Following python-escpos, commands live in one place (`commands.py`) and a connection only
moves bytes. Connections are opened explicitly and closed explicitly: no lazy opening on first
write and no clean-up in `__del__`, so a failure surfaces where the caller can handle it.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


class PrinterError(Exception):
    """Base class of printer failures the kiosk reports and retries."""


class PrinterUnavailable(PrinterError):
    """The printer cannot be reached: nothing listening, device missing, cable out."""


class PrinterIOError(PrinterError):
    """The printer was reached but a write or read failed or timed out."""


@runtime_checkable
class Connection(Protocol):
    """A raw channel to one printer.

    `supports_status` tells whether `read` can return the printer's answers to real-time
    status queries (DLE EOT); when False the status is honestly "unknown".
    """

    supports_status: bool

    def open(self) -> None:
        """Connect; raise PrinterUnavailable when the printer cannot be reached."""

    def write(self, data: bytes) -> None:
        """Send all of `data`; raise PrinterIOError on failure or timeout."""

    def read(self, size: int, timeout: float) -> bytes:
        """Return up to `size` bytes, or b"" when nothing arrives within `timeout` seconds."""

    def discard_input(self) -> None:
        """Drop bytes already received so a status answer is not confused with a stale one."""

    def close(self) -> None:
        """Release the channel; safe to call twice."""

    def describe(self) -> str:
        """A short label for logs and technician messages (no personal data)."""
