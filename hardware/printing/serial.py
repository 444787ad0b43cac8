"""Serial (RS-232 or USB CDC) printer connection through pyserial.

Serial thermal printers answer DLE EOT real-time status queries on the same line, so status is
available; every read and write has a timeout so an unplugged printer cannot hang the worker.
"""

from __future__ import annotations

import logging

import serial

from .connection import PrinterIOError, PrinterUnavailable

log = logging.getLogger(__name__)

DEFAULT_BAUDRATE = 9600


class SerialConnection:
    """Moves bytes to a printer on a serial device node such as /dev/ttyUSB0."""

    supports_status = True

    def __init__(
        self,
        device: str,
        baudrate: int = DEFAULT_BAUDRATE,
        *,
        write_timeout: float = 10.0,
    ) -> None:
        if not device:
            raise ValueError("serial device must not be empty")
        if baudrate <= 0:
            raise ValueError(f"baud rate must be positive: {baudrate}")
        if write_timeout <= 0:
            raise ValueError("write timeout must be positive: zero would block forever")
        self.device = device
        self.baudrate = baudrate
        self.write_timeout = write_timeout
        self._port: serial.Serial | None = None

    def describe(self) -> str:
        return f"serial:{self.device}:{self.baudrate}"

    def open(self) -> None:
        if self._port is not None:
            return
        port = serial.Serial()
        port.port = self.device
        port.baudrate = self.baudrate
        port.timeout = 1.0
        port.write_timeout = self.write_timeout
        try:
            port.open()
        except (serial.SerialException, OSError) as exc:
            raise PrinterUnavailable(f"{self.describe()}: {exc}") from exc
        self._port = port
        log.debug("opened %s", self.describe())

    def _require(self) -> serial.Serial:
        if self._port is None:
            raise PrinterIOError(f"{self.describe()}: connection is not open")
        return self._port

    def write(self, data: bytes) -> None:
        port = self._require()
        try:
            port.write(data)
            port.flush()
        except (serial.SerialException, OSError) as exc:
            raise PrinterIOError(f"{self.describe()}: write failed: {exc}") from exc

    def read(self, size: int, timeout: float) -> bytes:
        port = self._require()
        port.timeout = timeout
        try:
            return bytes(port.read(size))
        except (serial.SerialException, OSError) as exc:
            raise PrinterIOError(f"{self.describe()}: read failed: {exc}") from exc

    def discard_input(self) -> None:
        port = self._require()
        try:
            port.reset_input_buffer()
        except (serial.SerialException, OSError) as exc:
            raise PrinterIOError(f"{self.describe()}: {exc}") from exc

    def close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            port.close()
