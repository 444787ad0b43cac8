"""`kiosk print-test`: print the test page and tell a technician what to fix.

Exit codes: 0 printed (status ok, paper low or unreadable), 2 bad printer URI, 3 printer
unreachable or offline, 4 out of paper, 5 transfer failed part-way.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TextIO

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .status import PrinterStatus

PAPER_WIDTHS_MM = (58, 80)

EXIT_OK = 0
EXIT_BAD_URI = 2
EXIT_OFFLINE = 3
EXIT_PAPER_OUT = 4
EXIT_TRANSFER_FAILED = 5

HINTS = {
    "tcp": "Kiểm tra nguồn điện, cáp mạng và địa chỉ IP của máy in (cổng 9100). / "
    "Check power, network cable and the printer's IP address (port 9100).",
    "usb": "Kiểm tra cáp USB, mã VID:PID (lệnh lsusb) và quyền truy cập (udev). / "
    "Check the USB cable, the VID:PID (lsusb) and device permissions (udev rule).",
    "serial": "Kiểm tra cáp, tên cổng và tốc độ baud. / "
    "Check the cable, the serial device name and the baud rate.",
    "file": "Kiểm tra thiết bị có tồn tại và người dùng kiosk có quyền ghi (nhóm lp). / "
    "Check the device node exists and the kiosk user may write it (group lp).",
    "fake": "Máy in giả lập. / Simulated printer.",
}


def add_arguments(
    subparsers: argparse._SubParsersAction,
    *,
    default_printer: str = "file:/dev/usb/lp0",
    default_width: int = 58,
) -> argparse.ArgumentParser:
    """Add `print-test` to the kiosk CLI; the configured printer URI is passed in as default."""
    parser = subparsers.add_parser(
        "print-test",
        help="in trang thử và báo trạng thái máy in / print a test page and report status",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--printer",
        metavar="URI",
        default=default_printer,
        help="file:PATH, tcp:HOST[:PORT], usb:VID:PID, serial:DEV[:BAUD] or fake: "
        f"(default {default_printer})",
    )
    parser.add_argument(
        "--width",
        type=int,
        choices=PAPER_WIDTHS_MM,
        default=default_width,
        help=f"paper width in mm (default {default_width})",
    )
    parser.add_argument("--library", default="Thư viện", help="library name on the page")
    parser.set_defaults(func=print_test)
    return parser


def _say(out: TextIO, status: PrinterStatus) -> None:
    print(f"Trạng thái máy in: {status.message_vi}", file=out)
    print(f"Printer status: {status.code}: {status.message_en}", file=out)


def print_test(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    from .connection import PrinterIOError
    from .printer import PrinterNotReady, ReceiptPrinter
    from .slips import TestPage
    from .status import PrinterStatus
    from .uri import PrinterUriError, connection_from_uri

    out = out or sys.stdout
    err = err or sys.stderr
    try:
        connection = connection_from_uri(args.printer)
    except PrinterUriError as exc:
        print(f"Địa chỉ máy in không hợp lệ. / {exc}", file=err)
        return EXIT_BAD_URI
    hint = HINTS[args.printer.split(":", 1)[0].strip().lower()]
    printer = ReceiptPrinter(lambda: connection_from_uri(args.printer), args.width)
    page = TestPage(args.library, dt.datetime.now().replace(microsecond=0), connection.describe())
    try:
        status = printer.print_slip(page)
    except PrinterNotReady as exc:
        _say(err, exc.status)
        print(f"Chưa in được trang thử. / Test page not printed: {exc}", file=err)
        if exc.status is PrinterStatus.PAPER_OUT:
            print("Lắp cuộn giấy mới rồi chạy lại. / Load a new paper roll and run again.", file=err)
            return EXIT_PAPER_OUT
        print(hint, file=err)
        return EXIT_OFFLINE
    except PrinterIOError as exc:
        print(f"Truyền dữ liệu tới máy in bị lỗi. / Transfer failed: {exc}", file=err)
        print(hint, file=err)
        return EXIT_TRANSFER_FAILED
    _say(out, status)
    print(
        f"Đã gửi trang in thử ({args.width} mm, {printer.width} điểm) tới {connection.describe()}. / "
        "Test page sent.",
        file=out,
    )
    if status is PrinterStatus.UNKNOWN:
        print(
            "Kết nối này không báo được trạng thái: hãy xem trang in đã ra chưa. / "
            "This connection cannot report status: check that the page came out.",
            file=out,
        )
    return EXIT_OK
