"""A receipt printer: a way to connect, a paper width, and the rule for sending a job.

Each job opens a fresh connection, asks for the status first, and sends only when the printer
can print: bytes sent to a printer without paper are lost, so the job must stay queued instead.
When the status is unknown (plain files, silent printers) the job is sent; that is the best the
kiosk can do, and reprint is always available.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PIL import Image

from .commands import slip_job
from .connection import Connection, PrinterError, PrinterUnavailable
from .render import dots_for_paper, render
from .slips import Slip
from .status import PrinterStatus, check_status, query_status

log = logging.getLogger(__name__)


class PrinterNotReady(PrinterError):
    """The printer reported a state in which the job would be lost (no paper, offline)."""

    def __init__(self, status: PrinterStatus, detail: str = "") -> None:
        super().__init__(f"{status.message_en}{f' ({detail})' if detail else ''}")
        self.status = status


class ReceiptPrinter:
    """Sends rendered slips through connections made by `connect` (called once per job)."""

    def __init__(
        self,
        connect: Callable[[], Connection],
        paper_mm: int = 58,
        *,
        status_timeout: float = 1.0,
    ) -> None:
        self.connect = connect
        self.paper_mm = paper_mm
        self.width = dots_for_paper(paper_mm)
        self.status_timeout = status_timeout

    def status(self) -> PrinterStatus:
        return check_status(self.connect(), self.status_timeout)

    def render(self, slip: Slip) -> Image.Image:
        return render(slip, self.width)

    def job_bytes(self, slip: Slip) -> bytes:
        return slip_job(self.render(slip))

    def print_slip(self, slip: Slip) -> PrinterStatus:
        return self.send(self.job_bytes(slip))

    def send(self, data: bytes) -> PrinterStatus:
        """Send a complete job; returns the status seen before sending.

        Raises PrinterNotReady when the printer is unreachable, out of paper or offline, and
        PrinterIOError when the transfer itself fails.
        """
        connection = self.connect()
        try:
            connection.open()
        except PrinterUnavailable as exc:
            raise PrinterNotReady(PrinterStatus.OFFLINE, str(exc)) from exc
        try:
            status = query_status(connection, self.status_timeout)
            if status.blocks_printing:
                raise PrinterNotReady(status, connection.describe())
            connection.write(data)
            log.info("sent %d bytes to %s (status %s)", len(data), connection.describe(), status.code)
            return status
        finally:
            connection.close()
