"""Printer status from ESC/POS real-time status bytes (DLE EOT n).

python-escpos 3.1's `paper_status()` reports "paper adequate" when the printer sends nothing,
which is exactly what a jammed or half-dead printer does. Here an empty, timed-out or malformed
answer is "unknown", never "ok". Every status byte carries fixed bits (bit 1 and bit 4 set,
bits 0 and 7 clear); a byte that violates them is not a status answer and is treated as unknown.
"""

from __future__ import annotations

import enum
import logging

from .connection import Connection, PrinterError, PrinterUnavailable

log = logging.getLogger(__name__)

DLE_EOT = b"\x10\x04"
QUERY_PRINTER = DLE_EOT + b"\x01"
QUERY_PAPER = DLE_EOT + b"\x04"

FIXED_MASK = 0b1001_0011
FIXED_VALUE = 0b0001_0010
PRINTER_OFFLINE_BIT = 0x08
PAPER_NEAR_END_BITS = 0x0C
PAPER_END_BITS = 0x60


class PrinterStatus(enum.Enum):
    """What the kiosk can tell about a printer, with messages for patrons and technicians."""

    OK = ("ok", "Máy in sẵn sàng.", "Printer ready.")
    PAPER_LOW = (
        "paper_low",
        "Giấy in sắp hết, vui lòng báo thủ thư thay cuộn giấy.",
        "Paper is running low; replace the roll soon.",
    )
    PAPER_OUT = (
        "paper_out",
        "Máy in hết giấy. Phiếu sẽ được in khi có giấy mới.",
        "Printer is out of paper. Slips stay queued until a new roll is loaded.",
    )
    OFFLINE = (
        "offline",
        "Không kết nối được máy in. Phiếu sẽ được in lại sau.",
        "Printer is offline or unreachable. Slips stay queued and are retried.",
    )
    UNKNOWN = (
        "unknown",
        "Không xác định được trạng thái máy in.",
        "Printer status cannot be read over this connection.",
    )

    def __init__(self, code: str, message_vi: str, message_en: str) -> None:
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en

    @property
    def blocks_printing(self) -> bool:
        """Sending a job now would certainly be lost, so it should stay queued."""
        return self in (PrinterStatus.PAPER_OUT, PrinterStatus.OFFLINE)

    @classmethod
    def from_code(cls, code: str) -> PrinterStatus:
        for member in cls:
            if member.code == code:
                return member
        raise ValueError(f"unknown printer status code: {code!r}")


def is_status_byte(value: int) -> bool:
    """True when `value` has the fixed bits every DLE EOT answer carries."""
    return value & FIXED_MASK == FIXED_VALUE


def parse_printer_status(answer: bytes) -> PrinterStatus:
    """Interpret the answer to DLE EOT 1 (printer status): online, offline or unknown."""
    if len(answer) != 1 or not is_status_byte(answer[0]):
        return PrinterStatus.UNKNOWN
    return PrinterStatus.OFFLINE if answer[0] & PRINTER_OFFLINE_BIT else PrinterStatus.OK


def parse_paper_status(answer: bytes) -> PrinterStatus:
    """Interpret the answer to DLE EOT 4 (roll paper sensor): ok, low, out or unknown."""
    if len(answer) != 1 or not is_status_byte(answer[0]):
        return PrinterStatus.UNKNOWN
    if answer[0] & PAPER_END_BITS:
        return PrinterStatus.PAPER_OUT
    if answer[0] & PAPER_NEAR_END_BITS:
        return PrinterStatus.PAPER_LOW
    return PrinterStatus.OK


def combine(printer: PrinterStatus, paper: PrinterStatus) -> PrinterStatus:
    """One status from both answers; paper-out explains an offline printer, so it wins."""
    if paper is PrinterStatus.PAPER_OUT:
        return PrinterStatus.PAPER_OUT
    if printer is PrinterStatus.OFFLINE:
        return PrinterStatus.OFFLINE
    if printer is PrinterStatus.UNKNOWN or paper is PrinterStatus.UNKNOWN:
        return PrinterStatus.UNKNOWN
    return paper


def _ask(connection: Connection, query: bytes, timeout: float) -> bytes:
    connection.discard_input()
    connection.write(query)
    return connection.read(1, timeout)


def query_status(connection: Connection, timeout: float = 1.0) -> PrinterStatus:
    """Ask an open connection for the printer and paper status.

    A connection that cannot answer yields UNKNOWN; a connection that breaks while asking
    yields OFFLINE.
    """
    if not connection.supports_status:
        return PrinterStatus.UNKNOWN
    try:
        printer = parse_printer_status(_ask(connection, QUERY_PRINTER, timeout))
        paper = parse_paper_status(_ask(connection, QUERY_PAPER, timeout))
    except PrinterError as exc:
        log.info("status query on %s failed: %s", connection.describe(), exc)
        return PrinterStatus.OFFLINE
    status = combine(printer, paper)
    log.debug("status of %s: %s", connection.describe(), status.code)
    return status


def check_status(connection: Connection, timeout: float = 1.0) -> PrinterStatus:
    """Open, query and close; OFFLINE when the printer cannot even be reached."""
    try:
        connection.open()
    except PrinterUnavailable as exc:
        log.info("printer unreachable: %s", exc)
        return PrinterStatus.OFFLINE
    try:
        return query_status(connection, timeout)
    finally:
        connection.close()
