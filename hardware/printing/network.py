"""Raw TCP ("JetDirect", port 9100) printer connection with connect and send timeouts.

A network printer that has gone away must fail fast: every socket operation has a timeout so a
print attempt never hangs the queue worker.
"""

from __future__ import annotations

import logging
import socket

from .connection import PrinterIOError, PrinterUnavailable

log = logging.getLogger(__name__)

DEFAULT_PORT = 9100


class NetworkConnection:
    """Moves bytes to a printer listening on a raw TCP port."""

    supports_status = True

    def __init__(
        self,
        host: str,
        port: int = DEFAULT_PORT,
        *,
        connect_timeout: float = 3.0,
        send_timeout: float = 10.0,
    ) -> None:
        if not host:
            raise ValueError("host must not be empty")
        if not 0 < port < 65536:
            raise ValueError(f"port out of range: {port}")
        if connect_timeout <= 0 or send_timeout <= 0:
            raise ValueError("timeouts must be positive: a zero timeout would block forever")
        self.host = host
        self.port = port
        self.connect_timeout = connect_timeout
        self.send_timeout = send_timeout
        self._sock: socket.socket | None = None

    def describe(self) -> str:
        return f"tcp:{self.host}:{self.port}"

    def open(self) -> None:
        if self._sock is not None:
            return
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.connect_timeout)
        except OSError as exc:
            raise PrinterUnavailable(f"{self.describe()}: {exc}") from exc
        sock.settimeout(self.send_timeout)
        self._sock = sock
        log.debug("connected to %s", self.describe())

    def _require(self) -> socket.socket:
        if self._sock is None:
            raise PrinterIOError(f"{self.describe()}: connection is not open")
        return self._sock

    def write(self, data: bytes) -> None:
        sock = self._require()
        sock.settimeout(self.send_timeout)
        try:
            sock.sendall(data)
        except OSError as exc:
            raise PrinterIOError(f"{self.describe()}: send failed: {exc}") from exc

    def read(self, size: int, timeout: float) -> bytes:
        sock = self._require()
        sock.settimeout(timeout)
        try:
            data = sock.recv(size)
        except TimeoutError:
            return b""
        except OSError as exc:
            raise PrinterIOError(f"{self.describe()}: read failed: {exc}") from exc
        finally:
            sock.settimeout(self.send_timeout)
        if not data:
            raise PrinterIOError(f"{self.describe()}: connection closed by the printer")
        return data

    def discard_input(self) -> None:
        sock = self._require()
        sock.setblocking(False)
        try:
            while sock.recv(4096):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        except OSError as exc:
            raise PrinterIOError(f"{self.describe()}: {exc}") from exc
        finally:
            sock.settimeout(self.send_timeout)

    def close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is None:
            return
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()
