"""Receipt printing: slips rendered as raster images, sent over pluggable connections, queued.

Vietnamese cannot be printed reliably through ESC/POS code pages, so every slip is drawn with
DejaVu Sans and sent as a `GS v 0` raster image. A printer fault never blocks a loan: slips go
through the persistent `PrintQueue`.
"""

from .connection import Connection, PrinterError, PrinterIOError, PrinterUnavailable
from .printer import PrinterNotReady, ReceiptPrinter
from .queue import PrintJob, PrintQueue
from .slips import LoanSlip, MaskedPatron, PatronCardSlip, ReturnSlip, SlipItem, TestPage
from .status import PrinterStatus
from .uri import PrinterUriError, connection_from_uri

__all__ = [
    "Connection",
    "LoanSlip",
    "MaskedPatron",
    "PatronCardSlip",
    "PrintJob",
    "PrintQueue",
    "PrinterError",
    "PrinterIOError",
    "PrinterNotReady",
    "PrinterStatus",
    "PrinterUnavailable",
    "PrinterUriError",
    "ReceiptPrinter",
    "ReturnSlip",
    "SlipItem",
    "TestPage",
    "connection_from_uri",
]
