"""A printer reached through a file: a device node (/dev/usb/lp0) or a plain file.

A file cannot answer status queries (the usblp driver exposes no reliable DLE EOT path, and a
plain file or a CUPS spool has no printer behind it), so the status is honestly "unknown".
"""

from __future__ import annotations

import logging
import os

from .connection import PrinterIOError, PrinterUnavailable

log = logging.getLogger(__name__)


class FileConnection:
    """Writes the job bytes unchanged to `path` (appending, so nothing earlier is lost)."""

    supports_status = False

    def __init__(self, path: str | os.PathLike[str]) -> None:
        if not os.fspath(path):
            raise ValueError("file path must not be empty")
        self.path = os.fspath(path)
        self._fd: int | None = None

    def describe(self) -> str:
        return f"file:{self.path}"

    def open(self) -> None:
        if self._fd is not None:
            return
        try:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        except OSError as exc:
            raise PrinterUnavailable(f"{self.describe()}: {exc}") from exc

    def write(self, data: bytes) -> None:
        if self._fd is None:
            raise PrinterIOError(f"{self.describe()}: connection is not open")
        view = memoryview(data)
        try:
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
        except OSError as exc:
            raise PrinterIOError(f"{self.describe()}: write failed: {exc}") from exc

    def read(self, size: int, timeout: float) -> bytes:
        return b""

    def discard_input(self) -> None:
        return None

    def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)
