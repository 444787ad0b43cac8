"""Native USB printer connection through python-escpos's `Usb` (pyusb/libusb).

`escpos.printer.Usb(timeout=0)` is python-escpos's default and blocks forever on a stalled
printer, so this wrapper insists on a finite timeout and passes it to reads as well. The escpos
object is only used to find, claim and release the device; bytes go straight to the endpoints.
"""

from __future__ import annotations

import logging

from .connection import PrinterIOError, PrinterUnavailable

log = logging.getLogger(__name__)


class UsbConnection:
    """Moves bytes to a USB printer identified by vendor and product id."""

    supports_status = True

    def __init__(
        self,
        vendor_id: int,
        product_id: int,
        *,
        timeout_ms: int = 5000,
        in_ep: int = 0x82,
        out_ep: int = 0x01,
    ) -> None:
        if not (0 <= vendor_id <= 0xFFFF and 0 <= product_id <= 0xFFFF):
            raise ValueError("USB vendor and product ids are 16-bit numbers")
        if timeout_ms <= 0:
            raise ValueError("USB timeout must be positive: python-escpos treats 0 as 'forever'")
        self.vendor_id = vendor_id
        self.product_id = product_id
        self.timeout_ms = timeout_ms
        self.in_ep = in_ep
        self.out_ep = out_ep
        self._printer = None

    def describe(self) -> str:
        return f"usb:{self.vendor_id:04x}:{self.product_id:04x}"

    def open(self) -> None:
        if self._printer is not None:
            return
        try:
            from escpos.exceptions import DeviceNotFoundError
            from escpos.printer import Usb
        except ImportError as exc:
            raise PrinterUnavailable(f"{self.describe()}: python-escpos is missing: {exc}") from exc
        printer = Usb(
            self.vendor_id,
            self.product_id,
            timeout=self.timeout_ms,
            in_ep=self.in_ep,
            out_ep=self.out_ep,
        )
        try:
            printer.open(raise_not_found=True)
        except (DeviceNotFoundError, RuntimeError, OSError) as exc:
            raise PrinterUnavailable(f"{self.describe()}: {exc}") from exc
        except Exception as exc:
            # pyusb raises NoBackendError (a ValueError) when libusb itself is missing.
            raise PrinterUnavailable(f"{self.describe()}: USB backend unusable: {exc}") from exc
        self._printer = printer
        log.debug("opened %s", self.describe())

    def _device(self):
        if self._printer is None or not self._printer._device:
            raise PrinterIOError(f"{self.describe()}: connection is not open")
        return self._printer._device

    def write(self, data: bytes) -> None:
        device = self._device()
        try:
            device.write(self.out_ep, data, self.timeout_ms)
        except Exception as exc:
            raise PrinterIOError(f"{self.describe()}: write failed: {exc}") from exc

    def read(self, size: int, timeout: float) -> bytes:
        import usb.core

        device = self._device()
        try:
            return bytes(device.read(self.in_ep, max(size, 16), max(1, int(timeout * 1000))))[:size]
        except usb.core.USBTimeoutError:
            return b""
        except usb.core.USBError as exc:
            raise PrinterIOError(f"{self.describe()}: read failed: {exc}") from exc

    def discard_input(self) -> None:
        while self.read(64, 0.01):
            pass

    def close(self) -> None:
        printer, self._printer = self._printer, None
        if printer is not None:
            printer.close()
