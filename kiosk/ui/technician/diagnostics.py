"""The technician's diagnostics: devices, printer, scans, network, clock, sync, disk, versions.

``show_scan(text)`` is the slot the shell connects to the scanner and card reader signals,
so a technician sees exactly what a device types.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

import PySide6
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Slot, qVersion
from PySide6.QtNetwork import QNetworkInterface
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

import kiosk
from hardware.camera_reader import MISSING as MISSING_CAMERA_SUPPORT
from hardware.printing.slips import TestPage
from kiosk.core import clock_sanity, provisioning
from kiosk.store.migrations import current_version
from kiosk.ui.camera_preview import CameraPreview
from kiosk.ui.context import UiContext
from kiosk.ui.staff.widgets import MessageBar, Page, button, fill_table, make_table
from sync import progress

log = logging.getLogger(__name__)

STATE_LABELS = {
    "connected": QT_TRANSLATE_NOOP("DiagnosticsScreen", "Đã kết nối"),
    "connecting": QT_TRANSLATE_NOOP("DiagnosticsScreen", "Đang kết nối"),
    "disconnected": QT_TRANSLATE_NOOP("DiagnosticsScreen", "Mất kết nối"),
    "unknown": QT_TRANSLATE_NOOP("DiagnosticsScreen", "Chưa rõ"),
    "stopped": QT_TRANSLATE_NOOP("DiagnosticsScreen", "Đã dừng"),
}


# The device registry's kinds and fixed details (hardware.devices, hardware.readers,
# hardware.hotplug) are English codes for logs; the table shows them translated. A detail
# with a device path or an OS error keeps that part as it is.
KIND_LABELS = {
    "scanner": QT_TRANSLATE_NOOP("DiagnosticsScreen", "Máy quét mã vạch"),
    "card_reader": QT_TRANSLATE_NOOP("DiagnosticsScreen", "Đầu đọc thẻ"),
    "camera": QT_TRANSLATE_NOOP("DiagnosticsScreen", "Camera"),
    "printer": QT_TRANSLATE_NOOP("DiagnosticsScreen", "Máy in phiếu"),
    "hot-plug": QT_TRANSLATE_NOOP("DiagnosticsScreen", "Cắm nóng thiết bị"),
}
DETAIL_LABELS = {
    "not started": QT_TRANSLATE_NOOP("DiagnosticsScreen", "chưa khởi động"),
    "stopped": QT_TRANSLATE_NOOP("DiagnosticsScreen", "đã dừng"),
    "keyboard wedge: read by the UI's key filter": QT_TRANSLATE_NOOP(
        "DiagnosticsScreen", "giả lập bàn phím: giao diện đọc phím gõ"),
    MISSING_CAMERA_SUPPORT: QT_TRANSLATE_NOOP(
        "DiagnosticsScreen", "chưa cài phần hỗ trợ camera (gói commune-library-kiosk[camera])"),
    "managed by hardware.printing": QT_TRANSLATE_NOOP("DiagnosticsScreen",
                                                      "do hàng đợi in quản lý"),
    "hot-plug: disabled in config": QT_TRANSLATE_NOOP("DiagnosticsScreen",
                                                      "cắm nóng: tắt trong cấu hình"),
    "hot-plug: unavailable (no monitor)": QT_TRANSLATE_NOOP(
        "DiagnosticsScreen", "cắm nóng: không dùng được (không có bộ theo dõi)"),
    "hot-plug: not started": QT_TRANSLATE_NOOP("DiagnosticsScreen", "cắm nóng: chưa khởi động"),
    "hot-plug: unavailable (pyudev not installed)": QT_TRANSLATE_NOOP(
        "DiagnosticsScreen", "cắm nóng: không dùng được (chưa cài pyudev)"),
    "hot-plug: stopped": QT_TRANSLATE_NOOP("DiagnosticsScreen", "cắm nóng: đã dừng"),
}
DETAIL_PREFIXES = (
    ("cannot open ", QT_TRANSLATE_NOOP("DiagnosticsScreen", "không mở được {rest}")),
    ("lost ", QT_TRANSLATE_NOOP("DiagnosticsScreen", "mất kết nối {rest}")),
    ("end of ", QT_TRANSLATE_NOOP("DiagnosticsScreen", "đã hết hình từ {rest}")),
    ("hot-plug: watching udev ", QT_TRANSLATE_NOOP("DiagnosticsScreen",
                                                   "cắm nóng: đang theo dõi udev {rest}")),
    ("hot-plug: unavailable ", QT_TRANSLATE_NOOP("DiagnosticsScreen",
                                                 "cắm nóng: không dùng được {rest}")),
)


def device_kind(kind: str) -> str:
    label = KIND_LABELS.get(kind)
    return QCoreApplication.translate("DiagnosticsScreen", label) if label else kind


def device_detail(detail: str) -> str:
    """A device detail in the interface language; paths and OS errors stay as they are."""
    label = DETAIL_LABELS.get(detail)
    if label is not None:
        return QCoreApplication.translate("DiagnosticsScreen", label)
    for prefix, template in DETAIL_PREFIXES:
        if detail.startswith(prefix):
            return QCoreApplication.translate("DiagnosticsScreen", template).format(
                rest=detail[len(prefix):])
    return detail


def _gb(count: int) -> str:
    return f"{count / 1e9:.1f} GB"


def network_rows() -> list[tuple[str, str]]:
    rows = []
    for interface in QNetworkInterface.allInterfaces():
        if interface.flags() & QNetworkInterface.IsLoopBack:
            continue
        up = bool(interface.flags() & QNetworkInterface.IsUp)
        addresses = ", ".join(entry.ip().toString().split("%")[0]
                              for entry in interface.addressEntries())
        rows.append((interface.humanReadableName(),
                     (addresses or "—") + ("" if up else QCoreApplication.translate("DiagnosticsScreen", " (tắt)"))))
    return rows


class DiagnosticsScreen(Page):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.devices_table = make_table([self.tr("Thiết bị"), self.tr("Tên"),
                                         self.tr("Trạng thái"), self.tr("Chi tiết")])
        self.printer = QLabel()
        self.printer.setWordWrap(True)
        self.test_print_button = button(self.tr("In trang thử"), self.test_print, primary=True)
        self.scan_label = QLabel(self.tr("Quét một mã vạch hoặc chạm thẻ để thử."))
        self.scan_label.setWordWrap(True)
        self.scan_label.setObjectName("scanpanel")
        self.scans: list[str] = []
        self.network_table = make_table([self.tr("Giao diện"), self.tr("Địa chỉ")])
        self.system = QLabel()
        self.system.setWordWrap(True)
        self.clock = MessageBar()

        devices = QGroupBox(self.tr("Thiết bị"))
        column = QVBoxLayout(devices)
        column.addWidget(self.devices_table, 1)
        row = QHBoxLayout()
        row.addWidget(self.printer, 1)
        row.addWidget(self.test_print_button)
        column.addLayout(row)
        column.addWidget(QLabel(self.tr("Thử máy quét / đầu đọc thẻ:")))
        column.addWidget(self.scan_label)
        self.camera = CameraPreview(ctx)
        column.addWidget(self.camera)
        system = QGroupBox(self.tr("Hệ thống"))
        column = QVBoxLayout(system)
        column.addWidget(self.network_table, 1)
        column.addWidget(self.clock)
        column.addWidget(self.system)
        grid = QGridLayout()
        grid.addWidget(devices, 0, 0)
        grid.addWidget(system, 0, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(button(self.tr("Kiểm tra lại"), self.refresh))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid, 1)
        layout.addWidget(self.message)
        self.refresh()

    def refresh(self) -> None:
        devices = self.ctx.devices
        rows = [(device_kind(d.kind), d.name, self.tr(STATE_LABELS.get(d.state, d.state)),
                 device_detail(d.detail))
                for d in devices.status()] if devices is not None else []
        if not rows:
            rows = [("—", self.tr("Chưa cấu hình thiết bị nhập"), "", "")]
        fill_table(self.devices_table, rows, stretch=1)
        fill_table(self.network_table, network_rows(), stretch=1)
        lib, queue = self.ctx.library, self.ctx.print_queue
        store = lib.store

        def work() -> dict[str, Any]:
            folder = Path(store.path).resolve().parent
            return {"settings": provisioning.load(store), "schema": current_version(store),
                    "clock": clock_sanity.check(lib),
                    "disk": shutil.disk_usage(folder), "folder": str(folder),
                    "pending": len(queue.jobs("pending")) if queue is not None else None,
                    "transfers": [progress.describe(entry) for entry in progress.current(store)
                                  if entry["running"]]}

        self.call(work, self._show_system)

    def _show_system(self, data: dict[str, Any]) -> None:
        queue = self.ctx.print_queue
        if queue is None:
            self.printer.setText(self.tr("Máy in: chưa cấu hình."))
        else:
            status = queue.last_status
            self.printer.setText(self.tr("Máy in: {status} Phiếu chờ in: {n}.").format(
                status=status.message_en if self.lang == "en" else status.message_vi,
                n=data["pending"]))
        self.test_print_button.setEnabled(queue is not None)
        self._show_clock(data["clock"])
        disk = data["disk"]
        sync = data["settings"].sync_status or self.tr("chưa đồng bộ")
        lines = [
            self.tr("Đồng bộ: {status}").format(status=sync),
            *(self.tr("Đồng bộ: {status}").format(status=t) for t in data["transfers"]),
            self.tr("Máy chủ tỉnh: {url}").format(
                url=data["settings"].district_url or self.tr("chưa đặt")),
            self.tr("Ổ đĩa ({folder}): còn trống {free} / {total} ({pct}%)").format(
                folder=data["folder"], free=_gb(disk.free), total=_gb(disk.total),
                pct=round(100 * disk.free / disk.total) if disk.total else 0),
            self.tr("Phiên bản: kiosk {kiosk} · Python {py} · Qt {qt} (PySide6 {pyside}) · "
                    "SQLite {sqlite} · lược đồ CSDL {schema}").format(
                kiosk=kiosk.__version__, py=sys.version.split()[0], qt=qVersion(),
                pyside=PySide6.__version__, sqlite=sqlite3.sqlite_version,
                schema=data["schema"]),
        ]
        self.system.setText("\n".join(lines))

    def _show_clock(self, status: clock_sanity.ClockStatus) -> None:
        """The clock's verdict; a wrong clock stops lending, so it stands out as an error."""
        message = status.message_en if self.lang == "en" else status.message
        if status.ok:
            self.clock.show_message(message, "ok")
        else:
            self.clock.show_message(
                self.tr("Đồng hồ sai, máy không cho mượn và gia hạn: {status}").format(
                    status=message), "error")

    def test_print(self) -> None:
        queue = self.ctx.print_queue
        if queue is None:
            self.message.show_message(self.tr("Chưa cấu hình máy in."), "warn")
            return
        lib = self.ctx.library
        self.call(lambda: queue.submit(TestPage(lib.name, dt.datetime.now().replace(microsecond=0))),
                  lambda job: self.message.show_message(
                      self.tr("Đã gửi trang in thử (lệnh số {job}).").format(job=job), "ok"))

    @Slot(str)
    def show_scan(self, text: str) -> None:
        """Show what a scanner or card reader just read (connected by the shell)."""
        self.scans = ([text] + self.scans)[:5]
        self.scan_label.setText(self.tr("Vừa đọc: {text}").format(text=text) + (
            "\n" + self.tr("Trước đó: ") + ", ".join(self.scans[1:]) if len(self.scans) > 1
            else ""))
